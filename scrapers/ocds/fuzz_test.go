package ocds_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/scrapers/ocds"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
)

// FuzzParse reads a package as Run does: Parse gives a package or an
// error, never both or neither; a package is a release or a record
// package; what Extract makes of it passes records' validation (the
// output refuses anything else, ending the run) and its claims name the
// page's entities; the same bytes give the same package and records.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"release-package-1.json", "release-package-2.json", "record-package.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(""))
	f.Add([]byte(`{"releases":[{"ocid":"x","buyer":{"id":"b","name":"Mini`))
	f.Add([]byte(`{"releases":[],"extensions":` + strings.Repeat("[", 200) + strings.Repeat("]", 200) + `}`))
	f.Add([]byte(`{"releases":[{"ocid":"o","buyer":{"id":"b","name":"Ministry"},"awards":[{"id":1e400,"status":"active",` +
		`"value":{"amount":1e308,"currency":"usd"},"suppliers":[{"id":"s","name":"Vendor"}],"items":[{"description":" ","classification":{"scheme":"CPV","id":"35125000"}}]}],` +
		`"contracts":[{"awardID":1e400,"status":"active","value":{"amount":-123456789012345678901234567890},"period":{"startDate":"2024-05-01","endDate":"2023-01-01"}}]}]}`))
	award := func(a string) []byte {
		return []byte(`{"releases":[{"ocid":"o","buyer":{"id":"b","name":"Ministry"},"awards":[{"id":"1","title":"DPI","suppliers":[{"id":"s","name":"Vendor"}]` + a + `}]}]}`)
	}
	f.Add(award(`,"value":{"amount":1e300,"currency":"USD"}`))
	f.Add(award(`,"value":{"amount":5,"currency":"usd"}`))
	f.Add(award(`,"value":{"amount":-5,"currency":"EUR"}`))
	f.Add([]byte(`{"releases":[{"buyer":{"id":"b","name":"Ministry"},"parties":[{"id":"s","name":"Vendor","identifier":{"scheme":"XI-LEI","id":" "}}],"awards":[{"suppliers":[{"id":"s"}]}]}]}`))
	f.Add(award(`,"items":[{"description":"` + strings.Repeat("Probe ", 200) + `","classification":{"scheme":"CPV","id":"35125000"}}]`))
	f.Add([]byte(`{"releases":[{"buyer":{"id":"b","name":"` + strings.Repeat("Ministry ", 120) + `"},"awards":[{"suppliers":[{"name":"` + strings.Repeat("V", 1001) + `"}]}]}]}`))
	f.Add([]byte(`{"releases":[{"ocid":"o","buyer":{"id":"b","name":"Ministry"},"awards":[{"id":"1","title":"DPI","suppliers":[{"id":"s","name":"Vendor"}]}],` +
		`"contracts":[{"awardID":"1","status":"active","period":{"startDate":"2024-05-01","endDate":"2023-01-01"}}]}]}`))
	f.Add([]byte("{\"records\":[{\"ocid\":\"o\",\"compiledRelease\":{\"buyer\":{\"name\":\"\xff\xfe\"},\"parties\":[{\"id\":\"\xc3\",\"identifier\":{\"scheme\":\"GB-COH\",\"id\":\" \"}}]}}]}"))

	docID := records.DocumentID("https://ocds.example.org/package.json")
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := ocds.Parse(body)
		if (p == nil) == (err == nil) {
			t.Fatalf("Parse returned %v and %v", p, err)
		}
		again, err2 := ocds.Parse(body)
		if !reflect.DeepEqual(p, again) || scrapertest.ErrText(err) != scrapertest.ErrText(err2) {
			t.Fatalf("parsing twice differs: %v / %v\n%s", err, err2, cmp.Diff(p, again))
		}
		if err != nil {
			return
		}
		if p.Releases == nil && p.Records == nil {
			t.Fatal("a package with neither releases nor records")
		}
		// The package's document, as Run makes it.
		resp := &scrapers.Response{URL: "https://ocds.example.org/package.json", Retrieved: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
			SHA256: strings.Repeat("0", 64), Archive: "run.warc.gz#urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e"}
		doc := resp.Document("OCDS package", p.Publisher.Name, scrapers.Date(p.PublishedDate))
		if err := stamped(doc).Validate(); err != nil {
			t.Fatalf("document: %v", err)
		}
		all := scrapers.Filter{All: true}
		page := ocds.Extract(p, docID, all)
		if page2 := ocds.Extract(again, docID, all); !reflect.DeepEqual(page, page2) {
			t.Fatalf("extracting twice differs:\n%s", cmp.Diff(page, page2))
		}
		refs := map[string]bool{}
		for _, e := range page.Entities {
			if err := stamped(e).Validate(); err != nil {
				t.Fatalf("entity %.80q: %v", e.Names, err)
			}
			if e.Ref == "" || refs[e.Ref] {
				t.Fatalf("entity %.80q: empty or repeated ref %q", e.Names, e.Ref)
			}
			refs[e.Ref] = true
		}
		for _, c := range page.Claims {
			if err := stamped(c).Validate(); err != nil {
				t.Fatalf("claim %s %s %s: %v", c.Subject, c.Relation, c.Object, err)
			}
			for _, ref := range []string{c.Subject, c.Object, c.Product} {
				if ref != "" && !refs[ref] {
					t.Fatalf("claim names %q, not an entity of the page", ref)
				}
			}
			for _, ev := range c.Evidence {
				if ev.Document != docID {
					t.Fatalf("claim cites %q, not the package", ev.Document)
				}
			}
		}
	})
}

// stamped gives a record the format version, as the writer does before
// it validates.
func stamped[R interface {
	records.Document | records.Entity | records.Claim
}](r R) interface{ Validate() error } {
	switch r := any(r).(type) {
	case records.Document:
		r.V = records.Version
		return r
	case records.Entity:
		r.V = records.Version
		return r
	case records.Claim:
		r.V = records.Version
		return r
	}
	panic("unreachable")
}
