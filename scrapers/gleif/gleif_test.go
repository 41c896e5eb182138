package gleif_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/scrapers/gleif"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
)

func TestMain(m *testing.M) { os.Exit(graphtest.Main(m)) }

const (
	child    = "5493001KJTIIGC8Y1R12" // Example Networks Inc.
	parent   = "254900OPPU84GM83MG36" // Example Holdings LLC
	ultimate = "549300GKFG0RYRRQ1K94" // Example Capital Partners, L.P.
	sibling  = "213800WAVVOPS85N2205" // Example Networks GmbH
	broken   = "894500WOTA5040ZA0L90" // its record is cut off
)

// mirror answers like api.gleif.org: JSON:API documents, 404 with an
// errors document for a relationship or exception that does not exist,
// and (when busy is set) a 429 with Retry-After on the first request.
func mirror(t *testing.T, busy bool) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	mux, srv := scrapertest.Mirror(t)
	var requests atomic.Int64
	var refused atomic.Bool
	serve := func(w http.ResponseWriter, name string) {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		w.Header().Set("Content-Type", "application/vnd.api+json")
		if err != nil {
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"errors":[{"status":"404","title":"Not Found"}]}`))
			return
		}
		w.Write(b)
	}
	mux.HandleFunc("GET /api/v1/lei-records/{lei}", func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if busy && refused.CompareAndSwap(false, true) {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		if r.PathValue("lei") == broken {
			w.Header().Set("Content-Type", "application/vnd.api+json")
			w.Write([]byte(`{"data":{"type":"lei-records","id":"` + broken + `","attributes":{"lei":`))
			return
		}
		serve(w, "lei-"+r.PathValue("lei")+".json")
	})
	mux.HandleFunc("GET /api/v1/lei-records/{lei}/{what}", func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		lei, what := r.PathValue("lei"), r.PathValue("what")
		switch {
		case strings.HasSuffix(what, "-parent-relationship"):
			serve(w, "rel-"+lei+"-"+strings.TrimSuffix(what, "-parent-relationship")+".json")
		case strings.HasSuffix(what, "-parent-reporting-exception"):
			serve(w, "exc-"+lei+"-"+strings.TrimSuffix(what, "-parent-reporting-exception")+".json")
		case what == "direct-children":
			serve(w, "children-"+lei+"-"+r.URL.Query().Get("page[number]")+".json")
		default:
			serve(w, "")
		}
	})
	mux.HandleFunc("GET /api/v1/lei-records", func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if r.URL.Query().Get("filter[entity.legalName]") == "Example Networks Inc." {
			serve(w, "search-example-networks.json")
			return
		}
		serve(w, "search-empty.json")
	})
	return srv, &requests
}

func scrape(t *testing.T, base, out string, opt gleif.Options) gleif.Summary {
	t.Helper()
	var sum gleif.Summary
	opt.BaseURL = base
	scrapertest.Run(t, "gleif", out, func(c *scrapers.Collector, o *scrapers.Output, _ scrapers.Filter) (err error) {
		sum, err = gleif.Run(context.Background(), c, o, opt)
		return err
	})
	return sum
}

// TestOwnershipChain reads one company by LEI and walks up to its
// ultimate parent; the records load, and the chain child → parent →
// ultimate parent can be walked in the graph with evidence at each step.
func TestOwnershipChain(t *testing.T) {
	srv, _ := mirror(t, true)
	out := filepath.Join(t.TempDir(), "gleif.jsonl")
	sum := scrape(t, srv.URL, out, gleif.Options{LEIs: []string{child}})
	if sum.Records != 3 || sum.Relationships != 4 || sum.Claims != 4 || sum.Exceptions != 2 || len(sum.Problems) != 0 {
		t.Fatalf("summary: %+v", sum)
	}
	ctx := context.Background()
	s := graphtest.Store(t)
	if _, err := load.File(ctx, s, out, load.Options{}); err != nil {
		t.Fatal(err)
	}
	id := func(lei string) string { return "company:lei:" + strings.ToLower(lei) }
	paths, err := s.ShortestPaths(ctx, id(child), id(ultimate), []string{"SUBSIDIARY_OF"}, 3, "", true)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no SUBSIDIARY_OF path from the child to the ultimate parent")
	}
	cs, err := s.ClaimsOf(ctx, id(child))
	if err != nil {
		t.Fatal(err)
	}
	var direct bool
	for _, c := range cs {
		if c.Relation == "SUBSIDIARY_OF" && c.Object == id(parent) {
			direct = c.Status == "documented" && c.Start == "2017-09-01" && c.Role == "direct accounting consolidation" &&
				len(c.Evidence) == 1 && strings.Contains(c.Evidence[0].Paraphrase, "IS_DIRECTLY_CONSOLIDATED_BY") &&
				c.Evidence[0].Document.SHA256 != "" && c.Evidence[0].Document.Archive != ""
		}
	}
	if !direct {
		t.Errorf("the direct parent claim of the child: %+v", cs)
	}
	e, err := s.Entity(ctx, id(child))
	if err != nil {
		t.Fatal(err)
	}
	if e.Name != "Example Networks Inc." || e.Country != "CA" || e.Identifiers["registry"] != "RA000072/1234567" ||
		!strings.Contains(strings.Join(e.Aliases, "|"), "Example Packet Systems Ltd.") {
		t.Errorf("child entity: %+v", e)
	}
	u, err := s.Entity(ctx, id(ultimate))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(u.Description, "reporting exception for the direct parent: NATURAL_PERSONS") {
		t.Errorf("the ultimate parent's exception is not recorded: %q", u.Description)
	}
	if claims, err := s.ClaimsOf(ctx, id(ultimate)); err != nil || len(claims) != 3 {
		t.Errorf("an exception became a claim, or a claim is missing: %d claims, %v", len(claims), err)
	}

	// A second run over the same file writes nothing new.
	again := scrape(t, srv.URL, out, gleif.Options{LEIs: []string{child}})
	if again.Claims != 4 {
		t.Errorf("second run: %+v", again)
	}
	if lines := scrapertest.Records(t, out); len(lines) != countLines(t, out) {
		t.Errorf("records and lines differ")
	}
}

func countLines(t *testing.T, path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(b), "\n")
}

// TestChildrenAndSearch finds a company by legal name and reads the
// direct children of its parent, following the pages of children.
func TestChildrenAndSearch(t *testing.T) {
	srv, _ := mirror(t, false)
	out := filepath.Join(t.TempDir(), "gleif.jsonl")
	sum := scrape(t, srv.URL, out, gleif.Options{Names: []string{"Example Networks Inc."}, LEIs: []string{parent}, Children: true})
	if sum.Records != 4 || len(sum.Problems) != 0 {
		t.Fatalf("summary: %+v", sum)
	}
	var sib bool
	for _, c := range scrapertest.Claims(t, out) {
		if strings.Contains(c.Subject, strings.ToLower(sibling)) && strings.Contains(c.Object, strings.ToLower(parent)) {
			sib = c.End == "2024-06-30" && c.Start == "2019-04-01"
		}
	}
	if !sib {
		t.Error("the inactive link of the second child (read from page 2 of the children) is missing or undated")
	}
}

// TestBadInput: an LEI that fails its check digits is refused before any
// request; a cut-off record is reported and the rest goes on.
func TestBadInput(t *testing.T) {
	srv, requests := mirror(t, false)
	out := filepath.Join(t.TempDir(), "gleif.jsonl")
	sum := scrape(t, srv.URL, out, gleif.Options{LEIs: []string{"5493001KJTIIGC8Y1R13", broken, "NOT-AN-LEI", child}})
	if sum.Records != 3 || len(sum.Problems) != 3 {
		t.Fatalf("summary: %+v", sum)
	}
	joined := strings.Join(sum.Problems, "\n")
	for _, want := range []string{`"5493001KJTIIGC8Y1R13" is not a valid LEI`, `"NOT-AN-LEI" is not a valid LEI`, broken + ": not a JSON:API document"} {
		if !strings.Contains(joined, want) {
			t.Errorf("problems lack %q:\n%s", want, joined)
		}
	}
	if requests.Load() == 0 {
		t.Error("no requests")
	}
	for _, tc := range []struct {
		body string
		err  string
	}{
		{`{"data":{"type":"lei-records","id":"X","attributes":{"lei":"X","entity":{"legalName":{"name":"A"}}}}}`, "not a valid LEI"},
		{`{"data":{"type":"lei-records","id":"` + child + `","attributes":{"entity":{"legalName":{"name":"  "}}}}}`, "no legal name"},
		{`{"data":{"type":"relationship-records","id":"r","attributes":{}}}`, "no lei-records resource"},
		{`[1,2,3]`, "not a JSON:API document"},
	} {
		if _, err := gleif.ParseLEIRecord([]byte(tc.body)); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("ParseLEIRecord(%s): %v, want %q", tc.body, err, tc.err)
		}
	}
}

func TestValidLEI(t *testing.T) {
	for lei, ok := range map[string]bool{child: true, parent: true, ultimate: true, sibling: true,
		"5493001KJTIIGC8Y1R13": false, "5493001kjtiigc8y1r12": false, "": false, "5493001KJTIIGC8Y1R1": false} {
		if gleif.ValidLEI(lei) != ok {
			t.Errorf("ValidLEI(%q) = %v", lei, !ok)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	bodies, size := scrapertest.Fixtures(b, "lei-"+child+".json", "lei-"+parent+".json", "rel-"+child+"-direct.json", "rel-"+child+"-ultimate.json")
	b.SetBytes(size)
	n := 0
	for b.Loop() {
		for i, body := range bodies {
			if i < 2 {
				rec, err := gleif.ParseLEIRecord(body)
				if err != nil {
					b.Fatal(err)
				}
				gleif.Company(rec, "doc:x")
				n++
			} else {
				if _, err := gleif.ParseRelationship(body); err != nil {
					b.Fatal(err)
				}
				n++
			}
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
}
