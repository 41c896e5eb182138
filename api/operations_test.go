package api_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/exportwatch/exportwatch/api"
	"github.com/exportwatch/exportwatch/graph/graphtest"
)

func TestMetrics(t *testing.T) {
	ts := seeded(t)
	post(t, ts, `query Suppliers { suppliers(of: "AZ") { status } }`, nil)
	post(t, ts, `query Broken { entity(id: "x") { salary } }`, nil)
	resp, err := http.Get(ts.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	body := string(b)
	for _, want := range []string{
		`exportwatch_graphql_requests_total{operation="Suppliers"} 1`,
		`exportwatch_graphql_errors_total{code="BAD_INPUT"} 1`,
		`exportwatch_graphql_request_duration_seconds_count{operation="Suppliers"} 1`,
		"exportwatch_neo4j_query_duration_seconds_count",
		"go_goroutines",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func TestRequestTimeoutAndRateLimit(t *testing.T) {
	s := graphtest.Store(t)
	opt := api.Defaults()
	opt.Limits.Timeout = time.Nanosecond
	slow := httptest.NewServer(api.Handler(s, opt))
	defer slow.Close()
	if _, r := post(t, slow, `{ stats { claims } }`, nil); code(r) != api.CodeLimitExceeded || !strings.Contains(r.Errors[0].Message, "longer than the server allows") {
		t.Fatalf("timed-out request: %+v", r)
	}
	// Every field of a timed-out operation fails; the answer says so once.
	many := "{"
	for i := range 20 {
		many += fmt.Sprintf(` e%d: entity(id: "company/e%d") { name }`, i, i)
	}
	if _, r := post(t, slow, many+" }", nil); len(r.Errors) != 1 || code(r) != api.CodeLimitExceeded || r.Data != nil {
		t.Fatalf("timed-out request with 20 fields: %d errors, data %v: %+v", len(r.Errors), r.Data, r.Errors)
	}

	opt = api.Defaults()
	opt.Limits.RatePerSecond, opt.Limits.RateBurst = 1, 3
	limited := httptest.NewServer(api.Handler(s, opt))
	defer limited.Close()
	var statuses []int
	for range 5 {
		resp, err := http.Get(limited.URL + `/graphql?query={stats{claims}}`)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		statuses = append(statuses, resp.StatusCode)
		if resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
	}
	if statuses[0] != 200 || statuses[4] != http.StatusTooManyRequests {
		t.Fatalf("statuses with a burst of 3: %v", statuses)
	}
}
