package edgar_test

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/exportwatch/exportwatch/country"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers/edgar"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
)

const publisher = "U.S. Securities and Exchange Commission (EDGAR)"

// htmlEdgeCases are the hand-written edge cases of the HTML targets:
// nothing, a cut-off table, deep nesting, invalid UTF-8, a long name.
func htmlEdgeCases(f *testing.F) {
	f.Add([]byte(""))
	f.Add([]byte("<table><tr><td>Example Inc.</td><td>Dela"))
	f.Add([]byte(strings.Repeat("<div>", 300) + "Example Ltd. (Israel)" + strings.Repeat("</div>", 300)))
	f.Add([]byte("<ul><li>Exa\xffmple GmbH (Germ\xc3)</li><li>Our customers include government agencies in Mexico\xff.</li></ul>"))
	f.Add([]byte("<p>" + strings.Repeat("Example ", 30) + "(Delaware)</p><p>Our government customers in Mexico" + strings.Repeat(" and Colombia", 100) + ".</p>"))
}

// registrant is the company the exhibit and passage targets attach to.
var registrant = records.Entity{Schema: records.SchemaCompany, Ref: "company:cik:0000777123", Names: []string{"Example Intercept Technologies Ltd."},
	Country: "IL", Identifiers: map[string]string{"cik": "0000777123"}}

var annual = edgar.Filing{Accession: "0001178913-26-000412", FilingDate: "2026-04-30", ReportDate: "2025-12-31", Form: "20-F"}

func checkDocument(t *testing.T, d records.Document) {
	t.Helper()
	d.V = records.Version
	if err := d.Validate(); err != nil {
		t.Fatalf("document: %v", err)
	}
}

// FuzzParseSubmissions reads a submissions document as Run does:
// ParseSubmissions gives one or an error, never both or neither; a
// document has a CIK and a name; the company, its former names and the
// records of its annual reports (dated by the filings it lists) pass
// records' validation (the output refuses anything else, ending the run);
// the same bytes give the same records.
func FuzzParseSubmissions(f *testing.F) {
	scrapertest.Seeds(f, "CIK0000777123.json", "CIK0000777123-submissions-001.json", "index-000117891325000455.json", "index-000117891326000412.json")
	sub := func(fields string) []byte {
		return []byte(`{"cik":"777123","name":"Example Ltd.","stateOfIncorporation":"DE"` + fields + `}`)
	}
	f.Add([]byte(""))
	f.Add([]byte(`{"cik":"777123","name":"Exam`))
	f.Add(sub(`,"x":` + strings.Repeat("[", 200) + strings.Repeat("]", 200)))
	f.Add(sub(`,"addresses":{"business":{"isForeignLocation":1e999}}`))
	f.Add(sub(`,"addresses":{"business":{"isForeignLocation":123456789012345678901234567890}}`))
	f.Add([]byte("{\"cik\":\"777123\",\"name\":\"Exa\xffmple\",\"formerNames\":[{\"name\":\"\xc3\",\"from\":\"2019-01-01\",\"to\":\"2018-01-01\"}]}"))
	f.Add(sub(`,"tickers":[" "]`))
	f.Add(sub(`,"filings":{"recent":{"accessionNumber":["1"],"filingDate":["2026-13-45"],"reportDate":["yesterday"],"form":["10-K"],"primaryDocument":["x.htm"]}}`))
	f.Add([]byte(`{"cik":"777123","name":"` + strings.Repeat("Example ", 130) + `"}`))

	f.Fuzz(func(t *testing.T, body []byte) {
		s, err := edgar.ParseSubmissions(body)
		if (s == nil) == (err == nil) {
			t.Fatalf("ParseSubmissions returned %v and %v", s, err)
		}
		again, err2 := edgar.ParseSubmissions(body)
		if !reflect.DeepEqual(s, again) || scrapertest.ErrText(err) != scrapertest.ErrText(err2) {
			t.Fatalf("parsing twice differs: %v / %v\n%s", err, err2, cmp.Diff(s, again))
		}
		if err != nil {
			return
		}
		cik, ok := edgar.CIK(s.CIK)
		if !ok || strings.TrimSpace(s.Name) == "" {
			t.Fatalf("a submissions document without a CIK or a name: %q %q", s.CIK, s.Name)
		}
		doc := scrapertest.FetchedAt("https://data.sec.gov/submissions/CIK"+cik+".json").Document("SEC EDGAR submissions of "+s.Name+" (CIK "+cik+")", publisher, "")
		checkDocument(t, doc)
		company := edgar.Company(s, doc.ID)
		olds, renames := edgar.Renames(s, company, doc.ID)
		if c2 := edgar.Company(again, doc.ID); !reflect.DeepEqual(company, c2) {
			t.Fatalf("the company differs:\n%s", cmp.Diff(company, c2))
		}
		scrapertest.CheckPage(t, doc.ID, append([]records.Entity{company}, olds...), renames)

		// Each annual report it lists dates an exhibit's and a report's
		// document and claims.
		list, err := s.Filings.Recent.List()
		if err != nil {
			return
		}
		for _, x := range list {
			if x.Form != "10-K" && x.Form != "20-F" {
				continue
			}
			edoc := scrapertest.FetchedAt("https://www.sec.gov/Archives/edgar/data/777123/1/ex21.htm").Document("Exhibit 21", publisher, x.FilingDate)
			checkDocument(t, edoc)
			ents, claims := edgar.SubsidiaryClaims([]edgar.Subsidiary{{Name: "Example Sub Inc.", Jurisdiction: "Delaware", Row: "Example Sub Inc. | Delaware"}}, company, x, edoc.ID)
			scrapertest.CheckPage(t, edoc.ID, ents, claims, company.Ref)
			ents, claims = edgar.PassageClaims([]edgar.Passage{{Sentence: "Our customers include government agencies in Mexico.", Countries: []string{"MX"}, Locator: "block 1"}}, company, x, edoc.ID)
			scrapertest.CheckPage(t, edoc.ID, ents, claims, company.Ref)
		}
	})
}

var squashed = regexp.MustCompile(`^\S(.*\S)?$`)

// FuzzParseExhibit reads a subsidiaries exhibit: each subsidiary has a
// name (at most 200 characters) and a jurisdiction, white space squashed,
// none twice; the companies and claims made of them pass records'
// validation; the same bytes give the same subsidiaries.
func FuzzParseExhibit(f *testing.F) {
	scrapertest.Seeds(f, "d812345dex81.htm", "exa-ex8_1.htm", "exa-20f_2024.htm", "exa-20f_2025.htm")
	htmlEdgeCases(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		subs, err := edgar.ParseExhibit(body)
		if err != nil && subs != nil {
			t.Fatalf("ParseExhibit returned %d subsidiaries and %v", len(subs), err)
		}
		again, err2 := edgar.ParseExhibit(body)
		if !reflect.DeepEqual(subs, again) || scrapertest.ErrText(err) != scrapertest.ErrText(err2) {
			t.Fatalf("parsing twice differs: %v / %v\n%s", err, err2, cmp.Diff(subs, again))
		}
		seen := map[string]bool{}
		for _, s := range subs {
			if !squashed.MatchString(s.Name) || !squashed.MatchString(s.Jurisdiction) || utf8.RuneCountInString(s.Name) > 200 ||
				strings.Contains(s.Name+s.Jurisdiction, "  ") {
				t.Fatalf("subsidiary %q (%q): name or jurisdiction empty, unsquashed or too long", s.Name, s.Jurisdiction)
			}
			key := strings.ToLower(s.Name + "|" + s.Jurisdiction)
			if seen[key] {
				t.Fatalf("subsidiary %q (%q) twice", s.Name, s.Jurisdiction)
			}
			seen[key] = true
		}
		edoc := scrapertest.FetchedAt("https://www.sec.gov/Archives/edgar/data/777123/1/ex8.htm").Document("Exhibit 8", publisher, annual.FilingDate)
		ents, claims := edgar.SubsidiaryClaims(subs, registrant, annual, edoc.ID)
		scrapertest.CheckPage(t, edoc.ID, ents, claims, registrant.Ref)
	})
}

// FuzzPassages reads an annual report: each passage is one sentence of at
// most 1200 bytes naming countries (valid codes, none twice); the claims
// made of them pass records' validation; the same bytes give the same
// passages.
func FuzzPassages(f *testing.F) {
	scrapertest.Seeds(f, "exa-20f_2024.htm", "exa-20f_2025.htm", "exa-ex8_1.htm", "d812345dex81.htm")
	htmlEdgeCases(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		ps, err := edgar.Passages(body)
		if err != nil && ps != nil {
			t.Fatalf("Passages returned %d passages and %v", len(ps), err)
		}
		again, err2 := edgar.Passages(body)
		if !reflect.DeepEqual(ps, again) || scrapertest.ErrText(err) != scrapertest.ErrText(err2) {
			t.Fatalf("parsing twice differs: %v / %v\n%s", err, err2, cmp.Diff(ps, again))
		}
		for i, p := range ps {
			if strings.TrimSpace(p.Sentence) == "" || len(p.Sentence) > 1200 || len(p.Countries) == 0 || !strings.HasPrefix(p.Locator, "block ") {
				t.Fatalf("passage %d: %+v", i, p)
			}
			seen := map[string]bool{}
			for _, c := range p.Countries {
				if !country.Valid(c) || seen[c] {
					t.Fatalf("passage %d: country %q invalid or twice", i, c)
				}
				seen[c] = true
			}
		}
		doc := scrapertest.FetchedAt("https://www.sec.gov/Archives/edgar/data/777123/1/20f.htm").Document(fmt.Sprintf("%s of %s filed %s", annual.Form, registrant.Names[0], annual.FilingDate), publisher, annual.FilingDate)
		ents, claims := edgar.PassageClaims(ps, registrant, annual, doc.ID)
		scrapertest.CheckPage(t, doc.ID, ents, claims, registrant.Ref)
	})
}
