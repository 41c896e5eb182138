package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/exportwatch/exportwatch/bench/graphbench"
)

// newClient is the HTTP client of every request: enough idle connections
// kept for the most concurrent clients, so that a level measures the
// servers rather than connection set-up.
func newClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns, t.MaxIdleConnsPerHost = 512, 512
	// Past the API's own 15 s limit, so a slow answer shows as its error.
	return &http.Client{Transport: t, Timeout: 60 * time.Second}
}

// endpoint is one GraphQL server and the words it is asked in.
type endpoint struct {
	name   string
	url    string
	client *http.Client
	text   func(*question) string
}

// ask posts the question and returns the answer's data; an answer with
// errors is an error.
func (e endpoint) ask(ctx context.Context, q *question) (json.RawMessage, error) {
	body, err := json.Marshal(map[string]string{"query": e.text(q)})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s, %s: %w", e.name, q.name, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s, %s: %w", e.name, q.name, err)
	}
	var out struct {
		Data   json.RawMessage
		Errors []struct{ Message string }
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("%s, %s: HTTP %d: %w", e.name, q.name, resp.StatusCode, err)
	}
	if len(out.Errors) > 0 {
		return nil, fmt.Errorf("%s, %s: %s", e.name, q.name, out.Errors[0].Message)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s, %s: HTTP %d", e.name, q.name, resp.StatusCode)
	}
	return out.Data, nil
}

// check asks both systems the question and fails, showing both sides,
// unless their answers agree, or when either is empty: an empty answer
// agreeing with another shows nothing about either.
func check(ctx context.Context, q *question, self, peer endpoint) error {
	raw, err := self.ask(ctx, q)
	if err != nil {
		return err
	}
	var ad apiData
	if err := json.Unmarshal(raw, &ad); err != nil {
		return fmt.Errorf("API, %s: %w", q.name, err)
	}
	raw, err = peer.ask(ctx, q)
	if err != nil {
		return err
	}
	var pd peerData
	if err := json.Unmarshal(raw, &pd); err != nil {
		return fmt.Errorf("peer, %s: %w", q.name, err)
	}
	a, p := q.apiAnswer(ad), q.peerAnswer(pd)
	if len(a) == 0 {
		return fmt.Errorf("%s: the API's answer is empty, so agreeing with it would show nothing", q.name)
	}
	var labels []string
	for l := range a {
		labels = append(labels, l)
	}
	for l := range p {
		if _, ok := a[l]; !ok {
			labels = append(labels, l)
		}
	}
	slices.Sort(labels)
	var differ []string
	for _, l := range labels {
		slices.Sort(a[l])
		slices.Sort(p[l])
		if !slices.Equal(a[l], p[l]) {
			differ = append(differ, l)
		}
	}
	if len(differ) == 0 {
		fmt.Fprintf(os.Stderr, "%s: the same answer (%s)\n", q.name, counts(a, labels))
		return nil
	}
	var b strings.Builder
	for _, l := range differ {
		fmt.Fprintf(&b, "\n%s, API (%d):\n  %s\n%s, peer (%d):\n  %s", l, len(a[l]), strings.Join(a[l], "\n  "), l, len(p[l]), strings.Join(p[l], "\n  "))
	}
	return fmt.Errorf("%s: the peer's answer is not the API's:%s", q.name, b.String())
}

// counts says what an answer holds: a label's one value, or how many.
func counts(a answer, labels []string) string {
	var out []string
	for _, l := range labels {
		if len(a[l]) == 1 {
			out = append(out, fmt.Sprintf("%s %s", l, a[l][0]))
		} else {
			out = append(out, fmt.Sprintf("%d %s", len(a[l]), l))
		}
	}
	return strings.Join(out, ", ")
}

// system is one way of getting a question's answer: the peer, the API
// (with its cache and without) or the Cypher baseline.
type system struct {
	name string
	ask  func(context.Context, *question) error
}

// latencies times each question on every system, one request at a time:
// five warm-up rounds, then n rounds in which each system answers once,
// in an order that turns each round, so that drift in the database's
// caches and the JVM's compilation falls on all alike and none always
// follows another. It prints one row per question: each system's p50,
// p99 and rate, then the p50 of each system named "API…" over the
// peer's (the first system) and over Cypher's (the last).
func latencies(ctx context.Context, qs []question, systems []system, n int) error {
	header, rule := "| query", "|---"
	for _, s := range systems {
		header += fmt.Sprintf(" | %[1]s p50 | %[1]s p99 | %[1]s q/s", s.name)
		rule += "|---|---|---"
	}
	for _, s := range systems {
		if strings.HasPrefix(s.name, "API") {
			header += fmt.Sprintf(" | %[1]s/peer p50 | %[1]s/Cypher p50", s.name)
			rule += "|---|---"
		}
	}
	fmt.Println(header + " |")
	fmt.Println(rule + "|")
	for i := range qs {
		q := &qs[i]
		times := make([][]time.Duration, len(systems))
		for r := -5; r < n; r++ {
			for k := range systems {
				j := (k + max(r, 0)) % len(systems)
				start := time.Now()
				if err := systems[j].ask(ctx, q); err != nil {
					return fmt.Errorf("%s, %s: %w", systems[j].name, q.name, err)
				}
				if r >= 0 {
					times[j] = append(times[j], time.Since(start))
				}
			}
		}
		sums := make([]graphbench.Latencies, len(systems))
		row := "| " + q.name
		for k := range systems {
			sums[k] = graphbench.Summarise(times[k])
			row += fmt.Sprintf(" | %s | %s | %.0f", graphbench.Ms(sums[k].P50), graphbench.Ms(sums[k].P99), sums[k].PerSecond)
		}
		peer, cypher := sums[0], sums[len(sums)-1]
		for k, s := range systems {
			if strings.HasPrefix(s.name, "API") {
				row += fmt.Sprintf(" | %.2f | %.2f", float64(sums[k].P50)/float64(peer.P50), float64(sums[k].P50)/float64(cypher.P50))
			}
		}
		fmt.Println(row + " |")
	}
	return nil
}

// throughput loads each system in turn (the peer first in eps) with each
// number of clients for d, every client asking the questions in turn from
// its own starting point, so the mix is the same for all. The first
// system of each level turns. It prints one row per level, with each
// other system's rate over the peer's.
func throughput(ctx context.Context, qs []question, eps []endpoint, levels []int, d time.Duration) error {
	header, rule := "| clients", "|---"
	for _, ep := range eps {
		header += fmt.Sprintf(" | %[1]s q/s | %[1]s p50 | %[1]s p99 | %[1]s errors", ep.name)
		rule += "|---|---|---|---"
	}
	for _, ep := range eps[1:] {
		header += fmt.Sprintf(" | %s/peer q/s", ep.name)
		rule += "|---"
	}
	fmt.Println(header + " |")
	fmt.Println(rule + "|")
	for i, c := range levels {
		res := make([]load, len(eps))
		for k := range eps {
			j := (k + i) % len(eps)
			res[j] = loadFor(ctx, qs, eps[j], c, d)
			if res[j].example != "" {
				fmt.Fprintf(os.Stderr, "%s, %d clients: %d errors, the first: %s\n", eps[j].name, c, res[j].errors, res[j].example)
			}
		}
		row := fmt.Sprintf("| %d", c)
		for _, r := range res {
			row += fmt.Sprintf(" | %.1f | %s | %s | %d", r.qps, graphbench.Ms(r.p50), graphbench.Ms(r.p99), r.errors)
		}
		for _, r := range res[1:] {
			row += fmt.Sprintf(" | %.2f", r.qps/res[0].qps)
		}
		fmt.Println(row + " |")
	}
	return nil
}

// load is what one level of clients saw of one system.
type load struct {
	qps      float64
	p50, p99 time.Duration
	errors   int
	example  string
}

func loadFor(ctx context.Context, qs []question, ep endpoint, clients int, d time.Duration) load {
	deadline := time.Now().Add(d)
	var (
		mu      sync.Mutex
		times   []time.Duration
		errs    int
		example string
		wg      sync.WaitGroup
	)
	start := time.Now()
	for c := range clients {
		wg.Go(func() {
			var mine []time.Duration
			var bad int
			var first string
			// A client stops asking at the deadline; what it has in
			// flight then is answered and counted.
			for i := c; time.Now().Before(deadline); i++ {
				t := time.Now()
				_, err := ep.ask(ctx, &qs[i%len(qs)])
				if err != nil {
					if bad == 0 {
						first = err.Error()
					}
					bad++
					continue
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			defer mu.Unlock()
			times = append(times, mine...)
			errs += bad
			if example == "" {
				example = first
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	out := load{errors: errs, example: example}
	if len(times) > 0 {
		s := graphbench.Summarise(times)
		out.p50, out.p99 = s.P50, s.P99
		out.qps = float64(len(times)) / elapsed.Seconds()
	}
	return out
}
