package screening

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"path"
	"strings"

	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
)

// The real download locations, used when no URL is given.
const (
	CSLURL = "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
	SDNURL = "https://www.treasury.gov/ofac/downloads/sdn.csv"
)

// Options are the source's flags: list files by URL (a CSL .csv or .json;
// an SDN sdn.csv, whose alt.csv and add.csv are read from beside it, or
// an SDN .xml). With neither, the real CSL and SDN files are read. Each
// URL is pointed at the environment's mirror, when there is one, keeping
// its path.
type Options struct {
	CSL []string
	SDN []string
}

// Summary counts a run.
type Summary struct {
	Files, Listings, Claims int
	// Skipped counts listings the graph has no place for, by reason.
	Skipped map[string]int
}

// Run reads each list file, fetched to disk and parsed as a stream,
// writing each listing's records as soon as it is read.
func Run(ctx context.Context, env *scrapers.Env, opt Options) (Summary, error) {
	sum := Summary{Skipped: map[string]int{}}
	c, out, report := env.Collector, env.Out, env.Problem
	// at points a URL at the mirror; one that is not an http(s) URL is
	// left as it is, for the fetch to report.
	if len(opt.CSL)+len(opt.SDN) == 0 {
		opt.CSL, opt.SDN = []string{CSLURL}, []string{SDNURL}
	}
	for _, u := range opt.CSL {
		if err := run(ctx, c, out, env.Link(u), "csl", &sum, report); err != nil {
			return sum, err
		}
	}
	for _, u := range opt.SDN {
		if err := run(ctx, c, out, env.Link(u), "sdn", &sum, report); err != nil {
			return sum, err
		}
	}
	return sum, nil
}

// fetch gets a list file onto disk.
func fetch(ctx context.Context, c *scrapers.Collector, u string) (*scrapers.Response, error) {
	return c.Fetch(ctx, scrapers.Request{URL: u, Spool: true})
}

func run(ctx context.Context, c *scrapers.Collector, out *scrapers.Output, u, list string, sum *Summary, report func(string, ...any)) error {
	resp, err := fetch(ctx, c, u)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		report("%v", err)
		return nil
	}
	defer resp.Close()
	sum.Files++
	f, err := resp.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	ext := strings.ToLower(path.Ext(resp.URL))
	// Title and publisher follow from the format, below.
	doc := resp.Document("", "", "")
	write := func(l Listing) error {
		sum.Listings++
		listed, authority, claim, ok := Records(l, doc.ID)
		if !ok {
			sum.Skipped[skipReason(l)]++
			return nil
		}
		if err := out.Page(doc, []records.Entity{listed, authority}, []records.Claim{claim}); err != nil {
			return err
		}
		sum.Claims++
		return nil
	}
	switch {
	case list == "csl" && ext == ".json":
		doc.Title, doc.Publisher = "Consolidated Screening List (JSON)", "International Trade Administration"
		err = ParseCSLJSON(f, write, report)
	case list == "csl":
		doc.Title, doc.Publisher = "Consolidated Screening List (CSV)", "International Trade Administration"
		err = ParseCSLCSV(f, write, report)
	case ext == ".xml":
		doc.Title, doc.Publisher = "Specially Designated Nationals List (XML)", "Office of Foreign Assets Control"
		err = ParseSDNXML(f, func(d string) { doc.Published = d }, write, report)
	default:
		doc.Title, doc.Publisher = "Specially Designated Nationals List (legacy CSV)", "Office of Foreign Assets Control"
		extras, xerr := sdnExtras(ctx, c, resp.URL, report)
		if xerr != nil {
			return xerr
		}
		err = ParseSDNCSV(f, extras, write, report)
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		report("%s: %v", resp.URL, err)
	}
	return out.Flush()
}

// sdnExtras reads alt.csv and add.csv from beside sdn.csv; a missing one
// is reported and the list is read without it.
func sdnExtras(ctx context.Context, c *scrapers.Collector, sdnURL string, report func(string, ...any)) (SDNExtras, error) {
	var readers [2]io.Reader
	for i, name := range []string{"alt.csv", "add.csv"} {
		u, err := url.Parse(sdnURL)
		if err != nil {
			return SDNExtras{}, err
		}
		u.Path = path.Join(path.Dir(u.Path), name)
		resp, err := fetch(ctx, c, u.String())
		if err != nil {
			if ctx.Err() != nil {
				return SDNExtras{}, ctx.Err()
			}
			report("%v (the SDN list is read without it)", err)
			continue
		}
		defer resp.Close()
		f, err := resp.Open()
		if err != nil {
			return SDNExtras{}, err
		}
		defer f.Close()
		readers[i] = f
	}
	x, err := ParseSDNExtras(readers[0], readers[1], report)
	if err != nil {
		return x, fmt.Errorf("SDN extras: %w", err)
	}
	return x, nil
}

func skipReason(l Listing) string {
	switch t := strings.ToLower(l.Type); {
	case t == "vessel" || t == "aircraft":
		return t
	case strings.TrimSpace(l.Name) == "":
		return "no name"
	}
	if _, _, ok := List(l.Source); !ok {
		return "unknown list " + l.Source
	}
	return "other"
}
