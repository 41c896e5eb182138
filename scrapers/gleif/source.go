package gleif

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/exportwatch/exportwatch/scrapers"
)

// Source registers gleif with the scrape command.
var Source = scrapers.Registration{
	Name:      "gleif",
	Usage:     "[--lei LEI …] [--name NAME …] [--children]",
	Reads:     "legal entities and their parents (GLEIF API), walking up to the ultimate parent; --name searches legal names",
	RowFlags:  "`--lei LEI`, `--name NAME` (each repeatable), `--children`",
	RowClaims: "companies from the GLEIF API (LEI, legal and other names, jurisdiction, local registration), walking up each one's direct and ultimate parents: `SUBSIDIARY_OF`, documented, with the relationship period; a reporting exception (no parent reported, and why) is kept in the company's description, never made a parent",
	New:       func() scrapers.Source { return &source{} },
}

type source struct {
	leis, names scrapers.Repeated
	children    bool
}

func (s *source) Flags(fs *flag.FlagSet) {
	fs.Var(&s.leis, "lei", "read this LEI and its chain of parents (repeatable)")
	fs.Var(&s.names, "name", "search legal names for this and read what is found (repeatable)")
	fs.BoolVar(&s.children, "children", false, "also read the direct children of each company asked for")
}

func (s *source) Check(*scrapers.Env) error {
	if len(s.leis)+len(s.names) == 0 {
		return errors.New("give an --lei or a --name")
	}
	return nil
}

func (s *source) Run(ctx context.Context, env *scrapers.Env) (string, error) {
	sum, err := Run(ctx, env, Options{LEIs: s.leis, Names: s.names, Children: s.children})
	return fmt.Sprintf("%d LEI records, %d parent relationships, %d reporting exceptions, %d claims",
		sum.Records, sum.Relationships, sum.Exceptions, sum.Claims), err
}
