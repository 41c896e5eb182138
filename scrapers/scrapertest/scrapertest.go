// Package scrapertest holds what the sources' tests share: a mirror of
// each source's host serving its testdata in the real formats (with the bad
// pages its fault tests ask for), a collector set up for speed against it,
// a run that opens and closes the output around a source, the records of a
// file, and fixtures for benchmarks. The sources' own tests and the
// scrape-then-load round trips (package roundtrip) use the same mirrors.
package scrapertest

import (
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/exportwatch/exportwatch/config"
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

// Run runs a source's run function as the scrape command does, with the
// default filter, appending to out and archiving beside it; env.BaseURL is
// base. It returns the problems the run reported.
func Run(t testing.TB, source, out, base string, run func(*scrapers.Env) error) []string {
	t.Helper()
	return RunConfig(t, Config(source, filepath.Join(filepath.Dir(out), "archive")), out, base, run)
}

// RunConfig is Run with the collector set up by cfg, for the tests of its
// limits.
func RunConfig(t testing.TB, cfg scrapers.Config, out, base string, run func(*scrapers.Env) error) []string {
	t.Helper()
	env, done := open(t, cfg, out, base)
	if err := run(env); err != nil {
		t.Fatal(err)
	}
	done()
	return env.Problems()
}

// RunSource runs a registered source with a command line's source flags
// against the mirror at base, as `exportwatch scrape` does: flags parsed
// and checked, then the run. It returns the run's summary line and
// problems.
func RunSource(t testing.TB, reg scrapers.Registration, out, base string, args ...string) (string, []string) {
	t.Helper()
	src := reg.New()
	fs := flag.NewFlagSet(reg.Name, flag.ContinueOnError)
	src.Flags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	env, done := open(t, Config(reg.Name, filepath.Join(filepath.Dir(out), "archive")), out, base)
	if err := src.Check(env); err != nil {
		t.Fatal(err)
	}
	summary, err := src.Run(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	done()
	return summary, env.Problems()
}

func open(t testing.TB, cfg scrapers.Config, out, base string) (*scrapers.Env, func()) {
	t.Helper()
	filter, err := scrapers.DefaultFilter()
	if err != nil {
		t.Fatal(err)
	}
	c, err := scrapers.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	o, err := scrapers.OpenOutput(out)
	if err != nil {
		t.Fatal(err)
	}
	// The mirrors' settings: the Companies House mirror's key, as if
	// EXPORTWATCH_COMPANIES_HOUSE_KEY were set.
	settings := config.Defaults()
	settings.CompaniesHouseKey = CompaniesHouseKey
	env := &scrapers.Env{Collector: c, Out: o, BaseURL: base, Filter: filter, Config: settings}
	return env, func() {
		t.Helper()
		if err := o.Close(); err != nil {
			t.Fatal(err)
		}
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// serveFixture writes a source's fixture with its content type, or a 404
// when the source's testdata has no such file.
func serveFixture(w http.ResponseWriter, r *http.Request, source, name, contentType string) {
	b, err := os.ReadFile(Testdata(source, name))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Write(b)
}

// Testdata is the path of a file in a source's testdata folder, wherever
// the test runs from.
func Testdata(source, name string) string {
	_, self, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(self), "..", source, "testdata", name)
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
