package ted

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/exportwatch/exportwatch/scrapers"
)

// Source registers ted with the scrape command.
var Source = scrapers.Registration{
	Name:      "ted",
	Usage:     "[--notice NUMBER …] [--url URL …] [--query Q …]",
	Reads:     "EU contract-award notices (TED XML: legacy R2.0.9 and eForms; --query is an expert query for the TED search API)",
	RowFlags:  "`--notice NUMBER`, `--url URL`, `--query Q` (a TED search API expert query; each repeatable), `--all`",
	RowClaims: "EU contract-award notices in TED XML, legacy (`TED_EXPORT` R2.0.9, form F03) or eForms (`ContractAwardNotice`): each contractor of an awarded contract or lot `SUPPLIED` the contracting body, documented, with value and date; other notice types are counted and skipped",
	New:       func() scrapers.Source { return &source{} },
}

type source struct{ notices, urls, queries scrapers.Repeated }

func (s *source) Flags(fs *flag.FlagSet) {
	fs.Var(&s.notices, "notice", "a notice's publication number, e.g. 301234-2019 (repeatable)")
	fs.Var(&s.urls, "url", "a notice's XML URL (repeatable)")
	fs.Var(&s.queries, "query", "an expert query for the TED search API (repeatable)")
}

func (s *source) Check(*scrapers.Env) error {
	if len(s.urls)+len(s.notices)+len(s.queries) == 0 {
		return errors.New("give a --notice, a --url or a --query")
	}
	return scrapers.CheckURLs(s.urls)
}

// Run reads the notices; Run of the package points the --url values at
// the mirror, if any.
func (s *source) Run(ctx context.Context, env *scrapers.Env) (string, error) {
	sum, err := Run(ctx, env, Options{Notices: s.notices, URLs: s.urls, Queries: s.queries})
	return fmt.Sprintf("%d search pages, %d award notices, %d other notices, %d claims, %d awards skipped by the filter",
		sum.SearchPages, sum.Notices, sum.NotAwards, sum.Claims, sum.Skipped), err
}
