package scrapers

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/exportwatch/exportwatch/config"
)

// A Scrape is one run of one source as a command line configures it: the
// flags every source shares (--out, --archive, --base-url, --rate and the
// relevance filter's) and the source's own. The scrape command and the
// scheduler both build one, so a schedule file's job means exactly what
// the same command line means.
type Scrape struct {
	Source Registration
	// Out is the record file the run appends to, and Archive the
	// directory of its WARC files.
	Out, Archive string
	src          Source
	env          *Env
	rate         float64
}

// ScrapeResult is what a run did.
type ScrapeResult struct {
	// Summary is the source's own line of counts.
	Summary string
	// Written is the records this run added to Out, Skipped those it
	// found there already.
	Written, Skipped int64
	Stats            Stats
	// Problems is what the run could not use; the rest was written.
	Problems []string
}

// ParseScrape reads a source's command line and checks it, before
// anything is opened: a bad one fails with the reason and leaves no file.
func ParseScrape(reg Registration, args []string, cfg config.Config, log *slog.Logger) (*Scrape, error) {
	s := &Scrape{Source: reg, src: reg.New()}
	fs := flag.NewFlagSet("scrape "+reg.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // the error returned says what is wrong
	fs.StringVar(&s.Out, "out", "", "record file to append to (a run started again with the same file continues)")
	fs.StringVar(&s.Archive, "archive", "archive", "directory for the run's WARC files")
	base := fs.String("base-url", "", "fetch from this scheme and host instead of the source's (a mirror or a test server), keeping the paths")
	fs.Float64Var(&s.rate, "rate", 1, "requests per second to one host")
	// The relevance filter's flags are every source's, though only the
	// procurement sources (ocds, ted, usaspending) filter.
	all := fs.Bool("all", false, "keep every award, not only those the relevance filter picks")
	var matchVendors, matchKeywords, matchCodes Repeated
	fs.Var(&matchVendors, "match-vendor", "add a vendor name to the relevance filter (repeatable)")
	fs.Var(&matchKeywords, "match-keyword", "add a keyword to the relevance filter (repeatable)")
	fs.Var(&matchCodes, "match-code", "add a classification code prefix (CPV, PSC, NAICS) to the relevance filter (repeatable)")
	s.src.Flags(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			var b strings.Builder
			fs.SetOutput(&b)
			fs.PrintDefaults()
			return nil, fmt.Errorf("the flags of %s:\n%s", reg.Name, b.String())
		}
		return nil, fmt.Errorf("%w (exportwatch scrape %s -h lists its flags)", err, reg.Name)
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("%q is not a flag (every value follows its flag)", fs.Arg(0))
	}
	if s.Out == "" {
		return nil, errors.New("--out FILE.jsonl is required")
	}
	if s.rate <= 0 {
		return nil, fmt.Errorf("--rate %g: give a number of requests per second above 0", s.rate)
	}
	if *base != "" {
		if _, err := Rebase(*base, ""); err != nil {
			return nil, fmt.Errorf("--base-url: %w", err)
		}
	}
	filter, err := DefaultFilter()
	if err != nil {
		return nil, err
	}
	filter.All = *all
	for _, v := range matchVendors {
		filter.Vendors = append(filter.Vendors, strings.ToLower(v))
	}
	for _, k := range matchKeywords {
		filter.Keywords = append(filter.Keywords, strings.ToLower(k))
	}
	filter.Codes = append(filter.Codes, matchCodes...)
	s.env = &Env{BaseURL: *base, Filter: filter, Config: cfg, Log: log}
	if err := s.src.Check(s.env); err != nil {
		return nil, err
	}
	return s, nil
}

// Run fetches and writes the records; progress, when not nil, shows the
// run's progress (a spinner on a terminal, a line now and then
// elsewhere). An error means the run stopped; a run that finished with
// problems returns them in the result and no error. A Scrape runs once.
func (s *Scrape) Run(ctx context.Context, version string, progress io.Writer) (ScrapeResult, error) {
	ccfg := Defaults()
	ccfg.Source, ccfg.Contact, ccfg.Version, ccfg.RatePerHost = s.Source.Name, s.env.Config.Contact, version, s.rate
	ccfg.ArchiveDir, ccfg.Validators, ccfg.Log = s.Archive, s.Out+".validators.json", s.env.Log
	c, err := New(ccfg)
	if err != nil {
		return ScrapeResult{}, err
	}
	o, err := OpenOutput(s.Out)
	if err != nil {
		c.Close()
		return ScrapeResult{}, err
	}
	s.env.Collector, s.env.Out = c, o
	var prog *Progress
	if progress != nil {
		prog = StartProgress(progress, c, o, s.env.Log, 10*time.Second)
	}
	summary, runErr := s.src.Run(ctx, s.env)
	if prog != nil {
		prog.Stop()
	}
	if err := o.Close(); runErr == nil {
		runErr = err
	}
	if err := c.Close(); runErr == nil {
		runErr = err
	}
	return ScrapeResult{Summary: summary, Written: o.Written(), Skipped: o.Skipped(), Stats: c.Stats(),
		Problems: s.env.Problems()}, runErr
}
