// Package scrapers holds the collector every source fetches through: one
// place that sets colly up with the project's manners (robots.txt, a
// polite per-host rate, retries with backoff, a User-Agent with a contact
// address) and its safeguards (timeouts, a body limit, content types,
// redirects that stay on the host), and that archives every exchange in a
// WARC file so each document record can name its archived copy and hash.
// The sources live in the packages beside it; none touches Neo4j.
package scrapers

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"
	"golang.org/x/time/rate"

	"github.com/exportwatch/exportwatch/records"
)

// Config sets a collector up; zero fields take the defaults of Defaults.
type Config struct {
	// Source names the source in logs, the User-Agent and WARC file names.
	Source string
	// Contact is the address the User-Agent gives (some registries, SEC
	// EDGAR among them, refuse requests without one).
	Contact string
	// Version is the program's version, for the User-Agent.
	Version string
	// RatePerHost is requests per second to one host; Parallelism is how
	// many may be in flight to one host at once.
	RatePerHost float64
	Parallelism int
	// Timeout bounds one attempt, from connecting to the last body byte.
	Timeout time.Duration
	// MaxBodyBytes is the largest body kept; a larger one is cut off and
	// the fetch fails with ErrTooLarge. MaxSpoolBytes is the same for a
	// spooled body, on disk.
	MaxBodyBytes  int64
	MaxSpoolBytes int64
	// Retries is how many times a failed attempt (timeout, connection
	// error, 429, 5xx) is tried again; Backoff is the first wait, doubled
	// each time with jitter, up to MaxBackoff. A Retry-After header sets
	// the wait instead, up to MaxBackoff.
	Retries    int
	Backoff    time.Duration
	MaxBackoff time.Duration
	// ArchiveDir receives the run's WARC files.
	ArchiveDir string
	// Validators, when set, is the file where ETag and Last-Modified of
	// each fetched URL are kept, so a later run asks conditionally and an
	// unchanged page comes back as NotModified.
	Validators string
	// GuardAddresses refuses connections to loopback, private,
	// link-local, metadata and other inside addresses (RefusedAddress),
	// except those in Allow: for a server that fetches URLs its users
	// type. A source run names its hosts itself and needs no guard.
	GuardAddresses bool
	Allow          []netip.Prefix
	Log            *slog.Logger
}

// Defaults are polite: one request a second to a host, one at a time.
func Defaults() Config {
	return Config{RatePerHost: 1, Parallelism: 1, Timeout: 60 * time.Second, MaxBodyBytes: 50 << 20, MaxSpoolBytes: 2 << 30,
		Retries: 5, Backoff: time.Second, MaxBackoff: 2 * time.Minute, ArchiveDir: "archive"}
}

// Request is one fetch.
type Request struct {
	Method string // GET when empty
	URL    string
	Body   []byte
	Header http.Header
	// Accept lists the media types the caller can parse (e.g.
	// "application/json"); a response of another type fails with
	// ErrContentType. Empty accepts any.
	Accept []string
	// Spool writes the body to a temporary file instead of memory, for
	// files of tens or hundreds of MB (sanctions lists): Response.Path
	// names it, Response.Close removes it, and the limit is
	// MaxSpoolBytes. A spooled request is never made conditional.
	Spool bool
}

// Response is a fetched page, archived.
type Response struct {
	URL         string // after redirects
	Status      int
	Header      http.Header
	Body        []byte
	SHA256      string // hex digest of Body
	Archive     string // WARC file and record id: "FILE#<urn:uuid:…>"
	Retrieved   time.Time
	NotModified bool // a conditional request found the page unchanged
	// Path is the spooled body of a Spool request (Body is nil), Size its
	// length.
	Path string
	Size int64
}

// Document is the document record of a fetched response, cited by the
// URL fetched: its hash, archived copy and retrieval time are the
// response's, so every source's documents say the same about provenance.
func (r *Response) Document(title, publisher, published string) records.Document {
	u := records.EscapeURL(r.URL)
	d := records.Document{URL: u, Title: title, Publisher: publisher, Published: published,
		Retrieved: r.Retrieved.Format(time.RFC3339), SHA256: r.SHA256, Archive: r.Archive, Origin: records.OriginFetched}
	d.ID = records.DocumentID(u)
	return d
}

// Open opens the body of a response, spooled or not, for reading.
func (r *Response) Open() (io.ReadCloser, error) {
	if r.Path == "" {
		return io.NopCloser(bytes.NewReader(r.Body)), nil
	}
	return os.Open(r.Path)
}

// Close removes a spooled body; it is a no-op for one in memory.
func (r *Response) Close() error {
	if r == nil || r.Path == "" {
		return nil
	}
	return os.Remove(r.Path)
}

// Errors a fetch fails with, wrapped in a *FetchError.
var (
	ErrRobots      = errors.New("disallowed by robots.txt")
	ErrTooLarge    = errors.New("body larger than the limit")
	ErrContentType = errors.New("unexpected content type")
	ErrStatus      = errors.New("unexpected status")
	ErrOffHost     = errors.New("redirect to another host")
	ErrGaveUp      = errors.New("retries exhausted")
	// ErrRefusedAddress: the host resolves to an address the collector
	// is told not to reach (Config.GuardAddresses).
	ErrRefusedAddress = errors.New("address refused")
)

// FetchError says which URL failed and why, with the status when there
// was a response.
type FetchError struct {
	URL    string
	Status int
	Err    error
	Detail string
}

func (e *FetchError) Error() string {
	msg := e.URL + ": " + e.Err.Error()
	if e.Status != 0 {
		msg += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

func (e *FetchError) Unwrap() error { return e.Err }

// Stats counts a collector's work.
type Stats struct {
	Requests    int // attempts sent, retries included
	Fetched     int // responses archived and returned
	NotModified int
	Retries     int
	Failed      int
	Bytes       int64
}

// Collector fetches for one source run.
type Collector struct {
	cfg        Config
	colly      *colly.Collector
	archive    *archive
	validators *validators

	mu       sync.Mutex
	limiters map[string]*hostLimit
	stats    Stats
}

type hostLimit struct {
	rate  *rate.Limiter
	slots chan struct{}
}

// New returns a collector; Close must be called to finish its WARC file
// and save its validators.
func New(cfg Config) (*Collector, error) {
	d := Defaults()
	if cfg.Source == "" {
		return nil, errors.New("collector: no source name")
	}
	if cfg.RatePerHost <= 0 {
		cfg.RatePerHost = d.RatePerHost
	}
	if cfg.Parallelism <= 0 {
		cfg.Parallelism = d.Parallelism
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = d.Timeout
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = d.MaxBodyBytes
	}
	if cfg.MaxSpoolBytes <= 0 {
		cfg.MaxSpoolBytes = d.MaxSpoolBytes
	}
	if cfg.Retries < 0 {
		cfg.Retries = 0
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = d.Backoff
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = d.MaxBackoff
	}
	if cfg.ArchiveDir == "" {
		cfg.ArchiveDir = d.ArchiveDir
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	ua := "exportwatch/" + cfg.Version + " (surveillance-export research; " + cfg.Source
	if cfg.Contact != "" {
		ua += "; contact " + cfg.Contact
	}
	ua += ")"

	if err := os.MkdirAll(cfg.ArchiveDir, 0o755); err != nil {
		return nil, fmt.Errorf("collector: archive directory: %w", err)
	}
	finished, err := finishAbandoned(cfg.ArchiveDir)
	if err != nil {
		return nil, err
	}
	for _, f := range finished {
		cfg.Log.Warn("finished a WARC file a killed run left open", "file", f)
	}
	c := &Collector{cfg: cfg, archive: newArchive(cfg.ArchiveDir, cfg.Source), limiters: map[string]*hostLimit{}}
	if c.validators, err = loadValidators(cfg.Validators); err != nil {
		return nil, err
	}
	// colly fetches, checks robots.txt and follows redirects; the
	// transport below keeps the raw exchange for the archive, since colly
	// itself re-encodes bodies it thinks are in another charset.
	c.colly = colly.NewCollector(
		colly.UserAgent(ua),
		colly.AllowURLRevisit(),
		colly.ParseHTTPErrorResponse(),
		// One byte over the limit tells a body at the limit from a
		// longer one.
		colly.MaxBodySize(int(cfg.MaxBodyBytes)+1),
	)
	// colly ignores robots.txt unless told otherwise.
	c.colly.IgnoreRobotsTxt = false
	c.colly.SetRequestTimeout(cfg.Timeout)
	dialer := &net.Dialer{Timeout: 30 * time.Second}
	if cfg.GuardAddresses {
		dialer.Control = GuardControl(cfg.Allow)
	}
	c.colly.WithTransport(&capturing{next: &http.Transport{
		Proxy:                 nil, // no internet here; and a scraper's traffic should be explicit
		DialContext:           dialer.DialContext,
		MaxIdleConnsPerHost:   cfg.Parallelism + 1,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   30 * time.Second,
		ResponseHeaderTimeout: cfg.Timeout,
	}, limit: cfg.MaxBodyBytes + 1, spoolLimit: cfg.MaxSpoolBytes + 1, spoolDir: cfg.ArchiveDir})
	c.colly.SetRedirectHandler(func(req *http.Request, via []*http.Request) error {
		if req.URL.Host != via[0].URL.Host {
			return &FetchError{URL: via[0].URL.String(), Err: ErrOffHost, Detail: "to " + req.URL.String()}
		}
		if len(via) >= 10 {
			return &FetchError{URL: via[0].URL.String(), Err: ErrStatus, Detail: "more than 10 redirects"}
		}
		return nil
	})
	return c, nil
}

// Stats returns the counts so far.
func (c *Collector) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}

func (c *Collector) count(f func(*Stats)) {
	c.mu.Lock()
	f(&c.stats)
	c.mu.Unlock()
}

// Close finishes the WARC file and saves the validators.
func (c *Collector) Close() error {
	err := c.archive.close()
	if verr := c.validators.save(); err == nil {
		err = verr
	}
	return err
}

func (c *Collector) host(u *url.URL) *hostLimit {
	c.mu.Lock()
	defer c.mu.Unlock()
	h := c.limiters[u.Host]
	if h == nil {
		h = &hostLimit{rate: rate.NewLimiter(rate.Limit(c.cfg.RatePerHost), 1), slots: make(chan struct{}, c.cfg.Parallelism)}
		c.limiters[u.Host] = h
	}
	return h
}

// Fetch fetches one URL: politely, retrying what may pass, archiving what
// it gets. A response that cannot be used (a status other than 2xx or 304,
// a wrong content type, a body over the limit, a redirect off the host,
// robots.txt) is an error that names the URL and the reason; it is still
// archived when it came.
func (c *Collector) Fetch(ctx context.Context, req Request) (*Response, error) {
	if req.Method == "" {
		req.Method = http.MethodGet
	}
	u, err := url.Parse(req.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &FetchError{URL: req.URL, Err: ErrStatus, Detail: "not an http(s) URL"}
	}
	header := req.Header.Clone()
	if header == nil {
		header = http.Header{}
	}
	if len(req.Accept) > 0 && header.Get("Accept") == "" {
		header.Set("Accept", strings.Join(req.Accept, ", "))
	}
	v, conditional := c.validators.get(req.Method, req.URL)
	if conditional && !req.Spool {
		if v.ETag != "" {
			header.Set("If-None-Match", v.ETag)
		}
		if v.LastModified != "" {
			header.Set("If-Modified-Since", v.LastModified)
		}
	}
	resp, err := c.fetch(ctx, u, req, header)
	if err != nil || !resp.NotModified {
		return resp, err
	}
	// Unchanged: hand back the body archived the first time, so the
	// source reads it as it did then. Failing that (an archive moved
	// away), ask again without validators.
	file, _, _ := strings.Cut(v.Archive, "#")
	body, perr := payload(c.cfg.ArchiveDir, file, v.Offset)
	if sum := sha256.Sum256(body); perr == nil && hex.EncodeToString(sum[:]) == v.SHA256 {
		resp.Body, resp.SHA256, resp.Archive = body, v.SHA256, v.Archive
		if t, err := time.Parse(time.RFC3339Nano, v.Retrieved); err == nil {
			resp.Retrieved = t
		}
		return resp, nil
	}
	c.cfg.Log.Warn("the archived copy of an unchanged page cannot be read; fetching it again", "url", req.URL, "archive", v.Archive, "err", perr)
	c.validators.forget(req.Method, req.URL)
	header.Del("If-None-Match")
	header.Del("If-Modified-Since")
	return c.fetch(ctx, u, req, header)
}

// fetch sends a request with retries.
func (c *Collector) fetch(ctx context.Context, u *url.URL, req Request, header http.Header) (*Response, error) {
	h := c.host(u)
	wait := c.cfg.Backoff
	for attempt := 0; ; attempt++ {
		resp, retryAfter, err := c.attempt(ctx, h, req, header)
		if err == nil || !retryable(err) || attempt >= c.cfg.Retries || ctx.Err() != nil {
			if err != nil {
				c.count(func(s *Stats) { s.Failed++ })
				var fe *FetchError
				if retryable(err) && errors.As(err, &fe) {
					fe.Detail = fmt.Sprintf("gave up after %d attempts: %v", attempt+1, fe.Err)
					fe.Err = ErrGaveUp
				}
			}
			return resp, err
		}
		d := wait + rand.N(wait/2+1) // jitter, so clients that failed together do not retry together
		if retryAfter > 0 {
			d = retryAfter
		}
		d = min(d, c.cfg.MaxBackoff)
		c.cfg.Log.Info("retrying", "source", c.cfg.Source, "url", req.URL, "err", err, "in", d)
		c.count(func(s *Stats) { s.Retries++ })
		select {
		case <-ctx.Done():
			return nil, &FetchError{URL: req.URL, Err: ctx.Err()}
		case <-time.After(d):
		}
		wait = min(2*wait, c.cfg.MaxBackoff)
	}
}

// Local reads a local file given as a source, archiving it as a WARC
// resource record, so it is evidence like any fetched page. Its URL is the
// file's file:// URL; a source cites the URL the content names for itself.
func (c *Collector) Local(path, contentType string) (*Response, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	f, err := os.Open(abs)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, c.cfg.MaxBodyBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	u := (&url.URL{Scheme: "file", Path: abs}).String()
	if int64(len(body)) > c.cfg.MaxBodyBytes {
		return nil, &FetchError{URL: u, Err: ErrTooLarge, Detail: fmt.Sprintf("over %d bytes", c.cfg.MaxBodyBytes)}
	}
	at := time.Now().UTC()
	ref, err := c.archive.writeResource(u, contentType, body, at)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	c.count(func(s *Stats) { s.Fetched++; s.Bytes += int64(len(body)) })
	return &Response{URL: u, Status: http.StatusOK, Body: body, SHA256: hex.EncodeToString(sum[:]), Archive: ref, Retrieved: at}, nil
}

// retryable says whether another attempt may succeed.
func retryable(err error) bool {
	var fe *FetchError
	if !errors.As(err, &fe) {
		return false
	}
	switch {
	case fe.Status == http.StatusTooManyRequests, fe.Status >= 500:
		return true
	case fe.Status == 0 && !errors.Is(fe.Err, ErrRobots) && !errors.Is(fe.Err, ErrOffHost) && !errors.Is(fe.Err, ErrRefusedAddress) &&
		!errors.Is(fe.Err, context.Canceled) && !errors.Is(fe.Err, ErrTooLarge):
		// No response: a timeout or a broken connection.
		return true
	}
	return false
}

// attempt sends one request and archives what comes back.
func (c *Collector) attempt(ctx context.Context, h *hostLimit, req Request, header http.Header) (*Response, time.Duration, error) {
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, 0, &FetchError{URL: req.URL, Err: ctx.Err()}
	}
	defer func() { <-h.slots }()
	if err := h.rate.Wait(ctx); err != nil {
		return nil, 0, &FetchError{URL: req.URL, Err: err}
	}

	slot := &exchange{spool: req.Spool}
	cc := c.colly.Clone()
	cc.Context = context.WithValue(ctx, exchangeKey{}, slot)
	var body io.Reader
	if req.Body != nil {
		body = bytes.NewReader(req.Body)
	}
	c.count(func(s *Stats) { s.Requests++ })
	err := cc.Request(req.Method, req.URL, body, nil, header)
	at := time.Now().UTC()
	switch {
	case errors.Is(err, colly.ErrRobotsTxtBlocked):
		return nil, 0, &FetchError{URL: req.URL, Err: ErrRobots}
	case slot.resp == nil:
		var fe *FetchError
		if errors.As(err, &fe) {
			return nil, 0, fe
		}
		if err == nil {
			err = errors.New("no response")
		}
		if ctx.Err() != nil {
			return nil, 0, &FetchError{URL: req.URL, Err: ctx.Err()}
		}
		return nil, 0, &FetchError{URL: req.URL, Err: fmt.Errorf("request failed: %w", err)}
	}

	if slot.transportErr != nil {
		// The body broke off (a timeout, a reset): nothing worth
		// archiving came, and another attempt may do better.
		slot.removeSpool()
		return nil, 0, &FetchError{URL: req.URL, Err: fmt.Errorf("reading the body: %w", slot.transportErr)}
	}
	raw := slot.resp
	var resp *Response
	var offset int64
	var tooLarge bool
	if slot.spooled != nil {
		var aerr error
		if resp, offset, tooLarge, aerr = c.archiveSpool(slot, req, at); aerr != nil {
			return nil, 0, aerr
		}
	} else {
		kept := slot.body
		tooLarge = int64(len(kept)) > c.cfg.MaxBodyBytes
		if tooLarge {
			kept = kept[:c.cfg.MaxBodyBytes]
		}
		ref, off, aerr := c.archive.write(slot.req, req.Body, raw, kept, at)
		if aerr != nil {
			return nil, 0, aerr
		}
		sum := sha256.Sum256(kept)
		resp = &Response{URL: slot.req.URL.String(), Status: raw.StatusCode, Header: raw.Header, Body: kept,
			SHA256: hex.EncodeToString(sum[:]), Archive: ref, Retrieved: at, Size: int64(len(kept))}
		offset = off
	}
	c.count(func(s *Stats) { s.Bytes += resp.Size })

	fail := func(e error, detail string) (*Response, time.Duration, error) {
		// A failed response is archived; its spooled body is not kept.
		resp.Close()
		resp.Path = ""
		return resp, retryAfter(raw.Header, at), &FetchError{URL: req.URL, Status: raw.StatusCode, Err: e, Detail: detail}
	}
	var refused *FetchError
	switch {
	case errors.As(err, &refused):
		return fail(refused.Err, refused.Detail)
	case err != nil:
		return fail(ErrStatus, err.Error())
	case raw.StatusCode == http.StatusNotModified:
		resp.NotModified = true
		c.count(func(s *Stats) { s.NotModified++ })
		return resp, 0, nil
	case raw.StatusCode < 200 || raw.StatusCode > 299:
		return fail(ErrStatus, "")
	case tooLarge:
		return fail(ErrTooLarge, fmt.Sprintf("cut off at %d bytes", min(resp.Size, c.cfg.MaxBodyBytes)))
	}
	if len(req.Accept) > 0 {
		mt, _, _ := mime.ParseMediaType(raw.Header.Get("Content-Type"))
		if !slices.Contains(req.Accept, mt) {
			return fail(ErrContentType, fmt.Sprintf("got %q, want %s", raw.Header.Get("Content-Type"), strings.Join(req.Accept, ", ")))
		}
	}
	if !req.Spool {
		c.validators.set(req.Method, req.URL, raw.Header, resp, offset)
	}
	c.count(func(s *Stats) { s.Fetched++ })
	return resp, 0, nil
}

// archiveSpool archives a spooled body from its file and makes the
// response that names the file.
func (c *Collector) archiveSpool(slot *exchange, req Request, at time.Time) (*Response, int64, bool, error) {
	f, size, sum := slot.spooled, slot.spoolSize, slot.spoolSum
	tooLarge := size > c.cfg.MaxSpoolBytes
	if tooLarge {
		size = c.cfg.MaxSpoolBytes
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		slot.removeSpool()
		return nil, 0, false, fmt.Errorf("spool %s: %w", req.URL, err)
	}
	ref, offset, err := c.archive.writeStream(slot.req, req.Body, slot.resp, io.LimitReader(f, size), size, at)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return nil, 0, false, err
	}
	return &Response{URL: slot.req.URL.String(), Status: slot.resp.StatusCode, Header: slot.resp.Header, SHA256: sum,
		Archive: ref, Retrieved: at, Path: f.Name(), Size: size}, offset, tooLarge, nil
}

// retryAfter reads a Retry-After header (seconds or an HTTP date), or
// else an X-Ratelimit-Reset header (Companies House and others: the Unix
// time the window resets, or seconds until it does).
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		if reset, err := strconv.ParseInt(h.Get("X-Ratelimit-Reset"), 10, 64); err == nil && reset > 0 {
			if reset > 1_000_000_000 { // a Unix time, not a count of seconds
				return max(time.Unix(reset, 0).Sub(now), 0)
			}
			return time.Duration(reset) * time.Second
		}
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// exchange is where the transport leaves the raw request and response of
// one attempt (the last hop, after redirects).
type exchange struct {
	req          *http.Request
	resp         *http.Response
	body         []byte
	transportErr error
	// spool asks for the body on disk; spooled is that file (open, at
	// its end), with its size and SHA-256.
	spool     bool
	spooled   *os.File
	spoolSize int64
	spoolSum  string
}

func (x *exchange) removeSpool() {
	if x.spooled != nil {
		x.spooled.Close()
		os.Remove(x.spooled.Name())
		x.spooled = nil
	}
}

type exchangeKey struct{}

// capturing reads each response body (up to limit bytes) as it arrives and
// hands colly a copy, keeping the bytes exactly as served for the archive
// and the hash. A spooled body goes to a file (up to spoolLimit), hashed
// on the way, and colly gets none.
type capturing struct {
	next       http.RoundTripper
	limit      int64
	spoolLimit int64
	spoolDir   string
}

func (t *capturing) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	slot, _ := req.Context().Value(exchangeKey{}).(*exchange)
	if err != nil || slot == nil {
		return resp, err
	}
	if slot.spool {
		slot.removeSpool() // a redirect's earlier hop
		f, ferr := os.CreateTemp(t.spoolDir, ".spool-*")
		if ferr != nil {
			resp.Body.Close()
			return nil, ferr
		}
		h := sha256.New()
		n, rerr := io.Copy(io.MultiWriter(f, h), io.LimitReader(resp.Body, t.spoolLimit))
		resp.Body.Close()
		slot.req, slot.resp, slot.transportErr = req, resp, rerr
		slot.spooled, slot.spoolSize, slot.spoolSum = f, n, hex.EncodeToString(h.Sum(nil))
		resp.Body = io.NopCloser(bytes.NewReader(nil))
		return resp, nil
	}
	body, rerr := readBody(resp.Body, t.limit, resp.ContentLength)
	resp.Body.Close()
	slot.req, slot.resp, slot.body, slot.transportErr = req, resp, body, rerr
	// The collector answers from the slot; colly's own copy of a 50 MiB
	// body would double the memory a fetch holds.
	resp.Body = io.NopCloser(bytes.NewReader(nil))
	return resp, nil
}

// readBody reads at most limit bytes. A declared length sizes the buffer
// once. Without one (a compressed body, a chunked one) the body is read in
// pieces joined at the end: a slice grown as it fills would allocate
// several times the body (a 50 MiB gzip bomb held 130 MiB of heap that way).
func readBody(r io.Reader, limit, declared int64) ([]byte, error) {
	lr := io.LimitReader(r, limit)
	if declared >= 0 {
		buf := make([]byte, min(declared+1, limit)) // +1: a body longer than it said is seen
		n, err := io.ReadFull(lr, buf)
		if err == io.ErrUnexpectedEOF || err == io.EOF {
			err = nil
		}
		if err != nil || int64(n) < int64(len(buf)) {
			return buf[:n], err
		}
		rest, err := readBody(lr, limit-int64(n), -1)
		return append(buf, rest...), err
	}
	var pieces [][]byte
	for size := 32 << 10; ; size = min(2*size, 4<<20) {
		p := make([]byte, size)
		n, err := io.ReadFull(lr, p)
		pieces = append(pieces, p[:n])
		if err == io.ErrUnexpectedEOF || err == io.EOF {
			break
		}
		if err != nil {
			return bytes.Join(pieces, nil), err
		}
	}
	if len(pieces) == 1 {
		return pieces[0], nil
	}
	return bytes.Join(pieces, nil), nil
}
