package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/records"
)

func TestMain(m *testing.M) { os.Exit(graphtest.Main(m)) }

// readBack runs testdata/readback.py: the format's own Python parser
// (installed by make pydeps) reads the file and reports what it found.
func readBack(t *testing.T, kind, path string, v any) {
	t.Helper()
	lib, _ := filepath.Abs(filepath.Join("..", ".cache", "python"))
	if _, err := os.Stat(filepath.Join(lib, ".installed")); err != nil {
		t.Fatalf("the Python parsers are not installed: run make pydeps (%v)", err)
	}
	python := os.Getenv("EXPORTWATCH_PYTHON")
	if python == "" {
		python = "/usr/bin/python3"
	}
	cmd := exec.Command(python, filepath.Join("testdata", "readback.py"), kind, path)
	cmd.Env = append(os.Environ(), "PYTHONPATH="+lib)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("readback %s: %v\n%s", kind, err, stderr.String())
	}
	if err := json.Unmarshal(out, v); err != nil {
		t.Fatalf("readback %s: %v", kind, err)
	}
}

// seeded is a store holding the seed, and what the seed holds.
func seeded(t *testing.T) (*graph.Store, graph.Counts) {
	t.Helper()
	s := graphtest.Seeded(t)
	c, err := s.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

func write(t *testing.T, src Source, f Format) (string, Stats) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "export."+string(f))
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := Write(context.Background(), src, f, out)
	if err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return path, st
}

func TestFTMReadsBackWithTheFtMModel(t *testing.T) {
	s, counts := seeded(t)
	path, st := write(t, Graph{Store: s}, FTM)
	if int64(st.Claims) != counts.Nodes["Claim"] || int64(st.Documents) != counts.Nodes["Document"] {
		t.Errorf("wrote %s; the graph holds %v", st, counts.Nodes)
	}
	var got struct {
		Schemata map[string]int `json:"schemata"`
		Entities int            `json:"entities"`
		Problems []string       `json:"problems"`
	}
	readBack(t, "ftm", path, &got)
	for _, p := range got.Problems {
		t.Error(p)
	}
	for _, schema := range []string{"Company", "PublicBody", "Person", "Asset", "Event", "Document", "Documentation",
		"Contract", "ContractAward", "Ownership", "Sanction", "Succession", "UnknownLink"} {
		if got.Schemata[schema] == 0 {
			t.Errorf("no %s in the FtM export: %v", schema, got.Schemata)
		}
	}
}

// TestFTMRoundTrip imports the FtM export of the seed back into the same
// graph: every entity lands on itself (the export carries its id), so no
// entity is added, and each link comes back as a claim citing the dataset.
func TestFTMRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, before := seeded(t)
	path, _ := write(t, Graph{Store: s}, FTM)
	recs := filepath.Join(t.TempDir(), "imported.jsonl")
	f, err := os.Create(recs)
	if err != nil {
		t.Fatal(err)
	}
	st, err := ImportFTM(path, FTMImport{Dataset: "exportwatch seed (FtM)", URL: "https://example.org/exportwatch-seed.ftm.json"}, recordsWriter(f))
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if len(st.Problems) > 0 {
		t.Errorf("import problems: %v", st.Problems)
	}
	if st.Claims < 60 || st.Skipped["Document"] == 0 {
		t.Errorf("imported %+v", st)
	}
	sum := loadFile(t, s, recs)
	after, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after.Nodes["Entity"] != before.Nodes["Entity"] {
		t.Errorf("entities %d → %d: the import made duplicates (%s)", before.Nodes["Entity"], after.Nodes["Entity"], sum)
	}
	if after.Nodes["Claim"] != before.Nodes["Claim"]+int64(st.Claims) {
		t.Errorf("claims %d → %d, imported %d", before.Nodes["Claim"], after.Nodes["Claim"], st.Claims)
	}
	cs, err := s.ClaimsOf(ctx, "company/sandvine")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range cs {
		if c.Relation == "DESIGNATED" && c.Object == "body/us-bis" && c.Extractor == "ftm/1" && c.Start == "2024-02-26" {
			found = true
		}
	}
	if !found {
		t.Error("the Entity List designation of Sandvine did not come back from FtM")
	}
}

func TestCSVReadsBack(t *testing.T) {
	s, counts := seeded(t)
	dir := t.TempDir()
	st, err := WriteCSV(context.Background(), Graph{Store: s}, dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"nodes.csv": st.Entities, "edges.csv": st.Edges, "claims.csv": st.Claims, "documents.csv": st.Documents, "evidence.csv": -1}
	for name, n := range want {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !slices.Equal(rows[0], CSVFiles[name]) {
			t.Errorf("%s header %v", name, rows[0])
		}
		if n >= 0 && len(rows)-1 != n {
			t.Errorf("%s has %d rows, wrote %d", name, len(rows)-1, n)
		}
	}
	if int64(st.Claims) != counts.Nodes["Claim"] || int64(st.Entities) != counts.Nodes["Entity"] {
		t.Errorf("csv %s; graph %v", st, counts.Nodes)
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestGraphMLReadsBackWithNetworkx(t *testing.T) {
	s, _ := seeded(t)
	path, st := write(t, Graph{Store: s}, GraphML)
	var got struct {
		Directed bool                      `json:"directed"`
		Nodes    map[string]map[string]any `json:"nodes"`
		Edges    []map[string]any          `json:"edges"`
	}
	readBack(t, "graphml", path, &got)
	if !got.Directed || len(got.Nodes) != st.Entities || len(got.Edges) != st.Edges {
		t.Fatalf("networkx read %d nodes, %d edges (directed %v); wrote %s", len(got.Nodes), len(got.Edges), got.Directed, st)
	}
	if n := got.Nodes["company/sandvine"]; n["name"] != "Sandvine" || n["schema"] != "Company" {
		t.Errorf("sandvine node: %v", n)
	}
	found := false
	for _, e := range got.Edges {
		if e["from"] == "company/sandvine" && e["to"] == "body/by-ntec" && e["relation"] == "SUPPLIED" {
			found = e["claim_count"] == float64(2) && e["contested"] == false
		}
	}
	if !found {
		t.Error("the SUPPLIED edge Sandvine → NTEC with its two claims is missing")
	}
}

func TestBibTeXReadsBackWithBibtexparser(t *testing.T) {
	s, counts := seeded(t)
	path, st := write(t, Graph{Store: s}, BibTeX)
	var got struct {
		Entries []map[string]string `json:"entries"`
	}
	readBack(t, "bibtex", path, &got)
	if len(got.Entries) != st.Documents || int64(st.Documents) != counts.Nodes["Document"] {
		t.Fatalf("bibtexparser read %d entries; wrote %d documents of %d", len(got.Entries), st.Documents, counts.Nodes["Document"])
	}
	keys := map[string]bool{}
	for _, e := range got.Entries {
		if keys[e["ID"]] {
			t.Errorf("key %s twice", e["ID"])
		}
		keys[e["ID"]] = true
		if e["ENTRYTYPE"] != "misc" || !strings.HasPrefix(e["url"], "http") || e["title"] == "" {
			t.Errorf("entry %v", e)
		}
	}
	var bloomberg map[string]string
	for _, e := range got.Entries {
		if strings.Contains(e["url"], "belarusian-officials-shut-down-internet") {
			bloomberg = e
		}
	}
	if bloomberg["year"] != "2020" || bloomberg["month"] != "August" || bloomberg["author"] != "{Bloomberg}" {
		t.Errorf("Bloomberg entry: %v", bloomberg)
	}
}

func recordsWriter(f *os.File) *records.Writer { return records.NewWriter(f) }

func loadFile(t *testing.T, s *graph.Store, path string) load.Summary {
	t.Helper()
	sum, err := load.File(context.Background(), s, path, load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// loadHostile loads a vendor, a buyer, a document and a supply claim whose
// texts are all text.
func loadHostile(t *testing.T, s *graph.Store, text string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hostile.jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := records.NewWriter(f)
	doc := records.Document{Type: "document", V: records.Version, URL: "https://hostile.example/a?b=1&c=%7B", Title: text,
		Publisher: text, Published: "2025-03", Origin: records.OriginCurated}
	err = errors.Join(
		w.WriteDocument(doc),
		w.WriteEntity(records.Entity{Type: "entity", V: records.Version, Schema: "Company", ID: "company/hostile",
			Names: []string{"Hostile " + text}, Country: "CA", Description: text, Document: records.DocumentID(doc.URL)}),
		w.WriteEntity(records.Entity{Type: "entity", V: records.Version, Schema: "PublicBody", Ref: "buyer", Names: []string{"Ministry " + text}, Country: "BY"}),
		w.WriteClaim(records.Claim{Type: "claim", V: records.Version, Relation: "SUPPLIED", Subject: "company/hostile", Object: "buyer",
			Status: "reported", Confidence: 0.5, Summary: text, Extractor: "test/1",
			Evidence: []records.Evidence{{Document: records.DocumentID(doc.URL), Quote: text, Locator: text}}}),
		w.Flush(), f.Close())
	if err != nil {
		t.Fatal(err)
	}
	loadFile(t, s, path)
}

// TestRegion exports the region one hop around Sandvine: only the entities
// the region names, only the claims and edges with both ends inside it,
// and only the documents those claims cite.
func TestRegion(t *testing.T) {
	ctx := context.Background()
	s, counts := seeded(t)
	ids, err := s.Region(ctx, "company/sandvine", 1)
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]bool{}
	for _, id := range ids {
		in[id] = true
	}
	if ids[0] != "company/sandvine" || !in["body/by-ntec"] || !in["company/francisco-partners"] || in["company/nso-group"] {
		t.Fatalf("region: %v", ids)
	}
	src := Graph{Store: s, IDs: ids}
	var st Stats
	err = src.EachEntity(ctx, func(e graph.Entity) error {
		st.Entities++
		if !in[e.ID] {
			t.Errorf("entity %s is outside the region", e.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	cited := map[string]bool{}
	err = src.EachClaim(ctx, func(c graph.Claim) error {
		st.Claims++
		if !in[c.Subject] || !in[c.Object] {
			t.Errorf("claim %s (%s→%s) leaves the region", c.ID, c.Subject, c.Object)
		}
		for _, ev := range c.Evidence {
			cited[ev.Document.ID] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = src.EachEdge(ctx, func(e graph.Edge) error {
		st.Edges++
		if !in[e.From] || !in[e.To] {
			t.Errorf("edge %s→%s leaves the region", e.From, e.To)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]bool{}
	err = src.EachDocument(ctx, func(d graph.Document) error {
		if docs[d.ID] {
			t.Errorf("document %s twice", d.ID)
		}
		docs[d.ID] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for id := range cited {
		if !docs[id] {
			t.Errorf("document %s is cited but not exported", id)
		}
	}
	if st.Entities != len(ids) || st.Claims < 20 || int64(st.Claims) >= counts.Nodes["Claim"] || st.Edges == 0 {
		t.Errorf("region export: %s of %v", st, counts.Nodes)
	}
	if _, err := s.Region(ctx, "company/sandvine", 9); err == nil {
		t.Error("depth 9 accepted")
	}
	if _, err := s.Region(ctx, "company/nobody", 1); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("region of a missing entity: %v", err)
	}
}
