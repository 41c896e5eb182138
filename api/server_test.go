package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/exportwatch/exportwatch/api"
	"github.com/exportwatch/exportwatch/config"
	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
)

// TestNeo4jDownAndBack runs against its own bundled Neo4j, which it stops
// and starts again: /healthz keeps answering; while Neo4j is down /readyz is
// 503 and queries fail with UNAVAILABLE; once it is back, both recover
// without restarting the server.
func TestNeo4jDownAndBack(t *testing.T) {
	ctx := context.Background()
	graphtest.Store(t)
	store, err := graph.Open(ctx, graph.Options{URI: graphtest.URI(), Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close(ctx)
	ts := httptest.NewServer(api.Handler(store, api.Defaults()))
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
	query := func() string {
		_, r := post(t, ts, `{ stats { claims } }`, nil)
		return code(r)
	}
	if get("/healthz") != 200 || get("/readyz") != 200 || query() != "" {
		t.Fatal("not healthy with Neo4j up")
	}
	graphtest.Outage(t, func() {
		if c := get("/readyz"); c != http.StatusServiceUnavailable {
			t.Errorf("/readyz with Neo4j down = %d", c)
		}
		if c := query(); c != api.CodeUnavailable {
			t.Errorf("query with Neo4j down: code %q", c)
		}
		if c := get("/healthz"); c != http.StatusOK {
			t.Errorf("/healthz with Neo4j down = %d", c)
		}
	})
	if c := get("/readyz"); c != http.StatusOK {
		t.Fatalf("/readyz after Neo4j came back = %d", c)
	}
	if c := query(); c != "" {
		t.Fatalf("query after Neo4j came back: code %q", c)
	}
}

// TestSecurityHeaders: every response, the pages, the API, a brief, an
// error and a 404, says nosniff, refuses frames and sends no referrer.
func TestSecurityHeaders(t *testing.T) {
	ts, _ := seededStore(t)
	for _, req := range []struct{ method, path, body string }{
		{"GET", "/", ""},
		{"GET", "/graphiql/graphiql.min.js", ""},
		{"POST", "/graphql", `{"query":"{ stats { claims } }"}`},
		{"POST", "/graphql", `not json`},
		{"GET", "/briefs?subject=company/sandvine&format=html", ""},
		{"GET", "/healthz", ""},
		{"GET", "/no/such/page", ""},
	} {
		r, err := http.NewRequest(req.method, ts.URL+req.path, strings.NewReader(req.body))
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"} {
			if got := resp.Header.Get(h); got != want {
				t.Errorf("%s %s (%d): %s = %q, want %q", req.method, req.path, resp.StatusCode, h, got, want)
			}
		}
		if req.path == "/" && !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("/ has no frame-ancestors in its CSP: %q", resp.Header.Get("Content-Security-Policy"))
		}
	}
}

// A page limit below a default of the schema would refuse every client
// that leaves first out; the server refuses to start with it.
func TestOptionsRefuseAPageLimitBelowTheDefaults(t *testing.T) {
	cfg := config.Defaults()
	cfg.MaxPage = 50
	if _, err := api.OptionsFrom(cfg); err == nil || !strings.Contains(err.Error(), "EXPORTWATCH_MAX_PAGE=50") {
		t.Fatalf("OptionsFrom with MaxPage 50: %v", err)
	}
}
