package screening

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/exportwatch/exportwatch/scrapers"
)

// Source registers screening with the scrape command.
var Source = scrapers.Registration{
	Name:      "screening",
	Usage:     "[--csl URL …] [--sdn URL …]",
	Reads:     "U.S. screening lists: the Consolidated Screening List (.csv, .json) and OFAC's SDN list (sdn.csv with alt.csv and add.csv, or .xml); without URLs, the real CSL and SDN downloads",
	RowFlags:  "`--csl URL`, `--sdn URL` (each repeatable; without them, the real downloads)",
	RowClaims: "the U.S. Consolidated Screening List (`consolidated.csv` or `.json`: Entity List, Denied Persons, Unverified, Military End User, OFAC's and the State Department's lists) and OFAC's SDN list (`sdn.csv` with `alt.csv` and `add.csv`, or the XML): each listed entity or person `DESIGNATED` by the list's authority (BIS, OFAC, State), documented, with list, programmes, start and end dates and the Federal Register notice as quote; aliases kept; vessels and aircraft counted and left out. Files are fetched to disk and parsed as streams (a 30 MB list with a 4 MB heap); a ragged row is reported with its line",
	New:       func() scrapers.Source { return &source{} },
}

type source struct{ csl, sdn scrapers.Repeated }

func (s *source) Flags(fs *flag.FlagSet) {
	fs.Var(&s.csl, "csl", "a Consolidated Screening List file URL, .csv or .json (repeatable; default "+CSLURL+")")
	fs.Var(&s.sdn, "sdn", "an OFAC SDN list URL, sdn.csv or .xml (repeatable; default "+SDNURL+")")
}

func (s *source) Check(*scrapers.Env) error {
	if err := scrapers.CheckURLs(s.csl); err != nil {
		return err
	}
	return scrapers.CheckURLs(s.sdn)
}

// Run reads the lists; Run (the package's) points them, or the real
// downloads, at the mirror.
func (s *source) Run(ctx context.Context, env *scrapers.Env) (string, error) {
	sum, err := Run(ctx, env, Options{CSL: s.csl, SDN: s.sdn})
	var skipped []string
	for why, n := range sum.Skipped {
		skipped = append(skipped, fmt.Sprintf("%d %s", n, why))
	}
	return fmt.Sprintf("%d list files, %d listings, %d claims; skipped: %s", sum.Files, sum.Listings, sum.Claims, strings.Join(skipped, ", ")), err
}
