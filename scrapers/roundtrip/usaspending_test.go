package roundtrip_test

import (
	"context"
	"testing"

	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
	"github.com/exportwatch/exportwatch/scrapers/usaspending"
)

// TestUSAspending loads the awards a keyword search finds: the recipient
// is SUBSIDIARY_OF its parent in the graph.
func TestUSAspending(t *testing.T) {
	srv, _ := scrapertest.USAspending(t, false)
	s, _, _ := trip(t, usaspending.Source, srv.URL, false, "--keyword", "lawful interception")
	ps, err := s.ShortestPaths(context.Background(), "company:uei:zx9y8w7v6u5t", "company:uei:ab1c2d3e4f5g", nil, 2, "", false, 5)
	if err != nil || len(ps) != 1 {
		t.Fatalf("recipient to parent: %v %v", ps, err)
	}
}
