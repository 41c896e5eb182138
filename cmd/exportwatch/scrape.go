package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/exportwatch/exportwatch/config"
	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/scrapers/companieshouse"
	"github.com/exportwatch/exportwatch/scrapers/edgar"
	"github.com/exportwatch/exportwatch/scrapers/gleif"
	"github.com/exportwatch/exportwatch/scrapers/ocds"
	"github.com/exportwatch/exportwatch/scrapers/report"
	"github.com/exportwatch/exportwatch/scrapers/screening"
	"github.com/exportwatch/exportwatch/scrapers/ted"
	"github.com/exportwatch/exportwatch/scrapers/usaspending"
)

// sources are what `exportwatch scrape` can run, in the order its usage and
// the README list them: a new source is its package and a line here.
var sources = scrapers.Registry{
	ocds.Source,
	ted.Source,
	usaspending.Source,
	gleif.Source,
	companieshouse.Source,
	edgar.Source,
	report.Source,
	screening.Source,
}

// exitProblems: the run finished, but some pages or awards could not be
// used; they are listed on stderr.
const exitProblems = 3

func scrapeUsage() string {
	var b strings.Builder
	b.WriteString("exportwatch scrape SOURCE [source flags] --out FILE.jsonl [--archive DIR] [--base-url URL]\n\nSources:\n")
	for _, s := range sources {
		fmt.Fprintf(&b, "  %s %s\n      %s\n", s.Name, s.Usage, s.Reads)
	}
	return b.String()
}

func cmdScrape(ctx context.Context, cfg config.Config, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return fmt.Errorf("name a source\n\n%s", scrapeUsage())
	}
	reg, ok := sources.Lookup(args[0])
	if !ok {
		return fmt.Errorf("unknown source %q\n\n%s", args[0], scrapeUsage())
	}
	src := reg.New()
	fs := flag.NewFlagSet("scrape "+reg.Name, flag.ContinueOnError)
	out := fs.String("out", "", "record file to append to (a run started again with the same file continues)")
	archive := fs.String("archive", "archive", "directory for the run's WARC files")
	base := fs.String("base-url", "", "fetch from this scheme and host instead of the source's (a mirror or a test server), keeping the paths")
	rate := fs.Float64("rate", 1, "requests per second to one host")
	// The relevance filter's flags are every source's, though only the
	// procurement sources (ocds, ted, usaspending) filter.
	all := fs.Bool("all", false, "keep every award, not only those the relevance filter picks")
	var matchVendors, matchKeywords, matchCodes scrapers.Repeated
	fs.Var(&matchVendors, "match-vendor", "add a vendor name to the relevance filter (repeatable)")
	fs.Var(&matchKeywords, "match-keyword", "add a keyword to the relevance filter (repeatable)")
	fs.Var(&matchCodes, "match-code", "add a classification code prefix (CPV, PSC, NAICS) to the relevance filter (repeatable)")
	src.Flags(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("--out FILE.jsonl is required")
	}
	if *base != "" {
		if _, err := scrapers.Rebase(*base, ""); err != nil {
			return fmt.Errorf("--base-url: %w", err)
		}
	}
	filter, err := scrapers.DefaultFilter()
	if err != nil {
		return err
	}
	filter.All = *all
	for _, v := range matchVendors {
		filter.Vendors = append(filter.Vendors, strings.ToLower(v))
	}
	for _, k := range matchKeywords {
		filter.Keywords = append(filter.Keywords, strings.ToLower(k))
	}
	filter.Codes = append(filter.Codes, matchCodes...)
	env := &scrapers.Env{BaseURL: *base, Filter: filter, Config: cfg, Log: slog.Default()}
	if err := src.Check(env); err != nil {
		return err
	}

	ccfg := scrapers.Defaults()
	ccfg.Source, ccfg.Contact, ccfg.Version, ccfg.RatePerHost = reg.Name, cfg.Contact, version, *rate
	ccfg.ArchiveDir, ccfg.Validators, ccfg.Log = *archive, *out+".validators.json", slog.Default()
	c, err := scrapers.New(ccfg)
	if err != nil {
		return err
	}
	o, err := scrapers.OpenOutput(*out)
	if err != nil {
		c.Close()
		return err
	}
	env.Collector, env.Out = c, o
	prog := scrapers.StartProgress(os.Stderr, c, o, slog.Default(), 10*time.Second)
	summary, runErr := src.Run(ctx, env)
	prog.Stop()
	if err := o.Close(); runErr == nil {
		runErr = err
	}
	if err := c.Close(); runErr == nil {
		runErr = err
	}
	st := c.Stats()
	fmt.Printf("%s: %s; %d records written, %d already in %s; %d requests, %d retries, %d failed, %d bytes archived in %s\n",
		reg.Name, summary, o.Written(), o.Skipped(), *out, st.Requests, st.Retries, st.Failed, st.Bytes, *archive)
	if runErr != nil {
		return runErr
	}
	if problems := env.Problems(); len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, p)
		}
		return &exitError{code: exitProblems, err: fmt.Errorf("%d problems (listed above); the rest was written", len(problems))}
	}
	return nil
}
