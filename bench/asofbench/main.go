// Command asofbench measures reading the graph as of a moment against
// reading it as it is, in the same run on the same database: the
// suppliers of a country and the buyers of a vendor (with their claims),
// and an entity's claims, each read now (the direct edges and the supply
// index) and as of now (the claims, their reviews and names then), in
// interleaved rounds. It prints p50 and p99 of both and the ratio of the
// p50s. The graph is bench/graphbench's: the seed plus a generated graph.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"time"

	"github.com/exportwatch/exportwatch/bench/graphbench"
	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/records/synthetic"
)

func main() {
	g := graphbench.NewGraphFlags(10000, 50000)
	n := flag.Int("n", 50, "timed runs of each read")
	flag.Parse()
	if err := run(g.Entities, g.Claims, *n, g.Data); err != nil {
		log.Fatal(err)
	}
}

// pair is one question asked now and as of a moment; each returns how
// many rows it answered, so both can be checked to agree.
type pair struct {
	name      string
	now, asOf func(ctx context.Context) (int, error)
}

func run(entities, claims, n int, data string) error {
	ctx := context.Background()
	bench, err := graphbench.Prepare(ctx, data, entities, claims)
	if err != nil {
		return err
	}
	defer bench.Close()
	s := bench.Store
	at, err := graph.ParseAsOf(time.Now().UTC().Format(time.RFC3339Nano))
	if err != nil {
		return err
	}
	vendor := records.EntityID(synthetic.EntityOf(1))
	country := "country:" + graphbench.APICountry
	pairs := []pair{
		{"suppliers of " + graphbench.APICountry,
			func(ctx context.Context) (int, error) {
				ts, err := s.Suppliers(ctx, country, true, 100)
				return len(ts), err
			},
			func(ctx context.Context) (int, error) {
				ts, err := s.SuppliersAsOf(ctx, country, at, true, 100)
				return len(ts), err
			}},
		{"buyers of a vendor",
			func(ctx context.Context) (int, error) {
				ts, err := s.Buyers(ctx, vendor, true, 100)
				return len(ts), err
			},
			func(ctx context.Context) (int, error) {
				ts, err := s.BuyersAsOf(ctx, vendor, at, true, 100)
				return len(ts), err
			}},
		{"a vendor's claims",
			func(ctx context.Context) (int, error) { cs, err := s.ClaimsOf(ctx, vendor); return len(cs), err },
			func(ctx context.Context) (int, error) {
				cs, err := s.ClaimsOfAsOf(ctx, vendor, at)
				return len(cs), err
			}},
	}
	fmt.Printf("%-22s %8s %10s %10s %10s %10s %8s\n", "read", "rows", "now p50", "now p99", "asOf p50", "asOf p99", "ratio")
	for _, p := range pairs {
		// Both answer the same rows as of now; a warm-up round checks it.
		a, err := p.now(ctx)
		if err != nil {
			return fmt.Errorf("%s now: %w", p.name, err)
		}
		b, err := p.asOf(ctx)
		if err != nil {
			return fmt.Errorf("%s as of now: %w", p.name, err)
		}
		if a != b {
			return fmt.Errorf("%s: %d rows now, %d as of now", p.name, a, b)
		}
		var now, asOf []time.Duration
		for range n {
			for _, side := range []struct {
				fn  func(context.Context) (int, error)
				out *[]time.Duration
			}{{p.now, &now}, {p.asOf, &asOf}} {
				start := time.Now()
				if _, err := side.fn(ctx); err != nil {
					return fmt.Errorf("%s: %w", p.name, err)
				}
				*side.out = append(*side.out, time.Since(start))
			}
		}
		ln, la := graphbench.Summarise(now), graphbench.Summarise(asOf)
		fmt.Printf("%-22s %8d %10s %10s %10s %10s %8.2f\n", p.name, a, graphbench.Ms(ln.P50), graphbench.Ms(ln.P99),
			graphbench.Ms(la.P50), graphbench.Ms(la.P99), float64(la.P50)/float64(ln.P50))
	}
	return nil
}
