package report

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/exportwatch/exportwatch/extract"
	"github.com/exportwatch/exportwatch/sentence"
)

// roundPages are the text blocks of the pages of rounds 1 to 4, page by
// page: the text both extractors are timed on (not the held-out round,
// which only its own test reads).
func roundPages(b *testing.B) [][]Block {
	pages, err := filepath.Glob(filepath.Join("testdata", "heldout", "round[1-4]", "*.html"))
	if err != nil || len(pages) == 0 {
		b.Fatalf("pages: %v %v", pages, err)
	}
	var out [][]Block
	for _, p := range pages {
		body, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		a, err := Extract(body, "text/html; charset=utf-8", "https://reports.example.org/"+filepath.Base(p))
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, a.Blocks)
	}
	return out
}

// BenchmarkExtractors times both extractors on the rounds' pages, as Run
// reads a page: the patterns (sentence.Split and Gazetteer.Extract) as the
// baseline, and the parsed extractor (the sentences that may state a
// claim parsed by spaCy, a page per request, then Gazetteer.ExtractParsed).
// sentences/s counts every sentence of the pages. The parsed extractor's
// worker runs in step with the caller, so one core works at a time.
func BenchmarkExtractors(b *testing.B) {
	pages := roundPages(b)
	g, err := extract.SeedGazetteer()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("patterns", func(b *testing.B) {
		n := 0
		for b.Loop() {
			for _, blocks := range pages {
				for _, bl := range blocks {
					for _, s := range sentence.Split(bl.Text) {
						g.Extract(s)
						n++
					}
				}
			}
		}
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "sentences/s")
	})
	b.Run("parsed", func(b *testing.B) {
		w := parser(b)
		n := 0
		for b.Loop() {
			for _, blocks := range pages {
				paras, err := splitPage(context.Background(), blocks, w)
				if err != nil {
					b.Fatal(err)
				}
				var d extract.Discourse
				for _, para := range paras {
					for _, ps := range para {
						if ps.parse != nil {
							g.ExtractParsed(ps.parse, &d)
						} else {
							d.Note(g, ps.text)
						}
						n++
					}
				}
			}
		}
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "sentences/s")
	})
}
