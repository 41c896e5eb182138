package schedule

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/exportwatch/exportwatch/config"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
)

// loads is a Loader that counts the lines of each file it is given and
// fails while failing is set; the graph's side is tested in the command's
// end-to-end test, with a real Neo4j.
type loads struct {
	mu      sync.Mutex
	files   []string
	lines   []int
	failing bool
}

func (l *loads) load(_ context.Context, path string) (LoadResult, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.files = append(l.files, filepath.Base(path))
	n, err := countLines(path)
	l.lines = append(l.lines, n)
	if err != nil {
		return LoadResult{}, err
	}
	if l.failing {
		return LoadResult{}, errors.New("neo4j is down")
	}
	return LoadResult{Lines: n}, nil
}

func (l *loads) seen() ([]string, []int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.files...), append([]int(nil), l.lines...)
}

func countLines(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n := 0
	for sc := bufio.NewScanner(f); sc.Scan(); {
		n++
	}
	return n, nil
}

// reportJob is a schedule of one job reading the report mirror's feed.
func reportJob(t *testing.T, base, every string) *File {
	t.Helper()
	path := writeFile(t, fmt.Sprintf(`jobs:
  - name: watch-feed
    source: report
    every: %s
    flags: [--feed, "https://www.example-watch.org/feed.atom", --base-url, %q, --rate, "1000"]
`, every, base))
	f, err := Read(path, testSources, config.Config{Contact: "research@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// runUntil runs s until cond holds of its one job's status, or fails the
// test after a while.
func runUntil(t *testing.T, s *Scheduler, cond func(JobStatus) bool) JobStatus {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if st := s.Status()[0]; cond(st) {
			return st
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the job never got there: %+v", s.Status()[0])
	return JobStatus{}
}

// TestRunsThenRestarts: a run scrapes and loads; a restart keeps the
// planned time (no run repeated); a time missed while down is run once at
// start; an unchanged source costs 304s and loads nothing again.
func TestRunsThenRestarts(t *testing.T) {
	srv := scrapertest.Report(t)
	f := reportJob(t, srv.URL, "1h")
	l := &loads{}
	s, err := New(f, Options{Load: l.load, Config: config.Config{Contact: "research@example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now().UTC()
	st := runUntil(t, s, func(st JobStatus) bool { return st.Runs == 1 })
	s.Close()
	if st.Outcome != "ok" || st.Written == 0 || st.Loaded != int(st.Written) || st.Failures != 0 {
		t.Errorf("first run: %+v", st)
	}
	if d := st.Next.Sub(start); d < time.Hour-time.Second || d > time.Hour+5*time.Second {
		t.Errorf("next run %s after the start, want an hour", d)
	}
	files, lines := l.seen()
	if d := cmp.Diff([]string{"records.jsonl"}, files); d != "" {
		t.Errorf("loaded (-want +got):\n%s", d)
	}

	// Restart: the next time is the one saved, so nothing runs now.
	s, err = New(f, Options{Load: l.load})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
	s.Run(ctx)
	cancel()
	if again := s.Status()[0]; again.Runs != 1 || !again.Next.Equal(st.Next) {
		t.Errorf("after a restart: %+v, want run 1 still, next %s", again, st.Next)
	}
	s.Close()

	// The planned time passed while the program was down: it runs at once.
	dir := filepath.Join(f.State, "watch-feed")
	editState(t, dir, func(st *state) { st.Next = time.Now().Add(-3 * time.Hour) })
	s, err = New(f, Options{Load: l.load})
	if err != nil {
		t.Fatal(err)
	}
	second := runUntil(t, s, func(st JobStatus) bool { return st.Runs == 2 })
	s.Close()
	if second.Written != 0 || second.Unchanged == 0 || second.Outcome != "ok" {
		t.Errorf("second run of an unchanged source: %+v, want nothing written and 304s", second)
	}
	if files2, _ := l.seen(); len(files2) != 1 {
		t.Errorf("the second run loaded %v; nothing new was written", files2[1:])
	}
	if n, _ := countLines(filepath.Join(dir, "records.jsonl")); n != lines[0] {
		t.Errorf("records.jsonl has %d lines, the first run wrote %d", n, lines[0])
	}
}

// TestCutShortRunsAgain: a run a crash cut short (its state still says
// running) runs again at once, and loads what the graph does not have.
func TestCutShortRunsAgain(t *testing.T) {
	srv := scrapertest.Report(t)
	f := reportJob(t, srv.URL, "1h")
	l := &loads{}
	s, _ := New(f, Options{Load: l.load})
	first := runUntil(t, s, func(st JobStatus) bool { return st.Runs == 1 })
	s.Close()
	dir := filepath.Join(f.State, "watch-feed")
	// As if the process died after the scrape, before the load was
	// recorded: the state says running, and the graph has nothing.
	editState(t, dir, func(st *state) { st.Running, st.LoadedFile, st.Next = true, fileMark{}, time.Now().Add(time.Hour) })
	s, _ = New(f, Options{Load: l.load})
	second := runUntil(t, s, func(st JobStatus) bool { return st.Runs == 2 })
	s.Close()
	files, lines := l.seen()
	if d := cmp.Diff([]string{"records.jsonl", "records.jsonl"}, files); d != "" {
		t.Errorf("loaded (-want +got):\n%s", d)
	}
	if len(lines) == 2 && lines[1] != lines[0] {
		t.Errorf("the run again loaded %d lines, the first %d", lines[1], lines[0])
	}
	if second.Written != 0 || second.Running || second.Loaded != first.Loaded {
		t.Errorf("run again: %+v", second)
	}
}

// TestFailedLoadBacksOff: a load that fails keeps the records for the next
// run, and the next run waits the backoff; one that succeeds then loads
// them.
func TestFailedLoadBacksOff(t *testing.T) {
	srv := scrapertest.Report(t)
	f := reportJob(t, srv.URL, "1s")
	l := &loads{failing: true}
	s, _ := New(f, Options{Load: l.load, Backoff: 3 * time.Second})
	failed := runUntil(t, s, func(st JobStatus) bool { return st.Runs == 1 })
	if failed.Outcome != "failed" || failed.Failures != 1 || !strings.Contains(failed.Error, "neo4j is down") {
		t.Errorf("failed run: %+v", failed)
	}
	if wait := failed.Next.Sub(failed.Ended); wait < 3*time.Second {
		t.Errorf("next run %s after a failure, want the 3s backoff, not the 1s interval", wait)
	}
	l.mu.Lock()
	l.failing = false
	l.mu.Unlock()
	ok := runUntil(t, s, func(st JobStatus) bool { return st.Runs == 2 })
	s.Close()
	if ok.Outcome != "ok" || ok.Failures != 0 || ok.Error != "" {
		t.Errorf("run after the failure: %+v", ok)
	}
	if ok.Started.Sub(failed.Ended) < 3*time.Second-50*time.Millisecond {
		t.Errorf("the second run started %s after the failure, before the backoff", ok.Started.Sub(failed.Ended))
	}
	_, lines := l.seen()
	if len(lines) != 2 || lines[0] == 0 || lines[1] != lines[0] {
		t.Errorf("lines loaded %v: the second run must load what the failed load did not", lines)
	}
}

// TestOneProcessPerJob: a second scheduler on the same state is refused
// before it runs anything.
func TestOneProcessPerJob(t *testing.T) {
	f := reportJob(t, "http://127.0.0.1:1", "1h")
	s, err := New(f, Options{Load: (&loads{}).load})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := New(f, Options{Load: (&loads{}).load}); err == nil || !strings.Contains(err.Error(), "another process runs this job") {
		t.Fatalf("second scheduler: %v", err)
	}
}

func TestNext(t *testing.T) {
	f := reportJob(t, "http://127.0.0.1:1", "1h")
	j := f.Jobs[0]
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name     string
		ended    time.Time
		failures int
		want     time.Time
	}{
		{"on time", at.Add(time.Minute), 0, at.Add(time.Hour)},
		{"a run longer than the interval", at.Add(90 * time.Minute), 0, at.Add(90 * time.Minute)},
		{"one failure: the interval is longer than the backoff", at.Add(time.Minute), 1, at.Add(time.Hour)},
		{"seven failures", at.Add(time.Minute), 7, at.Add(time.Minute + 64*time.Minute)},
		{"many failures wait a day", at.Add(time.Minute), 40, at.Add(time.Minute + MaxBackoff)},
	} {
		if got := next(j, at, tc.ended, tc.failures, time.Minute); !got.Equal(tc.want) {
			t.Errorf("%s: next %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestDue(t *testing.T) {
	f := reportJob(t, "http://127.0.0.1:1", "1h")
	j := f.Jobs[0]
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		st   state
		want time.Time
	}{
		{"never ran", state{}, now},
		{"cut short", state{When: j.When, History: History{Running: true, Next: now.Add(time.Hour)}}, now},
		{"planned", state{When: j.When, History: History{Next: now.Add(time.Hour)}}, now.Add(time.Hour)},
		{"missed while down", state{When: j.When, History: History{Next: now.Add(-5 * time.Hour)}}, now},
		{"new schedule", state{When: "every 6h0m0s", Planned: now.Add(-30 * time.Minute), History: History{Next: now.Add(5 * time.Hour)}}, now.Add(30 * time.Minute)},
	} {
		if got := due(tc.st, j, now); !got.Equal(tc.want) {
			t.Errorf("%s: due %s, want %s", tc.name, got, tc.want)
		}
	}
}

func editState(t *testing.T, dir string, fn func(*state)) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "state.json"))
	if err != nil {
		t.Fatal(err)
	}
	var st state
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	fn(&st)
	if err := writeState(dir, st); err != nil {
		t.Fatal(err)
	}
}
