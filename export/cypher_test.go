package export

import (
	"bufio"
	"context"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
)

// runScript runs a Cypher script against the test Neo4j statement by
// statement, the way cypher-shell -f does: a statement ends with a line
// that ends in a semicolon.
func runScript(t *testing.T, path string) int {
	t.Helper()
	ctx := context.Background()
	driver, err := neo4j.NewDriverWithContext(graphtest.URI(), neo4j.NoAuth())
	if err != nil {
		t.Fatal(err)
	}
	defer driver.Close(ctx)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	var stmt strings.Builder
	n := 0
	for sc.Scan() {
		line := sc.Text()
		if stmt.Len() == 0 && strings.HasPrefix(line, "//") {
			continue
		}
		stmt.WriteString(line + "\n")
		if strings.HasSuffix(line, ";") {
			q := strings.TrimSuffix(strings.TrimSpace(stmt.String()), ";")
			if _, err := neo4j.ExecuteQuery(ctx, driver, q, nil, neo4j.EagerResultTransformer); err != nil {
				t.Fatalf("statement %d: %v\n%.500s", n+1, err, q)
			}
			n++
			stmt.Reset()
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(stmt.String()) != "" {
		t.Fatalf("script ends inside a statement: %.200s", stmt.String())
	}
	return n
}

// TestCypherScriptRecreatesTheGraph empties the database, runs the script
// exported from the seed, and expects the same graph back: the same counts,
// the same claims of Sandvine with their evidence; and a second run of the
// script changes nothing.
func TestCypherScriptRecreatesTheGraph(t *testing.T) {
	ctx := context.Background()
	s, before := seeded(t)
	claimsBefore, err := s.ClaimsOf(ctx, "company/sandvine")
	if err != nil {
		t.Fatal(err)
	}
	hitsBefore, err := s.Search(ctx, "Sandvine Incorporated", nil, 3)
	if err != nil {
		t.Fatal(err)
	}
	path, st := write(t, Graph{Store: s}, Cypher)
	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	statements := runScript(t, path)
	after, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The script carries what the graph holds, not the changes feed of
	// how it was written: the recreated graph's feed has not begun.
	for _, feed := range []string{"ChangeSet", "ChangeCounter"} {
		delete(before.Nodes, feed)
	}
	if !reflect.DeepEqual(before, after) {
		t.Fatalf("counts after the script (%d statements, %s):\n%v\nwant\n%v", statements, st, after, before)
	}
	claimsAfter, err := s.ClaimsOf(ctx, "company/sandvine")
	if err != nil {
		t.Fatal(err)
	}
	if len(claimsBefore) != len(claimsAfter) {
		t.Fatalf("Sandvine has %d claims after the script, %d before", len(claimsAfter), len(claimsBefore))
	}
	// The order of a claim's ends follows the order its links were made
	// in, which the script need not repeat.
	for _, cs := range [][]graph.Claim{claimsBefore, claimsAfter} {
		for _, c := range cs {
			slices.SortFunc(c.Ends, func(a, b graph.Entity) int { return strings.Compare(a.ID, b.ID) })
		}
	}
	for i := range claimsBefore {
		if !reflect.DeepEqual(claimsBefore[i], claimsAfter[i]) {
			t.Errorf("claim %d differs after the script:\n%+v\nwant\n%+v", i, claimsAfter[i], claimsBefore[i])
		}
	}
	hitsAfter, err := s.Search(ctx, "Sandvine Incorporated", nil, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(hitsAfter) == 0 || hitsAfter[0].Entity.ID != hitsBefore[0].Entity.ID {
		t.Errorf("full-text search after the script: %v", hitsAfter)
	}
	runScript(t, path)
	again, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, again) {
		t.Errorf("a second run changed the counts: %v", again)
	}
}

// TestHostileTextSurvivesEveryFormat writes an entity, a document and a
// claim whose text is built to break each format (quotes, backslashes,
// markup, formula prefixes, control characters, a statement terminator)
// and checks each format carries it through intact or defused.
func TestHostileTextSurvivesEveryFormat(t *testing.T) {
	ctx := context.Background()
	s := graphtest.Store(t)
	hostile := "=HYPERLINK(\"x\") '; MATCH (n) DETACH DELETE n; // \\ </node>]]> {\\url} 100% #1 & _x_\u0007\u2028 ✓ 𝔘"
	loadHostile(t, s, hostile)
	path, _ := write(t, Graph{Store: s}, Cypher)
	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	runScript(t, path)
	e, err := s.Entity(ctx, "company/hostile")
	if err != nil {
		t.Fatal(err)
	}
	if e.Description != hostile {
		t.Errorf("description through Cypher:\n%q\nwant\n%q", e.Description, hostile)
	}

	gpath, _ := write(t, Graph{Store: s}, GraphML)
	var g struct {
		Nodes map[string]map[string]any `json:"nodes"`
	}
	readBack(t, "graphml", gpath, &g)
	if got := g.Nodes["company/hostile"]["description"]; got != strings.ReplaceAll(hostile, "\u0007", "\uFFFD") {
		t.Errorf("description through GraphML: %q", got)
	}
	bpath, _ := write(t, Graph{Store: s}, BibTeX)
	var b struct {
		Entries []map[string]string `json:"entries"`
	}
	readBack(t, "bibtex", bpath, &b)
	if len(b.Entries) != 1 || !strings.Contains(b.Entries[0]["title"], `\&`) {
		t.Errorf("bibtex: %v", b.Entries)
	}
	fpath, _ := write(t, Graph{Store: s}, FTM)
	var f struct {
		Problems []string `json:"problems"`
	}
	readBack(t, "ftm", fpath, &f)
	for _, p := range f.Problems {
		t.Error(p)
	}
	dir := t.TempDir()
	if _, err := WriteCSV(ctx, Graph{Store: s}, dir); err != nil {
		t.Fatal(err)
	}
	nodes, _ := os.ReadFile(dir + "/nodes.csv")
	if !strings.Contains(string(nodes), `'=HYPERLINK`) {
		t.Error("the formula in nodes.csv is not defused")
	}
}
