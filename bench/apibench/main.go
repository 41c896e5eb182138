// Command apibench measures six representative GraphQL queries, sent over
// HTTP to the real API, against the same answers fetched with hand-written
// Cypher through the Go driver (bench/graphbench), in the same run on the
// same database: the seed plus a generated graph (by default 100,000
// entities and 500,000 claims). It prints p50, p99 and throughput for both,
// the p50 of the API's own statement called on the store, the mean CPU
// this process spends per request in the API and in that statement, and the
// ratio of the p50s. Run it with bench/api.sh.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/exportwatch/exportwatch/api"
	"github.com/exportwatch/exportwatch/bench/graphbench"
	"github.com/exportwatch/exportwatch/graph"
)

func main() {
	g := graphbench.NewGraphFlags(100000, 500000)
	n := flag.Int("n", 100, "timed runs of each query")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the timed rounds (this process: the API, its driver and the clients) to this file")
	flag.Parse()
	if err := run(g.Entities, g.Claims, *n, g.Data, *cpuProfile); err != nil {
		log.Fatal(err)
	}
}

func run(entities, claims, n int, data, cpuProfile string) error {
	ctx := context.Background()
	bench, err := graphbench.Prepare(ctx, data, entities, claims)
	if err != nil {
		return err
	}
	defer bench.Close()
	// The API runs in this process: measure it as it is served, once the
	// graph is loaded.
	if err := api.TuneGC(); err != nil {
		return err
	}
	srv, store := bench.Server, bench.Store

	opt := api.Defaults()
	opt.Limits.RatePerSecond = 0 // measure the queries, not the limiter
	// The timed rounds ask each query again and again, which the response
	// cache would answer from memory: this measures computing an answer
	// (bench/peer.sh times the API with its cache too).
	opt.ResponseCacheBytes = 0
	ts := httptest.NewServer(api.Handler(store, opt))
	defer ts.Close()
	driver, err := neo4j.NewDriverWithContext(srv.URI(), neo4j.NoAuth())
	if err != nil {
		return err
	}
	defer driver.Close(ctx)

	vendor, ministry, err := graphbench.APITargets(ctx, driver)
	if err != nil {
		return err
	}
	var gql []string
	for _, q := range graphbench.APIQueries(vendor, ministry) {
		gql = append(gql, q.Text)
	}
	baselines := graphbench.APIBaselines(graph.TypeAheadQuery(graphbench.APISearch), vendor, graphbench.APICountry, vendor, ministry)
	// The statement the API runs for each query, called on the store
	// directly: it splits the API's time into the database's and the
	// GraphQL layer's.
	statements := []func() error{
		func() error { _, err := store.Search(ctx, graphbench.APISearch, nil, 10); return err },
		func() error { _, _, err := store.EntityWithFirstClaims(ctx, vendor, 101); return err },
		func() error { _, err := store.Suppliers(ctx, "country:"+graphbench.APICountry, true, 100); return err },
		func() error { _, err := store.Buyers(ctx, vendor, true, 100); return err },
		func() error { _, err := store.ShortestPaths(ctx, vendor, ministry, nil, 4, "", true, 5); return err },
		func() error { _, err := store.Neighbourhood(ctx, vendor, 2, 50, nil); return err },
	}
	// Type-ahead as a person types: a prefix, a typo, another script.
	for _, typed := range typeAhead {
		gql = append(gql, fmt.Sprintf(`{ search(query: %q, first: 8) { matched entity { id name type country } } }`, typed))
		baselines = append(baselines, graphbench.SearchBaseline(fmt.Sprintf("type-ahead %q", typed), graph.TypeAheadQuery(typed)))
		statements = append(statements, func() error { _, err := store.Search(ctx, typed, nil, 8); return err })
	}

	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	fmt.Printf("%-36s %10s %10s %10s   %10s %10s %10s   %10s   %10s %10s   %s\n", "query", "api p50", "api p99", "api q/s",
		"cypher p50", "cypher p99", "cypher q/s", "store p50", "api CPU", "store CPU", "p50 ratio")
	for i, q := range gql {
		times, cpu, err := measure(n, func() error { return postQuery(ts.URL, q) },
			func() error { _, err := graphbench.Run(ctx, driver, baselines[i]); return err },
			statements[i])
		if err != nil {
			return fmt.Errorf("%s: %w", baselines[i].Name, err)
		}
		a, c, st := graphbench.Summarise(times[0]), graphbench.Summarise(times[1]), graphbench.Summarise(times[2])
		budget := ""
		if strings.HasPrefix(baselines[i].Name, "type-ahead") || baselines[i].Name == "search" {
			budget = fmt.Sprintf("   within the %s budget: %v", typeAheadBudget, a.P50 <= typeAheadBudget)
		}
		fmt.Printf("%-36s %10s %10s %10.0f   %10s %10s %10.0f   %10s   %10s %10s   %.2f%s\n", baselines[i].Name,
			graphbench.Ms(a.P50), graphbench.Ms(a.P99), a.PerSecond, graphbench.Ms(c.P50), graphbench.Ms(c.P99), c.PerSecond,
			graphbench.Ms(st.P50), graphbench.Ms(cpu[0]), graphbench.Ms(cpu[2]), float64(a.P50)/float64(c.P50), budget)
	}
	// What the graph costs to hold, for the scaling curve: the store on
	// disk and the database's resident memory after the timed rounds.
	disk, err := dirSize(filepath.Join(bench.Dir, "neo4j", "data"))
	if err != nil {
		return err
	}
	rss, err := residentMiB(srv.PID())
	if err != nil {
		return err
	}
	fmt.Printf("store on disk %.0f MiB; Neo4j resident %d MiB\n", float64(disk)/(1<<20), rss)
	return nil
}

// dirSize is the bytes of the files under dir.
func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			n += info.Size()
		}
		return err
	})
	return n, err
}

// residentMiB is a process's resident set (VmRSS) in MiB.
func residentMiB(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "VmRSS:" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			return kb >> 10, err
		}
	}
	return 0, fmt.Errorf("no VmRSS for process %d", pid)
}

// typeAhead are what a person types into the search box, on the generated
// names ("Vendor 1234"): a prefix, one typo, Cyrillic.
var typeAhead = []string{"Vend 123", "Vendro 1234", "Вендор 1234"}

// typeAheadBudget is the p50 a search may take for type-ahead to keep up
// with typing (a keystroke about every 150 ms, the box waits 120 ms).
const typeAheadBudget = 100 * time.Millisecond

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
	// Read to the end, so the connection is reused as a client's would be.
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if len(out.Errors) > 0 {
		return fmt.Errorf("%s", out.Errors[0].Message)
	}
	return nil
}

// measure runs each fn a few times to warm up, then n rounds in which each
// runs once, one after another (latency, not load). Interleaving the rounds
// gives every fn the same share of the database's drift (its caches,
// the JVM's compilation) over the run. Beside each fn's times it returns
// the mean CPU this process spent in a run of it: the API's, its driver's
// and the client's, not the database's. The collector's background work
// falls on whichever fn runs when it does, so the split between fns is
// approximate.
func measure(n int, fns ...func() error) ([][]time.Duration, []time.Duration, error) {
	for range 5 {
		for _, fn := range fns {
			if err := fn(); err != nil {
				return nil, nil, err
			}
		}
	}
	out := make([][]time.Duration, len(fns))
	for i := range out {
		out[i] = make([]time.Duration, n)
	}
	used := make([]time.Duration, len(fns))
	for r := range n {
		for i, fn := range fns {
			cpu, start := processCPU(), time.Now()
			if err := fn(); err != nil {
				return nil, nil, err
			}
			out[i][r] = time.Since(start)
			used[i] += processCPU() - cpu
		}
	}
	for i := range used {
		used[i] /= time.Duration(n)
	}
	return out, used, nil
}

// processCPU is the CPU time this process has used, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
