package edgar

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/exportwatch/exportwatch/scrapers"
)

// Source registers edgar with the scrape command.
var Source = scrapers.Registration{
	Name:      "edgar",
	Usage:     "--cik N [--cik …] [--reports N]",
	Reads:     "SEC registrants: identity, former names (RENAMED_TO), subsidiaries from the annual reports' exhibits, government-customer passages",
	RowFlags:  "`--cik N` (repeatable), `--reports N`",
	RowClaims: "SEC registrants (CIK, tickers, country of incorporation); former names `RENAMED_TO` the current one on the day they ended; the subsidiaries exhibit of the latest annual reports (Exhibit 8 of a 20-F, Exhibit 21 of a 10-K; table or list) as `SUBSIDIARY_OF` quoting each row; sentences of the report that name government customers in a country as `SUPPLIED` to that country at confidence 0.6, quoting the sentence (a \"we do not sell to …\" sentence is a denial). `--base-url` serves both SEC hosts; the default rate stays under the SEC's 10 requests a second",
	New:       func() scrapers.Source { return &source{} },
}

type source struct {
	ciks    scrapers.Repeated
	reports int
}

func (s *source) Flags(fs *flag.FlagSet) {
	fs.Var(&s.ciks, "cik", "a registrant's Central Index Key (repeatable)")
	fs.IntVar(&s.reports, "reports", 1, "how many of the latest annual reports (10-K, 20-F) to read")
}

func (s *source) Check(*scrapers.Env) error {
	if len(s.ciks) == 0 {
		return errors.New("give a --cik")
	}
	return nil
}

func (s *source) Run(ctx context.Context, env *scrapers.Env) (string, error) {
	sum, err := Run(ctx, env, Options{CIKs: s.ciks, Reports: s.reports})
	return fmt.Sprintf("%d registrants, %d annual reports, %d subsidiaries exhibits, %d government-customer passages, %d claims",
		sum.Companies, sum.Reports, sum.Exhibits, sum.Passages, sum.Claims), err
}
