package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/exportwatch/exportwatch/api"
	"github.com/exportwatch/exportwatch/evidence"
	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/records/hostile"
	"github.com/exportwatch/exportwatch/scrapers"
)

func TestMain(m *testing.M) { os.Exit(graphtest.Main(m)) }

// TestBrowser serves the API and the app on the seed and the hostile
// records (records/hostile), and runs every Playwright test against it. make test sets
// EXPORTWATCH_REQUIRE_BROWSER=1, so a machine without the npm packages or
// chromium fails here instead of skipping.
func TestBrowser(t *testing.T) {
	playwright, err := filepath.Abs("../node_modules/.bin/playwright")
	if err != nil {
		t.Fatal(err)
	}
	chromium := os.Getenv("EXPORTWATCH_CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	missing := ""
	if _, err := os.Stat(playwright); err != nil {
		missing = "Playwright (run `make web`, which installs the npm packages)"
	} else if _, err := os.Stat(chromium); err != nil {
		missing = "chromium at " + chromium + " (Debian package chromium: `make deps-test` installs it; EXPORTWATCH_CHROMIUM names another)"
	}
	if missing != "" {
		if os.Getenv("EXPORTWATCH_REQUIRE_BROWSER") != "" {
			t.Fatalf("the browser tests need %s", missing)
		}
		t.Skipf("the browser tests need %s", missing)
	}

	ctx := context.Background()
	store := graphtest.Seeded(t)
	hostileFile := filepath.Join(t.TempDir(), "hostile.jsonl")
	if err := records.WriteFile(hostileFile, hostile.File); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{hostileFile, filepath.Join("testdata", "listed.jsonl"), filepath.Join("testdata", "queues.jsonl")} {
		if _, err := load.File(ctx, store, f, load.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	// An editor's key and a reader's, for the editing journeys.
	editorKey, editorEntry, err := api.NewKey("editor-e2e", api.RoleEditor)
	if err != nil {
		t.Fatal(err)
	}
	readerKey, readerEntry, err := api.NewKey("reader-e2e", api.RoleReader)
	if err != nil {
		t.Fatal(err)
	}
	opt := api.Defaults()
	if opt.Auth.Keys, err = api.ParseKeys(editorEntry + "," + readerEntry); err != nil {
		t.Fatal(err)
	}
	// The pages editors cite in the journeys, served on loopback, which
	// the server's fetch is allowed to reach here.
	pages := httptest.NewServer(http.FileServer(http.Dir(filepath.Join("testdata", "cited"))))
	defer pages.Close()
	allow, _ := scrapers.ParseAllow("127.0.0.1")
	if opt.Evidence, err = evidence.NewChecker(evidence.Config{ArchiveDir: t.TempDir(), Allow: allow}); err != nil {
		t.Fatal(err)
	}
	defer opt.Evidence.Close()
	srv := httptest.NewServer(api.Handler(store, opt))
	defer srv.Close()

	// A bound, not a speed: the 47 journeys take about three minutes, and
	// more on two cores shared with the unit tests.
	ctx, cancel := context.WithTimeout(ctx, 9*time.Minute)
	defer cancel()
	args := []string{"test"}
	if grep := os.Getenv("EXPORTWATCH_E2E_GREP"); grep != "" {
		args = append(args, "--grep", grep) // run some journeys only, while working on them
	}
	cmd := exec.CommandContext(ctx, playwright, args...)
	cmd.Dir = ".." // web/, where playwright.config.ts is
	cmd.Env = append(os.Environ(), "EXPORTWATCH_URL="+srv.URL, "EXPORTWATCH_CHROMIUM="+chromium, "CI=1",
		"EXPORTWATCH_E2E_EDITOR_KEY="+editorKey, "EXPORTWATCH_E2E_READER_KEY="+readerKey, "EXPORTWATCH_E2E_PAGES="+pages.URL)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("playwright test: %v\n%s", err, out)
	}
	// The summary line ("16 passed (40s)"), for the test log.
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	t.Log(strings.TrimSpace(lines[len(lines)-1]))
}
