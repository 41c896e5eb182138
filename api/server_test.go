package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
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

// TestNeo4jDownAndBack runs against its own bundled Neo4j, which it stops,
// or kills with SIGKILL, and starts again: /healthz keeps answering; while
// Neo4j is down /readyz is 503 and queries fail at once (well within the
// request timeout) with UNAVAILABLE and 503; once it is back, both recover
// without restarting the server.
func TestNeo4jDownAndBack(t *testing.T) {
	for _, tc := range []struct {
		name   string
		outage func(testing.TB, func())
	}{
		{"stopped", graphtest.Outage},
		{"killed", graphtest.Crash},
	} {
		t.Run(tc.name, func(t *testing.T) { downAndBack(t, tc.outage) })
	}
}

func downAndBack(t *testing.T, outage func(testing.TB, func())) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	graphtest.Store(t)
	// The driver would retry a statement for 30 s, longer than the
	// request's 5 s: a request that waited on the driver would end
	// LIMIT_EXCEEDED, so UNAVAILABLE shows that the breaker answered.
	store, err := graph.Open(ctx, graph.Options{URI: graphtest.URI(), Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close(ctx)
	store.Watch(ctx, api.ProbeInterval)
	opt := api.Defaults()
	opt.Limits.Timeout = 5 * time.Second
	ts := httptest.NewServer(api.Handler(store, opt))
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
	query := func() (int, string) {
		status, r := post(t, ts, `{ stats { claims } }`, nil)
		return status, code(r)
	}
	// While Neo4j is down a request must not wait for it: the breaker
	// answers well within the request timeout. (Once it is back, its
	// first answers may take that long on a cold, busy machine.)
	queryDown := func() (int, string) {
		began := time.Now()
		status, c := query()
		if took := time.Since(began); took >= opt.Limits.Timeout {
			t.Errorf("a request with Neo4j down took %s, the request timeout is %s", took, opt.Limits.Timeout)
		}
		return status, c
	}
	if _, c := query(); get("/healthz") != 200 || get("/readyz") != 200 || c != "" {
		t.Fatal("not healthy with Neo4j up")
	}
	outage(t, func() {
		if c := get("/readyz"); c != http.StatusServiceUnavailable {
			t.Errorf("/readyz with Neo4j down = %d", c)
		}
		// The response cache may give the answer it read just before
		// Neo4j went for as long as it trusts the graph's version; a
		// crash is over quicker than that.
		time.Sleep(api.VersionTTL)
		// The first request may find Neo4j down before the probe does;
		// every one answers UNAVAILABLE with 503.
		for i := range 5 {
			if status, c := queryDown(); status != http.StatusServiceUnavailable || c != api.CodeUnavailable {
				t.Errorf("query %d with Neo4j down: %d %q", i, status, c)
			}
		}
		resp, err := http.Get(ts.URL + `/graphql?query={stats{claims}}`)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Errorf("GET with Neo4j down: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		if c := get("/healthz"); c != http.StatusOK {
			t.Errorf("/healthz with Neo4j down = %d", c)
		}
	})
	if c := get("/readyz"); c != http.StatusOK {
		t.Fatalf("/readyz after Neo4j came back = %d", c)
	}
	// The probe finds Neo4j back within its interval.
	deadline := time.Now().Add(10 * api.ProbeInterval)
	for {
		status, c := query()
		if c == "" && status == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("query after Neo4j came back: %d %q", status, c)
		}
		time.Sleep(api.ProbeInterval / 4)
	}
}

// TestSecurityHeaders: every response, the pages, the API, a brief, an
// error and a 404, says nosniff, refuses frames and sends no referrer.
func TestSecurityHeaders(t *testing.T) {
	ts, _ := seededStore(t)
	for _, req := range []struct{ method, path, body string }{
		{"GET", "/", ""},
		{"GET", "/entity/company/sandvine", ""},
		{"GET", "/graphiql", ""},
		{"GET", "/graphiql/graphiql.min.js", ""},
		{"GET", "/assets/app.js", ""},
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
		if csp := resp.Header.Get("Content-Security-Policy"); strings.HasSuffix(req.path, "/") || strings.HasPrefix(req.path, "/entity/") || req.path == "/graphiql" {
			if !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'self';") {
				t.Errorf("%s: its CSP allows frames or inline script: %q", req.path, csp)
			}
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

// TestRefusedRequests: what the GraphQL handler has no transport for, a
// batch and a body that is not JSON each get a status, BAD_INPUT and a
// reason; the log keeps the size and a short prefix of a refused body,
// not the body.
func TestRefusedRequests(t *testing.T) {
	ts, _ := seededStore(t)
	var logged bytes.Buffer
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(slog.New(slog.NewTextHandler(&logged, nil)))

	huge := `{"query": "{ stats { claims } }" ` + strings.Repeat("x", 1_000_000)
	hugeNumber := `{"query": 0, "pad": "` + strings.Repeat("x", 1_000_000) + `"}`
	for _, tc := range []struct {
		name, method, path, contentType, body string
		status                                int
		reason                                string
	}{
		{"batch", "POST", "/graphql", "application/json", `[{"query": "{ stats { claims } }"}, {"query": "{ stats { claims } }"}]`, 400, "batched requests are not supported"},
		{"not JSON", "POST", "/graphql", "application/json", `{"query": `, 400, "not a GraphQL request in JSON"},
		{"two objects", "POST", "/graphql", "application/json", `{"query": "{ stats { claims } }"} {}`, 400, "more follows"},
		{"null", "POST", "/graphql", "application/json", `null`, 400, "not an object"},
		{"a megabyte of nonsense", "POST", "/graphql", "application/json", huge, 400, "not a GraphQL request in JSON"},
		{"form", "POST", "/graphql", "application/x-www-form-urlencoded", `query=x`, 415, "Content-Type: application/json"},
		{"no content type", "POST", "/graphql", "", `{"query": "{ stats { claims } }"}`, 415, "Content-Type: application/json"},
		{"PUT", "PUT", "/graphql", "application/json", `{"query": "{ stats { claims } }"}`, 405, "use GET or POST"},
		{"GET with broken variables", "GET", "/graphql?query=%7Bstats%7Bclaims%7D%7D&variables=%7B", "", "", 400, "variables parameter is not a JSON object"},
		{"GET without a query", "GET", "/graphql", "", "", 400, "has no query"},
		{"no query", "POST", "/graphql", "application/json", `{"qeury": "{ stats { claims } }"}`, 400, "has no query"},
		// The handler used to take these for internal errors, and log
		// the whole body at ERROR.
		{"a megabyte beside a query that is not a string", "POST", "/graphql", "application/json", hugeNumber, 400, "query must be a string"},
		{"variables that are not an object", "POST", "/graphql", "application/json", `{"query": "{ stats { claims } }", "variables": "x"}`, 400, "variables must be a JSON object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, ts.URL+tc.path, strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var r gqlResponse
			if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
				t.Fatalf("answer is not JSON: %v", err)
			}
			if resp.StatusCode != tc.status || code(r) != api.CodeBadInput || !strings.Contains(r.Errors[0].Message, tc.reason) {
				t.Fatalf("%d %+v, want %d BAD_INPUT saying %q", resp.StatusCode, r.Errors, tc.status, tc.reason)
			}
		})
	}
	if logged.Len() > 8<<10 || strings.Contains(logged.String(), strings.Repeat("x", 100)) {
		t.Fatalf("the log took %d bytes for refused requests", logged.Len())
	}
	// Each refusal is logged with its size.
	if !strings.Contains(logged.String(), fmt.Sprintf("bytes=%d", len(huge))) {
		t.Fatalf("the log does not give the refused body's size:\n%s", logged.String())
	}
	// And a good request still works.
	if _, r := post(t, ts, `{ stats { claims } }`, nil); len(r.Errors) > 0 {
		t.Fatalf("after refusals: %+v", r.Errors)
	}
}

// TestSlowClients: a body dripped a byte at a time is cut off by the
// server's read deadline.
func TestSlowClients(t *testing.T) {
	s := graphtest.Store(t)
	limits := api.Defaults().Limits
	limits.ReadTimeout = time.Second
	ts := httptest.NewUnstartedServer(nil)
	ts.Config = api.NewServer(api.Handler(s, api.Defaults()), limits)
	ts.Start()
	defer ts.Close()

	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"query": "{ stats { claims } }"}`
	if _, err := fmt.Fprintf(conn, "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", len(body)); err != nil {
		t.Fatal(err)
	}
	// Drip the body over 6.6 s, six times the deadline; the server must
	// answer (or hang up) before the last byte.
	answered := make(chan string, 1)
	go func() {
		b, _ := io.ReadAll(conn)
		answered <- string(b)
	}()
	sent := 0
drip:
	for ; sent < len(body); sent++ {
		select {
		case got := <-answered:
			if got != "" && !strings.Contains(got, " 408 ") {
				t.Errorf("answer to a slow body: %.80q", got)
			}
			break drip
		case <-time.After(200 * time.Millisecond):
		}
		if _, err := conn.Write([]byte{body[sent]}); err != nil {
			break
		}
	}
	if sent == len(body) {
		t.Fatalf("the server read a body dripped over %s", time.Duration(len(body))*200*time.Millisecond)
	}
}
