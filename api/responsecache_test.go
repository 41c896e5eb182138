package api_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
)

// TestResponseCacheOnNeo4j: a read asked again is answered from the
// cache without a statement; a write of this process is in the very next
// answer, and one from another process, which this server's store never
// sees, within the time the cache trusts a version it read.
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
	// Asked again, the answer costs no statement, or the version's alone
	// when the first ask took longer than the version is trusted.
	if n1 < 2 || n2 > 1 {
		t.Errorf("statements: %d asked first, %d again; want the version and the query, then at most the version", n1, n2)
	}

	ctx := context.Background()
	if _, err := store.EditEntity(ctx, "company/sandvine", graph.EntityEdit{Name: "Sandvine Inc."}, "editor", nil); err != nil {
		t.Fatal(err)
	}
	if after, _ := ask(); !strings.Contains(after, `"name":"Sandvine Inc."`) {
		t.Errorf("right after this process renamed the entity: %s", after)
	}

	// Another process's store: its write moves the version in Neo4j.
	other, err := graph.Open(ctx, graph.Options{URI: graphtest.URI(), Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(ctx)
	if _, err := other.EditEntity(ctx, "company/sandvine", graph.EntityEdit{Name: "Sandvine Incorporated"}, "editor", nil); err != nil {
		t.Fatal(err)
	}
	wrote := time.Now()
	for {
		after, _ := ask()
		if strings.Contains(after, `"name":"Sandvine Incorporated"`) {
			break
		}
		// The version is trusted 250 ms; a second allows a slow request.
		if time.Since(wrote) > time.Second {
			t.Fatalf("a second after another process renamed the entity: %s", after)
		}
		time.Sleep(20 * time.Millisecond)
	}

	resp, err := http.Get(ts.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`exportwatch_response_cache_total{result="hit"}`, `exportwatch_response_cache_total{result="miss"}`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics has no %s", want)
		}
	}
}

// TestResponseCacheOff: with no bytes for it, every ask reads the graph.
func TestResponseCacheOff(t *testing.T) {
	ts, store := seededUncached(t)
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
