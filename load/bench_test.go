package load_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/exportwatch/exportwatch/bench/graphbench"
	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/records/synthetic"
)

// benchClaims is the size of the generated file; EXPORTWATCH_BENCH_CLAIMS
// overrides it (bench/run.sh uses 100000).
func benchClaims(b *testing.B) int {
	n := 20000
	if v := os.Getenv("EXPORTWATCH_BENCH_CLAIMS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatal(err)
		}
	}
	return n
}

func benchFile(b *testing.B, claims int) string {
	path := filepath.Join(b.TempDir(), "bench.jsonl")
	if err := synthetic.WriteFile(path, synthetic.Size{Claims: claims, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkWriter loads a generated file through the real path (validation,
// MERGE, evidence, edge upkeep) and, in the same run and on the same
// database, writes the same rows with a bare UNWIND … CREATE: no idempotence,
// no edge upkeep. It reports claims/s for both and their ratio.
func BenchmarkWriter(b *testing.B) {
	claims := benchClaims(b)
	path := benchFile(b, claims)
	warm := benchFile(b, 5000)
	for _, batch := range []int{250, 1000, 5000} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			s := graphtest.Store(b)
			ctx := context.Background()
			// Warm both paths up first: the JVM compiles and Neo4j plans the
			// queries of whichever runs first, which would tilt the ratio.
			if _, err := load.File(ctx, s, warm, load.Options{BatchSize: batch}); err != nil {
				b.Fatal(err)
			}
			if err := s.Reset(ctx); err != nil {
				b.Fatal(err)
			}
			if err := graphbench.BareCreate(ctx, graphtest.URI(), warm, batch); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			var writer, baseline time.Duration
			for range b.N {
				if err := s.Reset(ctx); err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				sum, err := load.File(ctx, s, path, load.Options{BatchSize: batch})
				if err != nil {
					b.Fatal(err)
				}
				writer += time.Since(start)
				if sum.Claims.Written == 0 {
					b.Fatal("nothing written")
				}
				if err := s.Reset(ctx); err != nil {
					b.Fatal(err)
				}
				start = time.Now()
				if err := graphbench.BareCreate(ctx, graphtest.URI(), path, batch); err != nil {
					b.Fatal(err)
				}
				baseline += time.Since(start)
			}
			wRate := float64(claims*b.N) / writer.Seconds()
			bRate := float64(claims*b.N) / baseline.Seconds()
			b.ReportMetric(wRate, "claims/s")
			b.ReportMetric(bRate, "baseline-claims/s")
			b.ReportMetric(wRate/bRate, "ratio")
		})
	}
}
