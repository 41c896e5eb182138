package usaspending_test

import (
	"context"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
	"github.com/exportwatch/exportwatch/scrapers/usaspending"
)

func scrape(t *testing.T, base, out string) (usaspending.Summary, []string) {
	t.Helper()
	var sum usaspending.Summary
	problems := scrapertest.Run(t, "usaspending", out, base, func(env *scrapers.Env) (err error) {
		sum, err = usaspending.Run(context.Background(), env, usaspending.Options{Keywords: []string{"lawful interception"}})
		return err
	})
	return sum, problems
}

// TestSearchAwards searches, reads the awards found and checks their
// records; loading them is in package roundtrip (TestUSAspending).
func TestSearchAwards(t *testing.T) {
	srv, searches := scrapertest.USAspending(t, false)
	out := filepath.Join(t.TempDir(), "r.jsonl")
	sum, problems := scrape(t, srv.URL, out)
	if sum.SearchPages != 2 || sum.Awards != 2 || sum.Skipped != 1 || sum.Claims != 4 {
		t.Fatalf("summary: %+v", sum)
	}
	if len(problems) != 1 || !strings.Contains(problems[0], "CONT_AWD_HSCEMD15C00012") || !strings.Contains(problems[0], "not an award page") {
		t.Fatalf("problems: %v", problems)
	}
	first := (*searches)[0]
	filters := first["filters"].(map[string]any)
	if first["page"] != 1.0 || filters["keywords"].([]any)[0] != "lawful interception" || len(filters["award_type_codes"].([]any)) != 4 {
		t.Fatalf("search request: %v", first)
	}

	rels := map[string]int{}
	for _, l := range scrapertest.Records(t, out) {
		if c := l.Claim; c != nil {
			rels[c.Relation]++
			if c.Relation == records.RelSupplied && (*c.Value != 1843250.75 || c.Currency != "USD" || c.Start != "2021-09-24" ||
				c.End != "2022-09-23" || c.Evidence[0].Quote != "LAWFUL INTERCEPTION SYSTEM SUPPORT AND MAINTENANCE") {
				t.Errorf("supplied: %+v", c)
			}
		}
		if e := l.Entity; e != nil && e.Schema == records.SchemaCompany && e.Names[0] == "VERINT AMERICAS INC." &&
			(e.Identifiers["uei"] != "ZX9Y8W7V6U5T" || e.Identifiers["duns"] != "123456789" || e.Country != "US") {
			t.Errorf("recipient: %+v", e)
		}
		if e := l.Entity; e != nil && e.Schema == records.SchemaPublicBody && strings.EqualFold(e.Names[0], "ICE HOMELAND SECURITY INVESTIGATIONS") &&
			(e.Names[0] != "ICE HOMELAND SECURITY INVESTIGATIONS" || e.Country != "US" || e.Kind != "agency") {
			t.Errorf("office: %+v", e)
		}
	}
	if rels[records.RelSupplied] != 1 || rels[records.RelPartOf] != 2 || rels[records.RelSubsidiaryOf] != 1 {
		t.Fatalf("claims by relation: %v", rels)
	}
}

func TestSearchPaginationLoop(t *testing.T) {
	srv, _ := scrapertest.USAspending(t, true)
	out := filepath.Join(t.TempDir(), "r.jsonl")
	sum, problems := scrape(t, srv.URL, out)
	if sum.SearchPages != 2 || !strings.Contains(strings.Join(problems, "\n"), "pagination loop: page 2 repeats page 1") {
		t.Fatalf("summary: %+v, problems: %v", sum, problems)
	}
	if sum.Claims != 4 {
		t.Fatalf("the awards of the first page were not read: %+v", sum)
	}
}

// BenchmarkParse reports parse throughput (MB/s) and claims/s over the
// award pages.
func BenchmarkParse(b *testing.B) {
	bodies, size := scrapertest.Fixtures(b, "award-verint.json", "award-janitorial.json")
	filter, err := scrapers.DefaultFilter()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	claims := 0
	for b.Loop() {
		for _, body := range bodies {
			a, err := usaspending.ParseAward(body)
			if err != nil {
				b.Fatal(err)
			}
			_, cs, _ := usaspending.Extract(a, "doc:0123456789abcdef0123", filter)
			claims += len(cs)
		}
	}
	b.ReportMetric(float64(claims)/b.Elapsed().Seconds(), "claims/s")
}

// TestRegistration runs the source as the scrape command does, and checks
// its flags.
func TestRegistration(t *testing.T) {
	srv, _ := scrapertest.USAspending(t, false)
	out := filepath.Join(t.TempDir(), "r.jsonl")
	line, problems := scrapertest.RunSource(t, usaspending.Source, out, srv.URL, "--keyword", "lawful interception")
	if want := "2 search pages, 2 awards read, 4 claims, 1 awards skipped by the filter"; line != want || len(problems) != 1 {
		t.Fatalf("summary %q, problems %v", line, problems)
	}
	src := usaspending.Source.New()
	src.Flags(flag.NewFlagSet("usaspending", flag.ContinueOnError))
	if err := src.Check(&scrapers.Env{}); err == nil || err.Error() != "give a --keyword, a --recipient or an --award" {
		t.Fatalf("no flags: %v", err)
	}
}
