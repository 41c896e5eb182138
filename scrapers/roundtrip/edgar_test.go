package roundtrip_test

import (
	"context"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers/edgar"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
)

// TestEDGAR reads two registrants (one whose filing arrays do not line
// up) and a CIK that is none, with three annual reports each; the
// registrant loads with its former name RENAMED_TO it, its subsidiaries
// with their countries, and its government customers per country with
// their stance.
func TestEDGAR(t *testing.T) {
	srv := scrapertest.EDGAR(t)
	s, _, problems := trip(t, edgar.Source, srv.URL, false,
		"--cik", "777123", "--cik", "CIK0000000666", "--cik", "12x", "--reports", "3")
	if len(problems) != 3 {
		t.Errorf("problems: %q", problems)
	}
	ctx := context.Background()
	id := records.EntityID(records.Entity{Schema: "Company", Identifiers: map[string]string{"cik": "0000777123"}})
	e, cs, err := s.EntityWithClaims(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if e.Name != "Example Intercept Technologies Ltd." || e.Country != "IL" || e.Identifiers["ticker"] != "EXIT" {
		t.Errorf("registrant: %+v", e)
	}
	subs := map[string]string{}
	var renamed bool
	for _, c := range cs {
		switch c.Relation {
		case "SUBSIDIARY_OF":
			for _, end := range c.Ends {
				if end.ID == c.Subject {
					subs[end.Name] = end.Country
				}
			}
			if c.Evidence[0].Quote == "" || c.Status != "documented" {
				t.Errorf("subsidiary claim without its row: %+v", c)
			}
		case "RENAMED_TO":
			renamed = c.Start == "2021-02-01"
		}
	}
	want := map[string]string{"Example Intercept Inc.": "US", "Example Intercept UK Limited": "GB", "Example Intercept Technologies India Private Limited": "IN",
		"Example Intercept Technologies Romania S.R.L.": "RO", "Example Intercept (Bermuda) Ltd.": "BM", "Example Monitoring Systems GmbH": "DE",
		"Example Intercept Mexico S.A. de C.V.": "MX"}
	for name, cc := range want {
		if subs[name] != cc {
			t.Errorf("subsidiary %q: country %q, want %q (have %v)", name, subs[name], cc, subs)
		}
	}
	if len(subs) != len(want) {
		t.Errorf("subsidiaries: %v", subs)
	}
	if !renamed {
		t.Error("the former name is not RENAMED_TO the registrant on 2021-02-01")
	}
	supplied := map[string]string{}
	for _, c := range cs {
		if c.Relation == "SUPPLIED" {
			supplied[c.Object] = c.Stance
			if c.Confidence > 0.6 || len(c.Evidence) != 1 || !strings.Contains(c.Evidence[0].Quote, "government") {
				t.Errorf("passage claim %+v", c)
			}
		}
	}
	for cc, stance := range map[string]string{"country:MX": "asserts", "country:CO": "asserts", "country:KZ": "asserts", "country:US": "asserts",
		"country:IR": "denies", "country:SY": "denies", "country:KP": "denies"} {
		if supplied[cc] != stance {
			t.Errorf("SUPPLIED to %s: stance %q, want %q (have %v)", cc, supplied[cc], stance, supplied)
		}
	}
	if _, ok := supplied["country:DE"]; ok {
		t.Error("a research centre became a government customer")
	}
}
