package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScrapeOCDSThenLoad runs the acceptance path through the
// binary: scrape a mirror of real-format packages (the real host's paths
// under --base-url), load the records, scrape again and find nothing new.
func TestScrapeOCDSThenLoad(t *testing.T) {
	pkg, err := os.ReadFile("../../scrapers/ocds/testdata/release-package-1.json")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/releases/1.json" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(pkg)
	}))
	defer srv.Close()
	dir := t.TempDir()
	out, archive := filepath.Join(dir, "r.jsonl"), filepath.Join(dir, "archive")
	args := []string{"scrape", "ocds", "--url", "https://ocds.example.gov/api/releases/1.json", "--base-url", srv.URL,
		"--out", out, "--archive", archive, "--rate", "100"}
	// The package's next link is not on the mirror: a problem, listed,
	// and exit status 3; the page's records are written.
	stdout, stderr, code := exportwatch(t, []string{"EXPORTWATCH_CONTACT=research@example.org"}, args...)
	if code != exitProblems || !strings.Contains(stdout, "2 claims") || !strings.Contains(stderr, "release-package-2.json: unexpected status (HTTP 404)") {
		t.Fatalf("scrape (exit %d):\n%s\n%s", code, stdout, stderr)
	}
	warcs, _ := filepath.Glob(filepath.Join(archive, "*.warc.gz"))
	if len(warcs) != 1 {
		t.Fatalf("WARC files: %v", warcs)
	}

	env := withNeo4j(t)
	if stdout, stderr, code := exportwatch(t, env, "load", out); code != 0 || !strings.Contains(stdout, "claims     written 2") {
		t.Fatalf("load (exit %d):\n%s\n%s", code, stdout, stderr)
	}
	stdout, stderr, code = exportwatch(t, nil, args...)
	if code != exitProblems || !strings.Contains(stdout, "0 records written") {
		t.Fatalf("second scrape (exit %d):\n%s\n%s", code, stdout, stderr)
	}
	if stdout, _, code := exportwatch(t, nil, "scrape", "nosuch", "--out", out); code != 1 || stdout != "" {
		t.Fatalf("unknown source: exit %d", code)
	}

	// A filter that knows the paper supplier keeps its award too.
	more := filepath.Join(dir, "more.jsonl")
	args = []string{"scrape", "ocds", "--url", srv.URL + "/api/releases/1.json", "--out", more, "--archive", archive,
		"--rate", "100", "--match-vendor", "Office Paper Supplies Ltd"}
	if stdout, stderr, code := exportwatch(t, nil, args...); code != exitProblems || !strings.Contains(stdout, "3 claims") {
		t.Fatalf("scrape with --match-vendor (exit %d):\n%s\n%s", code, stdout, stderr)
	}
}

// TestScrapeFlags: each source says what it needs before fetching
// anything.
func TestScrapeFlags(t *testing.T) {
	out := filepath.Join(t.TempDir(), "r.jsonl")
	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"scrape", "gleif", "--out", out}, "give an --lei or a --name"},
		{[]string{"scrape", "edgar", "--out", out}, "give a --cik"},
		{[]string{"scrape", "report", "--out", out}, "give a --url or a --feed"},
		{[]string{"scrape", "report", "--url", "https://reports.example/a", "--gazetteer", "/no/such/nodes.csv", "--out", out}, "--gazetteer"},
		{[]string{"scrape", "companieshouse", "--out", out}, "give a --company"},
		{[]string{"scrape", "companieshouse", "--company", "01234567", "--out", out}, "EXPORTWATCH_COMPANIES_HOUSE_KEY"},
	} {
		_, stderr, code := exportwatch(t, nil, tc.args...)
		if code == 0 || !strings.Contains(stderr, tc.says) {
			t.Errorf("%v: exit %d, %q; want an error saying %q", tc.args, code, stderr, tc.says)
		}
	}
}

// TestScrapeScreening reads a CSL file and an SDN XML from a mirror given
// by --base-url, with the real paths.
func TestScrapeScreening(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/downloadable_consolidated_screening_list/v1/consolidated.csv":
			http.ServeFile(w, r, "../../scrapers/screening/testdata/consolidated.csv")
		case "/ofac/downloads/sdn.xml":
			http.ServeFile(w, r, "../../scrapers/screening/testdata/sdn.xml")
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	stdout, stderr, code := exportwatch(t, nil, "scrape", "screening", "--base-url", srv.URL, "--rate", "100",
		"--csl", "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv",
		"--sdn", "https://www.treasury.gov/ofac/downloads/sdn.xml", "--out", filepath.Join(dir, "r.jsonl"), "--archive", filepath.Join(dir, "a"))
	// The ragged row is a problem: exit 3, the rest written.
	if code != exitProblems || !strings.Contains(stdout, "2 list files, 8 listings, 6 claims") || !strings.Contains(stderr, "line 4") {
		t.Fatalf("scrape screening (exit %d):\n%s\n%s", code, stdout, stderr)
	}
}

func TestResolveCommand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pairs.tsv")
	if err := os.WriteFile(path, []byte("NICE Ltd\tNice-Matin\tIL\tFR\tdifferent\nAllot\tAllot Ltd.\t\t\tsame\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := exportwatch(t, nil, "resolve", "--pairs", path)
	if code != 0 || !strings.Contains(stdout, "different\tNICE Ltd\tNice-Matin") || !strings.Contains(stdout, "precision 1.000, recall 1.000") {
		t.Fatalf("resolve (exit %d):\n%s\n%s", code, stdout, stderr)
	}
	if err := os.WriteFile(path, []byte("one name only\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := exportwatch(t, nil, "resolve", "--pairs", path); code == 0 || !strings.Contains(stderr, "line 1") {
		t.Fatalf("a bad pairs file: exit %d, %s", code, stderr)
	}
}
