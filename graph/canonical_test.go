package graph_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
)

// smallGraph has a property of each kind the cases below change, a node
// without an id and two relationships between the same nodes.
const smallGraph = `
CREATE (a:Thing {id: 'a', text: '1', n: 1, list: ['x', 'y'], nums: [1, 2], day: date('2024-01-31'),
                 at: datetime('2024-07-01T10:00:00+02:00[Europe/Paris]'), empty: ''})
CREATE (b:Thing {id: 'b'})
CREATE (c:Other {id: 'c'})
CREATE (k:Note {text: 'no id'})
CREATE (a)-[:LINKS {w: 1.5}]->(b)
CREATE (a)-[:LINKS {w: 2.5}]->(b)
CREATE (b)-[:OWNS]->(c)
CREATE (k)-[:ABOUT]->(a)
CREATE (a)-[:NOTED]->(k)`

// TestCanonicalHashSeesEveryChange: each change, however small, gives
// another hash, and undoing it gives the first one back.
func TestCanonicalHashSeesEveryChange(t *testing.T) {
	s := graphtest.Store(t)
	graphtest.Exec(t, smallGraph)
	base := digest(t, s)
	for _, tc := range []struct{ name, change, undo string }{
		{"a string becomes an integer", "MATCH (a {id: 'a'}) SET a.text = 1", "MATCH (a {id: 'a'}) SET a.text = '1'"},
		{"an integer becomes a float", "MATCH (a {id: 'a'}) SET a.n = 1.0", "MATCH (a {id: 'a'}) SET a.n = 1"},
		{"a list's integers become floats", "MATCH (a {id: 'a'}) SET a.nums = [1.0, 2.0]", "MATCH (a {id: 'a'}) SET a.nums = [1, 2]"},
		{"a list is reordered", "MATCH (a {id: 'a'}) SET a.list = ['y', 'x']", "MATCH (a {id: 'a'}) SET a.list = ['x', 'y']"},
		{"a date becomes its text", "MATCH (a {id: 'a'}) SET a.day = '2024-01-31'", "MATCH (a {id: 'a'}) SET a.day = date('2024-01-31')"},
		{"a zone becomes its offset", "MATCH (a {id: 'a'}) SET a.at = datetime('2024-07-01T10:00:00+02:00')",
			"MATCH (a {id: 'a'}) SET a.at = datetime('2024-07-01T10:00:00+02:00[Europe/Paris]')"},
		{"an empty string goes", "MATCH (a {id: 'a'}) REMOVE a.empty", "MATCH (a {id: 'a'}) SET a.empty = ''"},
		{"a label is added", "MATCH (a {id: 'a'}) SET a:Extra", "MATCH (a {id: 'a'}) REMOVE a:Extra"},
		{"a relationship's property changes", "MATCH ()-[r:LINKS {w: 2.5}]->() SET r.w = 2.0", "MATCH ()-[r:LINKS {w: 2.0}]->() SET r.w = 2.5"},
		{"a relationship turns round", "MATCH (b {id: 'b'})-[r:OWNS]->(c) DELETE r CREATE (c)-[:OWNS]->(b)",
			"MATCH (c {id: 'c'})-[r:OWNS]->(b) DELETE r CREATE (b)-[:OWNS]->(c)"},
		{"a relationship changes type", "MATCH (b {id: 'b'})-[r:OWNS]->(c) DELETE r CREATE (b)-[:RUNS]->(c)",
			"MATCH (b {id: 'b'})-[r:RUNS]->(c) DELETE r CREATE (b)-[:OWNS]->(c)"},
		{"a relationship moves to another end", "MATCH (b {id: 'b'})-[r:OWNS]->(c) DELETE r WITH b MATCH (a {id: 'a'}) CREATE (b)-[:OWNS]->(a)",
			"MATCH (b {id: 'b'})-[r:OWNS]->(a {id: 'a'}) DELETE r WITH b MATCH (c {id: 'c'}) CREATE (b)-[:OWNS]->(c)"},
		{"a relationship is doubled", "MATCH (b {id: 'b'}), (c {id: 'c'}) CREATE (b)-[:OWNS]->(c)",
			"MATCH (b {id: 'b'})-[r:OWNS]->(c) WITH r LIMIT 1 DELETE r"},
		{"a node without an id changes", "MATCH (k:Note) SET k.text = 'changed'", "MATCH (k:Note) SET k.text = 'no id'"},
		{"a node is added", "CREATE (:Thing {id: 'd'})", "MATCH (d {id: 'd'}) DELETE d"},
		{"a node without relationships or an id is added", "CREATE (:Loose)", "MATCH (l:Loose) DELETE l"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			graphtest.Exec(t, tc.change)
			if got := digest(t, s); got.Hash == base.Hash {
				t.Errorf("the hash did not change")
			}
			graphtest.Exec(t, tc.undo)
			if diff := cmp.Diff(base, digest(t, s)); diff != "" {
				t.Fatalf("undone (-before +after):\n%s", diff)
			}
		})
	}
}

// TestCanonicalHashIgnoresOrderAndInternalIDs: the same graph written in
// another order, after other nodes came and went (so every internal id
// differs), hashes the same.
func TestCanonicalHashIgnoresOrderAndInternalIDs(t *testing.T) {
	s := graphtest.Store(t)
	ctx := context.Background()
	graphtest.Exec(t, smallGraph)
	first := digest(t, s)
	want := graph.Counts{Nodes: map[string]int64{"Thing": 2, "Other": 1, "Note": 1},
		Relationships: map[string]int64{"LINKS": 2, "OWNS": 1, "ABOUT": 1, "NOTED": 1}}
	if diff := cmp.Diff(want, first.Counts); diff != "" || first.Nodes != 4 || first.Relationships != 5 {
		t.Errorf("counts (-want +got), %d nodes, %d relationships:\n%s", first.Nodes, first.Relationships, diff)
	}
	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	graphtest.Exec(t, "UNWIND range(1, 50) AS i CREATE (:Filler {i: i})")
	graphtest.Exec(t, `
CREATE (k:Note {text: 'no id'})
CREATE (c:Other {id: 'c'})
CREATE (b:Thing {id: 'b'})
CREATE (a:Thing {empty: '', id: 'a', nums: [1, 2], list: ['x', 'y'], text: '1', n: 1, day: date('2024-01-31'),
                 at: datetime('2024-07-01T10:00:00+02:00[Europe/Paris]')})
CREATE (a)-[:NOTED]->(k)
CREATE (k)-[:ABOUT]->(a)
CREATE (b)-[:OWNS]->(c)
CREATE (a)-[:LINKS {w: 2.5}]->(b)
CREATE (a)-[:LINKS {w: 1.5}]->(b)`)
	graphtest.Exec(t, "MATCH (f:Filler) DELETE f")
	if diff := cmp.Diff(first, digest(t, s)); diff != "" {
		t.Fatalf("written in another order (-first +second):\n%s", diff)
	}
}

// TestCanonicalHashRefusesNodesItCannotTellApart: two nodes of one kind
// with one id would make relationships to either hash the same.
func TestCanonicalHashRefusesNodesItCannotTellApart(t *testing.T) {
	s := graphtest.Store(t)
	graphtest.Exec(t, "CREATE (:Thing {id: 'a', n: 1}), (:Thing {id: 'a', n: 2}), (:Other {id: 'a'})")
	if _, err := s.CanonicalHash(context.Background()); err == nil || !strings.Contains(err.Error(), "two nodes are named") {
		t.Fatalf("two Things named a: %v", err)
	}
}
