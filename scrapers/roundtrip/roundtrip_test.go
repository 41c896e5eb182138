package roundtrip_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
)

func TestMain(m *testing.M) { os.Exit(graphtest.Main(m)) }

// trip scrapes a source with args against the mirror at base into a fresh
// file, loads it into an empty graph (the seed first, when seeded), checks
// that a second load and a second scrape change nothing, and returns the
// store, the load's summary and the scrape's problems.
func trip(t *testing.T, reg scrapers.Registration, base string, seeded bool, args ...string) (*graph.Store, load.Summary, []string) {
	t.Helper()
	ctx := context.Background()
	out := filepath.Join(t.TempDir(), reg.Name+".jsonl")
	_, problems := scrapertest.RunSource(t, reg, out, base, args...)
	s := graphtest.Store(t)
	if seeded {
		if _, err := load.Seed(context.Background(), s, load.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	sum, err := load.File(ctx, s, out, load.Options{})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	before, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	lines := len(scrapertest.Records(t, out))
	scrapertest.RunSource(t, reg, out, base, args...)
	if again := len(scrapertest.Records(t, out)); again != lines {
		t.Errorf("the second scrape wrote %d more records", again-lines)
	}
	again, err := load.File(ctx, s, out, load.Options{})
	if err != nil {
		t.Fatalf("second load: %v", err)
	}
	if again.Documents.Written+again.Entities.Written+again.Claims.Written != 0 {
		t.Errorf("the second load wrote something:\n%s", again)
	}
	after, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("the second load changed the counts (-before +after):\n%s", diff)
	}
	return s, sum, problems
}
