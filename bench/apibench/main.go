// Command apibench measures six representative GraphQL queries, sent over
// HTTP to the real API, against the same answers fetched with hand-written
// Cypher through the Go driver (graph/graphbench), in the same run on the
// same database: the seed plus a generated graph (by default 100,000
// entities and 500,000 claims). It prints p50, p99 and throughput for both
// and the ratio of the p50s. Run it with bench/api.sh.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/exportwatch/exportwatch/api"
	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphbench"
	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/records/synthetic"
	"github.com/exportwatch/exportwatch/seed"
)

func main() {
	entities := flag.Int("entities", 100000, "generated entities")
	claims := flag.Int("claims", 500000, "generated claims")
	n := flag.Int("n", 100, "timed runs of each query")
	flag.Parse()
	if err := run(*entities, *claims, *n); err != nil {
		log.Fatal(err)
	}
}

func run(entities, claims, n int) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "exportwatch-apibench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	srv, err := graphtest.StartBundled(ctx, dir)
	if err != nil {
		return err
	}
	defer srv.Stop(context.Background())
	store, err := graph.Open(ctx, graph.Options{URI: srv.URI(), Timeout: 30 * time.Second})
	if err != nil {
		return err
	}
	defer store.Close(ctx)
	if err := store.EnsureSchema(ctx); err != nil {
		return err
	}

	seedFile, genFile := filepath.Join(dir, "seed.jsonl"), filepath.Join(dir, "gen.jsonl")
	if err := writeFile(seedFile, seed.Write); err != nil {
		return err
	}
	if err := writeFile(genFile, func(w io.Writer) error {
		return synthetic.Write(w, synthetic.Size{Claims: claims, Entities: entities, Seed: 3})
	}); err != nil {
		return err
	}
	for _, f := range []string{seedFile, genFile} {
		start := time.Now()
		sum, err := load.File(ctx, store, f, load.Options{BatchSize: 1000})
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "loaded %d claims, %d entities in %s\n", sum.Claims.Written, sum.Entities.Written, time.Since(start).Round(time.Second))
	}

	opt := api.Defaults()
	opt.Limits.RatePerSecond = 0 // measure the queries, not the limiter
	ts := httptest.NewServer(api.Handler(store, opt))
	defer ts.Close()
	driver, err := neo4j.NewDriverWithContext(srv.URI(), neo4j.NoAuth())
	if err != nil {
		return err
	}
	defer driver.Close(ctx)

	vendor := records.EntityID(synthetic.EntityOf(1))
	ministry := records.EntityID(synthetic.EntityOf(3))
	gql := []string{
		`{ search(query: "Vendor 1234", first: 10) { score entity { id name } } }`,
		fmt.Sprintf(`{ entity(id: %q) { name claims { relation status subject { name } object { name } evidence { quote document { url publisher } } } } }`, vendor),
		`{ suppliers(of: "AZ") { from { name } to { name } status claims { id evidence { quote document { url } } } } }`,
		fmt.Sprintf(`{ buyers(of: %q) { to { name } status claims { id evidence { quote document { url } } } } }`, vendor),
		fmt.Sprintf(`{ paths(from: %q, to: %q, maxHops: 4) { nodes { name } hops { relation claims { id evidence { quote document { url } } } } } }`, vendor, ministry),
		fmt.Sprintf(`{ neighbourhood(id: %q, depth: 2, limit: 50) { nodes { id name } edges { relation status from { id } to { id } } } }`, vendor),
	}
	baselines := graphbench.APIBaselines("Vendor 1234", vendor, "AZ", vendor, ministry)

	fmt.Printf("%-36s %10s %10s %10s   %10s %10s %10s   %s\n", "query", "api p50", "api p99", "api q/s", "cypher p50", "cypher p99", "cypher q/s", "p50 ratio")
	for i, q := range gql {
		apiTimes, err := measure(n, func() error { return postQuery(ts.URL, q) })
		if err != nil {
			return fmt.Errorf("%s over HTTP: %w", baselines[i].Name, err)
		}
		cyTimes, err := measure(n, func() error { _, err := graphbench.Run(ctx, driver, baselines[i]); return err })
		if err != nil {
			return err
		}
		a, c := stats(apiTimes), stats(cyTimes)
		fmt.Printf("%-36s %10s %10s %10.0f   %10s %10s %10.0f   %.2f\n", baselines[i].Name, a.p50, a.p99, a.qps, c.p50, c.p99, c.qps,
			float64(a.p50)/float64(c.p50))
	}
	return nil
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func postQuery(url, q string) error {
	body, _ := json.Marshal(map[string]string{"query": q})
	resp, err := http.Post(url+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var out struct {
		Errors []struct{ Message string } `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return err
	}
	if len(out.Errors) > 0 {
		return fmt.Errorf("%s", out.Errors[0].Message)
	}
	return nil
}

// measure runs fn a few times to warm up, then n times timed, one after
// another (latency, not load).
func measure(n int, fn func() error) ([]time.Duration, error) {
	for range 5 {
		if err := fn(); err != nil {
			return nil, err
		}
	}
	out := make([]time.Duration, n)
	for i := range n {
		start := time.Now()
		if err := fn(); err != nil {
			return nil, err
		}
		out[i] = time.Since(start)
	}
	return out, nil
}

type summary struct {
	p50, p99 time.Duration
	qps      float64
}

func stats(ts []time.Duration) summary {
	s := slices.Clone(ts)
	slices.Sort(s)
	var total time.Duration
	for _, t := range s {
		total += t
	}
	round := func(d time.Duration) time.Duration { return d.Round(10 * time.Microsecond) }
	return summary{p50: round(s[len(s)/2]), p99: round(s[(len(s)*99)/100]), qps: float64(len(s)) / total.Seconds()}
}
