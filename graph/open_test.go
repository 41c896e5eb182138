package graph_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
)

// TestOpenWaitsForASlowStart: Open keeps asking a Neo4j that is not up
// yet (here, started two seconds after Open began, and then taking its own
// seconds to start) until it answers, within Open's timeout; a Neo4j that
// does not come within it is an error naming the server.
func TestOpenWaitsForASlowStart(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ctx := context.Background()

	_, err = graph.Open(ctx, graph.Options{URI: "bolt://" + addr, Timeout: time.Second})
	if err == nil || !strings.Contains(err.Error(), "cannot reach Neo4j at bolt://"+addr+" within 1s") {
		t.Fatalf("Open with nothing there: %v", err)
	}

	started := make(chan error, 1)
	go func() {
		time.Sleep(2 * time.Second)
		srv, err := graphtest.StartBundledAt(ctx, t.TempDir(), addr)
		if err == nil {
			t.Cleanup(func() { srv.Stop(context.Background()) })
		}
		started <- err
	}()
	began := time.Now()
	s, err := graph.Open(ctx, graph.Options{URI: "bolt://" + addr, Timeout: 2 * time.Minute})
	if serr := <-started; serr != nil {
		t.Fatal(serr)
	}
	if err != nil {
		t.Fatalf("Open while Neo4j started: %v", err)
	}
	defer s.Close(ctx)
	if err := s.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("Open waited %s for a Neo4j started 2 s after it", time.Since(began).Round(100*time.Millisecond))
}
