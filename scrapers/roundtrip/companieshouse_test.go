package roundtrip_test

import (
	"context"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers/companieshouse"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
)

// TestCompaniesHouse reads a company with its officers and PSCs (the
// mirror answering the first request with a 429), next to an unknown
// company, a cut-off profile and a number that is none; the company loads
// with its previous name and its six claims, and the director is named as
// a person is, forenames first.
func TestCompaniesHouse(t *testing.T) {
	const number = "01234567"
	srv := scrapertest.CompaniesHouse(t, true)
	s, _, problems := trip(t, companieshouse.Source, srv.URL, false,
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
