package api_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/exportwatch/exportwatch/api"
	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/records"
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

// TestFeedMetrics: /metrics tells how far the changes feed's readers are:
// its head, the change sets the watches' notifier has still to read, and
// the webhook deliveries waiting.
func TestFeedMetrics(t *testing.T) {
	store := graphtest.Store(t)
	ctx := context.Background()
	ts := httptest.NewServer(api.NewHandlers(store, optionsWith(t, "EXPORTWATCH_METRICS_ADDR", "")).API)
	defer ts.Close()
	scrape := func() string {
		t.Helper()
		resp, err := http.Get(ts.URL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	if _, err := store.WriteEntities(ctx, []records.Entity{{ID: "v", Schema: "Company", Names: []string{"Vendor"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.CreateWatch(ctx, graph.Watch{Name: "v", Owner: "ngo", Entities: []string{"v"}, Webhook: "https://hooks.example/"}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.WriteDocuments(ctx, []records.Document{{ID: "doc:a", URL: "https://a.example/", Origin: "curated"}}); err != nil {
		t.Fatal(err)
	}
	body := scrape()
	for _, want := range []string{"exportwatch_changes_head 2", "exportwatch_watch_notifier_behind 2", `exportwatch_webhook_deliveries{state="pending"} 0`} {
		if !strings.Contains(body, want+"\n") {
			t.Errorf("no %q in /metrics", want)
		}
	}
	if _, err := store.WriteEntities(ctx, []records.Entity{{ID: "b", Schema: "PublicBody", Names: []string{"Body"}}}); err != nil {
		t.Fatal(err)
	}
	c := records.Claim{Relation: "SUPPLIED", Subject: "v", Object: "b", Stance: "asserts", Status: "reported", Confidence: 0.6,
		Evidence: []records.Evidence{{Document: "doc:a", Quote: "Vendor sold it"}}, Extractor: "test"}
	c.ID = records.ClaimID(c, "v", "b", "")
	if _, err := store.WriteClaims(ctx, []graph.ClaimWrite{{Claim: c}}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.NotifyWatches(ctx); err != nil {
		t.Fatal(err)
	}
	body = scrape()
	for _, want := range []string{"exportwatch_changes_head 4", "exportwatch_watch_notifier_behind 0", `exportwatch_webhook_deliveries{state="pending"} 1`,
		`exportwatch_webhook_deliveries{state="failed"} 0`} {
		if !strings.Contains(body, want+"\n") {
			t.Errorf("no %q in /metrics", want)
		}
	}
}
