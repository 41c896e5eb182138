package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

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
	sc, err := scrapers.ParseScrape(reg, args[1:], cfg, slog.Default())
	if err != nil {
		return err
	}
	res, runErr := sc.Run(ctx, version, os.Stderr)
	st := res.Stats
	fmt.Printf("%s: %s; %d records written, %d already in %s; %d requests, %d retries, %d failed, %d bytes archived in %s\n",
		reg.Name, res.Summary, res.Written, res.Skipped, sc.Out, st.Requests, st.Retries, st.Failed, st.Bytes, sc.Archive)
	if runErr != nil {
		return runErr
	}
	if problems := res.Problems; len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, p)
		}
		return &exitError{code: exitProblems, err: fmt.Errorf("%d problems (listed above); the rest was written", len(problems))}
	}
	return nil
}
