package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/exportwatch/exportwatch/api"
	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
)

// TestHealthAndReadiness runs against its own bundled Neo4j, which it stops
// half-way: /healthz keeps answering, /readyz turns 503 within its timeout.
func TestHealthAndReadiness(t *testing.T) {
	ctx := context.Background()
	srv, err := graphtest.StartBundled(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop(context.Background())
	store, err := graph.Open(ctx, graph.Options{URI: srv.URI(), Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close(ctx)
	ts := httptest.NewServer(api.Handler(store, api.DefaultLimits))
	defer ts.Close()

	get := func(path string) int {
		t.Helper()
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if c := get("/healthz"); c != http.StatusOK {
		t.Fatalf("/healthz = %d", c)
	}
	if c := get("/readyz"); c != http.StatusOK {
		t.Fatalf("/readyz with Neo4j up = %d", c)
	}
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := srv.Stop(sctx); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if c := get("/readyz"); c != http.StatusServiceUnavailable {
		t.Fatalf("/readyz with Neo4j down = %d", c)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("/readyz took %s to notice Neo4j was down", d)
	}
	if c := get("/healthz"); c != http.StatusOK {
		t.Fatalf("/healthz with Neo4j down = %d", c)
	}
}
