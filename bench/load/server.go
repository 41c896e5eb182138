package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/exportwatch/exportwatch/bench/graphbench"
)

// server is an `exportwatch serve` process of the test's own, so that its
// /metrics count only the server's heap and goroutines, not the clients'.
type server struct {
	url  string
	log  string // its stdout and stderr
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	err  error         // its exit, once done is closed
	// scraper is the one connection /metrics is read over, so scraping
	// adds a constant to the server's goroutines.
	scraper *http.Client
}

// startServer starts bin as `serve` on a free loopback port against the
// Neo4j at neo4jURI, in dir, with the settings in settings on top of the
// test's own, and waits until /readyz answers.
func startServer(ctx context.Context, bin, dir, name, neo4jURI string, settings []string) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	logPath := filepath.Join(dir, name+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("server log: %w", err)
	}
	// The server's settings are the test's, whatever the shell or a .env
	// says: its environment drops every EXPORTWATCH_ and NEO4J_ variable,
	// and it runs in dir, where there is no .env and where anything it
	// writes stays (never in ./data or ./archive).
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "EXPORTWATCH_") && !strings.HasPrefix(kv, "NEO4J_") {
			env = append(env, kv)
		}
	}
	// The clients repeat six queries on a graph nobody writes to, which
	// the response cache would answer from memory: off, every request
	// reaches Neo4j, the path this test puts under load.
	env = append(env, "NEO4J_URI="+neo4jURI, "EXPORTWATCH_ADDR="+addr,
		"EXPORTWATCH_DATA_DIR="+filepath.Join(dir, "data"), "EXPORTWATCH_EVIDENCE_ARCHIVE="+filepath.Join(dir, "archive"),
		"EXPORTWATCH_RESPONSE_CACHE_BYTES=0")
	cmd := exec.Command(bin, "serve")
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, append(env, settings...), logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start %s serve: %w", bin, err)
	}
	s := &server{url: "http://" + addr, log: logPath, cmd: cmd, done: make(chan struct{}),
		scraper: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}, Timeout: 10 * time.Second}}
	go func() {
		s.err = cmd.Wait()
		logFile.Close()
		close(s.done)
	}()
	if err := s.waitReady(ctx, time.Minute); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func (s *server) waitReady(ctx context.Context, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		select {
		case <-s.done:
			return fmt.Errorf("exportwatch serve exited before it was ready (%v); see %s:\n%s", s.err, s.log, tail(s.log, 10))
		default:
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url+"/readyz", nil)
		if err != nil {
			return err
		}
		if resp, err := s.scraper.Do(req); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("exportwatch serve at %s not ready within %s:\n%s", s.url, within, tail(s.log, 10))
		}
		if err := sleep(ctx, 200*time.Millisecond); err != nil {
			return err
		}
	}
}

// stop asks the server to shut down as Ctrl-C would, and kills it if it
// has not within 30 s.
func (s *server) stop() error {
	s.scraper.CloseIdleConnections()
	select {
	case <-s.done:
		return fmt.Errorf("exportwatch serve had already exited: %v", s.err)
	default:
	}
	if err := s.cmd.Process.Signal(os.Interrupt); err != nil {
		return fmt.Errorf("stop exportwatch serve: %w", err)
	}
	select {
	case <-s.done:
		if s.err != nil {
			return fmt.Errorf("exportwatch serve: %w", s.err)
		}
		return nil
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
		return errors.New("exportwatch serve did not stop within 30 s of an interrupt; killed")
	}
}

// sample is what the test reads from the server's /metrics.
type sample struct {
	heap       float64 // go_memstats_heap_alloc_bytes
	goroutines float64 // go_goroutines
	rss        float64 // process_resident_memory_bytes
	gcs        float64 // completed collections (go_gc_duration_seconds_count)
	operations float64 // exportwatch_graphql_requests_total, every operation
	neo4jErrs  float64 // exportwatch_neo4j_errors_total
	errs       map[string]float64
}

func (s *server) scrape(ctx context.Context) (sample, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url+"/metrics", nil)
	if err != nil {
		return sample{}, err
	}
	resp, err := s.scraper.Do(req)
	if err != nil {
		return sample{}, fmt.Errorf("read the server's metrics: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return sample{}, fmt.Errorf("read the server's metrics: status %d", resp.StatusCode)
	}
	m := sample{errs: map[string]float64{}}
	found := 0
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		// The text format: name{labels} value. Only counters and gauges
		// without a timestamp are read here.
		sp := strings.LastIndexByte(line, ' ')
		if sp < 0 {
			continue
		}
		v, err := strconv.ParseFloat(line[sp+1:], 64)
		if err != nil {
			continue
		}
		name, labels, _ := strings.Cut(line[:sp], "{")
		switch name {
		case "go_memstats_heap_alloc_bytes":
			m.heap, found = v, found+1
		case "go_goroutines":
			m.goroutines, found = v, found+1
		case "process_resident_memory_bytes":
			m.rss, found = v, found+1
		case "go_gc_duration_seconds_count":
			m.gcs, found = v, found+1
		case "exportwatch_graphql_requests_total":
			m.operations += v
		case "exportwatch_neo4j_errors_total":
			m.neo4jErrs = v
		case "exportwatch_graphql_errors_total":
			code, _, _ := strings.Cut(strings.TrimPrefix(labels, `code="`), `"`)
			m.errs[code] += v
		}
	}
	if err := sc.Err(); err != nil {
		return sample{}, fmt.Errorf("read the server's metrics: %w", err)
	}
	if found != 4 {
		return sample{}, errors.New("read the server's metrics: heap, goroutines, resident memory or GC count missing")
	}
	return m, nil
}

// Bounds on collecting the server's garbage: scrapes of /metrics, and time.
const (
	gcScrapes = 20000
	gcWithin  = time.Minute
)

// afterGC returns a sample taken right after the server's collector has
// run twice since the call, so that its heap is the live heap and not
// whatever garbage the last requests left: the server has no endpoint
// that forces a collection, and an idle Go process collects only every
// two minutes. Each scrape of /metrics allocates a little in the server,
// so scraping until the GC count moves is what runs the collector. Twice,
// because the first may have started before the call, while the load
// still ran. ok is false if the bounds ran out first; the sample is then
// the last one read.
func (s *server) afterGC(ctx context.Context) (m sample, ok bool, err error) {
	first, err := s.scrape(ctx)
	if err != nil {
		return sample{}, false, err
	}
	deadline := time.Now().Add(gcWithin)
	m = first
	for range gcScrapes {
		if m.gcs >= first.gcs+2 {
			return m, true, nil
		}
		if time.Now().After(deadline) {
			break
		}
		if m, err = s.scrape(ctx); err != nil {
			return sample{}, false, err
		}
	}
	return m, false, nil
}

// watchPeak samples the server every interval until the returned stop is
// called, which returns the highest heap, goroutines and resident memory
// seen (each at its own moment) and the first error.
func (s *server) watchPeak(ctx context.Context, interval time.Duration) (stop func() (sample, error)) {
	var (
		peak     sample
		firstErr error
	)
	end := graphbench.Every(interval, func() {
		m, err := s.scrape(ctx)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		peak.heap, peak.goroutines, peak.rss = max(peak.heap, m.heap), max(peak.goroutines, m.goroutines), max(peak.rss, m.rss)
	})
	return func() (sample, error) {
		end()
		return peak, firstErr
	}
}

// logSummary counts the server log's lines by level and message (slog's
// text format), and keeps the first line of each.
func logSummary(path string) (counts map[string]int, first map[string]string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("server log: %w", err)
	}
	defer f.Close()
	counts, first = map[string]int{}, map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		key := "(not slog)"
		if m := logLevelMessage.FindStringSubmatch(line); m != nil {
			key = m[1] + " " + m[2]
		}
		if counts[key] == 0 {
			first[key] = line
		}
		counts[key]++
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("server log: %w", err)
	}
	return counts, first, nil
}

var logLevelMessage = regexp.MustCompile(`\blevel=(\S+) msg=("(?:[^"\\]|\\.)*"|\S+)`)

// tail is the last n lines of a file, for an error message.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
