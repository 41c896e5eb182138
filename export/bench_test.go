package export

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/exportwatch/exportwatch/bench/graphbench"
	"github.com/exportwatch/exportwatch/graph"
)

// generated is a Source that makes a graph up as it streams it: claims
// claims, a fifth as many entities, a tenth as many documents, half as many
// edges. Nothing is kept, so whatever memory an export holds is its own.
type generated struct{ claims int }

func (g generated) EachEntity(ctx context.Context, fn func(graph.Entity) error) error {
	for i := range g.claims / 5 {
		schema := []string{"Company", "PublicBody", "Product"}[i%3]
		e := graph.Entity{ID: fmt.Sprintf("gen/%d", i), Schema: schema, Name: fmt.Sprintf("Entity %d Ltd.", i),
			Aliases: []string{fmt.Sprintf("Entity %d", i)}, Country: "AZ", Identifiers: map[string]string{"lei": fmt.Sprintf("5299%016d", i)},
			Description: "A generated entity with a description of ordinary length for a registry extract.", Sources: []string{fmt.Sprintf("doc:%d", i%(g.claims/10))}}
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

func (g generated) EachDocument(ctx context.Context, fn func(graph.Document) error) error {
	for i := range g.claims / 10 {
		d := graph.Document{ID: fmt.Sprintf("doc:%d", i), URL: fmt.Sprintf("https://example.org/reports/%d", i),
			Title: fmt.Sprintf("Report number %d on surveillance exports", i), Publisher: "Example Watch", Published: "2021-09-20",
			Retrieved: "2026-11-01T10:00:00Z", SHA256: fmt.Sprintf("%064x", i), Archive: fmt.Sprintf("crawl-%d.warc.gz#urn:uuid:%d", i/1000, i), Origin: "fetched"}
		if err := fn(d); err != nil {
			return err
		}
	}
	return nil
}

func (g generated) EachClaim(ctx context.Context, fn func(graph.Claim) error) error {
	n := g.claims / 5
	for i := range g.claims {
		v := float64(i * 1000)
		s, o := fmt.Sprintf("gen/%d", i%n), fmt.Sprintf("gen/%d", (i*7+1)%n)
		c := graph.Claim{ID: fmt.Sprintf("claim:%d", i), Relation: "SUPPLIED", Subject: s, Object: o, Stance: "asserts",
			Status: "reported", Confidence: 0.8, Start: "2019", Stage: "in_use", Value: &v, Currency: "USD", Extractor: "bench/1",
			Summary: "A generated supply claim.",
			Evidence: []graph.Evidence{{Quote: "the government used surveillance technology purchased from foreign companies",
				Locator: "¶" + strconv.Itoa(i%40), Document: graph.Document{ID: fmt.Sprintf("doc:%d", i%(g.claims/10)), URL: "https://example.org/reports/1"}}},
			Ends: []graph.Entity{{ID: s, Schema: "Company", Name: "Vendor"}, {ID: o, Schema: "PublicBody", Name: "Ministry"}}}
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}

func (g generated) EachEdge(ctx context.Context, fn func(graph.Edge) error) error {
	n := g.claims / 5
	for i := range g.claims / 2 {
		e := graph.Edge{Type: "SUPPLIED", From: fmt.Sprintf("gen/%d", i%n), To: fmt.Sprintf("gen/%d", (i*7+1)%n),
			Claims: []string{fmt.Sprintf("claim:%d", i), fmt.Sprintf("claim:%d", i+1)}, Status: "reported", Confidence: 0.8, First: "2019", Last: "2020"}
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// BenchmarkExport writes a generated graph (EXPORTWATCH_BENCH_EXPORT_CLAIMS
// claims, default 1,000,000) in every format, beside a baseline in the
// same run: every entity, document, claim and edge as bare JSON lines
// (encoding/json, no format logic). It reports items/s (entities,
// documents, claims and edges the format takes), the ratio to the
// baseline's items/s, output size and the peak live heap, which stays flat
// however large the graph.
func BenchmarkExport(b *testing.B) {
	claims := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("EXPORTWATCH_BENCH_EXPORT_CLAIMS")); err == nil && v > 0 {
		claims = v
	}
	src := generated{claims: claims}
	ctx := context.Background()
	run := func(b *testing.B, write func(io.Writer) (Stats, error)) (float64, float64, int64) {
		var rate float64
		var peak uint64
		var size int64
		for b.Loop() {
			runtime.GC()
			w := &countingWriter{}
			stop := graphbench.PeakHeap()
			start := time.Now()
			st, err := write(w)
			if err != nil {
				b.Fatal(err)
			}
			rate = float64(st.Entities+st.Documents+st.Claims+st.Edges) / time.Since(start).Seconds()
			peak = max(peak, stop())
			size = w.n
		}
		return rate, float64(peak) / (1 << 20), size
	}
	var baseline float64
	b.Run("baseline-json-lines", func(b *testing.B) {
		rate, peak, size := run(b, func(w io.Writer) (Stats, error) {
			var st Stats
			enc := json.NewEncoder(w)
			err := errors.Join(
				src.EachEntity(ctx, func(e graph.Entity) error { st.Entities++; return enc.Encode(e) }),
				src.EachDocument(ctx, func(d graph.Document) error { st.Documents++; return enc.Encode(d) }),
				src.EachClaim(ctx, func(c graph.Claim) error { st.Claims++; return enc.Encode(c) }),
				src.EachEdge(ctx, func(e graph.Edge) error { st.Edges++; return enc.Encode(e) }))
			return st, err
		})
		baseline = rate
		b.ReportMetric(rate, "items/s")
		b.ReportMetric(peak, "peak-heap-MiB")
		b.ReportMetric(float64(size)/(1<<20), "MiB-out")
	})
	for _, f := range []Format{FTM, GraphML, Cypher, BibTeX, CSV} {
		b.Run(string(f), func(b *testing.B) {
			rate, peak, size := run(b, func(w io.Writer) (Stats, error) {
				if f != CSV {
					return Write(ctx, src, f, w)
				}
				dir := b.TempDir()
				st, err := WriteCSV(ctx, src, dir)
				for name := range CSVFiles {
					if fi, serr := os.Stat(filepath.Join(dir, name)); serr == nil {
						w.(*countingWriter).n += fi.Size()
					}
				}
				return st, err
			})
			b.ReportMetric(rate, "items/s")
			if baseline > 0 {
				b.ReportMetric(rate/baseline, "x-baseline")
			}
			b.ReportMetric(peak, "peak-heap-MiB")
			b.ReportMetric(float64(size)/(1<<20), "MiB-out")
		})
	}
}
