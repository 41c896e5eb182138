// Package evidence fetches the page an editor cites for a new claim,
// through the scrapers' collector (robots.txt, limits, a WARC archive, the
// SHA-256 of what came), and checks that the editor's quote is in the
// page's text. Since the URL comes from a person, the fetch refuses
// addresses inside the server's networks unless an allowlist names them.
package evidence

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"time"

	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
)

// Config sets a Checker up.
type Config struct {
	// ArchiveDir receives the WARC files of the pages editors cite; it
	// should be a directory of its own, not one a scrape run shares.
	ArchiveDir string
	// Allow lists addresses the fetch may reach although they are inside
	// (loopback, private, link-local): a test server, an intranet mirror.
	Allow []netip.Prefix
	// Contact and Version go into the User-Agent, as for every source.
	Contact, Version string
	// Timeout bounds one fetch; an editor waits for it.
	Timeout time.Duration
	Log     *slog.Logger
}

// Checker fetches cited pages; it is safe for concurrent use.
type Checker struct {
	c *scrapers.Collector
}

// NewChecker starts a checker; Close finishes its archive.
func NewChecker(cfg Config) (*Checker, error) {
	cc := scrapers.Defaults()
	cc.Source, cc.Contact, cc.Version, cc.Log = "editors", cfg.Contact, cfg.Version, cfg.Log
	cc.ArchiveDir, cc.GuardAddresses, cc.Allow = cfg.ArchiveDir, true, cfg.Allow
	// An editor waits: one quick retry, no long backoff.
	cc.Timeout, cc.Retries, cc.Backoff, cc.MaxBackoff = cfg.Timeout, 1, 500*time.Millisecond, 2*time.Second
	if cc.Timeout <= 0 {
		cc.Timeout = 10 * time.Second
	}
	c, err := scrapers.New(cc)
	if err != nil {
		return nil, fmt.Errorf("evidence: %w", err)
	}
	return &Checker{c: c}, nil
}

// Close finishes the WARC file.
func (ch *Checker) Close() error { return ch.c.Close() }

// Fetched is a cited page: its document record (hash, archived copy,
// retrieval time, and title, publisher and date from the page) and its
// text.
type Fetched struct {
	Document records.Document
	Page     Page
}

// Problem says in a few public words why a page could not be fetched:
// the kind of failure without the addresses or details a fetch error
// holds, for text shown to every reader (an unchecked paraphrase's
// reason).
func Problem(err error) string {
	var fe *scrapers.FetchError
	switch {
	case errors.Is(err, scrapers.ErrRefusedAddress):
		return "its address is not a public one"
	case errors.Is(err, scrapers.ErrRobots):
		return "the site's robots.txt forbids it"
	case errors.Is(err, scrapers.ErrTooLarge):
		return "it is larger than the limit"
	case errors.Is(err, ErrNotText):
		return "it holds no text"
	case errors.Is(err, scrapers.ErrOffHost):
		return "it redirects to another site"
	case errors.As(err, &fe) && fe.Status != 0:
		return fmt.Sprintf("the site answered HTTP %d", fe.Status)
	case errors.Is(err, context.DeadlineExceeded):
		return "the site did not answer in time"
	}
	return "the site could not be reached"
}

// Fetch fetches and archives a cited page and reads its text. A failure
// names the URL and the reason: a refused address, robots.txt, a status, a
// size, or a page without text.
func (ch *Checker) Fetch(ctx context.Context, url string) (*Fetched, error) {
	resp, err := ch.c.Fetch(ctx, scrapers.Request{URL: url})
	if err != nil {
		return nil, err
	}
	page, err := ReadPage(resp.Body, resp.Header.Get("Content-Type"), resp.URL)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", url, err)
	}
	return &Fetched{Document: resp.Document(page.Title, page.Publisher, page.Published), Page: page}, nil
}
