// Command load puts many clients at once (200 by default) on a real
// `exportwatch serve`, run as a process of its own against a bundled Neo4j
// holding the seed plus a generated graph, and checks what they get and
// what the server keeps (docs/reliability.md, "200 clients at once").
//
// Each client sends the six representative queries of the API benchmark
// (graphbench.APIQueries) in turn over loopback, for a fixed time and at
// most a fixed number of requests. Two runs, each on a fresh server: with
// the rate limit off, where every answer must be a 200 with the expected
// data; and with the default rate limit, where every answer must be that
// or a 429 with Retry-After, which the client waits out before asking
// again (a 503's too, though a 503 is an error). It prints requests,
// throughput and p50/p99 latency overall and per query; the server's heap,
// goroutines and resident memory (from its /metrics) after a warm-up, at
// the peak and after the run; and how fast Neo4j answered a trivial
// statement meanwhile, which is what the server's health probe judges it
// by. It exits non-zero when a run had an error or the server's goroutines
// or heap did not come back to their baseline. Run it with bench/load.sh
// (make load).
package main

import (
	"context"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/exportwatch/exportwatch/bench/graphbench"
	"github.com/exportwatch/exportwatch/config"
)

type options struct {
	bin              string
	clients, max     int
	duration, warmup time.Duration
	settle           time.Duration
	entities, claims int
	data             string
	keep             bool
}

const (
	// peakEvery is how often the server is sampled under load, and
	// probeEvery how often Neo4j is.
	peakEvery  = 500 * time.Millisecond
	probeEvery = 250 * time.Millisecond
	// errorKinds is how many kinds of error are shown, each with its first.
	errorKinds = 10
)

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "bin/exportwatch", "the exportwatch binary to serve with")
	flag.IntVar(&o.clients, "clients", 200, "clients at once")
	flag.DurationVar(&o.duration, "duration", 60*time.Second, "length of each run")
	flag.IntVar(&o.max, "max", 100000, "most requests one client sends in a run (the other bound of its loop)")
	flag.DurationVar(&o.warmup, "warmup", 5*time.Second, "load, with as many clients, before the baseline is read")
	flag.DurationVar(&o.settle, "settle", 30*time.Second, "longest wait after a run for the server to come back to its baseline")
	flag.IntVar(&o.entities, "entities", 10000, "generated entities, beside the seed")
	flag.IntVar(&o.claims, "claims", 50000, "generated claims")
	flag.StringVar(&o.data, "data", "", "keep the database in this directory and reuse it on the next run with the same size (default: a temporary one)")
	flag.BoolVar(&o.keep, "keep", false, "keep the servers' logs (in a temporary directory the output names)")
	flag.Parse()
	if o.clients < 1 || o.max < 1 || o.duration <= 0 || o.warmup < 0 {
		fmt.Fprintln(os.Stderr, "load: -clients and -max must be at least 1, -duration positive and -warmup not negative")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	pass, err := run(ctx, o)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(2)
	}
	if !pass {
		os.Exit(1)
	}
}

// Back to baseline means, after the run, once the clients have closed
// their connections and the server's collector has run (afterGC):
//   - goroutines at most the baseline's and goroutineSlack more: a
//     goroutine left behind by each request, or by each client, would be
//     hundreds or thousands;
//   - heap at most heapSlack above the baseline's, plus heapFloor: a
//     retained answer or request per request would be tens of MiB, while
//     what the process keeps once (pools, caches) moves by less.
const (
	goroutineSlack = 5
	heapSlack      = 0.20
	heapFloor      = 2 << 20
)

type runSpec struct {
	name, title string
	settings    []string // the server's settings on top of the defaults
	limited     bool
}

func run(ctx context.Context, o options) (bool, error) {
	bin, err := filepath.Abs(o.bin)
	if err != nil {
		return false, fmt.Errorf("the server binary: %w", err)
	}
	if _, err := os.Stat(bin); err != nil {
		return false, fmt.Errorf("the server binary: %w (make build)", err)
	}
	o.bin = bin
	bench, err := graphbench.Prepare(ctx, o.data, o.entities, o.claims)
	if err != nil {
		return false, fmt.Errorf("prepare the graph: %w", err)
	}
	defer bench.Close()
	driver, err := neo4j.NewDriverWithContext(bench.Server.URI(), neo4j.NoAuth())
	if err != nil {
		return false, fmt.Errorf("neo4j: %w", err)
	}
	vendor, ministry, err := graphbench.APITargets(ctx, driver)
	driver.Close(ctx)
	if err != nil {
		return false, err
	}
	queries := graphbench.APIQueries(vendor, ministry)
	dir, err := os.MkdirTemp("", "exportwatch-load-")
	if err != nil {
		return false, fmt.Errorf("the servers' directory: %w", err)
	}
	if o.keep {
		fmt.Fprintf(os.Stderr, "the servers' logs are kept in %s\n", dir)
	} else {
		defer os.RemoveAll(dir)
	}

	def := config.Defaults()
	fmt.Printf("load test: %d clients at once for %s a run, each sending the six representative queries of the API benchmark in turn\n", o.clients, o.duration)
	fmt.Printf("graph: the seed plus %d generated entities and %d claims; vendor %s, ministry %s\n", o.entities, o.claims, vendor, ministry)
	fmt.Printf("server: %s serve, a process of its own; Neo4j at %s; %d cores shared by clients, server and Neo4j\n", o.bin, bench.Server.URI(), runtime.NumCPU())
	fmt.Printf("bounds: each client stops at the end of the run or after %d requests; warm-up %s before the baseline\n", o.max, o.warmup)
	runs := []runSpec{
		{"run1-no-limit", "run 1: rate limit off (EXPORTWATCH_RATE_LIMIT=0)", []string{"EXPORTWATCH_RATE_LIMIT=0"}, false},
		{"run2-limit", fmt.Sprintf("run 2: the default rate limit, %g requests/s with a burst of %d per key or address (every client is anonymous on 127.0.0.1, so they share one bucket)",
			def.RatePerSecond, def.RateBurst), nil, true},
	}
	var verdicts []string
	pass := true
	for _, r := range runs {
		ok, verdict, err := loadRun(ctx, o, bench.Server.URI(), dir, queries, r)
		if err != nil {
			return false, fmt.Errorf("%s: %w", r.title, err)
		}
		pass = pass && ok
		verdicts = append(verdicts, verdict)
	}
	fmt.Println("\n== verdict")
	for _, v := range verdicts {
		fmt.Println(v)
	}
	if pass {
		fmt.Println("PASS")
	} else {
		fmt.Println("FAIL")
	}
	return pass, nil
}

// loadRun starts a server with r's settings, warms it up, reads its
// baseline, puts the load on it while sampling its peak, waits for it to
// settle, reads it again, stops it and prints what happened.
func loadRun(ctx context.Context, o options, neo4jURI, dir string, queries []graphbench.APIQuery, r runSpec) (ok bool, verdict string, err error) {
	fmt.Printf("\n== %s\n", r.title)
	srv, err := startServer(ctx, o.bin, dir, r.name, neo4jURI, r.settings)
	if err != nil {
		return false, "", err
	}
	stopped := false
	defer func() {
		if !stopped {
			srv.stop()
		}
	}()
	p, err := newPhase(srv.url, queries, o.clients, o.max, r.limited)
	if err != nil {
		return false, "", err
	}
	var waited []string
	if p.items, waited, err = reference(ctx, srv.url, p); err != nil {
		return false, "", err
	}
	for _, w := range waited {
		fmt.Printf("reference answers, one query at a time: waited out %s\n", w)
	}

	p.duration = o.warmup
	warm := p.run(ctx)
	fmt.Printf("warm-up (%s): %s requests, %s answered 200, %s 429s, %d errors\n", o.warmup,
		thousands(warm.requests), thousands(warm.answered()), thousands(len(warm.limited)), warm.errors())
	printErrors(warm, errorKinds)
	base, baseGC, err := srv.afterGC(ctx)
	if err != nil {
		return false, "", err
	}

	stopPeak := srv.watchPeak(ctx, peakEvery)
	stopProbe, err := watchNeo4j(ctx, neo4jURI, probeEvery)
	if err != nil {
		return false, "", err
	}
	p.duration = o.duration
	res := p.run(ctx)
	probes, probeFails := stopProbe()
	peak, err := stopPeak()
	if err != nil {
		return false, "", fmt.Errorf("while under load: %w", err)
	}
	if ctx.Err() != nil {
		return false, "", ctx.Err()
	}

	// Wait, within o.settle, for goroutines and heap to come back.
	heapLimit := base.heap*(1+heapSlack) + heapFloor
	goroutineLimit := base.goroutines + goroutineSlack
	settleStart := time.Now()
	var (
		after   sample
		afterGC bool
	)
	for {
		if after, afterGC, err = srv.afterGC(ctx); err != nil {
			return false, "", err
		}
		if (after.goroutines <= goroutineLimit && after.heap <= heapLimit) || time.Since(settleStart) > o.settle {
			break
		}
		if err := sleep(ctx, time.Second); err != nil {
			return false, "", err
		}
	}
	settled := time.Since(settleStart)
	stopErr := srv.stop()
	stopped = true
	logCounts, logFirst, err := logSummary(srv.log)
	if err != nil {
		return false, "", err
	}

	// What the clients saw.
	secs := res.elapsed.Seconds()
	fmt.Printf("load (%d clients, %s): %s requests in %.1f s (%.1f req/s)\n", o.clients, o.duration, thousands(res.requests), secs, float64(res.requests)/secs)
	fmt.Printf("  200 with the expected answer: %s, %.1f req/s\n", thousands(res.answered()), float64(res.answered())/secs)
	if r.limited {
		l := graphbench.Summarise(res.limited)
		fmt.Printf("  429 with Retry-After: %s (p50 %s, p99 %s)\n", thousands(l.N), graphbench.Ms(l.P50), graphbench.Ms(l.P99))
	}
	if res.waited > 0 {
		fmt.Printf("  waited as Retry-After asked before asking again: %.0f s in all, %.1f s a client\n",
			res.waited.Seconds(), res.waited.Seconds()/float64(o.clients))
	}
	if r.limited {
		fmt.Printf("  errors (a 429 without Retry-After, any other status, a GraphQL error, an unexpected answer, no answer): %d\n", res.errors())
	} else {
		fmt.Printf("  errors (any status but 200, a GraphQL error, an unexpected answer, no answer): %d\n", res.errors())
	}
	printErrors(res, errorKinds)
	fmt.Printf("  clients stopped by the count bound (%d requests): %d of %d\n", o.max, res.atBound, o.clients)
	fmt.Printf("  %-15s %9s %11s %11s\n", "query", "200s", "p50", "p99")
	var all []time.Duration
	for i, q := range queries {
		d := graphbench.Summarise(res.ok[i])
		all = append(all, res.ok[i]...)
		fmt.Printf("  %-15s %9s %11s %11s\n", q.Field, thousands(d.N), graphbench.Ms(d.P50), graphbench.Ms(d.P99))
	}
	d := graphbench.Summarise(all)
	fmt.Printf("  %-15s %9s %11s %11s\n", "all", thousands(d.N), graphbench.Ms(d.P50), graphbench.Ms(d.P99))
	pd, slow := graphbench.Summarise(probes), 0
	for _, t := range probes {
		if t > time.Second {
			slow++
		}
	}
	fmt.Printf("Neo4j under the load: RETURN 1 from the test's own driver every %s took p50 %s, p99 %s, at most %s; %d of %d over the 1 s the server's probe allows; %d failed\n",
		probeEvery, graphbench.Ms(pd.P50), graphbench.Ms(pd.P99), graphbench.Ms(slices.Max(append(probes, 0))), slow, len(probes)+probeFails, probeFails)

	// What the server kept.
	gcNote := func(ok bool) string {
		if ok {
			return "after a GC"
		}
		return "no GC seen within the bounds"
	}
	fmt.Printf("server, from its own /metrics: %20s %11s %11s\n", "heap", "goroutines", "resident")
	fmt.Printf("  %-36s %11s %11.0f %11s\n", "baseline (after warm-up, "+gcNote(baseGC)+")", mib(base.heap), base.goroutines, mib(base.rss))
	fmt.Printf("  %-36s %11s %11.0f %11s\n", fmt.Sprintf("peak (sampled every %s)", peakEvery), mib(peak.heap), peak.goroutines, mib(peak.rss))
	fmt.Printf("  %-36s %11s %11.0f %11s\n", fmt.Sprintf("after (%.1f s later, %s)", settled.Seconds(), gcNote(afterGC)), mib(after.heap), after.goroutines, mib(after.rss))
	goroutinesBack, heapBack := after.goroutines <= goroutineLimit, after.heap <= heapLimit
	fmt.Printf("  back to baseline: goroutines %s (%.0f, at most %.0f allowed), heap %s (%s, at most %s allowed)\n",
		yes(goroutinesBack), after.goroutines, goroutineLimit, yes(heapBack), mib(after.heap), mib(heapLimit))
	fmt.Printf("  the server counted %s GraphQL operations during the run; GraphQL errors: %s; Neo4j errors: %.0f\n",
		thousands(int(after.operations-base.operations)), errorCounts(base.errs, after.errs), after.neo4jErrs-base.neo4jErrs)
	fmt.Println("  its log, by level and message:")
	for _, k := range slices.SortedFunc(maps.Keys(logCounts), func(a, b string) int { return logCounts[b] - logCounts[a] }) {
		if strings.HasPrefix(k, "INFO ") {
			fmt.Printf("    %d × %s\n", logCounts[k], k)
		} else {
			fmt.Printf("    %d × %s; the first:\n      %s\n", logCounts[k], k, logFirst[k])
		}
	}
	if stopErr != nil {
		fmt.Printf("  stopping it: %v\n", stopErr)
	}

	errs := warm.errors() + res.errors()
	ok = errs == 0 && goroutinesBack && heapBack && stopErr == nil
	what := "no errors"
	if r.limited {
		what = "only 200s and 429s with Retry-After"
	}
	verdict = fmt.Sprintf("%s: %s: %s (%d errors); goroutines back: %s; heap back: %s", r.name, what, yes(errs == 0), errs, yes(goroutinesBack), yes(heapBack))
	if stopErr != nil {
		verdict += "; the server did not stop cleanly"
	}
	return ok, verdict, nil
}

func printErrors(t *tally, n int) {
	kinds := slices.SortedFunc(maps.Keys(t.errs), func(a, b string) int { return t.errs[b] - t.errs[a] })
	for i, k := range kinds {
		if i == n {
			fmt.Printf("    … and %d more kinds\n", len(kinds)-n)
			break
		}
		fmt.Printf("    %d × %s; the first: %s\n", t.errs[k], k, t.example[k])
	}
}

func errorCounts(before, after map[string]float64) string {
	var parts []string
	for _, code := range slices.Sorted(maps.Keys(after)) {
		if n := after[code] - before[code]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %.0f", code, n))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func mib(b float64) string { return fmt.Sprintf("%.1f MiB", b/(1<<20)) }

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "NO"
}

// thousands writes n with commas, as the docs do.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
