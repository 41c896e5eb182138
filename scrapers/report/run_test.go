package report

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
)

// TestRunReadsFeedsPagesAndPDFs: an Atom feed's items (an HTML report and
// a PDF), a scanned PDF and a page without text, from a mirror; each page
// read gets its document record, the others are reported.
func TestRunReadsFeedsPagesAndPDFs(t *testing.T) {
	mux, srv := scrapertest.Mirror(t)
	pdfBody := makePDF(t, "The equipment was obtained by the National Traffic Exchange Center. It was used from August 2020.")
	scan := makePDF(t, "")
	mux.HandleFunc("GET /feed.atom", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/atom+xml")
		w.Write([]byte(`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Example Watch</title><id>urn:example:feed</id><updated>2021-09-20T08:00:00Z</updated>
<entry><title>Report</title><id>urn:example:1</id><updated>2021-09-20T08:00:00Z</updated><link href="https://www.example-watch.org/reports/1"/></entry>
<entry><title>PDF</title><id>urn:example:2</id><updated>2021-09-21T08:00:00Z</updated><link href="https://www.example-watch.org/files/report.pdf"/></entry>
</feed>`))
	})
	mux.HandleFunc("GET /reports/1", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, filepath.Join("testdata", "article.html"))
	})
	mux.HandleFunc("GET /empty", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, filepath.Join("testdata", "empty.html"))
	})
	for path, body := range map[string][]byte{"/files/report.pdf": pdfBody, "/files/scan.pdf": scan} {
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/pdf")
			w.Write(body)
		})
	}
	out := filepath.Join(t.TempDir(), "reports.jsonl")
	var sum Summary
	scrapertest.Run(t, "report", out, func(c *scrapers.Collector, o *scrapers.Output, _ scrapers.Filter) (err error) {
		sum, err = Run(context.Background(), c, o, Options{BaseURL: srv.URL, Feeds: []string{"https://www.example-watch.org/feed.atom"},
			URLs: []string{"https://www.example-watch.org/files/scan.pdf", "https://www.example-watch.org/empty", "https://www.example-watch.org/reports/1"}})
		return err
	})
	if sum.Feeds != 1 || sum.Pages != 2 || sum.PDFs != 1 || sum.Sentences < 5 || len(sum.Problems) != 2 {
		t.Fatalf("summary: %+v", sum)
	}
	problems := strings.Join(sum.Problems, "\n")
	if !strings.Contains(problems, "scan.pdf: the PDF holds no text") || !strings.Contains(problems, "empty: no main text") {
		t.Errorf("problems: %s", problems)
	}
	var titles []string
	for _, l := range scrapertest.Records(t, out) {
		if l.Document != nil {
			titles = append(titles, l.Document.Title+" | "+l.Document.Publisher+" | "+l.Document.Published)
			if l.Document.SHA256 == "" || l.Document.Archive == "" {
				t.Errorf("document without hash or archive: %+v", l.Document)
			}
		}
	}
	if len(titles) != 2 || !strings.Contains(strings.Join(titles, "\n"), "Surveillance exports to Example Republic (test fixture) | Example Watch | 2021-09-20") {
		t.Errorf("documents: %q", titles)
	}
}
