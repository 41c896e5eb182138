package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/exportwatch/exportwatch/api"
	"github.com/exportwatch/exportwatch/config"
	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/records"
)

// TestServeMetricsAddress: with EXPORTWATCH_METRICS_ADDR, serve answers
// /metrics on that address alone and 404 for it on the main one; without
// it, on the main one. Both servers stop when the context ends.
func TestServeMetricsAddress(t *testing.T) {
	store := graphtest.Store(t)
	for _, tc := range []struct {
		name, metricsAddr string
		// want is the status of GET /metrics on each address.
		want map[string]int
	}{
		{"unset", "", map[string]int{"main": 200}},
		{"set", "127.0.0.1:0", map[string]int{"main": 404, "metrics": 200}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := config.FromEnv(func(k string) string {
				if k == "EXPORTWATCH_METRICS_ADDR" {
					return tc.metricsAddr
				}
				return ""
			})
			if err != nil {
				t.Fatal(err)
			}
			opt, err := api.OptionsFrom(cfg)
			if err != nil {
				t.Fatal(err)
			}
			listen := func(addr string) net.Listener {
				ln, err := net.Listen("tcp", addr)
				if err != nil {
					t.Fatal(err)
				}
				return ln
			}
			addrs := map[string]string{}
			ln := listen("127.0.0.1:0")
			addrs["main"] = ln.Addr().String()
			var metricsLn net.Listener
			if cfg.MetricsAddr != "" {
				metricsLn = listen(cfg.MetricsAddr)
				addrs["metrics"] = metricsLn.Addr().String()
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- serve(ctx, api.NewHandlers(store, opt), opt.Limits, ln, metricsLn) }()

			got := map[string]int{}
			for name, addr := range addrs {
				resp, err := http.Get("http://" + addr + "/metrics")
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				got[name] = resp.StatusCode
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("GET /metrics (-want +got):\n%s", diff)
			}

			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("serve: %v", err)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("serve went on after its context ended")
			}
			for name, addr := range addrs {
				if conn, err := net.Dial("tcp", addr); err == nil {
					conn.Close()
					t.Errorf("%s address %s still accepts connections after shutdown", name, addr)
				}
			}
		})
	}
}

// TestPeriodically: a job runs at once, and again until the context ends;
// the server's pruning through it removes the changes older than the
// retention.
func TestPeriodically(t *testing.T) {
	store := graphtest.Store(t)
	ctx := context.Background()
	if _, err := store.WriteEntities(ctx, []records.Entity{{ID: "v", Schema: "Company", Names: []string{"Vendor"}}}); err != nil {
		t.Fatal(err)
	}
	runs := 0
	ctx2, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		periodically(ctx2, 50*time.Millisecond, "count", func(context.Context) (int, error) { runs++; return runs, nil })
		close(done)
	}()
	time.Sleep(time.Second)
	cancel()
	<-done
	if runs < 5 {
		t.Errorf("ran %d times in a second, every 50 ms", runs)
	}
	if page, err := store.Changes(ctx, "", 10, nil); err != nil || len(page.Changes) != 1 {
		t.Fatalf("before pruning: %+v, %v", page, err)
	}
	time.Sleep(1100 * time.Millisecond) // the change is a second old at least
	ctx3, cancel3 := context.WithCancel(ctx)
	done = make(chan struct{})
	go func() {
		periodically(ctx3, time.Hour, "prune", func(ctx context.Context) (int, error) {
			return store.PruneChanges(ctx, time.Now().Add(-time.Second))
		})
		close(done)
	}()
	time.Sleep(2 * time.Second) // its first run is at once
	cancel3()
	<-done
	if _, err := store.Changes(ctx, "", 10, nil); !errors.Is(err, graph.ErrCursorExpired) {
		t.Fatalf("after pruning changes older than a second: %v", err)
	}
}
