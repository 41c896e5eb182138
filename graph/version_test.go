package graph_test

import (
	"context"
	"testing"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/load"
)

// TestVersion: the graph's version stays while the graph is only read and
// moves with every kind of write: a load, an editor's change, a repair,
// and a graph emptied and loaded again to the same count of changes.
// Writes, this store's own count, moves with the editor's change and the
// repair, and not with a read or a write that changes no data (the
// watches' notifier keeping its place).
func TestVersion(t *testing.T) {
	ctx := context.Background()
	s := graphtest.Store(t)
	version := func() string {
		t.Helper()
		v, err := s.Version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	seen := map[string]string{}
	step := func(what string) {
		t.Helper()
		v := version()
		if before, ok := seen[v]; ok {
			t.Errorf("%s: version %q, as %s", what, v, before)
		}
		seen[v] = what
	}
	step("empty")
	if _, err := load.Seed(ctx, s, load.Options{}); err != nil {
		t.Fatal(err)
	}
	step("seeded")
	writes := s.Writes()
	if _, err := s.Counts(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.NotifyWatches(ctx); err != nil {
		t.Fatal(err)
	}
	if v := version(); seen[v] != "seeded" {
		t.Errorf("a read or the notifier moved the version")
	}
	if n := s.Writes(); n != writes {
		t.Errorf("a read or the notifier counted %d writes", n-writes)
	}
	if _, err := s.EditEntity(ctx, "company/sandvine", graph.EntityEdit{AddAliases: []string{"Sandvine Corp"}}, "editor", nil); err != nil {
		t.Fatal(err)
	}
	step("edited")
	if n := s.Writes(); n != writes+1 {
		t.Errorf("an edit counted %d writes, want 1", n-writes)
	}

	graphtest.Exec(t, "MATCH ()-[r:SUPPLIED]->() SET r.supply_order = 'zz'")
	problems, err := s.Check(ctx)
	if err != nil || len(problems) == 0 {
		t.Fatalf("check after the supply index was spoilt: %v %v", problems, err)
	}
	if _, err := s.Repair(ctx, problems); err != nil {
		t.Fatal(err)
	}
	step("repaired")
	if n := s.Writes(); n <= writes+1 {
		t.Errorf("a repair counted no write")
	}

	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.EnsureSchema(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := load.Seed(ctx, s, load.Options{}); err != nil {
		t.Fatal(err)
	}
	step("emptied and seeded again")
}
