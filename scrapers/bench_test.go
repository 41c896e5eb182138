package scrapers_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/exportwatch/exportwatch/scrapers"
)

// BenchmarkCrawl fetches 2,000 pages from a local server through the
// collector (rate limit lifted, archiving on) and, in the same run, with a
// bare net/http loop, and reports both rates and their ratio: the
// collector's overhead.
func BenchmarkCrawl(b *testing.B) {
	const pages = 2000
	page := strings.Repeat("<p>procurement notice text</p>\n", 300) // about 10 KiB
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, page)
	}))
	defer srv.Close()
	url := func(i int) string { return fmt.Sprintf("%s/notice/%d", srv.URL, i) }

	var collector, bare time.Duration
	for range b.N {
		cfg := scrapers.Defaults()
		cfg.Source, cfg.RatePerHost, cfg.ArchiveDir = "bench", 1e9, b.TempDir()
		c, err := scrapers.New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		for i := range pages {
			if _, err := c.Fetch(context.Background(), scrapers.Request{URL: url(i), Accept: []string{"text/html"}}); err != nil {
				b.Fatal(err)
			}
		}
		if err := c.Close(); err != nil {
			b.Fatal(err)
		}
		collector += time.Since(start)

		client := &http.Client{Timeout: time.Minute}
		start = time.Now()
		for i := range pages {
			resp, err := client.Get(url(i))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.ReadAll(resp.Body); err != nil {
				b.Fatal(err)
			}
			resp.Body.Close()
		}
		bare += time.Since(start)
	}
	cRate := float64(pages*b.N) / collector.Seconds()
	bRate := float64(pages*b.N) / bare.Seconds()
	b.ReportMetric(cRate, "pages/s")
	b.ReportMetric(bRate, "bare-pages/s")
	b.ReportMetric(cRate/bRate, "ratio")
}
