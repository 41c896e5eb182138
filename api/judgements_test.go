package api_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/api"
	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/records"
)

// TestJudgements: an editor lists the pairs resolution was unsure of and
// decides them as the terminal does: same merges, not the same undoes the
// merge; each decision audited with its note. A reader may do neither.
func TestJudgements(t *testing.T) {
	ctx := context.Background()
	s := graphtest.Seeded(t)
	// "NICE Systems" in Israel scores in resolution's grey band against
	// the seed's NICE Ltd.: loaded, it waits for a person.
	doc := records.Document{Type: "document", V: records.Version, URL: "https://reports.example.org/nice-systems", Title: "A report", Publisher: "Example Watch", Origin: records.OriginCurated}
	path := writeRecords(t, func(w *records.Writer) error {
		return errors.Join(w.WriteDocument(doc),
			w.WriteEntity(records.Entity{Type: "entity", V: records.Version, Schema: "Company", Ref: "nice", Names: []string{"NICE Systems"}, Country: "IL", Document: records.DocumentID(doc.URL)}),
			w.WriteClaim(records.Claim{Type: "claim", V: records.Version, Relation: "SUPPLIED", Subject: "nice", Object: "country:UZ", Status: "reported", Confidence: 0.6, Extractor: "test/1",
				Evidence: []records.Evidence{{Document: records.DocumentID(doc.URL), Quote: "NICE Systems supplied monitoring centres to Uzbekistan, the report says."}}}))
	})
	if _, err := load.File(ctx, s, path, load.Options{}); err != nil {
		t.Fatal(err)
	}
	ts, readerKey, editorKey := withKeys(t, s)

	const list = `{ judgements(first: 10) { totalCount nodes { id decision score explanation
		a { id name claimCount entity { id } } b { id name aliases country claimCount mergedInto entity { id claims(first: 2) { evidence { quote document { publisher } } } } } } } }`
	if _, r := postAs(t, ts, readerKey, list, nil); code(r) != api.CodeForbidden {
		t.Fatalf("a reader listed judgements: %+v", r)
	}
	_, r := postAs(t, ts, editorKey, list, nil)
	if len(r.Errors) > 0 {
		t.Fatal(r.Errors)
	}
	var id, newcomer string
	for _, n := range r.Data["judgements"].(map[string]any)["nodes"].([]any) {
		j := n.(map[string]any)
		a, b := j["a"].(map[string]any), j["b"].(map[string]any)
		if a["id"] == "company/nice" && b["name"] == "NICE Systems" {
			id, newcomer = j["id"].(string), b["id"].(string)
			if j["decision"] != "pending" || !strings.Contains(j["explanation"].(string), "review") || b["claimCount"].(float64) != 1 ||
				!strings.Contains(mustJSON(b["entity"]), "monitoring centres") {
				t.Errorf("the judgement as listed: %s", mustJSON(j))
			}
		}
	}
	if id == "" {
		t.Fatalf("no pending judgement on NICE Systems: %s", mustJSON(r.Data))
	}

	const decide = `mutation($id: ID!, $d: JudgementDecision!, $note: String) { decideJudgement(id: $id, decision: $d, note: $note) {
		decision note decidedBy b { mergedInto entity { id } } } }`
	if _, r := postAs(t, ts, readerKey, decide, map[string]any{"id": id, "d": "same"}); code(r) != api.CodeForbidden {
		t.Fatalf("a reader decided: %+v", r)
	}
	_, r = postAs(t, ts, editorKey, decide, map[string]any{"id": id, "d": "same", "note": "same LEI in the filing"})
	j := r.Data["decideJudgement"].(map[string]any)
	if len(r.Errors) > 0 || j["decision"] != "same" || j["note"] != "same LEI in the filing" || j["decidedBy"] != "editor-alice" ||
		j["b"].(map[string]any)["mergedInto"] != "company/nice" || j["b"].(map[string]any)["entity"].(map[string]any)["id"] != "company/nice" {
		t.Fatalf("same: %s %+v", mustJSON(r.Data), r.Errors)
	}
	_, r = postAs(t, ts, "", `query($id: ID!) { entity(id: $id) { id aliases } }`, map[string]any{"id": newcomer})
	if e := r.Data["entity"].(map[string]any); e["id"] != "company/nice" || !slices.Contains(toStrings(e["aliases"]), "NICE Systems") {
		t.Fatalf("the merged id does not lead to NICE Ltd.: %s", mustJSON(r.Data))
	}
	_, r = postAs(t, ts, editorKey, decide, map[string]any{"id": id, "d": "not_same", "note": "a different company"})
	if j := r.Data["decideJudgement"].(map[string]any); len(r.Errors) > 0 || j["decision"] != "not_same" || j["b"].(map[string]any)["mergedInto"] != nil {
		t.Fatalf("not the same: %s %+v", mustJSON(r.Data), r.Errors)
	}
	_, r = postAs(t, ts, "", `query($id: ID!) { entity(id: $id) { id } }`, map[string]any{"id": newcomer})
	if r.Data["entity"].(map[string]any)["id"] != newcomer {
		t.Fatalf("the merge was not undone: %s", mustJSON(r.Data))
	}
	if _, r := postAs(t, ts, editorKey, decide, map[string]any{"id": "judgement:none", "d": "same"}); code(r) != api.CodeNotFound {
		t.Errorf("an unknown judgement: %+v", r)
	}
	if _, r := postAs(t, ts, editorKey, decide, map[string]any{"id": id, "d": "maybe"}); code(r) != api.CodeBadInput {
		t.Errorf("an unknown decision: %+v", r)
	}
	_, r = postAs(t, ts, editorKey, `{ auditLog(first: 5) { nodes { action target after } } }`, nil)
	if log := mustJSON(r.Data); !strings.Contains(log, `"action":"mergeEntities"`) || !strings.Contains(log, `"action":"unmergeEntity"`) ||
		!strings.Contains(log, "same LEI in the filing") || !strings.Contains(log, "a different company") {
		t.Errorf("audit log: %s", log)
	}
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}
