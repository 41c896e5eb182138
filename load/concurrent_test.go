package load_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/records/synthetic"
)

// TestConcurrentLoads runs three loads at once, each of its own file over
// the same few entities (so most pairs get claims from more than one
// load), first on an empty graph and then again on the loaded one; the
// graph must keep its invariants (one edge per pair, each derived from
// all the pair's claims), as the same files loaded one after another do.
func TestConcurrentLoads(t *testing.T) {
	ctx := context.Background()
	s := graphtest.Store(t)
	dir := t.TempDir()
	var files []string
	for seed := range 3 {
		path := filepath.Join(dir, "load"+string(rune('a'+seed))+".jsonl")
		if err := synthetic.WriteFile(path, synthetic.Size{Claims: 1500, Entities: 40, Documents: 50, Seed: uint64(seed + 1)}); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}
	loadAtOnce := func() {
		t.Helper()
		var wg sync.WaitGroup
		errs := make([]error, len(files))
		for i, path := range files {
			wg.Go(func() {
				_, errs[i] = load.File(ctx, s, path, load.Options{BatchSize: 100})
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("load %s: %v", files[i], err)
			}
		}
	}
	check := func(when string) {
		t.Helper()
		problems, err := s.Check(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(problems) > 0 {
			var lines []string
			for _, p := range problems[:min(len(problems), 10)] {
				lines = append(lines, p.String())
			}
			t.Fatalf("%s: %d problems, the first:\n%s", when, len(problems), strings.Join(lines, "\n"))
		}
	}
	loadAtOnce()
	check("three loads at once on an empty graph")
	loadAtOnce()
	check("the same three again on the loaded graph")
}

// TestCheckFindsAndRepairsBrokenEdges breaks the seed's edges the ways a
// faulty writer could (a second edge, a stale claim list, a lost edge, an
// edge whose claims are gone) and expects Check to name each and Repair to
// mend them all.
func TestCheckFindsAndRepairsBrokenEdges(t *testing.T) {
	ctx := context.Background()
	s := graphtest.Seeded(t)
	if problems, err := s.Check(ctx); err != nil || len(problems) != 0 {
		t.Fatalf("the seed: %v %v", problems, err)
	}
	for _, q := range []string{
		// A second SUPPLIED edge beside one that is right.
		`MATCH (s:Entity {id: 'company/sandvine'})-[r:SUPPLIED]->(o) WITH s, o, r LIMIT 1 CREATE (s)-[x:SUPPLIED]->(o) SET x = properties(r)`,
		// A claim list that misses a claim.
		`MATCH (:Entity {id: 'company/sandvine'})-[r:OWNS|SUBSIDIARY_OF|OFFERS]->() WITH r LIMIT 1 SET r.claims = [], r.status = 'confirmed'`,
		// A lost edge.
		`MATCH (:Entity {id: 'company/nso-group'})-[r]->(:Entity) WITH r LIMIT 1 DELETE r`,
		// An edge without claims.
		`MATCH (a:Entity {id: 'company/sandvine'}), (b:Entity {id: 'company/nso-group'}) CREATE (a)-[:RENAMED_TO {claims: ['claim:nothing'], status: 'reported'}]->(b)`,
	} {
		graphtest.Exec(t, q)
	}
	problems, err := s.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, p := range problems {
		kinds[p.Kind]++
		if !p.Repairable() {
			t.Errorf("not repairable: %s", p)
		}
	}
	for _, k := range []string{"duplicate edges", "edge out of step", "missing edge", "edge without live claims"} {
		if kinds[k] != 1 {
			t.Errorf("%d problems of kind %q, want 1; all: %v", kinds[k], k, problems)
		}
	}
	n, err := s.Repair(ctx, problems)
	if err != nil || n != 4 {
		t.Fatalf("repair: %d pairs, %v", n, err)
	}
	if problems, err := s.Check(ctx); err != nil || len(problems) != 0 {
		t.Fatalf("after repair: %v %v", problems, err)
	}
}
