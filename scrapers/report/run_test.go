package report

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
)

func TestMain(m *testing.M) { os.Exit(graphtest.Main(m)) }

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
	// One sentence of the report makes a supply claim, quoted at its
	// paragraph, and one reports a shutdown; the sentence about the
	// researchers and the newspaper makes none.
	claims := scrapertest.Claims(t, out)
	if sum.Claims != 2 || sum.Incidents != 1 || len(claims) != 2 {
		t.Fatalf("claims: %d in the summary (%d incidents), %+v", sum.Claims, sum.Incidents, claims)
	}
	if o := claims[1]; o.Relation != "OCCURRED_IN" || o.Object != "country:BY" || o.Start != "2020-08-09" || o.End != "2020-08-12" || o.Evidence[0].Locator != "¶5" {
		t.Errorf("incident claim: %+v", o)
	}
	c := claims[0]
	if c.Relation != "SUPPLIED" || c.Subject != "company/sandvine" || c.Object != "body/by-ntec" || c.Status != "reported" ||
		c.Start != "2020" || c.Evidence[0].Locator != "¶3" || !strings.HasPrefix(c.Evidence[0].Quote, "According to documents seen by Example Watch") ||
		c.Extractor != "report/2" || !strings.Contains(c.Summary, "buyer obtained from the vendor") {
		t.Errorf("claim: %+v", c)
	}
	if _, err := load.File(context.Background(), graphtest.Store(t), out, load.Options{}); err != nil {
		t.Fatalf("the records do not load into an empty graph: %v", err)
	}
}
