package ocds_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/scrapers/ocds"
)

func TestMain(m *testing.M) { os.Exit(graphtest.Main(m)) }

// mirror serves testdata under /ocds/, as the publisher's API would, plus
// the bad pages the fault tests ask for.
func mirror(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", http.NotFound)
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
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func scrape(t *testing.T, out string, urls ...string) ocds.Summary {
	t.Helper()
	cfg := scrapers.Defaults()
	cfg.Source, cfg.Version = "ocds", "test"
	cfg.RatePerHost, cfg.Backoff, cfg.Retries, cfg.Timeout = 1000, time.Millisecond, 1, 5*time.Second
	cfg.ArchiveDir = filepath.Join(filepath.Dir(out), "archive")
	c, err := scrapers.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	o, err := scrapers.OpenOutput(out)
	if err != nil {
		t.Fatal(err)
	}
	filter, err := scrapers.DefaultFilter()
	if err != nil {
		t.Fatal(err)
	}
	sum, err := ocds.Run(context.Background(), c, o, ocds.Options{URLs: urls, Filter: filter})
	if err != nil {
		t.Fatal(err)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	return sum
}

func readRecords(t *testing.T, path string) []records.Line {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd := records.NewReader(f, path)
	var out []records.Line
	for {
		l, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, l)
	}
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

	lines := readRecords(t, out)
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
	if again := readRecords(t, out); len(again) != len(lines) {
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
	if lines := readRecords(t, out); len(lines) != 4 { // document, two entities, claim
		t.Fatalf("%d records", len(lines))
	}
}

// BenchmarkParse reports parse throughput (MB/s) and claims/s over the
// fixtures: reading a package and turning it into records.
func BenchmarkParse(b *testing.B) {
	var bodies [][]byte
	var size int64
	for _, f := range []string{"release-package-1.json", "release-package-2.json", "record-package.json"} {
		body, err := os.ReadFile(filepath.Join("testdata", f))
		if err != nil {
			b.Fatal(err)
		}
		bodies = append(bodies, body)
		size += int64(len(body))
	}
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

func TestLocalPackage(t *testing.T) {
	out := filepath.Join(t.TempDir(), "r.jsonl")
	sum := scrape(t, out, filepath.Join("testdata", "record-package.json"))
	if sum.Claims != 1 {
		t.Fatalf("summary: %+v", sum)
	}
	var doc *records.Document
	for _, l := range readRecords(t, out) {
		if l.Document != nil {
			doc = l.Document
		}
	}
	if doc == nil || doc.URL != "https://ocds.example.gov/api/records?ocid=ocds-b5fd17-0009" || !strings.Contains(doc.Note, "local copy") ||
		!strings.Contains(doc.Archive, ".warc.gz#<urn:uuid:") {
		t.Fatalf("document: %+v", doc)
	}
	// A file that does not say where it comes from cannot be cited.
	anon := filepath.Join(t.TempDir(), "anon.json")
	os.WriteFile(anon, []byte(`{"releases": []}`), 0o644)
	if sum := scrape(t, out, anon); !strings.Contains(strings.Join(sum.Problems, ""), "needs its uri") {
		t.Fatalf("anonymous file: %+v", sum)
	}
}
