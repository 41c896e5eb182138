package scrapers_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nlnwa/gowarc/v3"

	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
)

// testConfig is scrapertest's, with room for the retry tests.
func testConfig(t *testing.T) scrapers.Config {
	cfg := scrapertest.Config("test", t.TempDir())
	cfg.Retries, cfg.Timeout = 3, 2*time.Second
	return cfg
}

func newCollector(t *testing.T, cfg scrapers.Config) *scrapers.Collector {
	t.Helper()
	c, err := scrapers.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestFetchArchivesWhatItGets(t *testing.T) {
	const body = `{"releases":[{"ocid":"ocds-1"}]}`
	var ua string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		ua = r.Header.Get("User-Agent")
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		io.WriteString(w, body)
	}))
	defer srv.Close()
	cfg := testConfig(t)
	c, err := scrapers.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// A source's API key goes out with the request but never into the archive.
	const secret = "Basic c2VjcmV0LWtleTo="
	resp, err := c.Fetch(context.Background(), scrapers.Request{URL: srv.URL + "/releases.json", Accept: []string{"application/json"},
		Header: http.Header{"Authorization": {secret}}})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(body))
	if string(resp.Body) != body || resp.SHA256 != hex.EncodeToString(sum[:]) || resp.Status != 200 {
		t.Fatalf("response: %d %q %s", resp.Status, resp.Body, resp.SHA256)
	}
	if !strings.Contains(ua, "exportwatch/test") || !strings.Contains(ua, "research@example.org") {
		t.Fatalf("User-Agent %q names neither the project nor the contact", ua)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}

	// The reference reads back with a WARC reader: the response record
	// holds the body as served, and a request record goes with it.
	file, id, ok := strings.Cut(resp.Archive, "#")
	if !ok {
		t.Fatalf("archive reference %q", resp.Archive)
	}
	r, err := gowarc.NewWarcFileReader(filepath.Join(cfg.ArchiveDir, file), 0, gowarc.WithStrictValidation())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var sawResponse, sawRequest bool
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		h := rec.WarcRecord.WarcHeader()
		if h.Get(gowarc.WarcTargetURI) != srv.URL+"/releases.json" {
			t.Errorf("target URI %q", h.Get(gowarc.WarcTargetURI))
		}
		switch rec.WarcRecord.Type() {
		case gowarc.Response:
			sawResponse = rec.WarcRecord.RecordId() == strings.Trim(id, "<>")
			block, ok := rec.WarcRecord.Block().(gowarc.HttpResponseBlock)
			if !ok {
				t.Fatalf("response block is %T", rec.WarcRecord.Block())
			}
			payload, _ := block.PayloadBytes()
			got, _ := io.ReadAll(payload)
			if string(got) != body {
				t.Errorf("archived body %q", got)
			}
		case gowarc.Request:
			sawRequest = h.GetId(gowarc.WarcConcurrentTo) == strings.Trim(id, "<>")
			raw, err := rec.WarcRecord.Block().RawBytes()
			if err != nil {
				t.Fatal(err)
			}
			req, _ := io.ReadAll(raw)
			if strings.Contains(string(req), "c2VjcmV0") || !strings.Contains(string(req), "Authorization: [redacted]") {
				t.Errorf("the archived request keeps the credentials:\n%s", req)
			}
		}
		rec.WarcRecord.Close()
	}
	if !sawResponse || !sawRequest {
		t.Fatalf("archive lacks the response (%v) or its request (%v)", sawResponse, sawRequest)
	}
}

func TestRobotsTxtIsObeyed(t *testing.T) {
	var private atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			io.WriteString(w, "User-agent: *\nDisallow: /private\n")
		case "/private/list":
			private.Add(1)
			io.WriteString(w, "secret")
		default:
			io.WriteString(w, "ok")
		}
	}))
	defer srv.Close()
	c := newCollector(t, testConfig(t))
	_, err := c.Fetch(context.Background(), scrapers.Request{URL: srv.URL + "/private/list"})
	if !errors.Is(err, scrapers.ErrRobots) {
		t.Fatalf("err = %v, want ErrRobots", err)
	}
	if private.Load() != 0 {
		t.Fatal("a path robots.txt disallows was fetched")
	}
	if _, err := c.Fetch(context.Background(), scrapers.Request{URL: srv.URL + "/public"}); err != nil {
		t.Fatal(err)
	}
}

// gzipBomb is 64 MiB of zeros in about 64 KiB.
var gzipBomb = scrapertest.GzipBomb(64 << 20)

func TestFaults(t *testing.T) {
	for _, tc := range []struct {
		name     string
		handler  func(n int32, w http.ResponseWriter, r *http.Request)
		accept   []string
		limit    int64
		want     error // nil: success
		requests int32
	}{
		{"5xx then success", func(n int32, w http.ResponseWriter, r *http.Request) {
			if n < 3 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			io.WriteString(w, "ok")
		}, nil, 0, nil, 3},
		{"a storm of 429s", func(n int32, w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusTooManyRequests)
		}, nil, 0, scrapers.ErrGaveUp, 4},
		{"404 is not retried", func(n int32, w http.ResponseWriter, r *http.Request) {
			http.NotFound(w, r)
		}, nil, 0, scrapers.ErrStatus, 1},
		{"an HTML error page served with 200", func(n int32, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<html><body>Service temporarily unavailable</body></html>")
		}, []string{"application/json"}, 0, scrapers.ErrContentType, 1},
		{"a body over the limit", func(n int32, w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, strings.Repeat("x", 5000))
		}, nil, 1000, scrapers.ErrTooLarge, 1},
		{"a body at the limit", func(n int32, w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, strings.Repeat("x", 1000))
		}, nil, 1000, nil, 1},
		{"too slow", func(n int32, w http.ResponseWriter, r *http.Request) {
			time.Sleep(300 * time.Millisecond)
			io.WriteString(w, "late")
		}, nil, 0, scrapers.ErrGaveUp, 4},
		{"a body dripped a byte at a time", func(n int32, w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusOK)
			for i := 0; i < 40; i++ {
				if _, err := w.Write([]byte("x")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				time.Sleep(20 * time.Millisecond)
			}
		}, nil, 0, scrapers.ErrGaveUp, 4},
		{"a gzip bomb", func(n int32, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gzipBomb)
		}, nil, 1000, scrapers.ErrTooLarge, 1},
		{"a redirect loop", func(n int32, w http.ResponseWriter, r *http.Request) {
			next := "/a"
			if r.URL.Path == "/a" {
				next = "/b"
			}
			http.Redirect(w, r, next, http.StatusFound)
		}, nil, 0, scrapers.ErrStatus, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/robots.txt" {
					http.NotFound(w, r)
					return
				}
				tc.handler(n.Add(1), w, r)
			}))
			defer srv.Close()
			cfg := testConfig(t)
			cfg.Timeout = 100 * time.Millisecond
			if tc.limit > 0 {
				cfg.MaxBodyBytes = tc.limit
			}
			c := newCollector(t, cfg)
			resp, err := c.Fetch(context.Background(), scrapers.Request{URL: srv.URL + "/page", Accept: tc.accept})
			switch {
			case tc.want == nil && err != nil:
				t.Fatalf("err = %v", err)
			case tc.want != nil && !errors.Is(err, tc.want):
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if err != nil && !strings.Contains(err.Error(), srv.URL+"/page") {
				t.Errorf("error %q does not name the URL", err)
			}
			if got := n.Load(); got != tc.requests {
				t.Errorf("%d requests, want %d", got, tc.requests)
			}
			if errors.Is(err, scrapers.ErrTooLarge) && (resp == nil || int64(len(resp.Body)) != tc.limit) {
				t.Errorf("an oversized body was not cut off at the limit")
			}
		})
	}
}

// TestGzipBombStaysSmall: a 64 MiB bomb against a 1 MiB limit allocates
// about the limit, not the bomb: the body is cut off as it is inflated.
func TestGzipBombStaysSmall(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(gzipBomb)
	}))
	defer srv.Close()
	cfg := testConfig(t)
	cfg.MaxBodyBytes = 1 << 20
	c := newCollector(t, cfg)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := c.Fetch(context.Background(), scrapers.Request{URL: srv.URL + "/bomb"})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, scrapers.ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	if alloc > 16<<20 {
		t.Fatalf("fetching the bomb allocated %d MiB; the limit is 1 MiB", alloc>>20)
	}
	t.Logf("a 64 MiB gzip bomb against a 1 MiB limit: %.1f MiB allocated", float64(alloc)/(1<<20))
}

// TestRetryAfterIsHonoured: a 429 says when to come back, in Retry-After
// or (Companies House) in X-Ratelimit-Reset as a Unix time or seconds.
func TestRetryAfterIsHonoured(t *testing.T) {
	for name, header := range map[string]func() (string, string){
		"Retry-After": func() (string, string) { return "Retry-After", "1" },
		"X-Ratelimit-Reset epoch": func() (string, string) {
			return "X-Ratelimit-Reset", fmt.Sprint(time.Now().Add(1500 * time.Millisecond).Unix())
		},
		"X-Ratelimit-Reset delta": func() (string, string) { return "X-Ratelimit-Reset", "1" },
	} {
		t.Run(name, func(t *testing.T) {
			var first, second time.Time
			var n atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/robots.txt" {
					http.NotFound(w, r)
					return
				}
				if n.Add(1) == 1 {
					first = time.Now()
					k, v := header()
					w.Header().Set(k, v)
					w.WriteHeader(http.StatusTooManyRequests)
					return
				}
				second = time.Now()
				io.WriteString(w, "ok")
			}))
			defer srv.Close()
			c := newCollector(t, testConfig(t)) // backoff 1ms: only the header makes it wait
			if _, err := c.Fetch(context.Background(), scrapers.Request{URL: srv.URL + "/x"}); err != nil {
				t.Fatal(err)
			}
			// An epoch in whole seconds may land up to a second early.
			if gap := second.Sub(first); gap < 400*time.Millisecond {
				t.Fatalf("retried after %s, before the server said", gap)
			}
		})
	}
}

func TestRedirectToAnotherHostIsRefused(t *testing.T) {
	var other atomic.Int32
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { other.Add(1) }))
	defer elsewhere.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		http.Redirect(w, r, elsewhere.URL+"/landing", http.StatusFound)
	}))
	defer srv.Close()
	c := newCollector(t, testConfig(t))
	if _, err := c.Fetch(context.Background(), scrapers.Request{URL: srv.URL + "/go"}); !errors.Is(err, scrapers.ErrOffHost) {
		t.Fatalf("err = %v, want ErrOffHost", err)
	}
	if other.Load() != 0 {
		t.Fatal("the other host was contacted")
	}
}

func TestConditionalRequests(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		io.WriteString(w, "page")
	}))
	defer srv.Close()
	cfg := testConfig(t)
	cfg.Validators = filepath.Join(t.TempDir(), "validators.json")
	c, err := scrapers.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	first, err := c.Fetch(context.Background(), scrapers.Request{URL: srv.URL + "/p"})
	if err != nil || first.NotModified {
		t.Fatalf("first run: %+v %v", first, err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	again := newCollector(t, cfg)
	r, err := again.Fetch(context.Background(), scrapers.Request{URL: srv.URL + "/p"})
	if err != nil || !r.NotModified {
		t.Fatalf("second run: %+v %v", r, err)
	}
	// The source gets the page as archived the first time.
	if string(r.Body) != "page" || r.Archive != first.Archive || r.SHA256 != first.SHA256 || !r.Retrieved.Equal(first.Retrieved) {
		t.Fatalf("second run: body %q, archive %s (first %s)", r.Body, r.Archive, first.Archive)
	}
	if st := again.Stats(); st.NotModified != 1 || st.Fetched != 0 {
		t.Fatalf("stats: %+v", st)
	}

	// With the archive gone, the page is fetched again in full.
	if err := again.Close(); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(cfg.ArchiveDir)
	third := newCollector(t, cfg)
	r, err = third.Fetch(context.Background(), scrapers.Request{URL: srv.URL + "/p"})
	if err != nil || r.NotModified || string(r.Body) != "page" || r.Archive == first.Archive {
		t.Fatalf("third run, archive gone: %+v %v", r, err)
	}
}

func TestArchiveLeftOpenByAKilledRunIsFinished(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "page") }))
	defer srv.Close()
	cfg := testConfig(t)
	killed, err := scrapers.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := killed.Fetch(context.Background(), scrapers.Request{URL: srv.URL + "/p"})
	if err != nil {
		t.Fatal(err)
	}
	// killed is never closed: its file keeps its .open name.
	file, _, _ := strings.Cut(resp.Archive, "#")
	if _, err := os.Stat(filepath.Join(cfg.ArchiveDir, file)); err == nil {
		t.Fatal("the file had its final name before the run ended")
	}
	newCollector(t, cfg)
	r, err := gowarc.NewWarcFileReader(filepath.Join(cfg.ArchiveDir, file), 0)
	if err != nil {
		t.Fatalf("the cited file is not there after the next start: %v", err)
	}
	defer r.Close()
	if rec, err := r.Next(); err != nil || rec.WarcRecord.Type() != gowarc.Response {
		t.Fatalf("first record: %v", err)
	}
}

// TestSpoolKeepsLargeBodiesOnDisk: a Spool request writes the body to a
// file, hashed on the way; the archive holds it in full; Close removes the
// file; a body over MaxSpoolBytes fails and leaves no file behind.
func TestSpoolKeepsLargeBodiesOnDisk(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcdef,\n"), 200_000) // 3.6 MB
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/csv")
		w.Write(big)
	}))
	defer srv.Close()
	cfg := testConfig(t)
	cfg.MaxBodyBytes = 1 << 20 // in memory this body would be refused
	c, err := scrapers.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Fetch(context.Background(), scrapers.Request{URL: srv.URL + "/consolidated.csv", Spool: true, Accept: []string{"text/csv"}})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(big)
	if resp.Body != nil || resp.Size != int64(len(big)) || resp.SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("spooled response: body %d bytes, size %d, sha %s", len(resp.Body), resp.Size, resp.SHA256)
	}
	f, err := resp.Open()
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(f)
	f.Close()
	if !bytes.Equal(got, big) {
		t.Fatal("the spooled file differs from the body served")
	}
	if err := resp.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(resp.Path); !os.IsNotExist(err) {
		t.Errorf("the spool file survives Close: %v", err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	file, id, _ := strings.Cut(resp.Archive, "#")
	r, err := gowarc.NewWarcFileReader(filepath.Join(cfg.ArchiveDir, file), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for {
		rec, err := r.Next()
		if err != nil {
			t.Fatal("the response record is not in the archive")
		}
		if rec.WarcRecord.RecordId() == strings.Trim(id, "<>") {
			block := rec.WarcRecord.Block().(gowarc.HttpResponseBlock)
			payload, _ := block.PayloadBytes()
			archived, _ := io.ReadAll(payload)
			if !bytes.Equal(archived, big) {
				t.Fatalf("archived %d bytes, served %d", len(archived), len(big))
			}
			break
		}
	}

	cfg = testConfig(t)
	cfg.MaxSpoolBytes = 1 << 20
	c2, err := scrapers.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if _, err := c2.Fetch(context.Background(), scrapers.Request{URL: srv.URL + "/consolidated.csv", Spool: true}); !errors.Is(err, scrapers.ErrTooLarge) {
		t.Fatalf("over the spool limit: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(cfg.ArchiveDir, ".spool-*"))
	if len(left) > 0 {
		t.Errorf("spool files left: %v", left)
	}
}
