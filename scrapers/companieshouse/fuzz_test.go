package companieshouse_test

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers/companieshouse"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
)

var allFiles = []string{"company-01234567.json", "officers-01234567-0.json", "officers-01234567-2.json", "psc-01234567-0.json"}

// edgeCases are the hand-written edge cases of every JSON target:
// nothing, the mirror's cut-off profile, deep nesting, huge numbers,
// invalid UTF-8.
func edgeCases(f *testing.F) {
	f.Add([]byte(""))
	f.Add([]byte(`{"company_name": "CUT OFF LIMITED", "company_num`))
	f.Add([]byte(`{"items":[{"x":` + strings.Repeat("[", 200) + strings.Repeat("]", 200) + `}]}`))
	f.Add([]byte(`{"items_per_page":1e999,"total_results":123456789012345678901234567890,"items":[]}`))
	f.Add([]byte("{\"company_name\":\"EXA\xffMPLE\",\"company_number\":\"0123\xc3\",\"items\":[{\"name\":\"\xffDOE, Jane\",\"officer_role\":\"director\"}]}"))
}

// company is the company whose lists the list targets read.
var company = func() records.Entity {
	p := &companieshouse.Profile{CompanyName: "EXAMPLE INTERCEPT SYSTEMS LIMITED", CompanyNumber: "01234567"}
	return companieshouse.Company(p, "doc:profile")
}()

// checkItem checks what one list item makes: an entity and a claim that
// pass records' validation (the output refuses anything else, ending the
// run), the claim from the entity to the company, citing the page, and
// names that keep the text they were given: valid UTF-8 with no
// replacement character the source did not write.
func checkItem(t *testing.T, name string, docID string, e records.Entity, c records.Claim) {
	t.Helper()
	e.V, c.V = records.Version, records.Version
	if err := e.Validate(); err != nil {
		t.Fatalf("entity %.80q: %v", e.Names, err)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("claim %s %s %s: %v", c.Subject, c.Relation, c.Object, err)
	}
	if e.Ref == "" || c.Subject != e.Ref || c.Object != company.Ref || len(c.Evidence) != 1 || c.Evidence[0].Document != docID {
		t.Fatalf("claim %s %s %s (entity %q) cites %v", c.Subject, c.Relation, c.Object, e.Ref, c.Evidence)
	}
	for _, n := range e.Names {
		if utf8.ValidString(name) && !utf8.ValidString(n) || !strings.ContainsRune(name, utf8.RuneError) && strings.ContainsRune(n, utf8.RuneError) {
			t.Fatalf("name %q became %q", name, n)
		}
	}
}

// FuzzParseProfile reads a company profile as Run does: ParseProfile
// gives one or an error, never both or neither; a profile has a number
// and a name; its document and company pass records' validation; the
// same bytes give the same company.
func FuzzParseProfile(f *testing.F) {
	scrapertest.Seeds(f, allFiles...)
	edgeCases(f)
	f.Add([]byte(`{"company_name":"` + strings.Repeat("EXAMPLE ", 130) + `","company_number":"01234567","previous_company_names":[{"name":"` +
		strings.Repeat("X", 1001) + `"},{"name":" "}]}`))
	f.Add([]byte(`{"company_name":"EXAMPLE LIMITED","company_number":"01234567","date_of_creation":"2020-01-01","date_of_cessation":"2019-01-01"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := companieshouse.ParseProfile(body)
		if (p == nil) == (err == nil) {
			t.Fatalf("ParseProfile returned %v and %v", p, err)
		}
		again, err2 := companieshouse.ParseProfile(body)
		if !reflect.DeepEqual(p, again) || scrapertest.ErrText(err) != scrapertest.ErrText(err2) {
			t.Fatalf("parsing twice differs: %v / %v\n%s", err, err2, cmp.Diff(p, again))
		}
		if err != nil {
			return
		}
		if strings.TrimSpace(p.CompanyNumber) == "" || strings.TrimSpace(p.CompanyName) == "" {
			t.Fatalf("a profile without number or name: %q %q", p.CompanyNumber, p.CompanyName)
		}
		d := scrapertest.FetchedAt("https://api.company-information.service.gov.uk/company/01234567").Document("Companies House: "+p.CompanyName+" ("+p.CompanyNumber+")", "Companies House", "")
		d.V = records.Version
		if err := d.Validate(); err != nil {
			t.Fatalf("document: %v", err)
		}
		e := companieshouse.Company(p, d.ID)
		if e2 := companieshouse.Company(again, d.ID); !reflect.DeepEqual(e, e2) {
			t.Fatalf("the company differs:\n%s", cmp.Diff(e, e2))
		}
		e.V = records.Version
		if err := e.Validate(); err != nil {
			t.Fatalf("company %.80q: %v", e.Names, err)
		}
	})
}

// FuzzParseOfficers reads a page of officers as Run does: the parser
// gives a list or an error, never both or neither, and a list of its
// kind; each officer it keeps makes valid records; the same bytes give
// the same list and records.
func FuzzParseOfficers(f *testing.F) {
	scrapertest.Seeds(f, allFiles...)
	edgeCases(f)
	officer := func(name, role, extra string) []byte {
		return []byte(`{"kind":"officer-list","items":[{"name":"` + name + `","officer_role":"` + role + `"` + extra + `}]}`)
	}
	f.Add(officer(", John", "director", ""))
	f.Add(officer("ÉTIENNE, Jean", "secretary", ""))
	f.Add(officer("DOE, Jane", "director", `,"appointed_on":"2020-01-01","resigned_on":"2019-01-01"`))
	f.Add(officer(strings.Repeat("DOE ", 251), "corporate-director", ""))
	f.Add([]byte(`{"kind":"persons-with-significant-control#list","items":[]}`))
	docID := records.DocumentID("https://api.company-information.service.gov.uk/company/01234567/officers")
	f.Fuzz(func(t *testing.T, body []byte) {
		l, err := companieshouse.ParseOfficerList(body)
		if (l == nil) == (err == nil) {
			t.Fatalf("the officer list parser returned %v and %v", l, err)
		}
		again, err2 := companieshouse.ParseOfficerList(body)
		if !reflect.DeepEqual(l, again) || scrapertest.ErrText(err) != scrapertest.ErrText(err2) {
			t.Fatalf("parsing twice differs: %v / %v\n%s", err, err2, cmp.Diff(l, again))
		}
		if err != nil {
			return
		}
		if l.Kind != "" && l.Kind != "officer-list" {
			t.Fatalf("a %q list read as officers", l.Kind)
		}
		for i, o := range l.Items {
			e, c, ok := companieshouse.OfficerClaim(o, company, docID)
			e2, c2, _ := companieshouse.OfficerClaim(again.Items[i], company, docID)
			if !reflect.DeepEqual(e, e2) || !reflect.DeepEqual(c, c2) {
				t.Fatalf("officer %d differs:\n%s%s", i, cmp.Diff(e, e2), cmp.Diff(c, c2))
			}
			if ok && (strings.TrimSpace(o.Name) == "" || o.OfficerRole == "") {
				t.Fatalf("officer %.80q (%q) kept without a name or a role", o.Name, o.OfficerRole)
			}
			if ok {
				checkItem(t, o.Name, docID, e, c)
			}
		}
	})
}

// FuzzParsePSCs reads a page of persons with significant control as Run
// does, with the properties of FuzzParseOfficers.
func FuzzParsePSCs(f *testing.F) {
	scrapertest.Seeds(f, allFiles...)
	edgeCases(f)
	psc := func(kind, name, extra string) []byte {
		return []byte(`{"kind":"persons-with-significant-control#list","items":[{"kind":"` + kind + `","name":"` + name + `"` + extra + `}]}`)
	}
	const corporate = "corporate-entity-person-with-significant-control"
	f.Add(psc(corporate, "EXAMPLE INTERCEPT SYSTEMS LIMITED", `,"natures_of_control":["ownership-of-shares-75-to-100-percent"],`+
		`"identification":{"registration_number":"1234567","place_registered":"Companies House","country_registered":"United Kingdom"}`))
	f.Add(psc(corporate, "EXAMPLE HOLDINGS", `,"natures_of_control":["voting-rights-25-to-50-percent"],"notified_on":"2020-01-01","ceased_on":"2019-01-01"`))
	f.Add(psc("individual-person-with-significant-control", strings.Repeat("Mr X ", 201), ""))
	f.Add(psc("super-secure-person-with-significant-control", "", ""))
	docID := records.DocumentID("https://api.company-information.service.gov.uk/company/01234567/persons-with-significant-control")
	f.Fuzz(func(t *testing.T, body []byte) {
		l, err := companieshouse.ParsePSCList(body)
		if (l == nil) == (err == nil) {
			t.Fatalf("the PSC list parser returned %v and %v", l, err)
		}
		again, err2 := companieshouse.ParsePSCList(body)
		if !reflect.DeepEqual(l, again) || scrapertest.ErrText(err) != scrapertest.ErrText(err2) {
			t.Fatalf("parsing twice differs: %v / %v\n%s", err, err2, cmp.Diff(l, again))
		}
		if err != nil {
			return
		}
		if l.Kind != "" && l.Kind != "persons-with-significant-control#list" {
			t.Fatalf("a %q list read as PSCs", l.Kind)
		}
		for i, p := range l.Items {
			e, c, ok := companieshouse.PSCClaim(p, company, docID)
			e2, c2, _ := companieshouse.PSCClaim(again.Items[i], company, docID)
			if !reflect.DeepEqual(e, e2) || !reflect.DeepEqual(c, c2) {
				t.Fatalf("PSC %d differs:\n%s%s", i, cmp.Diff(e, e2), cmp.Diff(c, c2))
			}
			if ok {
				checkItem(t, p.Name, docID, e, c)
			}
		}
	})
}

var numberRe = regexp.MustCompile(`^([0-9]{8}|[A-Z]{2}[0-9]{6})$`)

// FuzzNumber normalises company numbers: ok says whether the result is a
// company number (eight digits, or two letters and six digits), and a
// number normalised is normalised.
func FuzzNumber(f *testing.F) {
	for _, s := range []string{"1234567", "01234567", "sc123456", " NI000001 ", "", "123456789", "12a", "OC12345", "\xff1", "0000000\u0661", strings.Repeat("9", 40)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := companieshouse.Number(s)
		if ok != numberRe.MatchString(n) {
			t.Fatalf("Number(%q) = %q, %v", s, n, ok)
		}
		if n2, ok2 := companieshouse.Number(s); n2 != n || ok2 != ok {
			t.Fatalf("Number(%q) twice: %q %v, %q %v", s, n, ok, n2, ok2)
		}
		if ok {
			if n2, ok2 := companieshouse.Number(n); n2 != n || !ok2 {
				t.Fatalf("Number(%q) = %q, but Number(%q) = %q, %v", s, n, n, n2, ok2)
			}
			if !strings.HasSuffix(n, strings.ToUpper(strings.TrimSpace(s))) {
				t.Fatalf("Number(%q) = %q is not the number given", s, n)
			}
		}
	})
}
