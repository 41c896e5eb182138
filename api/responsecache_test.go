package api_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/exportwatch/exportwatch/api"
	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
)

// TestResponseCacheOnNeo4j: a read asked again is answered from the cache
// for the cost of one statement (the graph's version), and a write from
// another process, which this server's store never sees, is in the very
// next answer.
func TestResponseCacheOnNeo4j(t *testing.T) {
	ts, store := seededStore(t)
	const q = `query($id: ID!) { entity(id: $id) { name claims(first: 5) { id evidence { quote } } } }`
	vars := map[string]any{"id": "company/sandvine"}
	ask := func() (string, int64) {
		t.Helper()
		before := store.QueryCount()
		_, r := post(t, ts, q, vars)
		if len(r.Errors) > 0 {
			t.Fatalf("errors: %+v", r.Errors)
		}
		return mustJSON(r.Data), store.QueryCount() - before
	}
	first, n1 := ask()
	again, n2 := ask()
	if again != first {
		t.Fatalf("asked again, a different answer:\n%s\n%s", first, again)
	}
	if n1 < 2 || n2 != 1 {
		t.Errorf("statements: %d asked first, %d again; want the version and the query, then the version alone", n1, n2)
	}

	// Another process's store: a write there moves the version.
	ctx := context.Background()
	other, err := graph.Open(ctx, graph.Options{URI: graphtest.URI(), Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(ctx)
	if _, err := other.EditEntity(ctx, "company/sandvine", graph.EntityEdit{Name: "Sandvine Incorporated"}, "editor", nil); err != nil {
		t.Fatal(err)
	}
	after, _ := ask()
	if !strings.Contains(after, `"name":"Sandvine Incorporated"`) {
		t.Errorf("after another process renamed the entity: %s", after)
	}

	resp, err := http.Get(ts.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`exportwatch_response_cache_total{result="hit"} 1`, `exportwatch_response_cache_total{result="miss"} 2`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics has no %s", want)
		}
	}
}

// TestResponseCacheOff: with no bytes for it, every ask reads the graph.
func TestResponseCacheOff(t *testing.T) {
	opt := api.Defaults()
	opt.ResponseCacheBytes = 0
	ts, store := seededWith(t, opt)
	for i := range 2 {
		before := store.QueryCount()
		if _, r := post(t, ts, `{ stats { claims } }`, nil); len(r.Errors) > 0 {
			t.Fatalf("errors: %+v", r.Errors)
		}
		if n := store.QueryCount() - before; n < 1 {
			t.Errorf("ask %d: %d statements, want the query's", i, n)
		}
	}
	resp, err := http.Get(ts.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(body), "exportwatch_response_cache_total") {
		t.Error("a cache that is off reports its counts")
	}
}
