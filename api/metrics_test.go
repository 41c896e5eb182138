package api_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/exportwatch/exportwatch/api"
	"github.com/exportwatch/exportwatch/graph/graphtest"
)

// TestSeparateMetrics: with EXPORTWATCH_METRICS_ADDR set, /metrics is
// served by the metrics handler alone and the API's answers 404; without
// it, the API serves /metrics as before.
func TestSeparateMetrics(t *testing.T) {
	store := graphtest.Store(t)
	for _, tc := range []struct {
		name, metricsAddr string
		// want is the status of each handler's answer to each path.
		want map[string]int
	}{
		{"unset", "", map[string]int{"api /metrics": 200, "api /graphql?query={__typename}": 200}},
		{"set", "127.0.0.1:9090", map[string]int{"api /metrics": 404, "api /graphql?query={__typename}": 200,
			"metrics /metrics": 200, "metrics /graphql?query={__typename}": 404, "metrics /": 404}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := api.NewHandlers(store, optionsWith(t, "EXPORTWATCH_METRICS_ADDR", tc.metricsAddr))
			servers := map[string]*httptest.Server{"api": httptest.NewServer(h.API), "metrics": httptest.NewServer(h.Metrics)}
			for _, ts := range servers {
				defer ts.Close()
			}
			got := map[string]int{}
			for key := range tc.want {
				server, path, _ := strings.Cut(key, " ")
				resp, err := http.Get(servers[server].URL + path)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				got[key] = resp.StatusCode
				if path == "/metrics" && resp.StatusCode == 200 && !strings.Contains(string(b), "exportwatch_neo4j_query_duration_seconds") {
					t.Errorf("%s: no exportwatch metrics in\n%.300s", key, b)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("statuses (-want +got):\n%s", diff)
			}
		})
	}
}
