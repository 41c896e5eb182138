package report

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/exportwatch/exportwatch/bench/graphbench"
	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
)

// hostile serves what a report source's server can do wrong, at
// https://hostile.example/… on the mirror; other is another host that a
// redirect points at, and counts the requests it gets (it should get none).
type hostile struct {
	srv, other *httptest.Server
	otherHits  atomic.Int32
	// requested counts the requests for the huge feed's links past the
	// ones a run may read.
	pastLimit atomic.Int32
}

// The pages that must be read, with what their text says.
const (
	salePage = `<html><head><title>Sale report</title></head><body><article><h1>Sale report</h1>
<p>Sandvine sold its traffic management equipment to the Egyptian authorities in 2019, according to the contract.</p>
<p>A caf` + "\xe9" + ` near the ministry was mentioned by one witness` + "\xff\xfe" + ` in passing.</p></article></body></html>`
	// cp1251: the Content-Type names no charset, the meta tag does.
	cyrillicTitle = "Отчёт о поставках"
)

// feedItems is the size of the huge feed; maxItems is how many of them a
// run reads.
const (
	feedItems = 100_000
	maxItems  = 3
)

func newHostile(t *testing.T) *hostile {
	h := &hostile{}
	h.other = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.otherHits.Add(1)
		io.WriteString(w, "<html><body><p>elsewhere</p></body></html>")
	}))
	t.Cleanup(h.other.Close)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /robots.txt", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "User-agent: *\nDisallow: /private/\n")
	})
	html := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, body)
		}
	}
	mux.HandleFunc("GET /ok/sale", html(salePage))
	mux.HandleFunc("GET /ok/cp1251", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write(cp1251(`<html><head><meta charset="windows-1251"><title>` + cyrillicTitle + `</title></head><body><main><p>Оборудование поставлено в 2018 году, сообщил источник.</p></main></body></html>`))
	})
	var bursts atomic.Int32
	mux.HandleFunc("GET /ok/after-503", func(w http.ResponseWriter, r *http.Request) {
		if bursts.Add(1) <= 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		html(`<html><head><title>Back again</title></head><body><article><p>The page came back after a burst of errors.</p></article></body></html>`)(w, r)
	})
	mux.HandleFunc("GET /bad/429", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	mux.HandleFunc("GET /bad/500", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
	})
	mux.HandleFunc("GET /bad/drip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		for _, b := range []byte(salePage) {
			if _, err := w.Write([]byte{b}); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(time.Second):
			}
		}
	})
	mux.HandleFunc("GET /bad/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html><body><article><p>")
		chunk := bytes.Repeat([]byte("Sandvine sold equipment. "), 1<<20/25)
		for written := 0; written < 51<<20; written += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	bomb := scrapertest.GzipBomb(256 << 20)
	mux.HandleFunc("GET /bad/bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb)
	})
	mux.HandleFunc("GET /bad/loop/{n}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/bad/loop/x"+r.PathValue("n"), http.StatusFound)
	})
	mux.HandleFunc("GET /bad/elsewhere", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, h.other.URL+"/page", http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /bad/image", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write([]byte("\x89PNG\r\n\x1a\n"))
	})
	mux.HandleFunc("GET /bad/untyped", func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = nil // no header at all, not even a sniffed one
		io.WriteString(w, salePage)
	})
	mux.HandleFunc("GET /bad/html.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		io.WriteString(w, "<html><body><h1>404 Not Found</h1></body></html>")
	})
	mux.HandleFunc("GET /bad/broken.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		io.WriteString(w, "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"+strings.Repeat("\x00\xff garbage ", 200)+"\n%%EOF")
	})
	mux.HandleFunc("GET /private/memo", html(salePage))
	feed := hugeFeed()
	mux.HandleFunc("GET /feeds/huge.rss", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(feed)
	})
	mux.HandleFunc("GET /items/{n}", func(w http.ResponseWriter, r *http.Request) {
		h.pastLimit.Add(1)
		http.NotFound(w, r)
	})
	h.srv = httptest.NewServer(mux)
	t.Cleanup(h.srv.Close)
	return h
}

// hugeFeed is an RSS feed of feedItems items (19 MB) whose first
// items link to the good pages and the rest to pages a run must never ask
// for.
func hugeFeed() []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Everything</title><link>https://hostile.example/</link><description>All of it</description>`)
	first := []string{"/ok/sale", "/ok/cp1251", "/ok/after-503"}
	for i := range feedItems {
		link := fmt.Sprintf("https://hostile.example/items/%d", i)
		if i < len(first) {
			link = "https://hostile.example" + first[i]
		}
		fmt.Fprintf(&b, `<item><title>Item %d</title><link>%s</link><guid>%s</guid><description>Item number %d of the feed.</description></item>`, i, link, link, i)
	}
	b.WriteString(`</channel></rss>`)
	return b.Bytes()
}

// cp1251 encodes Cyrillic text in windows-1251 (the letters this test
// uses; ASCII stays as it is).
func cp1251(s string) []byte {
	var out []byte
	for _, r := range s {
		switch {
		case r < 0x80:
			out = append(out, byte(r))
		case r >= 'А' && r <= 'я':
			out = append(out, byte(r-'А'+0xC0))
		case r == 'ё':
			out = append(out, 0xB8)
		case r == '«':
			out = append(out, 0xAB)
		case r == '»':
			out = append(out, 0xBB)
		default:
			panic(fmt.Sprintf("cp1251: no byte for %q", r))
		}
	}
	return out
}

// hostileConfig is the collector's real limits (50 MiB a body), with a
// one-second attempt and one retry so that the slow cases end quickly.
func hostileConfig(t *testing.T, out string) scrapers.Config {
	cfg := scrapertest.Config("report", filepath.Join(filepath.Dir(out), "archive"))
	cfg.MaxBodyBytes = scrapers.Defaults().MaxBodyBytes
	cfg.Timeout, cfg.Retries = time.Second, 1
	cfg.Backoff, cfg.MaxBackoff = 10*time.Millisecond, 2*time.Second
	return cfg
}

// TestHostileServer runs the report source end to end against a server
// that does everything wrong at once. Each bad URL ends within the
// collector's limits and is reported with its URL and reason; the run
// goes on; the good pages (a huge feed's first items, a page in
// windows-1251, a page with invalid UTF-8, a page after a 503) are read;
// and no record of the output comes from a bad URL, or is invalid.
func TestHostileServer(t *testing.T) {
	h := newHostile(t)
	out := filepath.Join(t.TempDir(), "reports.jsonl")
	bad := map[string]string{
		"/bad/429":        "retries exhausted (HTTP 429)",
		"/bad/500":        "retries exhausted (HTTP 500)",
		"/bad/drip":       "retries exhausted",
		"/bad/huge":       "body larger than the limit (HTTP 200): cut off at 52428800 bytes",
		"/bad/bomb":       "body larger than the limit (HTTP 200): cut off at 52428800 bytes",
		"/bad/loop/0":     "more than 10 redirects",
		"/bad/elsewhere":  "redirect to another host",
		"/bad/image":      `unexpected content type (HTTP 200): got "image/png"`,
		"/bad/untyped":    `unexpected content type (HTTP 200): got ""`,
		"/bad/html.pdf":   "read PDF",
		"/bad/broken.pdf": "read PDF",
		"/private/memo":   "disallowed by robots.txt",
	}
	urls := []string{}
	for path := range bad {
		urls = append(urls, "https://hostile.example"+path)
	}
	var sum Summary
	problems := scrapertest.RunConfig(t, hostileConfig(t, out), out, h.srv.URL, func(env *scrapers.Env) (err error) {
		sum, err = Run(context.Background(), env, Options{Feeds: []string{"https://hostile.example/feeds/huge.rss"}, URLs: urls, MaxItems: maxItems})
		return err
	})

	for path, reason := range bad {
		found := false
		for _, p := range problems {
			if strings.Contains(p, h.srv.URL+path) && strings.Contains(p, reason) {
				found = true
			}
		}
		if !found {
			t.Errorf("no problem names %s with %q; problems:\n%s", path, reason, strings.Join(problems, "\n"))
		}
	}
	if len(problems) != len(bad) {
		t.Errorf("%d problems for %d bad URLs:\n%s", len(problems), len(bad), strings.Join(problems, "\n"))
	}
	if n := h.otherHits.Load(); n != 0 {
		t.Errorf("the other host got %d requests", n)
	}
	if n := h.pastLimit.Load(); n != 0 {
		t.Errorf("%d of the huge feed's items past the first %d were fetched", n, maxItems)
	}

	// The output holds the good pages and nothing from a bad one; reading
	// it validates every record (UTF-8 among the rest).
	var docs []string
	for _, l := range scrapertest.Records(t, out) {
		if l.Document != nil {
			docs = append(docs, l.Document.Title)
			if strings.Contains(l.Document.URL, "/bad/") || strings.Contains(l.Document.URL, "/private/") {
				t.Errorf("a document from a bad URL: %+v", l.Document)
			}
		}
	}
	if want := []string{"Sale report", cyrillicTitle, "Back again"}; strings.Join(docs, "|") != strings.Join(want, "|") {
		t.Errorf("documents %q, want %q", docs, want)
	}
	claims := scrapertest.Claims(t, out)
	if sum.Feeds != 1 || sum.Pages != 3 || len(claims) == 0 {
		t.Fatalf("summary %+v, %d claims", sum, len(claims))
	}
	for _, c := range claims {
		for _, e := range c.Evidence {
			if !utf8.ValidString(e.Quote) || !strings.HasPrefix(e.Quote, "Sandvine sold") {
				t.Errorf("quote %q", e.Quote)
			}
		}
	}
}

// TestHostileServerHeap measures the peak heap of a run against the three
// cases that could grow it without bound: a body dripped a byte a second,
// a 256 MiB gzip bomb (against the 50 MiB limit) and a feed of 100,000
// items. Each stays bounded by the body limit, not by what the server
// sends; the figures are in docs/reliability.md.
func TestHostileServerHeap(t *testing.T) {
	h := newHostile(t)
	for _, tc := range []struct {
		name, url string
		feed      bool
		bound     uint64
	}{
		// The run's own start (the seed's gazetteer) is about 6 MiB.
		{"drip", "/bad/drip", false, 16 << 20},
		// A body without a declared length is read in pieces and joined,
		// so about twice what is kept is held at once.
		{"bomb", "/bad/bomb", false, 5 * uint64(scrapers.Defaults().MaxBodyBytes) / 2},
		{"feed", "/feeds/huge.rss", true, 60 << 20}, // three times the feed
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "reports.jsonl")
			opt := Options{URLs: []string{"https://hostile.example" + tc.url}}
			if tc.feed {
				opt = Options{Feeds: opt.URLs, MaxItems: maxItems}
			}
			runtime.GC()
			base := graphbench.HeapNow()
			stop := graphbench.PeakHeap()
			scrapertest.RunConfig(t, hostileConfig(t, out), out, h.srv.URL, func(env *scrapers.Env) error {
				_, err := Run(context.Background(), env, opt)
				return err
			})
			high := stop()
			peak := high - min(base, high)
			t.Logf("%s: peak heap %.1f MiB above the start", tc.name, float64(peak)/(1<<20))
			if peak > tc.bound {
				t.Errorf("peak heap %d MiB, bound %d MiB", peak>>20, tc.bound>>20)
			}
		})
	}
}
