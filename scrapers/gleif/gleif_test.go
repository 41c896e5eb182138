package gleif_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/scrapers/gleif"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
)

const (
	child    = "5493001KJTIIGC8Y1R12"     // Example Networks Inc.
	parent   = "254900OPPU84GM83MG36"     // Example Holdings LLC
	ultimate = "549300GKFG0RYRRQ1K94"     // Example Capital Partners, L.P.
	sibling  = "213800WAVVOPS85N2205"     // Example Networks GmbH
	broken   = scrapertest.GLEIFBrokenLEI // its record is cut off
)

func scrape(t *testing.T, base, out string, opt gleif.Options) (gleif.Summary, []string) {
	t.Helper()
	var sum gleif.Summary
	problems := scrapertest.Run(t, "gleif", out, base, func(env *scrapers.Env) (err error) {
		sum, err = gleif.Run(context.Background(), env, opt)
		return err
	})
	return sum, problems
}

// TestOwnershipChain reads one company by LEI and walks up to its
// ultimate parent; loading the records and walking the chain child →
// parent → ultimate parent in the graph is in package roundtrip.
func TestOwnershipChain(t *testing.T) {
	srv, _ := scrapertest.GLEIF(t, true)
	out := filepath.Join(t.TempDir(), "gleif.jsonl")
	sum, problems := scrape(t, srv.URL, out, gleif.Options{LEIs: []string{child}})
	if sum.Records != 3 || sum.Relationships != 4 || sum.Claims != 4 || sum.Exceptions != 2 || len(problems) != 0 {
		t.Fatalf("summary: %+v, problems %q", sum, problems)
	}

	// A second run over the same file writes nothing new.
	again, _ := scrape(t, srv.URL, out, gleif.Options{LEIs: []string{child}})
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
	srv, _ := scrapertest.GLEIF(t, false)
	out := filepath.Join(t.TempDir(), "gleif.jsonl")
	sum, problems := scrape(t, srv.URL, out, gleif.Options{Names: []string{"Example Networks Inc."}, LEIs: []string{parent}, Children: true})
	if sum.Records != 4 || len(problems) != 0 {
		t.Fatalf("summary: %+v, problems %q", sum, problems)
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
	srv, requests := scrapertest.GLEIF(t, false)
	out := filepath.Join(t.TempDir(), "gleif.jsonl")
	sum, problems := scrape(t, srv.URL, out, gleif.Options{LEIs: []string{"5493001KJTIIGC8Y1R13", broken, "NOT-AN-LEI", child}})
	if sum.Records != 3 || len(problems) != 3 {
		t.Fatalf("summary: %+v, problems %q", sum, problems)
	}
	joined := strings.Join(problems, "\n")
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

// TestBadNextLink: a search page whose links.next is not an http(s) URL
// is reported with the page's URL and the link, the search stops there,
// and what it found so far is read.
func TestBadNextLink(t *testing.T) {
	srv, _ := scrapertest.GLEIF(t, false)
	out := filepath.Join(t.TempDir(), "gleif.jsonl")
	sum, problems := scrape(t, srv.URL, out, gleif.Options{Names: []string{scrapertest.GLEIFBadLinkName}})
	if sum.Records != 3 || sum.Claims != 4 || len(problems) != 1 {
		t.Fatalf("summary: %+v, problems %q", sum, problems)
	}
	for _, want := range []string{srv.URL + "/api/v1/lei-records?", "links.next", `"ftp://api.gleif.org/api/v1/lei-records?page%5Bnumber%5D=2" is not an http(s) URL`} {
		if !strings.Contains(problems[0], want) {
			t.Errorf("the problem lacks %q: %s", want, problems[0])
		}
	}
}

// TestSource runs the registered source as the scrape command does: a
// command line without an LEI or a name is refused, and the summary line
// counts what was read.
func TestSource(t *testing.T) {
	src := gleif.Source.New()
	src.Flags(flag.NewFlagSet("gleif", flag.ContinueOnError))
	if err := src.Check(&scrapers.Env{}); err == nil || err.Error() != "give an --lei or a --name" {
		t.Errorf("no LEI or name: %v", err)
	}
	srv, _ := scrapertest.GLEIF(t, false)
	out := filepath.Join(t.TempDir(), "gleif.jsonl")
	summary, problems := scrapertest.RunSource(t, gleif.Source, out, srv.URL, "--lei", child)
	if want := "3 LEI records, 4 parent relationships, 2 reporting exceptions, 4 claims"; summary != want || len(problems) != 0 {
		t.Errorf("summary %q, problems %q; want %q", summary, problems, want)
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
