package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/exportwatch/exportwatch/api"
	"github.com/exportwatch/exportwatch/watch"
)

// newsSite is a local NGO site whose Atom feed gains an item when more is
// set: first the Telecom Egypt page, then the Turk Telekom one too. Pages
// are served with Last-Modified, so a conditional request for an
// unchanged one gets a 304; the feed with an ETag of its version.
func newsSite(t *testing.T) (*httptest.Server, *atomic.Bool) {
	t.Helper()
	var more atomic.Bool
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", http.NotFound)
	mux.HandleFunc("GET /reports/{page}", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, filepath.Join("testdata", "schedule", r.PathValue("page")))
	})
	mux.HandleFunc("GET /feed.atom", func(w http.ResponseWriter, r *http.Request) {
		version, items := "v1", []string{"telecom-egypt.html"}
		if more.Load() {
			version, items = "v2", []string{"turk-telekom.html", "telecom-egypt.html"}
		}
		if r.Header.Get("If-None-Match") == `"`+version+`"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"`+version+`"`)
		w.Header().Set("Content-Type", "application/atom+xml")
		fmt.Fprint(w, `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Net Rights Monitor</title><id>urn:nrm:feed</id><updated>2026-12-02T09:00:00Z</updated>`)
		for _, it := range items {
			fmt.Fprintf(w, `<entry><title>%s</title><id>urn:nrm:%s</id><updated>2026-12-02T09:00:00Z</updated><link href="https://monitor.example/reports/%s"/></entry>`, it, it, it)
		}
		fmt.Fprint(w, `</feed>`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, &more
}

// hookReceiver verifies each post's signature and keeps the payloads.
type hookReceiver struct {
	secret string
	mu     sync.Mutex
	got    []watch.Payload
	bad    int
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := watch.Verify(h.secret, r.Header.Get("X-Exportwatch-Signature"), body, time.Now(), 5*time.Minute); err != nil {
		h.bad++
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	var p watch.Payload
	if err := json.Unmarshal(body, &p); err != nil {
		h.bad++
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	h.got = append(h.got, p)
}

func (h *hookReceiver) claims() map[string]bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := map[string]bool{}
	for _, p := range h.got {
		out[p.Claim.Relation+" "+p.Claim.Subject.ID+" "+p.Claim.Object.ID] = true
	}
	return out
}

// TestScheduledIngestion: serve --schedule polls a local NGO feed; when
// the feed gains a report, its claim reaches the graph, the changes feed,
// a watch's Atom feed (read by gofeed) and the watch's webhook (signature
// verified), its hedged sentence reaches the review queue; the unchanged
// page costs a 304, and the schedule query and /metrics show the job.
func TestScheduledIngestion(t *testing.T) {
	env := withNeo4j(t)
	site, more := newsSite(t)
	dir := t.TempDir()
	sched := filepath.Join(dir, "schedule.yaml")
	if err := os.WriteFile(sched, []byte(fmt.Sprintf(`jobs:
  - name: nrm-feed
    source: report
    every: 1s
    flags: [--feed, "https://monitor.example/feed.atom", --base-url, %q, --rate, "100"]
`, site.URL)), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := startServe(t, env, dir, "--seed", "--schedule", sched)
	defer srv.stop()
	editorKey, readerKey, gql := srv.editorKey, srv.readerKey, srv.gql
	base := srv.base
	jobs := func() []any {
		t.Helper()
		r := gql(editorKey, `{ schedule { name source when running runs outcome error recordsWritten unchanged loaded problems failures nextRun lastEnded } }`, nil)
		return dig(t, r, "data", "schedule").([]any)
	}
	srv.waitFor("the first run", func() bool {
		j := jobs()
		return len(j) == 1 && j[0].(map[string]any)["runs"].(float64) >= 1
	})
	first := jobs()[0].(map[string]any)
	if first["outcome"] != "OK" || first["source"] != "report" || first["when"] != "every 1s" {
		t.Fatalf("first run: %v", first)
	}
	// The first run's records, in the job's record file, are in the graph.
	if n, err := os.ReadFile(filepath.Join(dir, "schedule-state", "nrm-feed", "records.jsonl")); err != nil || !bytes.Contains(n, []byte(`"object":"company/telecom-egypt"`)) {
		t.Fatalf("the first run's records: %v\n%s", err, n)
	}
	egypt := gql(readerKey, `{ entity(id: "company/telecom-egypt") { name } }`, nil)
	if !strings.Contains(fmt.Sprint(egypt), "Telecom Egypt") {
		t.Errorf("the first run's entity is not in the graph: %v", egypt)
	}
	if r := gql(readerKey, `{ schedule { name } }`, nil); r["errors"] == nil {
		t.Errorf("a reader's key read the schedule: %v", r)
	}

	// A watch on Allot, with a webhook, and the changes feed's head.
	hooks := &hookReceiver{}
	receiver := httptest.NewServer(hooks)
	defer receiver.Close()
	w := gql(readerKey, `mutation($hook: String) { createWatch(input: {name: "Allot", entities: ["company/allot"], webhook: $hook}) { id feed webhookSecret } }`,
		map[string]any{"hook": receiver.URL + "/hook"})
	created := dig(t, w, "data", "createWatch").(map[string]any)
	hooks.mu.Lock()
	hooks.secret = created["webhookSecret"].(string)
	hooks.mu.Unlock()
	head := fmt.Sprint(dig(t, gql(readerKey, `{ changes(first: 1) { head } }`, nil), "data", "changes", "head"))

	// The site publishes a second report.
	more.Store(true)
	const want = "SUPPLIED company/allot company/turk-telekom"
	srv.waitFor("the new claim's webhook", func() bool { return hooks.claims()[want] })

	changes := gql(readerKey, `query($after: String) { changes(after: $after, types: [CLAIM]) { changes { kind id } } }`, map[string]any{"after": head})
	var newClaims []string
	for _, c := range dig(t, changes, "data", "changes", "changes").([]any) {
		if c := c.(map[string]any); c["kind"] == "CREATED" {
			newClaims = append(newClaims, c["id"].(string))
		}
	}
	if len(newClaims) != 1 {
		t.Errorf("changes after the second report: %v, want one claim created", newClaims)
	}
	hooks.mu.Lock()
	if hooks.bad != 0 || len(hooks.got) != 1 || (len(newClaims) == 1 && hooks.got[0].Claim.ID != newClaims[0]) {
		t.Errorf("webhook posts %+v (%d refused); want the one new claim", hooks.got, hooks.bad)
	}
	hooks.mu.Unlock()

	// The hedged sentence of the new report waits for an editor.
	sugg := gql(editorKey, `{ suggestions { nodes { relation quote } } }`, nil)
	if !strings.Contains(fmt.Sprint(dig(t, sugg, "data", "suggestions", "nodes")), "NICE may have sold interception software") {
		t.Errorf("the review queue lacks the new report's suggestion: %v", sugg)
	}

	resp, err := http.Get(base + created["feed"].(string))
	if err != nil {
		t.Fatal(err)
	}
	feed, err := gofeed.NewParser().Parse(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("gofeed reads the watch's feed: %v", err)
	}
	if len(feed.Items) != 1 || !strings.Contains(feed.Items[0].Description+feed.Items[0].Content, "Allot sold its traffic management platform to Turk Telekom") {
		t.Errorf("the watch's feed has %d items; want the new claim with its quote: %+v", len(feed.Items), feed.Items)
	}

	// The page that did not change cost a 304 in the runs after the first.
	later := jobs()[0].(map[string]any)
	if later["unchanged"].(float64) < 1 || later["failures"].(float64) != 0 || later["nextRun"] == nil {
		t.Errorf("a later run: %v", later)
	}
	resp, err = http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, m := range []string{`exportwatch_schedule_runs_total{job="nrm-feed"}`, `exportwatch_schedule_failures{job="nrm-feed"} 0`,
		`exportwatch_schedule_next_run_timestamp_seconds{job="nrm-feed"}`} {
		if !strings.Contains(string(metrics), m) {
			t.Errorf("/metrics lacks %s", m)
		}
	}
}

// TestServeRefusesABadSchedule: a schedule file with a problem stops serve
// before it listens or starts Neo4j, naming the line and the reason.
func TestServeRefusesABadSchedule(t *testing.T) {
	sched := filepath.Join(t.TempDir(), "schedule.yaml")
	os.WriteFile(sched, []byte("jobs:\n  - name: a\n    source: report\n    every: fortnightly\n    flags: [--url, https://a.example/r]\n"+
		"  - name: b\n    source: nosuch\n    every: 1h\n  - name: c\n    source: report\n    every: 1h\n"), 0o644)
	_, stderr, code := exportwatch(t, []string{"NEO4J_URI=bolt://127.0.0.1:1"}, "serve", "--schedule", sched)
	for _, s := range []string{"nothing runs", `line 4: job "a": every "fortnightly"`, `line 6: job "b": unknown source "nosuch"`,
		`line 9: job "c": report: give a --url or a --feed`} {
		if code == 0 || !strings.Contains(stderr, s) {
			t.Errorf("serve with a bad schedule (exit %d) does not say %q:\n%s", code, s, stderr)
		}
	}
	if strings.Contains(stderr, "127.0.0.1:1") {
		t.Errorf("serve tried Neo4j before refusing the schedule:\n%s", stderr)
	}
}

// served is an exportwatch serve process on the test's Neo4j, with an
// editor's and a reader's key.
type served struct {
	t                    *testing.T
	cmd                  *exec.Cmd
	cancel               context.CancelFunc
	logs                 *bytes.Buffer
	base                 string
	editorKey, readerKey string
}

// startServe starts serve with args in dir and waits until it answers;
// webhooks may reach this machine.
func startServe(t *testing.T, env []string, dir string, args ...string) *served {
	t.Helper()
	editorKey, editorEntry, err := api.NewKey("ed", "editor")
	if err != nil {
		t.Fatal(err)
	}
	readerKey, readerEntry, _ := api.NewKey("rd", "reader")
	return startServeKeys(t, env, dir, editorKey, editorEntry, readerKey, readerEntry, args...)
}

func startServeKeys(t *testing.T, env []string, dir, editorKey, editorEntry, readerKey, readerEntry string, args ...string) *served {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, binary, append([]string{"serve"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "JAVA_HOME=" + os.Getenv("JAVA_HOME"),
		"EXPORTWATCH_ADDR=" + addr, "EXPORTWATCH_API_KEYS=" + editorEntry + "," + readerEntry,
		"EXPORTWATCH_FETCH_ALLOW=127.0.0.1"}, env...)
	s := &served{t: t, cmd: cmd, cancel: cancel, logs: &bytes.Buffer{}, base: "http://" + addr, editorKey: editorKey, readerKey: readerKey}
	cmd.Stdout, cmd.Stderr = s.logs, s.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s.waitFor("the server", func() bool {
		resp, err := http.Get(s.base + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == 200
	})
	return s
}

// stop ends the server (SIGKILL), showing its output if the test failed.
func (s *served) stop() {
	s.cancel()
	s.cmd.Wait()
	if s.t.Failed() {
		s.t.Logf("server's output:\n%s", s.logs.String())
	}
}

// gql posts a GraphQL operation with key and returns the decoded answer.
func (s *served) gql(key, query string, vars map[string]any) map[string]any {
	s.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest("POST", s.base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		s.t.Fatal(err)
	}
	return out
}

// waitFor polls cond for up to 90 s.
func (s *served) waitFor(what string, cond func() bool) {
	s.t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	s.t.Fatalf("timed out waiting for %s", what)
}

// dig is the value at path in a GraphQL answer, or fails the test with
// the whole answer.
func dig(t *testing.T, r map[string]any, path ...string) any {
	t.Helper()
	var v any = r
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok || m[k] == nil {
			t.Fatalf("no %s in %v", strings.Join(path, "."), r)
		}
		v = m[k]
	}
	return v
}

// freeAddr is a local address no one listens on (yet).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestWebhookAfterTheServerIsKilled: the server is killed (SIGKILL) just
// after an editor's write commits, before its watches are notified. The
// change is in the feed the write committed with, so the restarted server
// notifies and posts it; the receiver, de-duplicating by id, has the entry
// exactly once.
func TestWebhookAfterTheServerIsKilled(t *testing.T) {
	env := withNeo4j(t)
	dir := t.TempDir()
	editorKey, editorEntry, _ := api.NewKey("ed", "editor")
	readerKey, readerEntry, _ := api.NewKey("rd", "reader")
	srv := startServeKeys(t, env, dir, editorKey, editorEntry, readerKey, readerEntry, "--seed")
	hooks := &hookReceiver{}
	receiver := httptest.NewServer(hooks)
	defer receiver.Close()
	w := srv.gql(readerKey, `mutation($hook: String) { createWatch(input: {name: "Allot", entities: ["company/allot"], webhook: $hook}) { id webhookSecret } }`,
		map[string]any{"hook": receiver.URL + "/hook"})
	created := dig(t, w, "data", "createWatch").(map[string]any)
	hooks.mu.Lock()
	hooks.secret = created["webhookSecret"].(string)
	hooks.mu.Unlock()

	add := srv.gql(editorKey, `mutation { addClaim(input: {relation: SUPPLIED, subject: "company/allot", object: "country:EG", confidence: 0.5,
  evidence: [{document: {url: "https://monitor.example/reports/allot-egypt"}, paraphrase: "The report says Allot sold to Egypt.", reason: "read offline"}]}) { id } }`, nil)
	claimID := dig(t, add, "data", "addClaim", "id").(string)
	srv.stop() // killed at once: the notifier runs every five seconds
	hooks.mu.Lock()
	before := len(hooks.got)
	hooks.mu.Unlock()
	if before > 0 {
		t.Logf("the entry went out before the kill (%d posts); the restart must not post it again", before)
	}

	srv = startServeKeys(t, env, dir, editorKey, editorEntry, readerKey, readerEntry)
	defer srv.stop()
	srv.waitFor("the webhook after the restart", func() bool {
		hooks.mu.Lock()
		defer hooks.mu.Unlock()
		return len(hooks.got) > 0
	})
	time.Sleep(3 * time.Second) // a second post, were there one, would come within the deliverer's two seconds
	hooks.mu.Lock()
	defer hooks.mu.Unlock()
	ids := map[string]int{}
	for _, p := range hooks.got {
		ids[p.ID]++
		if p.Claim.ID != claimID {
			t.Errorf("a post about %s, want %s", p.Claim.ID, claimID)
		}
	}
	if len(ids) != 1 || hooks.bad != 0 {
		t.Errorf("entries posted: %v (%d refused); want the one entry", ids, hooks.bad)
	}
	for id, n := range ids {
		if n != 1 {
			t.Errorf("entry %s posted %d times", id, n)
		}
	}
}
