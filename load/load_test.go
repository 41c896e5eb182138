package load_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/records"
)

func TestMain(m *testing.M) { os.Exit(graphtest.Main(m)) }

func counts(t *testing.T, s *graph.Store) graph.Counts {
	t.Helper()
	c, err := s.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLoadTwiceChangesNothing(t *testing.T) {
	s := graphtest.Store(t)
	ctx := context.Background()
	first, err := load.File(ctx, s, "testdata/small.jsonl", load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if first.Documents.Written != 2 || first.Entities.Written != 4 || first.Claims.Written != 3 {
		t.Fatalf("first load: %s", first)
	}
	before := counts(t, s)
	ent, err := s.Entity(ctx, "company:"+mustEntityHash(t, s, "Sandvine"))
	if err != nil {
		t.Fatal(err)
	}
	second, err := load.File(ctx, s, "testdata/small.jsonl", load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if second.Documents.Written+second.Entities.Written+second.Claims.Written != 0 {
		t.Fatalf("second load wrote something: %s", second)
	}
	if second.Claims.Unchanged != 3 || second.Entities.Unchanged != 4 || second.Documents.Unchanged != 2 {
		t.Fatalf("second load: %s", second)
	}
	if after := counts(t, s); !reflect.DeepEqual(before, after) {
		t.Fatalf("counts changed: %v → %v", before, after)
	}
	again, err := s.Entity(ctx, ent.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ent, again) {
		t.Fatalf("entity changed:\n%+v\n%+v", ent, again)
	}
	if before.Relationships["SUPPLIED"] != 2 || before.Relationships["PART_OF"] != 1 || before.Relationships["EVIDENCED_BY"] != 3 {
		t.Fatalf("relationships: %v", before.Relationships)
	}
}

func mustEntityHash(t *testing.T, s *graph.Store, name string) string {
	t.Helper()
	ents, _, err := s.Entities(context.Background(), graph.EntityFilter{Name: name})
	if err != nil || len(ents) == 0 {
		t.Fatalf("no entity named %s: %v", name, err)
	}
	return strings.TrimPrefix(ents[0].ID, "company:")
}

func TestInvalidLinesWriteNothing(t *testing.T) {
	s := graphtest.Store(t)
	ctx := context.Background()
	dir := t.TempDir()
	good, err := os.ReadFile("testdata/small.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	bad := string(good) +
		`{"type":"entity","v":1,"schema":"Company","ref":"x","names":["X"],"country":"QQ"}` + "\n" +
		`{"type":"claim","v":1,"relation":"SUPPLIED","subject":"x","object":"tt","status":"reported","confidence":0.5,"evidence":[{"document":"doc:missing","quote":"q"}],"extractor":"t"}` + "\n" +
		"{broken\n"
	path := filepath.Join(dir, "bad.jsonl")
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := load.File(ctx, s, path, load.Options{})
	if !errors.Is(err, load.ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
	if len(sum.Problems) != 3 {
		t.Fatalf("problems: %v", sum.Problems)
	}
	for i, want := range []string{":10: country \"QQ\"", ":11: ", ":12: not a JSON object"} {
		if !strings.Contains(sum.Problems[i].Error(), want) {
			t.Errorf("problem %d = %q, want %q", i, sum.Problems[i], want)
		}
	}
	if !strings.Contains(sum.Problems[1].Error(), `"doc:missing" is neither`) {
		t.Errorf("missing document not reported: %v", sum.Problems[1])
	}
	if c := counts(t, s); len(c.Nodes) != 0 {
		t.Fatalf("an invalid file wrote %v", c.Nodes)
	}

	sum, err = load.File(ctx, s, path, load.Options{SkipInvalid: true})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rejected != 3 || sum.Claims.Written != 3 {
		t.Fatalf("skip-invalid load: %s", sum)
	}
	rejects, err := os.ReadFile(path + ".rejects.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(rejects), "\n"); n != 3 || !strings.Contains(string(rejects), `"QQ"`) {
		t.Fatalf("rejects file has %d lines:\n%s", n, rejects)
	}
}

func TestFileChangedMidLoad(t *testing.T) {
	s := graphtest.Store(t)
	src, err := os.ReadFile("testdata/small.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "changing.jsonl")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = load.File(context.Background(), s, path, load.Options{AfterBatch: func(kind string, _ int) {
		if kind == "entities" {
			f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Error(err)
				return
			}
			f.WriteString(`{"type":"claim","v":1}` + "\n")
			f.Close()
		}
	}})
	if err == nil || !strings.Contains(err.Error(), "changed while it was being loaded") {
		t.Fatalf("err = %v, want the change noticed", err)
	}
}

// TestFirstLoadEdges: a first load creates the edge of a pair new to the
// graph with its claim, without reading the graph; the edge must be the
// one a rebuild from the claims makes, and a later claim of the same pair
// must update it.
func TestFirstLoadEdges(t *testing.T) {
	s := graphtest.Store(t)
	ctx := context.Background()
	if _, err := load.File(ctx, s, "testdata/small.jsonl", load.Options{}); err != nil {
		t.Fatal(err)
	}
	sandvine := "company:" + mustEntityHash(t, s, "Sandvine")
	ts, err := s.Buyers(ctx, sandvine, false, 0)
	if err != nil || len(ts) != 2 {
		t.Fatalf("buyers: %+v, %v", ts, err)
	}
	for _, tr := range ts {
		e := tr.Edge
		if e.Type != "SUPPLIED" || len(e.Claims) != 1 || e.Status != "reported" || e.Stance != "asserts" || e.Contested ||
			e.Confidence != 0.9 || e.First == "" || e.First != e.Last || !reflect.DeepEqual(e.Stages, []string{"in_use"}) {
			t.Errorf("edge to %s: %+v", tr.Buyer.Name, e)
		}
	}
	// A denial of one of them, in a later file: the edge is contested.
	dir := t.TempDir()
	denial := filepath.Join(dir, "denial.jsonl")
	text := `{"type":"document","v":1,"url":"https://example.org/denial","title":"Denial","origin":"curated"}
{"type":"claim","v":1,"relation":"SUPPLIED","subject":"` + sandvine + `","object":"` + ts[0].Buyer.ID + `","stance":"denies","status":"reported","confidence":0.5,"evidence":[{"document":"doc:` + docHash("https://example.org/denial") + `","quote":"We never sold to them."}],"extractor":"test"}
`
	if err := os.WriteFile(denial, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := load.File(ctx, s, denial, load.Options{}); err != nil {
		t.Fatal(err)
	}
	after, err := s.Buyers(ctx, sandvine, false, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range after {
		if tr.Buyer.ID == ts[0].Buyer.ID && (!tr.Edge.Contested || len(tr.Edge.Claims) != 2) {
			t.Errorf("edge after the denial: %+v", tr.Edge)
		}
	}
}

func docHash(url string) string { return strings.TrimPrefix(records.DocumentID(url), "doc:") }

// TestRepeatedIDsMustAgree: a document or claim given twice in one file
// must say the same both times; otherwise both lines are named and nothing
// is written, as for any invalid line. The same line twice is fine.
func TestRepeatedIDsMustAgree(t *testing.T) {
	s := graphtest.Store(t)
	ctx := context.Background()
	good, err := os.ReadFile("testdata/small.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(good)), "\n")
	doc, claim := lines[0], lines[6]
	retitled := strings.Replace(doc, `"title":"Bad Traffic"`, `"title":"Something else"`, 1)
	upgraded := strings.Replace(claim, `"status":"reported"`, `"status":"documented"`, 1)
	if retitled == doc || upgraded == claim {
		t.Fatal("the fixture changed; the test no longer edits it")
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		name, extra string
		want        []string
	}{
		{"the same lines again", doc + "\n" + claim + "\n", nil},
		{"a document retitled", retitled + "\n", []string{":10: document doc:", "is also on line 1"}},
		{"a claim upgraded", upgraded + "\n", []string{":10: claim claim:", "is also on line 7"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".jsonl")
			if err := os.WriteFile(path, []byte(string(good)+tc.extra), 0o644); err != nil {
				t.Fatal(err)
			}
			sum, err := load.File(ctx, s, path, load.Options{})
			if tc.want == nil {
				if err != nil {
					t.Fatalf("repeated identical lines refused: %v", err)
				}
				return
			}
			if !errors.Is(err, load.ErrInvalid) || len(sum.Problems) != 1 {
				t.Fatalf("err %v, problems %v; want one invalid line", err, sum.Problems)
			}
			for _, w := range tc.want {
				if !strings.Contains(sum.Problems[0].Error(), w) {
					t.Errorf("problem %q lacks %q", sum.Problems[0], w)
				}
			}
		})
	}
}
