package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/exportwatch/exportwatch/bench/graphbench"
)

const (
	// requestTimeout is a client's patience: past the server's own 15 s
	// limit, so that a slow answer shows as the server's LIMIT_EXCEEDED.
	requestTimeout = 30 * time.Second
	// maxAnswer bounds what a client reads of one answer; the largest of
	// the six is well under it.
	maxAnswer = 8 << 20
	// maxRetryAfter is the longest Retry-After a client accepts.
	maxRetryAfter = 60
)

// phase is a stretch of load: clients at once, each sending the queries
// in turn until the deadline or its count bound, whichever comes first.
type phase struct {
	url      string
	queries  []graphbench.APIQuery
	bodies   [][]byte // each query's request body
	items    []int    // each query's item count in the reference answer
	clients  int
	duration time.Duration
	max      int // requests a client may send in the phase
	// limited says the rate limit is on: a 429 with Retry-After is then
	// an expected answer, and the client waits as told before asking again.
	limited bool
}

func newPhase(url string, queries []graphbench.APIQuery, clients, max int, limited bool) (phase, error) {
	p := phase{url: url, queries: queries, clients: clients, max: max, limited: limited}
	for _, q := range queries {
		b, err := json.Marshal(map[string]string{"query": q.Text})
		if err != nil {
			return phase{}, fmt.Errorf("%s: %w", q.Field, err)
		}
		p.bodies = append(p.bodies, b)
	}
	return p, nil
}

// tally is what one client, or every client of a phase, saw.
type tally struct {
	requests int
	ok       [][]time.Duration // per query: 200s with the expected answer
	limited  []time.Duration   // 429s with a good Retry-After
	waited   time.Duration     // spent waiting as 429s asked
	errs     map[string]int    // kind of error → how many
	example  map[string]string // kind → the first one's details
	atBound  int               // clients that stopped at their count bound
	elapsed  time.Duration     // the phase, from start to the last answer
}

func newTally(queries int) *tally {
	return &tally{ok: make([][]time.Duration, queries), errs: map[string]int{}, example: map[string]string{}}
}

func (t *tally) fail(kind, detail string) {
	if t.errs[kind] == 0 {
		t.example[kind] = detail
	}
	t.errs[kind]++
}

func (t *tally) merge(o *tally) {
	t.requests += o.requests
	for i := range t.ok {
		t.ok[i] = append(t.ok[i], o.ok[i]...)
	}
	t.limited = append(t.limited, o.limited...)
	t.waited += o.waited
	for k, n := range o.errs {
		if t.errs[k] == 0 {
			t.example[k] = o.example[k]
		}
		t.errs[k] += n
	}
	t.atBound += o.atBound
}

func (t *tally) errors() int {
	n := 0
	for _, c := range t.errs {
		n += c
	}
	return n
}

func (t *tally) answered() int {
	n := 0
	for _, l := range t.ok {
		n += len(l)
	}
	return n
}

// run runs the phase and returns what every client saw. Each client has
// its own connection, as separate clients would, and closes it at the
// end, so the server's goroutines for it end too.
func (p phase) run(ctx context.Context) *tally {
	total := newTally(len(p.queries))
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	transports := make([]*http.Transport, p.clients)
	start := time.Now()
	deadline := start.Add(p.duration)
	for i := range p.clients {
		transports[i] = &http.Transport{MaxIdleConnsPerHost: 1}
		hc := &http.Client{Transport: transports[i], Timeout: requestTimeout}
		wg.Go(func() {
			t := p.client(ctx, i, hc, deadline)
			mu.Lock()
			total.merge(t)
			mu.Unlock()
		})
	}
	wg.Wait()
	total.elapsed = time.Since(start)
	for _, tr := range transports {
		tr.CloseIdleConnections()
	}
	return total
}

// client is one client's loop. It starts at its own place in the list, so
// that all six queries are in flight in equal shares at any moment. After
// a 429 or a 503 it waits as the answer's Retry-After asks, as a polite
// client does, and asks the same query again (a 503 still counts as an
// error). Bounded by the deadline (checked before each request and each
// wait; a request under way is finished) and by p.max requests.
func (p phase) client(ctx context.Context, i int, hc *http.Client, deadline time.Time) *tally {
	t := newTally(len(p.queries))
	next := i % len(p.queries)
	for t.requests < p.max && time.Now().Before(deadline) && ctx.Err() == nil {
		q, name := next, p.queries[next].Field
		t.requests++
		start := time.Now()
		status, header, body, err := post(ctx, hc, p.url, p.bodies[q])
		took := time.Since(start)
		var wait time.Duration
		switch {
		case err != nil:
			kind := "no answer"
			if errors.Is(err, context.DeadlineExceeded) {
				kind = fmt.Sprintf("no answer within %s", requestTimeout)
			}
			t.fail(name+": "+kind, err.Error())
		case status == http.StatusTooManyRequests && p.limited:
			var problem string
			if wait, problem = retryAfter(header, body); problem != "" {
				t.fail(name+": "+problem, fmt.Sprintf("Retry-After %q, body %s", header.Get("Retry-After"), snippet(body)))
			} else {
				t.limited = append(t.limited, took)
			}
		case status != http.StatusOK:
			var ans answer
			code := ""
			if json.Unmarshal(body, &ans) == nil && len(ans.Errors) > 0 {
				code = " " + ans.Errors[0].Extensions.Code
			}
			t.fail(fmt.Sprintf("%s: status %d%s", name, status, code), fmt.Sprintf("Retry-After %q, body %s", header.Get("Retry-After"), snippet(body)))
			if secs, err := strconv.Atoi(header.Get("Retry-After")); err == nil && status == http.StatusServiceUnavailable {
				wait = time.Duration(min(max(secs, 1), maxRetryAfter)) * time.Second
			}
		default:
			if kind, detail := p.check(q, body); kind != "" {
				t.fail(name+": "+kind, detail)
			} else {
				t.ok[q] = append(t.ok[q], took)
			}
		}
		if wait == 0 {
			next = (next + 1) % len(p.queries)
			continue
		}
		// Wait as asked, then ask the same query again, unless the
		// deadline comes first.
		if wait = min(wait, time.Until(deadline)); wait > 0 {
			if sleep(ctx, wait) != nil {
				break
			}
			t.waited += wait
		}
	}
	if t.requests >= p.max {
		t.atBound = 1
	}
	return t
}

func post(ctx context.Context, hc *http.Client, url string, body []byte) (int, http.Header, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/graphql", bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return 0, nil, nil, fmt.Errorf("read the answer (status %d): %w", resp.StatusCode, err)
	}
	return resp.StatusCode, resp.Header, b, nil
}

// retryAfter is how long a 429 asks the client to wait, or (with a wait
// of a second, so a client does not hammer) what is wrong with it: no
// Retry-After, one that is not a number of seconds from 1 to 60 (the
// server sends seconds, never a date), or no LIMIT_EXCEEDED error.
func retryAfter(h http.Header, body []byte) (time.Duration, string) {
	ra := h.Get("Retry-After")
	if ra == "" {
		return time.Second, "429 without Retry-After"
	}
	secs, err := strconv.Atoi(ra)
	if err != nil || secs < 1 || secs > maxRetryAfter {
		return time.Second, fmt.Sprintf("429 with a Retry-After that is not 1 to %d seconds", maxRetryAfter)
	}
	var ans answer
	if json.Unmarshal(body, &ans) != nil || len(ans.Errors) != 1 || ans.Errors[0].Extensions.Code != "LIMIT_EXCEEDED" {
		return time.Duration(secs) * time.Second, "429 without a LIMIT_EXCEEDED error"
	}
	return time.Duration(secs) * time.Second, ""
}

type answer struct {
	Data   map[string]json.RawMessage `json:"data"`
	Errors []struct {
		Message    string `json:"message"`
		Extensions struct {
			Code string `json:"code"`
		} `json:"extensions"`
	} `json:"errors"`
}

// check says what is wrong with a 200's body, as a kind and details: a
// GraphQL error, no data for the query's field, or another number of
// items than the reference answer had (the graph does not change while
// the test runs, so neither may the answer's size).
func (p phase) check(q int, body []byte) (kind, detail string) {
	n, kind, detail := items(p.queries[q].Field, body)
	if kind == "" && n != p.items[q] {
		return "another number of items than the reference answer", fmt.Sprintf("%d items, not %d: %s", n, p.items[q], snippet(body))
	}
	return kind, detail
}

// items counts the items of an answer's data for field: a list's length,
// or the lengths of an object's lists added up (an entity's claims, a
// neighbourhood's nodes and edges).
func items(field string, body []byte) (n int, kind, detail string) {
	var ans answer
	if err := json.Unmarshal(body, &ans); err != nil {
		return 0, "not a JSON answer", snippet(body)
	}
	if len(ans.Errors) > 0 {
		e := ans.Errors[0]
		return 0, "GraphQL error " + e.Extensions.Code, fmt.Sprintf("%d errors, the first: %s", len(ans.Errors), e.Message)
	}
	raw, ok := ans.Data[field]
	if !ok || string(raw) == "null" {
		return 0, "no " + field + " in the data", snippet(body)
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		return len(list), "", ""
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return 0, field + " is neither a list nor an object", snippet(body)
	}
	for _, v := range obj {
		if json.Unmarshal(v, &list) == nil {
			n += len(list)
		}
	}
	return n, "", ""
}

// reference asks each query once, one after another, and returns each
// answer's item count, which every answer under load must then have, and
// the statuses it had to wait out. A 429 or 503 is waited out as its
// Retry-After asks, a few times at most: this is set-up, not the test.
func reference(ctx context.Context, url string, p phase) (counts []int, waited []string, err error) {
	hc := &http.Client{Transport: &http.Transport{}, Timeout: requestTimeout}
	defer hc.CloseIdleConnections()
	for i, q := range p.queries {
		for attempt := 1; ; attempt++ {
			status, header, body, err := post(ctx, hc, url, p.bodies[i])
			if err != nil {
				return nil, nil, fmt.Errorf("reference answer to %s: %w", q.Field, err)
			}
			if (status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable) && attempt < 5 {
				waited = append(waited, fmt.Sprintf("%s: %d %s", q.Field, status, snippet(body)))
				secs, err := strconv.Atoi(header.Get("Retry-After"))
				if err != nil || secs < 1 || secs > maxRetryAfter {
					secs = 1
				}
				if err := sleep(ctx, time.Duration(secs)*time.Second); err != nil {
					return nil, nil, err
				}
				continue
			}
			if status != http.StatusOK {
				return nil, nil, fmt.Errorf("reference answer to %s: status %d: %s", q.Field, status, snippet(body))
			}
			n, kind, detail := items(q.Field, body)
			if kind != "" {
				return nil, nil, fmt.Errorf("reference answer to %s: %s: %s", q.Field, kind, detail)
			}
			if n == 0 {
				return nil, nil, fmt.Errorf("reference answer to %s is empty; the load would measure nothing", q.Field)
			}
			counts = append(counts, n)
			break
		}
	}
	return counts, waited, nil
}

func snippet(b []byte) string {
	const n = 300
	b = bytes.TrimSpace(b)
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
