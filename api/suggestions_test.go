package api_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/api"
	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/records"
)

// TestSuggestions: suggestions load beside claims without becoming claims;
// an editor lists them, accepts one (a reported claim quoting the
// sentence, its new party an entity) and rejects another; loading the
// file again keeps both decisions, and readers see none of it.
func TestSuggestions(t *testing.T) {
	ctx := context.Background()
	s := graphtest.Seeded(t)
	doc := records.Document{URL: "https://reports.example.org/guesses", Title: "Guesses", Publisher: "Example Watch", Origin: records.OriginCurated}
	doc.ID = records.DocumentID(doc.URL)
	guess := records.Suggestion{Relation: records.RelSupplied,
		Subject:    records.Party{Name: "Orrin Networks Ltd.", Schema: records.SchemaCompany},
		Object:     records.Party{ID: "body/eg-government", Name: "Government of Egypt", Schema: records.SchemaPublicBody},
		Evidence:   records.Evidence{Document: doc.ID, Quote: "Orrin Networks Ltd. may have sold the kit to the Egyptian authorities.", Locator: "¶2"},
		Confidence: 0.3, Reasons: []string{"a guess: may sold"}, Extractor: "report-parsed/1"}
	other := guess
	other.Subject = records.Party{ID: "company/sandvine", Name: "Sandvine", Schema: records.SchemaCompany}
	other.Evidence.Quote = "Sandvine might have been involved, one source said."
	path := writeRecords(t, func(w *records.Writer) error {
		return errors.Join(w.WriteDocument(doc), w.WriteSuggestion(guess), w.WriteSuggestion(other))
	})
	claimCount := func() int64 {
		t.Helper()
		c, err := s.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return c.Nodes["Claim"]
	}
	before := claimCount()
	sum, err := load.File(ctx, s, path, load.Options{})
	if err != nil || sum.Suggestions.Written != 2 {
		t.Fatalf("load: %+v %v", sum, err)
	}
	if after := claimCount(); after != before {
		t.Fatalf("suggestions became claims: %d claims before, %d after", before, after)
	}

	ts, readerKey, editorKey := withKeys(t, s)

	const list = `{ suggestions { totalCount nodes { id status quote reasons subject { name entity { id } } object { name entity { id } } document { url } } } }`
	if _, r := postAs(t, ts, readerKey, list, nil); code(r) != api.CodeForbidden {
		t.Fatalf("a reader listed suggestions: %+v", r)
	}
	_, r := postAs(t, ts, editorKey, list, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("list: %+v", r.Errors)
	}
	conn := r.Data["suggestions"].(map[string]any)
	if conn["totalCount"].(float64) != 2 {
		t.Fatalf("open suggestions: %s", mustJSON(conn))
	}
	ids := map[string]string{}
	for _, n := range conn["nodes"].([]any) {
		n := n.(map[string]any)
		ids[n["subject"].(map[string]any)["name"].(string)] = n["id"].(string)
	}
	const accept = `mutation($id: ID!) { acceptSuggestion(id: $id, note: "read the report") { status decidedBy claim { status extractor subject { name } object { id } evidence { quote } } } }`
	_, r = postAs(t, ts, editorKey, accept, map[string]any{"id": ids["Orrin Networks Ltd."]})
	if len(r.Errors) > 0 {
		t.Fatalf("accept: %+v", r.Errors)
	}
	got := mustJSON(r.Data)
	for _, want := range []string{`"status":"ACCEPTED"`, `"decidedBy":"editor-alice"`, `"status":"reported"`, `"name":"Orrin Networks Ltd."`,
		`"id":"body/eg-government"`, `"quote":"Orrin Networks Ltd. may have sold the kit to the Egyptian authorities."`, `"extractor":"editor:editor-alice"`} {
		if !strings.Contains(got, want) {
			t.Errorf("accepted suggestion lacks %s: %s", want, got)
		}
	}
	const reject = `mutation($id: ID!) { rejectSuggestion(id: $id) { status } }`
	if _, r = postAs(t, ts, editorKey, reject, map[string]any{"id": ids["Sandvine"]}); len(r.Errors) > 0 || !strings.Contains(mustJSON(r.Data), "REJECTED") {
		t.Fatalf("reject: %+v %s", r.Errors, mustJSON(r.Data))
	}
	// Rejecting the accepted one is refused, with the way out.
	if _, r = postAs(t, ts, editorKey, reject, map[string]any{"id": ids["Orrin Networks Ltd."]}); code(r) != api.CodeBadInput || !strings.Contains(r.Errors[0].Message, "reviewClaim") {
		t.Fatalf("rejecting an accepted suggestion: %+v", r)
	}
	// The page read again: no decision is undone, nothing is duplicated.
	claims := claimCount()
	if sum, err := load.File(ctx, s, path, load.Options{}); err != nil || sum.Suggestions.Written != 0 {
		t.Fatalf("load again: %+v %v", sum, err)
	}
	if _, r = postAs(t, ts, editorKey, `{ suggestions(status: null) { nodes { status } } }`, nil); !strings.Contains(mustJSON(r.Data), "ACCEPTED") || !strings.Contains(mustJSON(r.Data), "REJECTED") || strings.Contains(mustJSON(r.Data), "OPEN") {
		t.Fatalf("after loading again: %s %+v", mustJSON(r.Data), r.Errors)
	}
	if n := claimCount(); n != claims {
		t.Fatalf("loading again changed the claims: %d, then %d", claims, n)
	}
}

// writeRecords writes a record file in the test's directory with write,
// for load.File, and returns its path.
func writeRecords(t *testing.T, write func(*records.Writer) error) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "records.jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := records.NewWriter(f)
	if err := errors.Join(write(w), w.Flush(), f.Close()); err != nil {
		t.Fatal(err)
	}
	return path
}
