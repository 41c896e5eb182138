// Package graphtest gives each test binary its own real Neo4j: the bundled
// one, started once on a free loopback port with a fresh data directory and
// stopped when the tests end, so test binaries that `go test ./...` runs in
// parallel never see each other's data. It is started when a test first
// asks for it (Store, URI, Exec, …), so a binary that runs only tests
// without a database (a fuzz target, and each of its fuzzing workers)
// starts none. Setting EXPORTWATCH_TEST_NEO4J_URI points the tests at an
// existing Neo4j instead (its data is wiped).
package graphtest

import (
	"context"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/exportwatch/exportwatch/config"
	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/launcher"
	"github.com/exportwatch/exportwatch/load"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

var (
	uri    string
	server *launcher.Server
	// dataDir holds server's store, so Outage can start it again.
	dataDir string
	// mainRan says Main runs the tests; starting and startErr are the
	// bundled Neo4j's start, done once, by the first test that needs it.
	mainRan  bool
	starting sync.Once
	startErr error
	// seededHash is the canonical hash of the graph Seeded last made,
	// empty when none is known.
	seededHash string
)

// Main runs the tests and stops the Neo4j they started, if any; use it
// from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(graphtest.Main(m)) }
func Main(m *testing.M) int {
	mainRan = true
	if u := os.Getenv("EXPORTWATCH_TEST_NEO4J_URI"); u != "" {
		uri = u
		return m.Run()
	}
	code := m.Run()
	if dataDir != "" {
		defer os.RemoveAll(dataDir)
	}
	if server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := server.Stop(ctx); err != nil {
			fmt.Fprintln(os.Stderr, "graphtest: stop Neo4j:", err)
		}
	}
	return code
}

// start starts the bundled Neo4j the first time a test needs one (the
// tests' external Neo4j, when EXPORTWATCH_TEST_NEO4J_URI names one, is
// already there). No skipping: a test without its database fails.
func start() error {
	starting.Do(func() {
		switch {
		case uri != "":
			return
		case !mainRan:
			startErr = fmt.Errorf("no Neo4j; call graphtest.Main from TestMain")
			return
		}
		dir, err := os.MkdirTemp("", "exportwatch-neo4j-test-")
		if err != nil {
			startErr = err
			return
		}
		srv, err := StartBundled(context.Background(), dir)
		if err != nil {
			os.RemoveAll(dir)
			startErr = fmt.Errorf("start bundled Neo4j: %w", err)
			return
		}
		server, dataDir, uri = srv, dir, srv.URI()
	})
	return startErr
}

// mustStart is start for the helpers without a testing.TB.
func mustStart() {
	if err := start(); err != nil {
		panic("graphtest: " + err.Error())
	}
}

// StartBundled starts a bundled Neo4j with its data under dir on a free
// loopback port, sized small for tests.
func StartBundled(ctx context.Context, dir string) (*launcher.Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	return StartBundledAt(ctx, dir, fmt.Sprintf("127.0.0.1:%d", port))
}

// Outage stops this binary's Neo4j, runs down while it is stopped, and
// starts it again with the same data on the same address, for tests of
// what clients see when the database goes away and comes back. It skips
// the test when the tests run against an external Neo4j, which they may
// not stop.
func Outage(t testing.TB, down func()) {
	t.Helper()
	outage(t, func(ctx context.Context) error { return server.Stop(ctx) }, down)
}

// Crash is Outage with Neo4j killed (SIGKILL) instead of stopped: no
// checkpoint, and the start after it recovers the store from its
// transaction log.
func Crash(t testing.TB, down func()) {
	t.Helper()
	outage(t, func(context.Context) error { return server.Kill() }, down)
}

func outage(t testing.TB, stop func(context.Context) error, down func()) {
	t.Helper()
	if err := start(); err != nil {
		t.Fatal("graphtest:", err)
	}
	if server == nil {
		t.Skip("graphtest: an outage needs the bundled Neo4j, and EXPORTWATCH_TEST_NEO4J_URI names another")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	addr := strings.TrimPrefix(server.URI(), "bolt://")
	if err := stop(ctx); err != nil {
		t.Fatal(err)
	}
	down()
	srv, err := StartBundledAt(ctx, dataDir, addr)
	if err != nil {
		t.Fatalf("graphtest: start Neo4j again: %v", err)
	}
	server = srv
}

// StartBundledAt starts a bundled Neo4j with its data under dir on addr.
func StartBundledAt(ctx context.Context, dir, addr string) (*launcher.Server, error) {
	cfg, err := config.FromEnv(os.Getenv)
	if err != nil {
		return nil, err
	}
	// Small by default, since test binaries run two at a time; benchmarks
	// ask for the sizes `make run` uses (EXPORTWATCH_TEST_NEO4J_HEAP, …).
	// Tests also run the JVM's quick compiler only: a test database lives
	// for a minute, too short for the optimising compiler to pay back the
	// CPU it takes from the tests (it halves the JVM's CPU time and takes
	// a third off the wall time of a database package on two cores).
	// Benchmarks keep the full compiler; EXPORTWATCH_TEST_NEO4J_JVM_OPTIONS sets
	// the options outright.
	heap, pagecache, jvm := "768m", int64(128), []string{"-XX:TieredStopAtLevel=1"}
	if h := os.Getenv("EXPORTWATCH_TEST_NEO4J_HEAP"); h != "" {
		heap, pagecache, jvm = h, cfg.BundledPageMiB, nil
	}
	if o, ok := os.LookupEnv("EXPORTWATCH_TEST_NEO4J_JVM_OPTIONS"); ok {
		jvm = strings.Fields(o)
	}
	return launcher.Start(ctx, launcher.Config{
		DataDir:    dir,
		CacheDir:   cfg.CacheDir,
		BoltAddr:   addr,
		Heap:       heap,
		PageCache:  pagecache << 20,
		Progress:   os.Stderr,
		JVMOptions: jvm,
	}, false)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// URI is the Bolt URI of this test binary's Neo4j, started if need be.
func URI() string {
	mustStart()
	return uri
}

// Server is the bundled Neo4j this binary started (starting it if need
// be), or nil when the tests use an external one.
func Server() *launcher.Server {
	mustStart()
	return server
}

// Store returns a store on an empty graph with the schema in place. Tests in
// one binary that use it must not run in parallel: they share the database.
func Store(t testing.TB) *graph.Store {
	t.Helper()
	s := open(t)
	empty(t, s)
	return s
}

// Seeded is Store with the seed loaded. Loading it is most of what a short
// test costs, so when the graph is still exactly what the last Seeded made
// (its canonical hash says so: the tests before only read it, or undid
// what they did), it is kept rather than made again. (This is why a
// package of the graph layer imports load: the seed is what most tests
// of the layers above read.)
func Seeded(t testing.TB) *graph.Store {
	t.Helper()
	s := open(t)
	ctx := context.Background()
	if seededHash != "" {
		// A graph the hash cannot read (a test left two nodes it cannot
		// tell apart) is not the seed either: it is emptied below.
		if h, err := s.CanonicalHash(ctx); err == nil && h == seededHash {
			return s
		}
	}
	empty(t, s)
	if _, err := load.Seed(ctx, s, load.Options{}); err != nil {
		t.Fatal(err)
	}
	h, err := s.CanonicalHash(ctx)
	if err != nil {
		t.Fatal(err)
	}
	seededHash = h
	return s
}

// open returns a store on this binary's Neo4j, closed when the test ends.
func open(t testing.TB) *graph.Store {
	t.Helper()
	if err := start(); err != nil {
		t.Fatal("graphtest:", err)
	}
	s, err := graph.Open(context.Background(), graph.Options{URI: uri, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return s
}

// empty deletes everything in s and puts the schema in place.
func empty(t testing.TB, s *graph.Store) {
	t.Helper()
	ctx := context.Background()
	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.EnsureSchema(ctx); err != nil {
		t.Fatal(err)
	}
}

// Exec runs a Cypher write outside the store, for tests that must break
// the graph in ways the store never would.
func Exec(t testing.TB, cypher string) {
	t.Helper()
	if err := start(); err != nil {
		t.Fatal("graphtest:", err)
	}
	ctx := context.Background()
	driver, err := neo4j.NewDriverWithContext(uri, neo4j.NoAuth())
	if err != nil {
		t.Fatal(err)
	}
	defer driver.Close(ctx)
	if _, err := neo4j.ExecuteQuery(ctx, driver, cypher, nil, neo4j.EagerResultTransformer); err != nil {
		t.Fatalf("%v\n%s", err, cypher)
	}
}
