package roundtrip_test

import (
	"context"
	"testing"

	"github.com/exportwatch/exportwatch/scrapers/ocds"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
)

func TestOCDS(t *testing.T) {
	srv := scrapertest.OCDS(t)
	// The real publisher's URLs, fetched from the mirror.
	s, sum, _ := trip(t, ocds.Source, srv.URL, false,
		"--url", "https://ocds.example.gov/ocds/release-package-1.json", "--url", "https://ocds.example.gov/ocds/record-package.json")
	if sum.Claims.Written != 3 {
		t.Fatalf("load: %s", sum)
	}
	c, err := s.Counts(context.Background())
	if err != nil || c.Relationships["SUPPLIED"] != 3 {
		t.Fatalf("SUPPLIED edges: %v %v", c.Relationships, err)
	}
}
