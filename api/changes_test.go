package api_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/exportwatch/exportwatch/api"
	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/records"
)

// TestChangesQuery follows the changes feed over HTTP as an API consumer
// keeping a copy would: from the head, through an editor's review and a
// load, a page at a time; suggestions for editors only; a cursor the
// retention expired answered with BAD_INPUT and resync.
func TestChangesQuery(t *testing.T) {
	ctx := context.Background()
	s := graphtest.Seeded(t)
	ts, readerKey, editorKey := withKeys(t, s)
	const feed = `query($after: String, $first: Int, $types: [ChangeType!]) {
  changes(after: $after, first: $first, types: $types) { changes { cursor at type kind id } endCursor hasMore head } }`
	read := func(key string, vars map[string]any) map[string]any {
		t.Helper()
		_, r := postAs(t, ts, key, feed, vars)
		if len(r.Errors) > 0 {
			t.Fatalf("changes %v: %s", vars, mustJSON(r))
		}
		return r.Data["changes"].(map[string]any)
	}
	// follow reads every change after a cursor, one to a page.
	follow := func(key, after string, types ...string) (got []string, end string) {
		t.Helper()
		for {
			page := read(key, map[string]any{"after": after, "first": 1, "types": types})
			for _, c := range page["changes"].([]any) {
				c := c.(map[string]any)
				if at, err := time.Parse(time.RFC3339, c["at"].(string)); err != nil || time.Since(at) > time.Hour {
					t.Errorf("change %v: at %v", c, err)
				}
				got = append(got, c["type"].(string)+" "+c["kind"].(string)+" "+c["id"].(string))
			}
			after = page["endCursor"].(string)
			if !page["hasMore"].(bool) {
				return got, after
			}
		}
	}
	head := read(readerKey, nil)["head"].(string)

	// An editor retracts a claim; a load brings a suggestion.
	claimID := firstClaimOf(t, s, "company/sandvine")
	if _, r := postAs(t, ts, editorKey, `mutation($id: ID!) { reviewClaim(id: $id, status: retracted, note: "wrong page") { id } }`,
		map[string]any{"id": claimID}); len(r.Errors) > 0 {
		t.Fatal(mustJSON(r))
	}
	doc := records.Document{URL: "https://reports.example.org/changes", Title: "A page", Origin: records.OriginCurated}
	doc.ID = records.DocumentID(doc.URL)
	sg := records.Suggestion{Relation: records.RelSupplied,
		Subject:  records.Party{Name: "Orrin Networks Ltd.", Schema: records.SchemaCompany},
		Object:   records.Party{ID: "body/eg-government", Name: "Government of Egypt", Schema: records.SchemaPublicBody},
		Evidence: records.Evidence{Document: doc.ID, Quote: "Orrin Networks Ltd. may have sold the kit to the Egyptian authorities."}, Confidence: 0.3,
		Reasons: []string{"a guess"}, Extractor: "report-parsed/1"}
	path := writeRecords(t, func(w *records.Writer) error { return errors.Join(w.WriteDocument(doc), w.WriteSuggestion(sg)) })
	if _, err := load.File(ctx, s, path, load.Options{}); err != nil {
		t.Fatal(err)
	}

	got, end := follow(readerKey, head)
	if diff := cmp.Diff([]string{"CLAIM RETRACTED " + claimID, "DOCUMENT CREATED " + doc.ID}, got); diff != "" {
		t.Errorf("a reader's feed (-want +got):\n%s", diff)
	}
	got, _ = follow(editorKey, head)
	if diff := cmp.Diff([]string{"CLAIM RETRACTED " + claimID, "DOCUMENT CREATED " + doc.ID, "SUGGESTION CREATED " + records.SuggestionID(sg)}, got); diff != "" {
		t.Errorf("an editor's feed (-want +got):\n%s", diff)
	}
	if _, r := postAs(t, ts, readerKey, feed, map[string]any{"types": []string{"SUGGESTION"}}); code(r) != api.CodeForbidden {
		t.Errorf("a reader asked for suggestions' changes: %s", mustJSON(r))
	}
	if got, _ := follow(readerKey, head, "DOCUMENT"); !cmp.Equal(got, []string{"DOCUMENT CREATED " + doc.ID}) {
		t.Errorf("documents only: %v", got)
	}

	for _, bad := range []string{"yesterday", "999999"} {
		_, r := postAs(t, ts, readerKey, feed, map[string]any{"after": bad})
		if code(r) != api.CodeBadInput || r.Errors[0].Extensions["field"] != "after" {
			t.Errorf("cursor %q: %s", bad, mustJSON(r))
		}
	}
	if _, err := s.PruneChanges(ctx, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	_, r := postAs(t, ts, readerKey, feed, map[string]any{"after": head})
	if code(r) != api.CodeBadInput || r.Errors[0].Extensions["resync"] != true {
		t.Errorf("an expired cursor: %s", mustJSON(r))
	}
	if page := read(readerKey, map[string]any{"after": end}); len(page["changes"].([]any)) != 0 || page["hasMore"].(bool) {
		t.Errorf("after the head, once pruned: %v", page)
	}
}

// firstClaimOf is the id of an entity's first claim.
func firstClaimOf(t *testing.T, s *graph.Store, id string) string {
	t.Helper()
	cs, err := s.ClaimsOf(context.Background(), id)
	if err != nil || len(cs) == 0 {
		t.Fatalf("claims of %s: %v %v", id, cs, err)
	}
	return cs[0].ID
}
