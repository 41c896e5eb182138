package roundtrip_test

import (
	"testing"

	"github.com/exportwatch/exportwatch/scrapers/report"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
)

// TestReport: the feed's report and PDF, a scanned PDF and a page without
// text, scraped from the NGO's mirror (the records are checked in the
// report package), load into an empty graph.
func TestReport(t *testing.T) {
	srv := scrapertest.Report(t)
	// The real site's URLs, fetched from the mirror.
	_, sum, _ := trip(t, report.Source, srv.URL, false,
		"--feed", "https://www.example-watch.org/feed.atom", "--url", "https://www.example-watch.org/files/scan.pdf",
		"--url", "https://www.example-watch.org/empty", "--url", "https://www.example-watch.org/reports/1")
	if sum.Claims.Written != 2 {
		t.Fatalf("the records do not load into an empty graph: %s", sum)
	}
}
