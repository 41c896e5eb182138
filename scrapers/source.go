package scrapers

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/exportwatch/exportwatch/config"
)

// A Source is one place records come from, as the scrape command runs it:
// it binds its own flags, then runs once with the environment every
// source shares. A source's package exports a Registration; the command
// lists them, so a new source is its package and one line there.
type Source interface {
	// Flags binds the source's own flags to it.
	Flags(fs *flag.FlagSet)
	// Check says what is missing or wrong in the flags given and the
	// settings; the command calls it before it opens anything (env has no
	// collector or output yet), so a bad command line leaves no file
	// behind.
	Check(env *Env) error
	// Run fetches and writes through env, and returns the run's counts as
	// a line for the person who ran it.
	Run(ctx context.Context, env *Env) (string, error)
}

// Registration describes a source to the scrape command and the README.
type Registration struct {
	Name string
	// Usage is the source's flags as the scrape command's usage shows
	// them, and Reads what it reads, in a few words.
	Usage, Reads string
	// RowFlags and RowClaims are its row in the README's table of
	// sources (Markdown): its flags, and what becomes a claim.
	RowFlags, RowClaims string
	New                 func() Source
}

// Registry is the sources, in the order the command lists them.
type Registry []Registration

// Lookup finds a source by name.
func (r Registry) Lookup(name string) (Registration, bool) {
	i := slices.IndexFunc(r, func(s Registration) bool { return s.Name == name })
	if i < 0 {
		return Registration{}, false
	}
	return r[i], true
}

// Env is what every source's run shares: the collector it fetches through,
// the output it writes to, a mirror to fetch from, the relevance filter,
// the settings, the log and the run's problems.
type Env struct {
	Collector *Collector
	Out       *Output
	// BaseURL, when set, points every request at a mirror or a test
	// server: its scheme and host, the real paths.
	BaseURL string
	Filter  Filter
	// Config holds the settings a source may need (an API key).
	Config config.Config
	Log    *slog.Logger

	mu       sync.Mutex // a source may report from several fetches at once
	problems []string
}

// Problem notes something the run could not use (a page, an award, a
// row), with its URL and reason: it is logged as it is found and listed
// at the end, and the run goes on.
func (e *Env) Problem(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	e.mu.Lock()
	e.problems = append(e.problems, msg)
	e.mu.Unlock()
	if e.Log != nil {
		e.Log.Warn(msg)
	}
}

// Problems is what the run could not use, in the order found.
func (e *Env) Problems() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.problems)
}

// URL checks that raw is an http(s) URL and points it at the mirror, when
// there is one.
func (e *Env) URL(raw string) (string, error) { return Rebase(raw, e.BaseURL) }

// CheckURLs says which of a flag's values is not an http(s) URL.
func CheckURLs(raws []string) error {
	for _, raw := range raws {
		if _, err := httpURL(raw); err != nil {
			return err
		}
	}
	return nil
}

// URLs is URL for each of a flag's values.
func (e *Env) URLs(raws []string) ([]string, error) {
	out := make([]string, len(raws))
	for i, raw := range raws {
		u, err := e.URL(raw)
		if err != nil {
			return nil, err
		}
		out[i] = u
	}
	return out, nil
}

// Link is URL for a link taken from a page or a default, which the run
// reports when it fails: one that is not an http(s) URL is left as it is,
// for the fetch to say so with the page it came from.
func (e *Env) Link(raw string) string {
	if u, err := e.URL(raw); err == nil {
		return u
	}
	return raw
}

// Origin is the scheme and host a source fetches from: the mirror when
// there is one, else the real one, with no trailing slash.
func (e *Env) Origin(real string) string {
	if e.BaseURL != "" {
		return strings.TrimRight(e.BaseURL, "/")
	}
	return strings.TrimRight(real, "/")
}

// Rebase checks that raw is an http(s) URL and, when base is not empty,
// points it at base's scheme and host, keeping its path and query; with a
// base, a path alone (a relative link) is taken as on the mirror.
func Rebase(raw, base string) (string, error) {
	u, err := httpURL(raw)
	if err != nil && base != "" && strings.HasPrefix(raw, "/") && !strings.HasPrefix(raw, "//") {
		u, err = url.Parse(raw)
	}
	if err != nil {
		return "", err
	}
	if base == "" {
		return raw, nil
	}
	b, err := httpURL(base)
	if err != nil {
		return "", fmt.Errorf("base URL: %w", err)
	}
	u.Scheme, u.Host = b.Scheme, b.Host
	return u.String(), nil
}

func httpURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q is not an http(s) URL", raw)
	}
	return u, nil
}

// Repeated is a flag that may be given several times.
type Repeated []string

func (r *Repeated) String() string     { return strings.Join(*r, ",") }
func (r *Repeated) Set(v string) error { *r = append(*r, v); return nil }
