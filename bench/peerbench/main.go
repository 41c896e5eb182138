// Command peerbench measures this project's GraphQL API against a peer:
// @neo4j/graphql 7 served by Apollo Server 5 (bench/peer, a Node process),
// on one bundled Neo4j holding the seed plus a generated graph (by default
// 10,000 entities and 50,000 claims). Both are asked the same questions
// (an entity with its claims and evidence, buyers of a vendor, suppliers
// of a buyer and of a country, search, neighbourhood at depths 1 and 2,
// paths), each in its own schema's words, and their answers are checked
// to agree before anything is timed. It then times the peer, the API and
// the hand-written Cypher of bench/graphbench in interleaved rounds, and
// the throughput of the peer and the API under 1 to 128 concurrent
// clients, and prints Markdown tables for docs/benchmarks.md. Run it with
// bench/peer.sh.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/exportwatch/exportwatch/api"
	"github.com/exportwatch/exportwatch/bench/graphbench"
)

func main() {
	g := graphbench.NewGraphFlags(10000, 50000)
	n := flag.Int("n", 100, "timed rounds of each query")
	duration := flag.Duration("duration", 10*time.Second, "how long each system is loaded at each concurrency level")
	levels := flag.String("clients", "1,8,32,128", "concurrency levels, comma-separated")
	peerDir := flag.String("peer", "bench/peer", "the peer's directory (server.mjs, typeDefs.graphql, node_modules)")
	node := flag.String("node", "node", "the Node.js binary")
	flag.Parse()
	var clients []int
	for _, f := range strings.Split(*levels, ",") {
		c, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || c < 1 {
			log.Fatalf("-clients: %q is not a positive number", f)
		}
		clients = append(clients, c)
	}
	cfg := config{entities: g.Entities, claims: g.Claims, data: g.Data, rounds: *n, duration: *duration,
		clients: clients, peerDir: *peerDir, node: *node}
	if err := run(context.Background(), cfg); err != nil {
		log.Fatal(err)
	}
}

type config struct {
	entities, claims int
	data             string
	rounds           int
	duration         time.Duration
	clients          []int
	peerDir, node    string
}

func run(ctx context.Context, cfg config) error {
	bench, err := graphbench.Prepare(ctx, cfg.data, cfg.entities, cfg.claims)
	if err != nil {
		return fmt.Errorf("prepare the graph: %w", err)
	}
	defer bench.Close()
	// The API runs in this process: measure it as it is served, once the
	// graph is loaded.
	if err := api.TuneGC(); err != nil {
		return err
	}

	opt := api.Defaults()
	opt.Limits.RatePerSecond = 0 // measure the queries, not the limiter
	ts := httptest.NewServer(api.Handler(bench.Store, opt))
	defer ts.Close()
	// The same API with its response cache off: the timed rounds ask each
	// question again and again, so the API above answers them from its
	// cache; this one shows what computing an answer costs.
	opt.ResponseCacheBytes = 0
	uncached := httptest.NewServer(api.Handler(bench.Store, opt))
	defer uncached.Close()

	peerURL, stopPeer, err := startPeer(ctx, cfg.node, cfg.peerDir, bench.Server.URI())
	if err != nil {
		return err
	}
	defer stopPeer()

	driver, err := neo4j.NewDriverWithContext(bench.Server.URI(), neo4j.NoAuth())
	if err != nil {
		return fmt.Errorf("driver: %w", err)
	}
	defer driver.Close(ctx)

	qs, err := questions(ctx, driver)
	if err != nil {
		return err
	}
	client := newClient()
	peer := endpoint{name: "peer", url: peerURL, client: client, text: func(q *question) string { return q.peer }}
	self := endpoint{name: "API", url: ts.URL + "/graphql", client: client, text: func(q *question) string { return q.api }}
	selfUncached := endpoint{name: "API, no cache", url: uncached.URL + "/graphql", client: client, text: func(q *question) string { return q.api }}

	// Nothing is timed until both systems give the same answer to every
	// question: a fast wrong answer measures nothing.
	for i := range qs {
		for _, ep := range []endpoint{self, selfUncached} {
			if err := check(ctx, &qs[i], ep, peer); err != nil {
				return err
			}
		}
	}
	fmt.Fprintf(os.Stderr, "the peer and the API agree on all %d questions\n", len(qs))

	about, err := describe(ctx, driver, cfg)
	if err != nil {
		return err
	}
	fmt.Println(about)
	fmt.Println()

	systems := []system{
		{"peer", func(ctx context.Context, q *question) error { _, err := peer.ask(ctx, q); return err }},
		{"API", func(ctx context.Context, q *question) error { _, err := self.ask(ctx, q); return err }},
		{"API, no cache", func(ctx context.Context, q *question) error { _, err := selfUncached.ask(ctx, q); return err }},
		{"Cypher", func(ctx context.Context, q *question) error {
			_, err := graphbench.Run(ctx, driver, q.cypher)
			return err
		}},
	}
	if err := latencies(ctx, qs, systems, cfg.rounds); err != nil {
		return err
	}
	fmt.Println()
	return throughput(ctx, qs, []endpoint{peer, self, selfUncached}, cfg.clients, cfg.duration)
}

// startPeer runs the peer's server under node against the Neo4j at uri and
// returns its URL once it says it is listening; stop ends it (SIGTERM,
// then a kill after ten seconds). NODE_ENV=production is how the peer
// would be deployed: Apollo Server and graphql-js skip their development
// checks.
func startPeer(ctx context.Context, node, dir, uri string) (url string, stop func(), err error) {
	ctx, cancel := context.WithCancel(ctx)
	cmd := exec.CommandContext(ctx, node, filepath.Join(dir, "server.mjs"), uri)
	cmd.Env = append(os.Environ(), "NODE_ENV=production")
	cmd.Stderr = os.Stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		return "", nil, fmt.Errorf("peer: %w", err)
	}
	if err := cmd.Start(); err != nil {
		cancel()
		return "", nil, fmt.Errorf("start the peer (%s): %w", node, err)
	}
	stop = func() { cancel(); _ = cmd.Wait() }
	ready := make(chan string, 1)
	go func() {
		defer close(ready)
		lines := bufio.NewScanner(out)
		for lines.Scan() {
			if u, ok := strings.CutPrefix(lines.Text(), "listening "); ok {
				ready <- u
				continue
			}
			fmt.Fprintf(os.Stderr, "peer: %s\n", lines.Text())
		}
	}()
	select {
	case u, ok := <-ready:
		if !ok {
			stop()
			return "", nil, fmt.Errorf("the peer exited before it listened")
		}
		return u, stop, nil
	case <-time.After(2 * time.Minute):
		stop()
		return "", nil, fmt.Errorf("the peer did not listen within two minutes")
	}
}

// describe says what the run measured: the graph, the versions and the
// settings, as the first lines of the output.
func describe(ctx context.Context, driver neo4j.DriverWithContext, cfg config) (string, error) {
	recs, err := graphbench.Run(ctx, driver, graphbench.Query{Name: "sizes", Cypher: `
CALL dbms.components() YIELD versions
CALL () { MATCH (e:Entity) RETURN count(e) AS entities }
CALL () { MATCH (c:Claim) RETURN count(c) AS claims }
RETURN versions[0] AS neo4j, entities, claims`})
	if err != nil {
		return "", err
	}
	neo4jVersion, _ := recs[0].Get("neo4j")
	entities, _ := recs[0].Get("entities")
	claims, _ := recs[0].Get("claims")
	nodeVersion, err := exec.CommandContext(ctx, cfg.node, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("node --version: %w", err)
	}
	lock, err := os.ReadFile(filepath.Join(cfg.peerDir, "package-lock.json"))
	if err != nil {
		return "", fmt.Errorf("the peer's lockfile: %w", err)
	}
	var pinned struct {
		Packages map[string]struct{ Version string } `json:"packages"`
	}
	if err := json.Unmarshal(lock, &pinned); err != nil {
		return "", fmt.Errorf("the peer's lockfile: %w", err)
	}
	var peer []string
	for _, p := range []string{"@neo4j/graphql", "@apollo/server", "graphql", "neo4j-driver"} {
		peer = append(peer, p+" "+pinned.Packages["node_modules/"+p].Version)
	}
	return fmt.Sprintf("Neo4j %v; %v entities, %v claims (the seed plus %d generated entities and %d generated claims); peer: %s on Node.js %s; %d timed rounds, %s per concurrency level.",
		neo4jVersion, entities, claims, cfg.entities, cfg.claims, strings.Join(peer, ", "), strings.TrimSpace(string(nodeVersion)),
		cfg.rounds, cfg.duration), nil
}
