package ocds

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/exportwatch/exportwatch/scrapers"
)

// Source registers ocds with the scrape command.
var Source = scrapers.Registration{
	Name:      "ocds",
	Usage:     "--url URL|FILE [--url URL|FILE …]",
	Reads:     "OCDS release or record packages, following links.next",
	RowFlags:  "`--url URL` or a file path (repeatable), `--all`",
	RowClaims: "awards and contracts of OCDS release and record packages (following `links.next`): the supplier `SUPPLIED` the buyer, documented, with stage, value, dates and product",
	New:       func() scrapers.Source { return &source{} },
}

type source struct{ urls scrapers.Repeated }

func (s *source) Flags(fs *flag.FlagSet) {
	fs.Var(&s.urls, "url", "a release or record package URL, or a file (repeatable)")
}

func (s *source) Check(*scrapers.Env) error {
	if len(s.urls) == 0 {
		return errors.New("give at least one --url")
	}
	for _, u := range s.urls {
		if strings.Contains(u, "://") {
			if err := scrapers.CheckURLs([]string{u}); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *source) Run(ctx context.Context, env *scrapers.Env) (string, error) {
	urls := make([]string, len(s.urls))
	for i, u := range s.urls {
		if !strings.Contains(u, "://") {
			urls[i] = u // a local file
			continue
		}
		var err error
		if urls[i], err = env.URL(u); err != nil {
			return "", err
		}
	}
	sum, err := Run(ctx, env, Options{URLs: urls})
	return fmt.Sprintf("%d pages, %d claims, %d awards skipped by the filter", sum.Pages, sum.Claims, sum.Skipped), err
}
