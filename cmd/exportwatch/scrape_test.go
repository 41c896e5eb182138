package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
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
// anything, and leaves no file behind.
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
		{[]string{"scrape", "ocds", "--url", "ftp://ocds.example/r.json", "--out", out}, `"ftp://ocds.example/r.json" is not an http(s) URL`},
		{[]string{"scrape", "ted", "--url", "ted.europa.eu/notice", "--out", out}, "is not an http(s) URL"},
		{[]string{"scrape", "ocds", "--url", "https://ocds.example/r.json", "--base-url", "ocds-mirror", "--out", out}, "--base-url"},
	} {
		_, stderr, code := exportwatch(t, nil, tc.args...)
		if code == 0 || !strings.Contains(stderr, tc.says) {
			t.Errorf("%v: exit %d, %q; want an error saying %q", tc.args, code, stderr, tc.says)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("%v left %s behind", tc.args, out)
		}
	}
}

// TestREADMEListsEverySource: the README's table of sources is the
// registry's, row for row, so a source's documentation lives with its
// code.
func TestREADMEListsEverySource(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const header = "| source | flags | what becomes a claim |\n|---|---|---|\n"
	_, table, ok := strings.Cut(string(b), header)
	if !ok {
		t.Fatalf("README.md has no table starting %q", header)
	}
	table, _, _ = strings.Cut(table, "\n\n")
	var want strings.Builder
	for _, s := range sources {
		fmt.Fprintf(&want, "| `%s` | %s | %s |\n", s.Name, s.RowFlags, s.RowClaims)
	}
	if diff := cmp.Diff(strings.TrimSpace(want.String()), strings.TrimSpace(table)); diff != "" {
		t.Errorf("README.md's table of sources differs from the registry (-registry +README):\n%s\nthe registry's table:\n%s%s", diff, header, want.String())
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

// TestREADMENamesEveryPackage: the README's architecture table names every
// Go package of the module, and nothing that is not there.
func TestREADMENamesEveryPackage(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const header = "| package | what it holds |\n|---|---|\n"
	_, table, ok := strings.Cut(string(b), header)
	if !ok {
		t.Fatalf("README.md has no table starting %q", header)
	}
	table, _, _ = strings.Cut(table, "\n\n")
	listed := map[string]bool{}
	for _, row := range strings.Split(table, "\n") {
		cells := strings.Split(row, "|")
		if len(cells) < 3 {
			t.Fatalf("not a table row: %q", row)
		}
		for _, name := range strings.Split(cells[1], ",") {
			name = strings.Trim(strings.TrimSpace(name), "`")
			listed[name] = true
			if _, err := os.Stat(filepath.Join("../..", name)); err != nil {
				t.Errorf("the README lists %s, which is not in the repository", name)
			}
		}
	}
	out, err := exec.Command("go", "list", "-f", "{{.Dir}}", "../../...").Output()
	if err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range strings.Fields(string(out)) {
		rel, err := filepath.Rel(root, dir)
		if err != nil {
			t.Fatal(err)
		}
		if !listed[filepath.ToSlash(rel)] {
			t.Errorf("package %s is missing from the README's architecture table", rel)
		}
	}
}
