package load_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/load"
)

// buyerNames lists the names of the buyers of a vendor's SUPPLIED edges.
func buyerNames(t *testing.T, s *graph.Store, vendor string) []string {
	t.Helper()
	ts, err := s.Buyers(context.Background(), vendor, false, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, tr := range ts {
		out = append(out, tr.Buyer.Name)
	}
	slices.Sort(out)
	return out
}

// entityNamed is the one entity whose name is exactly name.
func entityNamed(t *testing.T, s *graph.Store, name string) graph.Entity {
	t.Helper()
	ents, _, err := s.Entities(context.Background(), graph.EntityFilter{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.Name == name {
			return e
		}
	}
	t.Fatalf("no entity named %q among %v", name, ents)
	return graph.Entity{}
}

func TestResolveOnLoad(t *testing.T) {
	s := graphtest.Store(t)
	ctx := context.Background()
	if _, err := load.File(ctx, s, "testdata/small.jsonl", load.Options{}); err != nil {
		t.Fatal(err)
	}
	sandvine := entityNamed(t, s, "Sandvine")
	ntec := entityNamed(t, s, "National Traffic Exchange Center")

	sum, err := load.File(ctx, s, "testdata/resolve.jsonl", load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// SANDVINE INCORPORATED and the centre are taken as the entities
	// already there; Sandvien is queued; Beltelecom is new.
	if sum.Resolved != 2 || sum.Queued != 1 {
		t.Fatalf("resolved %d, queued %d, want 2 and 1\n%s", sum.Resolved, sum.Queued, sum)
	}
	if got := buyerNames(t, s, sandvine.ID); !reflect.DeepEqual(got, []string{"Beltelecom", "National Traffic Exchange Center", "Türk Telekom"}) {
		t.Fatalf("Sandvine's buyers: %v", got)
	}
	e, err := s.Entity(ctx, sandvine.ID)
	if err != nil || !slices.Contains(e.Aliases, "SANDVINE INCORPORATED") {
		t.Fatalf("the survivor lacks the new name: %+v, %v", e, err)
	}
	if got, _ := s.Entity(ctx, ntec.ID); !slices.Contains(got.Aliases, "the National Traffic Exchange Center") {
		t.Fatalf("centre: %+v", got)
	}
	pending, n, err := s.ListJudgements(ctx, []string{graph.JudgePending}, 0, 10)
	if err != nil || n != 1 {
		t.Fatalf("pending: %d, %v", n, err)
	}
	j := pending[0]
	if j.A != sandvine.ID || j.Entities[1].Name != "Sandvien" || j.Entities[1].Claims != 1 || j.Explanation == "" || j.ProposedBy != load.Resolver {
		t.Fatalf("pending judgement: %+v", j)
	}
	auto, _, err := s.ListJudgements(ctx, []string{graph.JudgeSame}, 0, 10)
	if err != nil || len(auto) != 2 {
		t.Fatalf("same judgements: %+v, %v", auto, err)
	}

	// Loading again decides nothing anew and writes nothing.
	before := counts(t, s)
	again, err := load.File(ctx, s, "testdata/resolve.jsonl", load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if again.Entities.Written+again.Claims.Written+again.Resolved+again.Queued != 0 {
		t.Fatalf("second load: %s", again)
	}
	if after := counts(t, s); !reflect.DeepEqual(before, after) {
		t.Fatalf("counts changed: %v → %v", before, after)
	}

	// A reviewer says Sandvien is Sandvine: its claim moves over.
	if _, err := s.Decide(ctx, j.ID, graph.JudgeSame, "", "reviewer"); err != nil {
		t.Fatal(err)
	}
	if got := buyerNames(t, s, sandvine.ID); len(got) != 3 {
		t.Fatalf("after same: %v", got)
	}
	// …and changes their mind about the automatic merge: SANDVINE
	// INCORPORATED is an entity of its own again, with its claim and
	// its name, and the Sandvien merge stands.
	var svInc graph.Judgement
	for _, a := range auto {
		if a.Entities[1].Name == "SANDVINE INCORPORATED" {
			svInc = a
		}
	}
	if _, err := s.Decide(ctx, svInc.ID, graph.JudgeNotSame, "", "reviewer"); err != nil {
		t.Fatal(err)
	}
	back, err := s.Entity(ctx, svInc.B)
	if err != nil || back.ID != svInc.B || back.Name != "SANDVINE INCORPORATED" {
		t.Fatalf("restored: %+v, %v", back, err)
	}
	if got := buyerNames(t, s, back.ID); !reflect.DeepEqual(got, []string{"Beltelecom"}) {
		t.Fatalf("restored entity's buyers: %v", got)
	}
	if got := buyerNames(t, s, sandvine.ID); !reflect.DeepEqual(got, []string{"National Traffic Exchange Center", "Türk Telekom"}) {
		t.Fatalf("Sandvine's buyers after the undo: %v", got)
	}
	if e, _ := s.Entity(ctx, sandvine.ID); slices.Contains(e.Aliases, "SANDVINE INCORPORATED") || !slices.Contains(e.Aliases, "Sandvien") {
		t.Fatalf("Sandvine's names after the undo: %v", e.Aliases)
	}
	// The judgement holds on the next load: nothing is merged again.
	if sum, err := load.File(ctx, s, "testdata/resolve.jsonl", load.Options{}); err != nil || sum.Resolved+sum.Claims.Written != 0 {
		t.Fatalf("load after the undo: %s, %v", sum, err)
	}
	if got := buyerNames(t, s, back.ID); !reflect.DeepEqual(got, []string{"Beltelecom"}) {
		t.Fatalf("after a re-load: %v", got)
	}
	// A person may change their mind back: the merge is redone.
	if _, err := s.Decide(ctx, svInc.ID, graph.JudgeSame, "", "reviewer"); err != nil {
		t.Fatal(err)
	}
	if got := buyerNames(t, s, sandvine.ID); len(got) != 3 {
		t.Fatalf("after same again: %v", got)
	}
}

// TestResolveABodyInAnotherLanguage: a state body loaded under its
// English name is found again under its name in its own language and
// under its acronym, though they share no word with it.
func TestResolveABodyInAnotherLanguage(t *testing.T) {
	s := graphtest.Store(t)
	ctx := context.Background()
	dir := t.TempDir()
	write := func(name, body string) string {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	first := write("english.jsonl", `{"type":"entity","v":1,"schema":"PublicBody","id":"body/ua-security-service","names":["Security Service of Ukraine"],"country":"UA"}
`)
	if _, err := load.File(ctx, s, first, load.Options{}); err != nil {
		t.Fatal(err)
	}
	second := write("native.jsonl", `{"type":"entity","v":1,"schema":"PublicBody","names":["Служба безпеки України"],"country":"UA"}
{"type":"entity","v":1,"schema":"PublicBody","names":["SBU"],"country":"UA"}
{"type":"entity","v":1,"schema":"PublicBody","names":["Міністерство внутрішніх справ України"],"country":"UA"}
`)
	sum, err := load.File(ctx, s, second, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Resolved != 2 {
		t.Errorf("%d taken as entities already there, want the two names of the Security Service: %+v", sum.Resolved, sum)
	}
	e, err := s.Entity(ctx, "body/ua-security-service")
	if err != nil || !slices.Contains(e.Aliases, "Служба безпеки України") || !slices.Contains(e.Aliases, "SBU") {
		t.Errorf("the Security Service: %+v %v", e, err)
	}
}
