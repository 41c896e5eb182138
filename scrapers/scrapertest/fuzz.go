package scrapertest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
)

// The sources' fuzz targets share these.

// Seeds adds the named files of the package's testdata to a fuzz
// target's corpus; a missing one fails the target.
func Seeds(f *testing.F, names ...string) {
	f.Helper()
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// ErrText is an error's text, "" for none, for comparing two parses.
func ErrText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// FetchedAt is a response as the collector would give for u, archived
// and hashed, without a fetch: what a source turns into its document.
func FetchedAt(u string) *scrapers.Response {
	return &scrapers.Response{URL: u, Retrieved: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		SHA256: strings.Repeat("0", 64), Archive: "run.warc.gz#urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e"}
}

// CheckPage checks what a page would write: every record valid as the
// writer wants it, claims between the page's entities or known ones, each
// citing the page's document.
func CheckPage(t testing.TB, docID string, ents []records.Entity, claims []records.Claim, known ...string) {
	t.Helper()
	refs := map[string]bool{}
	for _, r := range known {
		refs[r] = true
	}
	for _, e := range ents {
		e.V = records.Version
		if err := e.Validate(); err != nil {
			t.Fatalf("entity %.80q: %v", e.Names, err)
		}
		if e.Ref == "" {
			t.Fatalf("entity %.80q without a ref", e.Names)
		}
		refs[e.Ref] = true
	}
	for _, c := range claims {
		c.V = records.Version
		if err := c.Validate(); err != nil {
			t.Fatalf("claim %s %s %s: %v", c.Subject, c.Relation, c.Object, err)
		}
		if !refs[c.Subject] || !refs[c.Object] {
			t.Fatalf("claim %s %s %s names an entity not on the page", c.Subject, c.Relation, c.Object)
		}
		for _, ev := range c.Evidence {
			if ev.Document != docID {
				t.Fatalf("claim cites %q, not the page", ev.Document)
			}
		}
	}
}
