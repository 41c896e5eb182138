// Package scrapertest holds what the sources' tests share: a collector set
// up for speed against a local server, a run that opens and closes the
// output around a source, the records of a file, and fixtures for
// benchmarks.
package scrapertest

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
)

// Mirror starts a server for the test's duration with a mux for the
// source's routes and no robots.txt (everything allowed), as a stand-in
// for the source's host.
func Mirror(t testing.TB) (*http.ServeMux, *httptest.Server) {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", http.NotFound)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return mux, srv
}

// Config lifts the politeness a real run needs, so tests run fast, and
// archives under archiveDir.
func Config(source, archiveDir string) scrapers.Config {
	cfg := scrapers.Defaults()
	cfg.Source, cfg.Version, cfg.Contact = source, "test", "research@example.org"
	cfg.RatePerHost, cfg.Parallelism = 1000, 4
	cfg.Backoff, cfg.MaxBackoff, cfg.Retries = time.Millisecond, 5*time.Second, 1
	cfg.Timeout = 5 * time.Second
	cfg.ArchiveDir = archiveDir
	return cfg
}

// Run runs a source as the scrape command does, with the default filter,
// appending to out and archiving beside it.
func Run(t testing.TB, source, out string, run func(*scrapers.Collector, *scrapers.Output, scrapers.Filter) error) {
	t.Helper()
	c, err := scrapers.New(Config(source, filepath.Join(filepath.Dir(out), "archive")))
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
	if err := run(c, o, filter); err != nil {
		t.Fatal(err)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
}

// Records reads a record file, failing the test on any bad line.
func Records(t testing.TB, path string) []records.Line {
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

// Claims is the claims of a record file.
func Claims(t testing.TB, path string) []records.Claim {
	t.Helper()
	var out []records.Claim
	for _, l := range Records(t, path) {
		if l.Claim != nil {
			out = append(out, *l.Claim)
		}
	}
	return out
}

// Fixtures reads files from testdata and returns them with their total
// size, for parse benchmarks.
func Fixtures(t testing.TB, names ...string) ([][]byte, int64) {
	t.Helper()
	var bodies [][]byte
	var size int64
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, b)
		size += int64(len(b))
	}
	return bodies, size
}
