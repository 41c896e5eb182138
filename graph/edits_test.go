package graph_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/resolve"
)

func ptr[T any](v T) *T { return &v }

// TestEditEntity: an editor's edit applies, is audited, conflicts with a
// concurrent one, and outlives loading the sources again.
func TestEditEntity(t *testing.T) {
	s := graphtest.Store(t)
	ctx := context.Background()
	loadFile(t, s, "testdata/duplicates.jsonl", load.Options{})

	got, err := s.EditEntity(ctx, alphaLtd, graph.EntityEdit{
		Name: "ANS Canada", RemoveAliases: []string{"Alpha Network Solutions Ltd"},
		AddIdentifiers: map[string]string{"wikidata": "Q100003", "registry": "CA-999"},
		Country:        ptr("US"), Description: ptr("Sells probes to border agencies."),
	}, "editor-alice", ptr(int64(0)))
	if err != nil {
		t.Fatal(err)
	}
	want := graph.Entity{ID: alphaLtd, Schema: "Company", Name: "ANS Canada", Aliases: []string{"ANS Canada"}, Country: "US",
		Identifiers: map[string]string{"wikidata": "Q100003", "registry": "CA-999"}, Description: "Sells probes to border agencies.", Version: 1}
	opts := cmp.Options{cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Sources" }, cmp.Ignore()), cmpopts.EquateEmpty()}
	if diff := cmp.Diff(want, got, opts); diff != "" {
		t.Fatalf("edited (-want +got):\n%s", diff)
	}

	// A second editor who read version 0 is refused, and nothing changes.
	_, err = s.EditEntity(ctx, alphaLtd, graph.EntityEdit{Country: ptr("CA")}, "editor-bob", ptr(int64(0)))
	var conflict *graph.ConflictError
	if !errors.As(err, &conflict) || conflict.Current != 1 {
		t.Fatalf("a stale edit: %v", err)
	}
	for _, tc := range []struct {
		bad   graph.EntityEdit
		field string
	}{
		{graph.EntityEdit{RemoveAliases: []string{"ANS Canada"}}, "removeAliases"},
		{graph.EntityEdit{RemoveAliases: []string{"Nobody"}}, "removeAliases"},
		{graph.EntityEdit{RemoveIdentifiers: []string{"lei:X"}}, "removeIdentifiers"},
	} {
		_, err := s.EditEntity(ctx, alphaLtd, tc.bad, "editor-alice", nil)
		var refused *graph.RefusedEditError
		if !errors.As(err, &refused) || refused.Field != tc.field {
			t.Errorf("edit %+v: err = %v, want a RefusedEditError on %s", tc.bad, err, tc.field)
		}
	}
	if _, err := s.EditEntity(ctx, "company/nobody", graph.EntityEdit{Name: "x"}, "editor-alice", nil); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("edit of a missing entity: %v", err)
	}

	// Loading the sources again brings new names, not what the editor
	// removed or changed.
	loadFile(t, s, "testdata/duplicates.jsonl", load.Options{})
	loadFile(t, s, "testdata/later.jsonl", load.Options{})
	again, err := s.EntitiesByID(ctx, []string{alphaLtd})
	if err != nil {
		t.Fatal(err)
	}
	e := again[alphaLtd]
	if e.Name != "ANS Canada" || e.Country != "US" || e.Description != "Sells probes to border agencies." ||
		e.Identifiers["registry"] != "CA-999" || slices.Contains(e.Aliases, "Alpha Network Solutions Ltd") || !slices.Contains(e.Aliases, "Alpha Net") {
		t.Fatalf("after loading again: %+v", e)
	}
	// The lookup by identifier (resolution's) finds the editor's value,
	// not the source's, after the source's value came back in the load.
	for reg, want := range map[string]bool{"CA-999": true, "CA-123": false} {
		got, err := s.ResolutionCandidates(ctx, []resolve.Candidate{{Schema: "Company", Identifiers: map[string]string{"registry": reg}}}, 5)
		if err != nil {
			t.Fatal(err)
		}
		found := slices.ContainsFunc(got, func(c resolve.Candidate) bool { return c.ID == alphaLtd })
		if found != want {
			t.Errorf("by registry %s: found %v, want %v (%+v)", reg, found, want, got)
		}
	}
	hits, err := s.Search(ctx, "Alpha Network Solutions Ltd", nil, 5)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hits {
		if h.Entity.ID == alphaLtd && h.Matched == "Alpha Network Solutions Ltd" {
			t.Errorf("search still matches a removed name: %+v", h)
		}
	}

	events, _, err := s.AuditLog(ctx, graph.AuditFilter{}, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 || events[0].Action != "editEntity" || events[0].Who != "editor-alice" || events[0].Target != alphaLtd {
		t.Fatalf("audit: %+v", events)
	}
}

func TestReviewConflict(t *testing.T) {
	s := graphtest.Store(t)
	ctx := context.Background()
	loadFile(t, s, "testdata/duplicates.jsonl", load.Options{})
	claims, _, err := s.Claims(ctx, graph.ClaimFilter{Limit: 1})
	if err != nil || len(claims) == 0 {
		t.Fatalf("claims: %v", err)
	}
	id := claims[0].ID
	c, err := s.ReviewClaim(ctx, id, "confirmed", "", "editor-alice", ptr(int64(0)))
	if err != nil || c.Version != 1 {
		t.Fatalf("first review: %+v, %v", c, err)
	}
	_, err = s.ReviewClaim(ctx, id, "disputed", "", "editor-bob", ptr(int64(0)))
	var conflict *graph.ConflictError
	if !errors.As(err, &conflict) {
		t.Fatalf("second review of version 0: %v", err)
	}
	if c, err = s.UndoReview(ctx, id, "editor-alice", ptr(int64(1))); err != nil || c.Version != 2 || c.Status != claims[0].Status || c.Reviewed {
		t.Fatalf("undo: %+v, %v", c, err)
	}
	// After an undo the next load sets the claim from its source again,
	// and writes nothing twice.
	before, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	loadFile(t, s, "testdata/duplicates.jsonl", load.Options{})
	after, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The claim is written again (its source sets its status), which the
	// changes feed records as one change set.
	if after.Nodes["ChangeSet"] != before.Nodes["ChangeSet"]+1 {
		t.Errorf("loading again after an undo appended %d change sets, want 1", after.Nodes["ChangeSet"]-before.Nodes["ChangeSet"])
	}
	delete(before.Nodes, "ChangeSet")
	delete(after.Nodes, "ChangeSet")
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("loading again after an undo (-before +after):\n%s", diff)
	}
}
