package graph_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/resolve"
)

const (
	alpha    = "company:wikidata:q100001"
	alphaLtd = "company:registry:ca-123"
)

func entityNamed(t *testing.T, s *graph.Store, name string) graph.Entity {
	t.Helper()
	ents, _, err := s.Entities(context.Background(), graph.EntityFilter{Name: name})
	if err != nil || len(ents) != 1 {
		t.Fatalf("entities named %q: %v, %v", name, ents, err)
	}
	return ents[0]
}

func loadFile(t *testing.T, s *graph.Store, path string, opt load.Options) load.Summary {
	t.Helper()
	sum, err := load.File(context.Background(), s, path, opt)
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	return sum
}

func TestMergeEntities(t *testing.T) {
	s := graphtest.Store(t)
	ctx := context.Background()
	loadFile(t, s, "testdata/duplicates.jsonl", load.Options{})
	ministry := entityNamed(t, s, "Ministry of the Interior")
	before, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if before.Relationships["SUPPLIED"] != 3 {
		t.Fatalf("before the merge: %v", before.Relationships)
	}

	kept, err := s.MergeEntities(ctx, alpha, alphaLtd, "tester")
	if err != nil {
		t.Fatal(err)
	}
	if kept.ID != alpha || !slices.Contains(kept.Aliases, "Alpha Network Solutions Ltd") || kept.Identifiers["registry"] != "CA-123" ||
		kept.Identifiers["wikidata"] != "Q100001" || !reflect.DeepEqual(kept.Merged, []string{alphaLtd}) {
		t.Fatalf("survivor: %+v", kept)
	}

	// The merged id resolves to the survivor everywhere.
	got, err := s.Entity(ctx, alphaLtd)
	if err != nil || got.ID != alpha {
		t.Fatalf("Entity(merged) = %+v, %v", got, err)
	}
	byID, err := s.EntitiesByID(ctx, []string{alphaLtd, alpha})
	if err != nil || byID[alphaLtd].ID != alpha || byID[alpha].ID != alpha {
		t.Fatalf("EntitiesByID: %v, %v", byID, err)
	}
	buyers, err := s.Buyers(ctx, alphaLtd, false, 0)
	if err != nil || len(buyers) != 2 {
		t.Fatalf("buyers of the merged id: %+v, %v", buyers, err)
	}
	for _, b := range buyers {
		if b.Supplier.ID != alpha {
			t.Errorf("transfer from %s, want the survivor", b.Supplier.ID)
		}
		if b.Buyer.ID == ministry.ID && (len(b.Edge.Claims) != 2 || b.Edge.Status != "documented" || b.Edge.First != "2020") {
			t.Errorf("the two SUPPLIED edges to the ministry did not become one: %+v", b.Edge)
		}
		if b.Buyer.ID != ministry.ID && !reflect.DeepEqual(b.Edge.Products, []string{entityNamed(t, s, "PacketBox").ID}) {
			t.Errorf("edge to the police: products %v", b.Edge.Products)
		}
	}
	claims, err := s.ClaimsOf(ctx, alphaLtd)
	if err != nil || len(claims) != 3 {
		t.Fatalf("claims of the merged id: %d, %v", len(claims), err)
	}
	for _, c := range claims {
		if c.Subject != alpha {
			t.Errorf("claim %s still has subject %s", c.ID, c.Subject)
		}
	}
	if cs, _, err := s.Claims(ctx, graph.ClaimFilter{Subject: alphaLtd}); err != nil || len(cs) != 3 {
		t.Fatalf("claims filtered by the merged id: %d, %v", len(cs), err)
	}
	paths, err := s.ShortestPaths(ctx, alphaLtd, ministry.ID, nil, 2, "", false, 5)
	if err != nil || len(paths) == 0 || len(paths[0].Edges) != 1 {
		t.Fatalf("paths from the merged id: %+v, %v", paths, err)
	}
	hits, err := s.Search(ctx, "Alpha Network Solutions Ltd", nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hits {
		if h.Entity.ID == alphaLtd {
			t.Errorf("search still finds the merged entity")
		}
	}
	after, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after.Nodes["Entity"] != before.Nodes["Entity"]-1 || after.Nodes["MergedEntity"] != 1 || after.Nodes["Claim"] != before.Nodes["Claim"] ||
		after.Relationships["SUPPLIED"] != 2 || after.Relationships["SUBJECT"] != before.Relationships["SUBJECT"] {
		t.Fatalf("counts after the merge: %v %v", after.Nodes, after.Relationships)
	}
	events, _, err := s.AuditLog(ctx, graph.AuditFilter{}, 0, 10)
	if err != nil || len(events) != 1 || events[0].Action != "mergeEntities" || events[0].Who != "tester" ||
		!strings.Contains(events[0].Before, "Alpha Network Solutions Ltd") {
		t.Fatalf("audit: %+v, %v", events, err)
	}

	// Loading the source again finds everything as it was left.
	again := loadFile(t, s, "testdata/duplicates.jsonl", load.Options{})
	if again.Documents.Written+again.Entities.Written+again.Claims.Written != 0 {
		t.Fatalf("re-load after the merge wrote: %s", again)
	}
	if c, _ := s.Counts(ctx); !reflect.DeepEqual(c, after) {
		t.Fatalf("re-load changed counts: %v → %v", after, c)
	}

	// A later source naming the merged entity adds to the survivor, and a
	// claim that the merge turned into a self-link is refused.
	later := loadFile(t, s, "testdata/later.jsonl", load.Options{SkipInvalid: true})
	if later.Claims.Written != 1 || later.Rejected != 1 || !strings.Contains(later.Problems[0].Error(), "merged into one entity") {
		t.Fatalf("later load: %s %v", later, later.Problems)
	}
	if e, _ := s.Entity(ctx, alpha); !slices.Contains(e.Aliases, "Alpha Net") {
		t.Fatalf("the survivor did not gain the later name: %v", e.Aliases)
	}
	if c, _ := s.Counts(ctx); c.Nodes["Entity"] != after.Nodes["Entity"]+1 {
		t.Fatalf("later load: entities %d, want %d (the border guard only)", c.Nodes["Entity"], after.Nodes["Entity"]+1)
	}
	if b, _ := s.Buyers(ctx, alpha, false, 0); len(b) != 3 {
		t.Fatalf("buyers after the later load: %d, want 3", len(b))
	}

	// Merging the survivor on flattens the chain.
	loadFile(t, s, "testdata/third.jsonl", load.Options{})
	third := entityNamed(t, s, "Alpha Holding")
	if _, err := s.MergeEntities(ctx, third.ID, alpha, "tester"); err != nil {
		t.Fatal(err)
	}
	if e, err := s.Entity(ctx, alphaLtd); err != nil || e.ID != third.ID || !reflect.DeepEqual(e.Merged, []string{alpha, alphaLtd}) {
		t.Fatalf("after a second merge the first merged id names %+v, %v", e, err)
	}
}

func TestMergeEntitiesRefuses(t *testing.T) {
	s := graphtest.Store(t)
	ctx := context.Background()
	loadFile(t, s, "testdata/duplicates.jsonl", load.Options{})
	loadFile(t, s, "testdata/third.jsonl", load.Options{})
	ministry := entityNamed(t, s, "Ministry of the Interior").ID
	police := entityNamed(t, s, "Police Department").ID
	if _, err := s.MergeEntities(ctx, alpha, alphaLtd, "tester"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, keep, merge, want string
	}{
		{"itself", ministry, ministry, "into itself"},
		{"already merged", ministry, alphaLtd, "already merged into " + alpha},
		{"keep was merged", alphaLtd, "company:wikidata:q100002", "merge into " + alpha + " instead"},
		{"types differ", ministry, alpha, "cannot merge a Company into a PublicBody"},
		{"linked by claims", ministry, police, "claims link"},
		{"identifiers differ", alpha, "company:wikidata:q100002", "different wikidata identifiers (Q100001, Q100002)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.MergeEntities(ctx, tc.keep, tc.merge, "tester")
			var refused *graph.RefusedError
			if !errors.As(err, &refused) || !strings.Contains(refused.Reason, tc.want) {
				t.Fatalf("err = %v, want refusal containing %q", err, tc.want)
			}
		})
	}
	if _, err := s.MergeEntities(ctx, alpha, "company:nobody", "tester"); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("missing entity: err = %v", err)
	}
	if events, _, _ := s.AuditLog(ctx, graph.AuditFilter{}, 0, 10); len(events) != 1 {
		t.Fatalf("refused merges wrote audit events: %d", len(events))
	}
}

// TestUndoMerge undoes merges: what followed the undone entity into the
// survivor leaves with it, its names and identifiers leave the survivor,
// the edges follow the claims, and a judgement of "not the same" stops a
// later merge that would join the two through a third.
func TestUndoMerge(t *testing.T) {
	s := graphtest.Store(t)
	ctx := context.Background()
	loadFile(t, s, "testdata/duplicates.jsonl", load.Options{})
	loadFile(t, s, "testdata/third.jsonl", load.Options{})
	holding := entityNamed(t, s, "Alpha Holding").ID
	if _, err := s.MergeEntities(ctx, alpha, alphaLtd, "tester"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MergeEntities(ctx, holding, alpha, "tester"); err != nil {
		t.Fatal(err)
	}
	if b, _ := s.Buyers(ctx, holding, false, 0); len(b) != 2 {
		t.Fatalf("holding's buyers after two merges: %d, want 2", len(b))
	}

	j, err := s.Decide(ctx, graph.JudgementID(holding, alpha), graph.JudgeNotSame, "", "reviewer")
	if err != nil {
		t.Fatal(err)
	}
	if j.Decision != graph.JudgeNotSame || j.DecidedBy != "reviewer" {
		t.Fatalf("judgement: %+v", j)
	}
	if e, err := s.Entity(ctx, alphaLtd); err != nil || e.ID != alpha || !slices.Contains(e.Aliases, "Alpha Network Solutions Ltd") {
		t.Fatalf("%s follows %s back: %+v, %v", alphaLtd, alpha, e, err)
	}
	if b, _ := s.Buyers(ctx, alpha, false, 0); len(b) != 2 {
		t.Fatalf("alpha's buyers after the undo: %d, want 2", len(b))
	}
	if b, _ := s.Buyers(ctx, holding, false, 0); len(b) != 0 {
		t.Fatalf("holding's buyers after the undo: %d, want none", len(b))
	}
	h, err := s.Entity(ctx, holding)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Aliases) != 1 || len(h.Identifiers) != 0 || len(h.Merged) != 0 {
		t.Fatalf("holding keeps what alpha brought: %+v", h)
	}
	if hits, _ := s.Search(ctx, "Alpha Network Solutions", nil, 10); len(hits) == 0 || hits[0].Entity.ID != alpha {
		t.Fatalf("search after the undo: %+v", hits)
	}

	if _, err := s.Decide(ctx, graph.JudgementID(alpha, alphaLtd), graph.JudgeNotSame, "", "reviewer"); err != nil {
		t.Fatal(err)
	}
	if b, _ := s.Buyers(ctx, alphaLtd, false, 0); len(b) != 2 {
		t.Fatalf("alpha ltd's buyers after the second undo: %d, want 2", len(b))
	}
	if b, _ := s.Buyers(ctx, alpha, false, 0); len(b) != 1 {
		t.Fatalf("alpha's buyers after the second undo: %d, want 1", len(b))
	}
	// Alpha Network Solutions may join the holding, but then alpha may
	// not: it was judged not the same as Alpha Network Solutions.
	if _, err := s.MergeEntities(ctx, holding, alphaLtd, "tester"); err != nil {
		t.Fatal(err)
	}
	_, err = s.Decide(ctx, graph.JudgementID(holding, alpha), graph.JudgeSame, "", "reviewer")
	var refused *graph.RefusedError
	if !errors.As(err, &refused) || !strings.Contains(refused.Reason, graph.JudgementID(alpha, alphaLtd)) {
		t.Fatalf("merge across a judgement of not the same: %v", err)
	}
}

// TestResolutionCandidatesHostileNames: names are a source's text, so
// Lucene syntax, huge names and other scripts in them must neither break
// the full-text query nor match everything.
func TestResolutionCandidatesHostileNames(t *testing.T) {
	s := graphtest.Store(t)
	ctx := context.Background()
	loadFile(t, s, "testdata/duplicates.jsonl", load.Options{})
	for _, name := range []string{
		`Alpha" OR *:* AND (`, `name:Alpha~ ^10 \ /regex/`, strings.Repeat("Alpha Networks ", 5000), "ООО «Альфа Нетворкс»", "*", "",
	} {
		got, err := s.ResolutionCandidates(ctx, []resolve.Candidate{{Schema: "Company", Names: []string{name}}}, 10)
		if err != nil {
			t.Fatalf("%.40q: %v", name, err)
		}
		for _, c := range got {
			if c.Schema != "Company" {
				t.Errorf("%.40q: a %s among the candidates", name, c.Schema)
			}
		}
		if name == "*" && len(got) != 0 {
			t.Errorf("a bare * matched %d entities", len(got))
		}
	}
	// Identifiers are parameters: a value that looks like Cypher is a value.
	got, err := s.ResolutionCandidates(ctx, []resolve.Candidate{{Schema: "Company", Identifiers: map[string]string{"registry": "CA-123' OR 1=1 //"}}}, 10)
	if err != nil || len(got) != 0 {
		t.Fatalf("hostile identifier: %v, %v", got, err)
	}
	got, err = s.ResolutionCandidates(ctx, []resolve.Candidate{{Schema: "Company", Identifiers: map[string]string{"registry": "CA-123"}}}, 10)
	if err != nil || len(got) != 1 || got[0].ID != alphaLtd {
		t.Fatalf("by registry number: %v, %v", got, err)
	}
}
