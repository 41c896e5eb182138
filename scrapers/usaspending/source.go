package usaspending

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/exportwatch/exportwatch/scrapers"
)

// Source registers usaspending with the scrape command.
var Source = scrapers.Registration{
	Name:      "usaspending",
	Usage:     "[--keyword K …] [--recipient R …] [--award ID …]",
	Reads:     "U.S. federal contracts from the USAspending.gov API v2",
	RowFlags:  "`--keyword K`, `--recipient R`, `--award ID` (each repeatable), `--all`",
	RowClaims: "U.S. federal contracts (API v2 search, then each award's page): the recipient `SUPPLIED` the awarding office, which is `PART_OF` its subtier agency and that of its department; a recipient with a parent is `SUBSIDIARY_OF` it",
	New:       func() scrapers.Source { return &source{} },
}

type source struct{ keywords, recipients, awards scrapers.Repeated }

func (s *source) Flags(fs *flag.FlagSet) {
	fs.Var(&s.keywords, "keyword", "search awards for this keyword (repeatable)")
	fs.Var(&s.recipients, "recipient", "search awards to this recipient (repeatable)")
	fs.Var(&s.awards, "award", "read this award (generated_unique_award_id, repeatable)")
}

func (s *source) Check(*scrapers.Env) error {
	if len(s.keywords)+len(s.recipients)+len(s.awards) == 0 {
		return errors.New("give a --keyword, a --recipient or an --award")
	}
	return nil
}

func (s *source) Run(ctx context.Context, env *scrapers.Env) (string, error) {
	sum, err := Run(ctx, env, Options{Keywords: s.keywords, Recipients: s.recipients, Awards: s.awards})
	return fmt.Sprintf("%d search pages, %d awards read, %d claims, %d awards skipped by the filter",
		sum.SearchPages, sum.Awards, sum.Claims, sum.Skipped), err
}
