package export_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/exportwatch/exportwatch/export"
	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/records"
)

// memSource is a small graph in memory, so the FtM export the round-trip
// test imports can be made without a database.
type memSource struct {
	entities  []graph.Entity
	documents []graph.Document
	claims    []graph.Claim
}

func (m memSource) EachEntity(_ context.Context, fn func(graph.Entity) error) error {
	for _, e := range m.entities {
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

func (m memSource) EachDocument(_ context.Context, fn func(graph.Document) error) error {
	for _, d := range m.documents {
		if err := fn(d); err != nil {
			return err
		}
	}
	return nil
}

func (m memSource) EachClaim(_ context.Context, fn func(graph.Claim) error) error {
	for _, c := range m.claims {
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}

func (memSource) EachEdge(context.Context, func(graph.Edge) error) error { return nil }

// ftmExport is the FtM export of a graph with every schema and relation
// the FtM mapping has a form for, as TestFTMRoundTrip imports.
func ftmExport(f *testing.F) []byte {
	f.Helper()
	doc := graph.Document{ID: "doc:1", URL: "https://example.org/report", Title: "Report", Publisher: "Example Watch", Published: "2021-09-20",
		Retrieved: "2021-09-21T08:00:00Z", SHA256: strings.Repeat("a", 64), Origin: "fetched", Archive: "run.warc.gz#urn:uuid:1"}
	ev := []graph.Evidence{{Quote: "Sandvine sold it.", Locator: "¶1", Document: doc}}
	sandvine := graph.Entity{ID: "company/sandvine", Schema: "Company", Name: "Sandvine", Aliases: []string{"Sandvine Inc.", "Sandvine"}, Country: "CA",
		Identifiers: map[string]string{"lei": "5493001KJTIIGC8Y1R12", "cik": "0001234567", "registry": "123", "other": "x"}, Capabilities: []string{"dpi"},
		Description: "A vendor.", Sources: []string{"doc:1"}}
	ntec := graph.Entity{ID: "body/by-ntec", Schema: "PublicBody", Name: "National Traffic Exchange Center", Country: "BY", Kind: "operator",
		Identifiers: map[string]string{"cik": "1"}}
	bis := graph.Entity{ID: "body/us-bis", Schema: "PublicBody", Name: "Bureau of Industry and Security", Country: "US", Kind: "regulator"}
	person := graph.Entity{ID: "person/x", Schema: "Person", Name: "Example Person"}
	product := graph.Entity{ID: "product/packetlogic", Schema: "Product", Name: "PacketLogic"}
	incident := graph.Entity{ID: "incident/1", Schema: "Incident", Name: "Shutdown", Kind: "shutdown", Start: "2020-08-09", End: "2020-08-12", Impact: "No internet."}
	parent := graph.Entity{ID: "company/parent", Schema: "Company", Name: "Parent Holdings"}
	renamed := graph.Entity{ID: "company/new", Schema: "Company", Name: "New Name"}
	by := graph.Entity{ID: "country:BY", Schema: "Country", Name: "Belarus", Country: "BY"}
	value := 2.5e6
	claim := func(id, rel string, s, o graph.Entity) graph.Claim {
		return graph.Claim{ID: id, Relation: rel, Subject: s.ID, Object: o.ID, Status: "reported", Confidence: 0.8, Extractor: "test",
			Evidence: ev, Ends: []graph.Entity{s, o}}
	}
	supplied := claim("c1", "SUPPLIED", sandvine, ntec)
	supplied.Product, supplied.Value, supplied.Currency, supplied.Stage, supplied.Start = product.ID, &value, "USD", "delivered", "2018"
	supplied.Ends = append(supplied.Ends, product)
	owns := claim("c2", "OWNS", parent, sandvine)
	owns.Share = "100"
	designated := claim("c4", "DESIGNATED", sandvine, bis)
	designated.List, designated.Program, designated.Start, designated.Summary = "Entity List", "EL", "2024-02-26", "Listed."
	denied := claim("c9", "SUPPLIED", sandvine, ntec)
	denied.Stance = "denies"
	officer := claim("c5", "OFFICER_OF", person, sandvine)
	officer.Role = "CEO"
	src := memSource{
		entities:  []graph.Entity{sandvine, ntec, bis, person, product, incident, parent, renamed, by},
		documents: []graph.Document{doc},
		claims: []graph.Claim{supplied, owns, claim("c3", "SUBSIDIARY_OF", sandvine, parent), claim("c3b", "ACQUIRED_BY", renamed, parent), designated, officer,
			claim("c6", "RENAMED_TO", sandvine, renamed), claim("c7", "OFFERS", sandvine, product), claim("c8", "OCCURRED_IN", incident, by),
			claim("c10", "INVOLVED_IN", ntec, incident), denied},
	}
	var buf bytes.Buffer
	if _, err := export.Write(context.Background(), src, export.FTM, &buf); err != nil {
		f.Fatal(err)
	}
	return buf.Bytes()
}

// imported is what one import gave.
type imported struct {
	Stats export.ImportStats
	Err   string
	Out   []byte
}

func importFTM(path string) imported {
	var buf bytes.Buffer
	st, err := export.ImportFTM(path, export.FTMImport{Dataset: "fuzz", URL: "https://example.org/fuzz.ftm.json",
		Now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}, records.NewWriter(&buf))
	out := imported{Stats: st, Out: buf.Bytes()}
	if err != nil {
		out.Err = err.Error()
	}
	return out
}

func FuzzImportFTM(f *testing.F) {
	seed := ftmExport(f)
	f.Add(seed)
	f.Add(seed[:len(seed)/2])
	lines := bytes.Split(bytes.TrimSpace(seed), []byte("\n"))
	for _, l := range lines {
		f.Add(l)
	}
	for _, s := range []string{
		"", "\n\n", "{}", "null", "[]", `{"id":"a"}`, `{"id":"","schema":"Company"}`, "\xff\xfe", "\xef\xbb\xbf" + string(lines[0]),
		`{"id":"a","schema":"Company","properties":{"name":[" A ","A","\u0000"]}}`,
		`{"id":"a","schema":"Company","properties":{"name":["A\u0000B"],"leiCode":["\u0000"]}}`,
		`{"id":"a","schema":"Company","properties":{"name":["A"],"country":["zz","de"]}}` + "\n" + `{"id":"a","schema":"Company","properties":{"alias":["B"],"keywords":["exportwatch:company/a"]}}`,
		`{"id":"a","schema":"Company","properties":{"name":["A"]}}` + "\n" + `{"id":"s","schema":"Sanction","properties":{"entity":["a"],"authority":["  "],"authorityId":["exportwatch:"],"startDate":["2024-02-30"],"endDate":["2020"]}}`,
		`{"id":"a","schema":"Company","properties":{"name":["A"]}}` + "\n" + `{"id":"o","schema":"Ownership","properties":{"owner":["a"],"asset":["a"]}}`,
		`{"id":"a","schema":"Event","properties":{"name":["E"],"startDate":["2021-01-01T00:00"],"endDate":["2020-01-01"]}}`,
		`{"id":"a","schema":"Company","properties":{"name":["` + strings.Repeat("N", 1100) + `"]}}`,
		`{"id":"k","schema":"Contract","properties":{"authority":["b"],"amount":["NaN"],"currency":["usd"]}}` + "\n" +
			`{"id":"a","schema":"Company","properties":{"name":["A"]}}` + "\n" + `{"id":"b","schema":"PublicBody","properties":{"name":["B"]}}` + "\n" +
			`{"id":"w","schema":"ContractAward","properties":{"contract":["k"],"supplier":["a"],"amount":["-1e400"]}}`,
		`{"id":"x","schema":"UnknownLink","properties":{"role":["located in (x"],"subject":["a"],"object":["a"]}}`,
		`{"id":"a","schema":"Company","properties":{"name":["A"]},"id":"b"}`,
		`{"id":"a","schema":"Company","properties":{"name":` + strings.Repeat("[", 1500) + `}}`,
		"{\"id\":\"a\",\"schema\":\"Company\",\"properties\":{\"name\":[\"" + strings.Repeat("x", 5000) + "\"]}}",
	} {
		f.Add([]byte(s))
	}
	// One temp file, rewritten for each input: a fuzzing worker runs its
	// inputs one at a time, and a directory per input costs more than the
	// import.
	path := filepath.Join(f.TempDir(), "in.ftm.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		got := importFTM(path)
		if again := importFTM(path); !cmp.Equal(got, again) {
			t.Fatalf("two imports of the same file differ:\n%.2000s", cmp.Diff(got, again))
		}
		if got.Err != "" {
			t.Fatalf("an import error for a short file: %s", got.Err)
		}
		// Every line written reads back, and each claim's ends are
		// entities the import wrote.
		rd := records.NewReader(bytes.NewReader(got.Out), "imported")
		refs := map[string]bool{}
		var docs, entities, claims int
		var ends [][2]string
		for {
			l, err := rd.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("an imported line does not read back: %v", err)
			}
			switch {
			case l.Document != nil:
				docs++
			case l.Entity != nil:
				entities++
				refs[l.Entity.Ref], refs[l.Entity.ID] = true, true
			case l.Claim != nil:
				claims++
				ends = append(ends, [2]string{l.Claim.Subject, l.Claim.Object})
			default:
				t.Fatalf("line %d: not a document, entity or claim", l.Num)
			}
		}
		st := got.Stats
		if docs != 1 || entities < st.Entities || claims != st.Claims {
			t.Fatalf("read back %d documents, %d entities, %d claims; stats %+v", docs, entities, claims, st)
		}
		for _, e := range ends {
			if !refs[e[0]] || !refs[e[1]] {
				t.Fatalf("a claim %s > %s with an end the import did not write", e[0], e[1])
			}
		}
	})
}
