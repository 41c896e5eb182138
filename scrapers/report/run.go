package report

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"log/slog"
	"mime"

	"github.com/mmcdole/gofeed"

	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/sentence"
)

// Options are the source's flags: pages by URL, and RSS or Atom feeds whose
// items are pages.
type Options struct {
	BaseURL string // points every URL (and the feeds' links) at a mirror, keeping paths
	URLs    []string
	Feeds   []string
	// MaxItems bounds the items read from one feed; 0: 50.
	MaxItems int
	Log      *slog.Logger
}

// Summary counts a run.
type Summary struct {
	Feeds, Pages, PDFs, Blocks, Sentences int
	Problems                              []string
}

// Run fetches each page (HTML or PDF) and each feed's items, archives
// them, and writes each page's document record with its title, publisher
// and date. Extraction of claims from the text is the next step of this
// source; the text read here (blocks and sentences) is counted so a run
// shows what it found.
func Run(ctx context.Context, c *scrapers.Collector, out *scrapers.Output, opt Options) (Summary, error) {
	var sum Summary
	report := scrapers.Reporter(&sum.Problems, opt.Log)
	urls := append([]string{}, opt.URLs...)
	for _, f := range opt.Feeds {
		resp, err := c.Fetch(ctx, scrapers.Request{URL: scrapers.Rebase(f, opt.BaseURL)})
		if ctx.Err() != nil {
			return sum, ctx.Err()
		}
		if err != nil {
			report("%v", err)
			continue
		}
		feed, err := gofeed.NewParser().Parse(bytes.NewReader(resp.Body))
		if err != nil {
			report("%s: not an RSS or Atom feed: %v", f, err)
			continue
		}
		sum.Feeds++
		for i, it := range feed.Items {
			if i >= cmp.Or(opt.MaxItems, 50) {
				break
			}
			if it.Link != "" {
				urls = append(urls, it.Link)
			}
		}
	}
	seen := map[string]bool{}
	for _, u := range urls {
		u = scrapers.Rebase(u, opt.BaseURL)
		if seen[u] {
			continue
		}
		seen[u] = true
		resp, err := c.Fetch(ctx, scrapers.Request{URL: u, Accept: []string{"text/html", "application/xhtml+xml", "application/pdf"}})
		if ctx.Err() != nil {
			return sum, ctx.Err()
		}
		if err != nil {
			report("%v", err)
			continue
		}
		ctype := resp.Header.Get("Content-Type")
		mt, _, _ := mime.ParseMediaType(ctype)
		var a *Article
		if mt == "application/pdf" || bytes.HasPrefix(resp.Body, []byte("%PDF-")) {
			blocks, problems, err := PDFText(resp.Body)
			for _, p := range problems {
				report("%s: %s", u, p)
			}
			if err != nil {
				report("%s: %v", u, err)
				continue
			}
			sum.PDFs++
			a = &Article{Blocks: blocks, Publisher: host(resp.URL)}
		} else {
			a, err = Extract(resp.Body, ctype, resp.URL)
			if errors.Is(err, ErrNoText) {
				report("%s: %v", u, err)
				continue
			}
			if err != nil {
				report("%s: %v", u, err)
				continue
			}
		}
		sum.Pages++
		sum.Blocks += len(a.Blocks)
		for _, b := range a.Blocks {
			sum.Sentences += len(sentence.Split(b.Text))
		}
		doc := resp.Document(cmp.Or(a.Title, resp.URL), a.Publisher, a.Published)
		if err := out.Document(doc); err != nil {
			return sum, err
		}
		if err := out.Flush(); err != nil {
			return sum, err
		}
	}
	return sum, nil
}
