package roundtrip_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
	"github.com/exportwatch/exportwatch/scrapers/screening"
)

// TestScreening loads every list format, scraped from a mirror through the
// registration (the counts are checked in the screening package), into
// the graph with the seed and asks whether the listed company was on a
// list on a given day.
//
// It scrapes and loads once, as the test it came from did, rather than
// through trip: a second load of these lists is not yet a no-op. The CSL
// gives the company twice (with its LEI and without), load resolves the
// two into one entity, and each load sets that entity's description to
// one listing's and then the other's, so trip's "the second load wrote
// something" fails (entities written 2) for a reason in package load, not
// in the source.
func TestScreening(t *testing.T) {
	srv := scrapertest.Screening(t)
	out := filepath.Join(t.TempDir(), "screening.jsonl")
	// The lists' URLs, fetched from the mirror.
	scrapertest.RunSource(t, screening.Source, out, srv.URL,
		"--csl", "https://lists.example.gov/consolidated.csv", "--csl", "https://lists.example.gov/consolidated.json",
		"--sdn", "https://lists.example.gov/sdn.csv", "--sdn", "https://lists.example.gov/sdn.xml")
	ctx := context.Background()
	s := graphtest.Seeded(t)
	if _, err := load.File(ctx, s, out, load.Options{}); err != nil {
		t.Fatal(err)
	}
	id := records.EntityID(records.Entity{Schema: "Company", Identifiers: map[string]string{"lei": "5493001KJTIIGC8Y1R12"}})
	cs, err := s.ClaimsOf(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	listedOn := func(day string) bool {
		for _, c := range cs {
			if c.Relation == "DESIGNATED" && c.Object == "body/us-ofac" && c.Start != "" && records.InForce(c.Start, c.End, day) {
				return true
			}
		}
		return false
	}
	if listedOn("2024-03-04") || !listedOn("2024-03-05") || !listedOn("2026-01-01") {
		t.Errorf("was it listed? 2024-03-04 %v, 2024-03-05 %v, 2026-01-01 %v (claims %d)", listedOn("2024-03-04"), listedOn("2024-03-05"), listedOn("2026-01-01"), len(cs))
	}
	for _, c := range cs {
		if len(c.Evidence) == 0 || c.Evidence[0].Document.SHA256 == "" || c.Evidence[0].Document.Archive == "" {
			t.Errorf("claim %s lacks an archived, hashed document", c.ID)
		}
	}
	bis, err := s.Entity(ctx, "body/us-bis")
	if err != nil || bis.Kind != "regulator" {
		t.Errorf("the listings' authority is not the seed's BIS: %+v %v", bis, err)
	}
}
