package scrapertest

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/go-pdf/fpdf"
)

// Report mirrors an NGO's site (www.example-watch.org): an Atom feed at
// /feed.atom whose items are an HTML report (/reports/1, the report
// testdata's article.html) and a PDF with text (/files/report.pdf); a
// scanned PDF without text (/files/scan.pdf) and a page without main text
// (/empty). It also serves the held-out pages, the report testdata's
// heldout/ROUND/PAGE, at /heldout/ROUND/PAGE.
func Report(t testing.TB) *httptest.Server {
	t.Helper()
	mux, srv := Mirror(t)
	pdfBody := ReportPDF(t, "The equipment was obtained by the National Traffic Exchange Center. It was used from August 2020.")
	scan := ReportPDF(t, "")
	mux.HandleFunc("GET /feed.atom", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/atom+xml")
		w.Write([]byte(`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Example Watch</title><id>urn:example:feed</id><updated>2021-09-20T08:00:00Z</updated>
<entry><title>Report</title><id>urn:example:1</id><updated>2021-09-20T08:00:00Z</updated><link href="https://www.example-watch.org/reports/1"/></entry>
<entry><title>PDF</title><id>urn:example:2</id><updated>2021-09-21T08:00:00Z</updated><link href="https://www.example-watch.org/files/report.pdf"/></entry>
</feed>`))
	})
	mux.HandleFunc("GET /reports/1", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, Testdata("report", "article.html"))
	})
	mux.HandleFunc("GET /empty", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, Testdata("report", "empty.html"))
	})
	for path, body := range map[string][]byte{"/files/report.pdf": pdfBody, "/files/scan.pdf": scan} {
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/pdf")
			w.Write(body)
		})
	}
	mux.HandleFunc("GET /heldout/{round}/{page}", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, Testdata("report", filepath.Join("heldout", r.PathValue("round"), r.PathValue("page"))))
	})
	return srv
}

// ReportPDF writes a PDF with the given pages of text; an empty page gets
// a grey rectangle only, as a scan's image would.
func ReportPDF(t testing.TB, pages ...string) []byte {
	t.Helper()
	p := fpdf.New("P", "mm", "A4", "")
	p.SetFont("Helvetica", "", 11)
	for _, text := range pages {
		p.AddPage()
		if text == "" {
			p.SetFillColor(200, 200, 200)
			p.Rect(20, 20, 170, 250, "F")
			continue
		}
		p.MultiCell(0, 6, text, "", "L", false)
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
