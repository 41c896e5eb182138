package ocds_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/scrapers/ocds"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
)

func TestMain(m *testing.M) { os.Exit(graphtest.Main(m)) }

// mirror serves testdata under /ocds/, as the publisher's API would, plus
// the bad pages the fault tests ask for.
func mirror(t *testing.T) *httptest.Server {
	t.Helper()
	mux, srv := scrapertest.Mirror(t)
	mux.HandleFunc("/ocds/{name}", func(w http.ResponseWriter, r *http.Request) {
		b, err := os.ReadFile(filepath.Join("testdata", r.PathValue("name")))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
	})
	mux.HandleFunc("/bad/truncated.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"releases": [{"ocid": "ocds-x", "awards": [`)
	})
	mux.HandleFunc("/bad/error-page.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html><body><h1>Maintenance</h1></body></html>")
	})
	mux.HandleFunc("/bad/loop.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"publisher": {"name": "Loop"}, "releases": [], "links": {"next": "/bad/loop.json"}}`)
	})
	mux.HandleFunc("/bad/not-ocds.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"results": [1, 2, 3]}`)
	})
	return srv
}

func scrape(t *testing.T, out string, urls ...string) ocds.Summary {
	t.Helper()
	var sum ocds.Summary
	scrapertest.Run(t, "ocds", out, func(c *scrapers.Collector, o *scrapers.Output, filter scrapers.Filter) (err error) {
		sum, err = ocds.Run(context.Background(), c, o, ocds.Options{URLs: urls, Filter: filter})
		return err
	})
	return sum
}

func TestScrapeLoadAndRescrape(t *testing.T) {
	srv := mirror(t)
	out := filepath.Join(t.TempDir(), "r.jsonl")
	sum := scrape(t, out, srv.URL+"/ocds/release-package-1.json", srv.URL+"/ocds/record-package.json")
	if sum.Pages != 3 || sum.Claims != 3 || sum.Skipped != 2 {
		t.Fatalf("summary: %+v", sum)
	}
	problems := strings.Join(sum.Problems, "\n")
	for _, want := range []string{`currency "XYZ" is not an ISO 4217 code`, "record ocds-b5fd17-0010 has no compiledRelease", srv.URL + "/ocds/release-package-2.json"} {
		if !strings.Contains(problems, want) {
			t.Errorf("problems lack %q:\n%s", want, problems)
		}
	}

	lines := scrapertest.Records(t, out)
	var claims []records.Claim
	var docs []records.Document
	for _, l := range lines {
		switch {
		case l.Claim != nil:
			claims = append(claims, *l.Claim)
		case l.Document != nil:
			docs = append(docs, *l.Document)
		}
	}
	if len(claims) != 3 || len(docs) != 2 {
		t.Fatalf("%d claims in %d documents", len(claims), len(docs))
	}
	var sandvine *records.Claim
	for i, c := range claims {
		if strings.Contains(c.Subject, "ca-cc-4387543") {
			sandvine = &claims[i]
		}
	}
	if sandvine == nil || sandvine.Stage != "ordered" || *sandvine.Value != 1250000.5 || sandvine.Currency != "EUR" ||
		sandvine.Start != "2024-02-05" || sandvine.End != "2026-02-04" || sandvine.Product == "" ||
		sandvine.Evidence[0].Quote != "Supply and installation of a network traffic management platform" {
		t.Fatalf("the Sandvine award: %+v", sandvine)
	}
	for _, d := range docs {
		if d.Origin != records.OriginFetched || d.SHA256 == "" || !strings.Contains(d.Archive, ".warc.gz#<urn:uuid:") {
			t.Errorf("document without provenance: %+v", d)
		}
	}

	// The records load, and a second scrape adds nothing.
	s := graphtest.Store(t)
	ls, err := load.File(context.Background(), s, out, load.Options{})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if ls.Claims.Written != 3 {
		t.Fatalf("load: %s", ls)
	}
	c, err := s.Counts(context.Background())
	if err != nil || c.Relationships["SUPPLIED"] != 3 {
		t.Fatalf("SUPPLIED edges: %v %v", c.Relationships, err)
	}
	scrape(t, out, srv.URL+"/ocds/release-package-1.json", srv.URL+"/ocds/record-package.json")
	if again := scrapertest.Records(t, out); len(again) != len(lines) {
		t.Fatalf("the second scrape wrote %d more records", len(again)-len(lines))
	}
}

func TestBadPagesAreReportedAndTheRunGoesOn(t *testing.T) {
	srv := mirror(t)
	out := filepath.Join(t.TempDir(), "r.jsonl")
	sum := scrape(t, out, srv.URL+"/bad/truncated.json", srv.URL+"/bad/error-page.json", srv.URL+"/bad/loop.json",
		srv.URL+"/bad/not-ocds.json", srv.URL+"/ocds/missing.json", srv.URL+"/ocds/record-package.json")
	problems := strings.Join(sum.Problems, "\n")
	for _, want := range []string{
		srv.URL + "/bad/truncated.json: not OCDS JSON",
		srv.URL + "/bad/error-page.json: unexpected content type",
		srv.URL + "/bad/loop.json: pagination loop",
		srv.URL + "/bad/not-ocds.json: neither a release package nor a record package",
		srv.URL + "/ocds/missing.json: unexpected status (HTTP 404)",
	} {
		if !strings.Contains(problems, want) {
			t.Errorf("problems lack %q:\n%s", want, problems)
		}
	}
	if sum.Claims != 1 {
		t.Fatalf("the good page after the bad ones gave %d claims, want 1", sum.Claims)
	}
	if lines := scrapertest.Records(t, out); len(lines) != 4 { // document, two entities, claim
		t.Fatalf("%d records", len(lines))
	}
}

// BenchmarkParse reports parse throughput (MB/s) and claims/s over the
// fixtures: reading a package and turning it into records.
func BenchmarkParse(b *testing.B) {
	bodies, size := scrapertest.Fixtures(b, "release-package-1.json", "release-package-2.json", "record-package.json")
	filter, err := scrapers.DefaultFilter()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	claims := 0
	for b.Loop() {
		for _, body := range bodies {
			p, err := ocds.Parse(body)
			if err != nil {
				b.Fatal(err)
			}
			claims += len(ocds.Extract(p, "doc:0123456789abcdef0123", filter).Claims)
		}
	}
	b.ReportMetric(float64(claims)/b.Elapsed().Seconds(), "claims/s")
}
