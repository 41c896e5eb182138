package roundtrip_test

import (
	"context"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/scrapers/companieshouse"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
)

// withKey is a source run with the mirror's Companies House key in its
// settings, as the command runs it with EXPORTWATCH_COMPANIES_HOUSE_KEY
// set: scrapertest.RunSource gives a source no settings of its own.
type withKey struct{ scrapers.Source }

func (k withKey) Check(env *scrapers.Env) error {
	env.Config.CompaniesHouseKey = scrapertest.CompaniesHouseKey
	return k.Source.Check(env)
}

func (k withKey) Run(ctx context.Context, env *scrapers.Env) (string, error) {
	env.Config.CompaniesHouseKey = scrapertest.CompaniesHouseKey
	return k.Source.Run(ctx, env)
}

// TestCompaniesHouse reads a company with its officers and PSCs (the
// mirror answering the first request with a 429), next to an unknown
// company, a cut-off profile and a number that is none; the company loads
// with its previous name and its six claims, and the director is named as
// a person is, forenames first.
func TestCompaniesHouse(t *testing.T) {
	const number = "01234567"
	srv := scrapertest.CompaniesHouse(t, true)
	reg := companieshouse.Source
	reg.New = func() scrapers.Source { return withKey{companieshouse.Source.New()} }
	s, _, problems := trip(t, reg, srv.URL, false,
		"--company", "1234567", "--company", "09999999", "--company", "02222222", "--company", "not-a-number")
	if len(problems) != 3 {
		t.Errorf("problems: %q", problems)
	}
	ctx := context.Background()
	id := records.EntityID(records.Entity{Schema: "Company", Identifiers: map[string]string{"registry": companieshouse.Register + "/" + number}})
	e, cs, err := s.EntityWithClaims(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if e.Name != "EXAMPLE INTERCEPT SYSTEMS LIMITED" || e.Country != "GB" || !strings.Contains(strings.Join(e.Aliases, "|"), "EXAMPLE MONITORING SOLUTIONS LIMITED") || len(cs) != 6 {
		t.Errorf("company %+v with %d claims", e, len(cs))
	}
	for _, c := range cs {
		if c.Relation == "OFFICER_OF" && c.Role == "director" && c.End == "" {
			for _, end := range c.Ends {
				if end.ID == c.Subject && end.Name != "Jane Alison Doe" {
					t.Errorf("the director is named %q", end.Name)
				}
			}
		}
	}
}
