package companieshouse

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/exportwatch/exportwatch/scrapers"
)

// Source registers companieshouse with the scrape command.
var Source = scrapers.Registration{
	Name:      "companieshouse",
	Usage:     "--company NUMBER [--company …]",
	Reads:     "UK companies with officers and persons with significant control (needs EXPORTWATCH_COMPANIES_HOUSE_KEY)",
	RowFlags:  "`--company NUMBER` (repeatable); `EXPORTWATCH_COMPANIES_HOUSE_KEY`",
	RowClaims: "UK companies (current and previous names, register number `RA000585/NUMBER` as GLEIF gives it), officers `OFFICER_OF` with role and appointed and resigned dates, persons with significant control: shares or votes make an `OWNS` with the band (75–100%), other control an `OFFICER_OF` saying so; people get a name only, never a birth date or address; all documented. The key goes out as HTTP Basic and is blanked in the archive",
	New:       func() scrapers.Source { return &source{} },
}

type source struct{ companies scrapers.Repeated }

func (s *source) Flags(fs *flag.FlagSet) {
	fs.Var(&s.companies, "company", "a company number, e.g. 01234567 or SC123456 (repeatable)")
}

func (s *source) Check(env *scrapers.Env) error {
	if len(s.companies) == 0 {
		return errors.New("give a --company")
	}
	if env.Config.CompaniesHouseKey == "" {
		return ErrNoKey
	}
	return nil
}

func (s *source) Run(ctx context.Context, env *scrapers.Env) (string, error) {
	sum, err := Run(ctx, env, Options{APIKey: env.Config.CompaniesHouseKey, Companies: s.companies})
	return fmt.Sprintf("%d companies, %d officers, %d persons with significant control, %d skipped, %d claims",
		sum.Companies, sum.Officers, sum.PSCs, sum.Skipped, sum.Claims), err
}
