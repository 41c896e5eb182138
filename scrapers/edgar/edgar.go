// Package edgar reads companies from SEC EDGAR: the submissions document
// (data.sec.gov/submissions/CIK##########.json) gives a registrant's
// identity (CIK, name, tickers, state or country of incorporation,
// addresses) and its former names with the dates they were used, which
// become RENAMED_TO claims; its filings (the parallel arrays of
// filings.recent, older pages in filings.files) lead to the annual
// reports, whose folder index (www.sec.gov/Archives/edgar/data/{cik}/
// {accession}/index.json) names the subsidiaries exhibit: Exhibit 8 of a
// 20-F, Exhibit 21 of a 10-K. Each subsidiary listed there, with its
// jurisdiction, becomes a documented SUBSIDIARY_OF claim quoting its row.
//
// SEC fair access: a User-Agent that names who is asking (the collector's,
// with EXPORTWATCH_CONTACT) and at most 10 requests a second.
package edgar

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/exportwatch/exportwatch/country"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
)

// Extractor names this code in every claim it writes.
const Extractor = "edgar/1"

// The two SEC hosts: the JSON APIs and the filing archive.
const (
	DataURL     = "https://data.sec.gov"
	ArchivesURL = "https://www.sec.gov"
)

// RatePerSecond is the SEC's fair-access ceiling.
const RatePerSecond = 10.0

// CIK pads a Central Index Key to the ten digits the submissions URL
// wants; ok is false for anything but one to ten digits.
func CIK(s string) (string, bool) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "CIK"))
	if s == "" || len(s) > 10 || strings.Trim(s, "0123456789") != "" {
		return "", false
	}
	return strings.Repeat("0", 10-len(s)) + s, true
}

// Filings are the parallel arrays EDGAR lists filings in: the i-th filing
// is the i-th element of each.
type Filings struct {
	AccessionNumber []string `json:"accessionNumber"`
	FilingDate      []string `json:"filingDate"`
	ReportDate      []string `json:"reportDate"`
	Form            []string `json:"form"`
	PrimaryDocument []string `json:"primaryDocument"`
}

// Filing is one filing, read out of the arrays.
type Filing struct {
	Accession, FilingDate, ReportDate, Form, PrimaryDocument string
}

// List reads the arrays into filings, refusing arrays of different
// lengths (a truncated or corrupt document), which cannot be matched up.
func (f Filings) List() ([]Filing, error) {
	n := len(f.AccessionNumber)
	for name, l := range map[string]int{"filingDate": len(f.FilingDate), "form": len(f.Form)} {
		if l != n {
			return nil, fmt.Errorf("filings: %d accession numbers but %d %s", n, l, name)
		}
	}
	at := func(xs []string, i int) string {
		if i < len(xs) {
			return xs[i]
		}
		return ""
	}
	out := make([]Filing, n)
	for i := range n {
		// Dates as records take them ("" when not a date): they date documents and claims, which records would refuse.
		out[i] = Filing{Accession: f.AccessionNumber[i], FilingDate: scrapers.Date(f.FilingDate[i]), Form: f.Form[i],
			ReportDate: scrapers.Date(at(f.ReportDate, i)), PrimaryDocument: at(f.PrimaryDocument, i)}
	}
	return out, nil
}

// Address is a business or mailing address.
type Address struct {
	City                      string `json:"city"`
	StateOrCountry            string `json:"stateOrCountry"`
	StateOrCountryDescription string `json:"stateOrCountryDescription"`
	IsForeignLocation         int    `json:"isForeignLocation"`
}

// Submissions is the part of a submissions document this source reads.
type Submissions struct {
	CIK                             string   `json:"cik"`
	Name                            string   `json:"name"`
	Tickers                         []string `json:"tickers"`
	SIC                             string   `json:"sic"`
	SICDescription                  string   `json:"sicDescription"`
	StateOfIncorporation            string   `json:"stateOfIncorporation"`
	StateOfIncorporationDescription string   `json:"stateOfIncorporationDescription"`
	Addresses                       struct {
		Business Address `json:"business"`
		Mailing  Address `json:"mailing"`
	} `json:"addresses"`
	FormerNames []struct {
		Name string `json:"name"`
		From string `json:"from"`
		To   string `json:"to"`
	} `json:"formerNames"`
	Filings struct {
		Recent Filings `json:"recent"`
		Files  []struct {
			Name string `json:"name"`
		} `json:"files"`
	} `json:"filings"`
}

// ParseSubmissions reads a submissions document, refusing one without a
// CIK or a name.
func ParseSubmissions(body []byte) (*Submissions, error) {
	var s Submissions
	if err := json.Unmarshal(body, &s); err != nil {
		return nil, fmt.Errorf("not a submissions document: %w", err)
	}
	if _, ok := CIK(s.CIK); !ok || strings.TrimSpace(s.Name) == "" {
		return nil, errors.New("submissions document without a CIK or a name")
	}
	if len(strings.TrimSpace(s.Name)) > records.MaxNameBytes { // records refuse such a name, which would end the run
		return nil, errors.New("submissions document with a name over 1000 bytes")
	}
	return &s, nil
}

// usStates are EDGAR's state codes, which all mean the United States.
var usStates = "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR"

// home is a registrant's country: where it is incorporated, else where its
// business address is. EDGAR writes foreign places as its own codes (L3 is
// Israel) with a description, which is what is read.
func home(s *Submissions) string {
	for _, p := range []struct{ code, desc string }{
		{s.StateOfIncorporation, s.StateOfIncorporationDescription},
		{s.Addresses.Business.StateOrCountry, s.Addresses.Business.StateOrCountryDescription},
	} {
		if len(p.code) == 2 && strings.Contains(usStates, strings.ToUpper(p.code)) && !strings.ContainsAny(p.code, "0123456789") {
			return "US"
		}
		if c, ok := country.ByName(p.desc); ok {
			return c.Code
		}
	}
	return ""
}

// Company is the registrant's entity: its name, CIK and tickers, and its
// country.
func Company(s *Submissions, docID string) records.Entity {
	cik, _ := CIK(s.CIK)
	e := records.Entity{Schema: records.SchemaCompany, Names: []string{strings.TrimSpace(s.Name)}, Country: home(s),
		Identifiers: map[string]string{"cik": cik}, Document: docID}
	if t := strings.Join(strings.Fields(strings.Join(s.Tickers, " ")), " "); t != "" { // blank tickers are none; records refuse an empty value
		e.Identifiers["ticker"] = t
	}
	var desc []string
	if s.SICDescription != "" {
		desc = append(desc, "SIC "+s.SIC+" ("+s.SICDescription+")")
	}
	if s.StateOfIncorporationDescription != "" {
		desc = append(desc, "incorporated in "+s.StateOfIncorporationDescription)
	}
	if len(desc) > 0 {
		e.Description = "SEC EDGAR: " + strings.Join(desc, "; ") + "."
	}
	e.Ref = records.EntityID(e)
	return e
}

// Renames are the registrant's former names, each a Company of its own
// (named as it was, in the registrant's country) RENAMED_TO the next name
// on the day the former name stopped being used.
func Renames(s *Submissions, company records.Entity, docID string) ([]records.Entity, []records.Claim) {
	var ents []records.Entity
	var claims []records.Claim
	for _, f := range s.FormerNames {
		name := strings.TrimSpace(f.Name)
		if name == "" || len(name) > records.MaxNameBytes || strings.EqualFold(name, company.Names[0]) { // records refuse a name over 1000 bytes
			continue
		}
		old := records.Entity{Schema: records.SchemaCompany, Names: []string{name}, Country: company.Country, Document: docID,
			Description: fmt.Sprintf("Former name of SEC registrant CIK %s, used %s to %s.", company.Identifiers["cik"], scrapers.Date(f.From), scrapers.Date(f.To))}
		old.Ref = records.EntityID(old)
		ents = append(ents, old)
		claims = append(claims, records.Claim{Relation: records.RelRenamedTo, Subject: old.Ref, Object: company.Ref,
			Status: records.StatusDocumented, Confidence: 0.95, Start: scrapers.Date(f.To), Extractor: Extractor,
			Evidence: []records.Evidence{{Document: docID, Locator: "formerNames",
				Paraphrase: fmt.Sprintf("EDGAR lists %q as a former name of CIK %s, from %s to %s.", name, company.Identifiers["cik"], cmp.Or(scrapers.Date(f.From), "?"), cmp.Or(scrapers.Date(f.To), "?"))}}})
	}
	return ents, claims
}

// Index is a filing folder's index.json.
type Index struct {
	Directory struct {
		Name string `json:"name"`
		Item []struct {
			Name string `json:"name"`
			Type string `json:"type"`
			Size string `json:"size"`
		} `json:"item"`
	} `json:"directory"`
}

// exhibitPattern finds a subsidiaries exhibit's file among a filing's:
// "ex21.htm", "ex21-1.htm", "d123456dex211.htm", "exhibit8_1.htm".
var exhibitPattern = regexp.MustCompile(`(?i)(?:^|[^a-z0-9])?(?:ex|exhibit)[-_]?(8|21)(?:[-_.]?0?1)?\.(?:htm|html|txt)$`)

// SubsidiaryExhibits returns the files of an index that are subsidiaries
// exhibits for the form: Exhibit 8 for a 20-F, Exhibit 21 for a 10-K.
func SubsidiaryExhibits(idx *Index, form string) []string {
	want := "21"
	if strings.HasPrefix(form, "20-F") {
		want = "8"
	}
	var out []string
	for _, it := range idx.Directory.Item {
		if m := exhibitPattern.FindStringSubmatch(it.Name); m != nil && m[1] == want {
			out = append(out, it.Name)
		}
	}
	return out
}

// Subsidiary is one row of a subsidiaries exhibit.
type Subsidiary struct {
	Name, Jurisdiction, Row string
}

var headerWords = regexp.MustCompile(`(?i)^(name|subsidiar|jurisdiction|country|state|place|percentage|ownership|%|entity|company)`)

// ParseExhibit reads the subsidiaries of an exhibit: each table row with
// a name and a jurisdiction, or failing tables, each paragraph or list item
// written "Name (Jurisdiction)" or "Name — Jurisdiction". Heading rows are
// skipped; what cannot be read as a subsidiary is left out, never guessed.
func ParseExhibit(body []byte) ([]Subsidiary, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("exhibit: %w", err)
	}
	var out []Subsidiary
	seen := map[string]bool{}
	add := func(name, jur, row string) {
		name, jur = scrapers.Squash(name), scrapers.Squash(jur)
		if name == "" || jur == "" || headerWords.MatchString(name) || len([]rune(name)) > 200 {
			return
		}
		key := strings.ToLower(name + "|" + jur)
		if !seen[key] {
			seen[key] = true
			out = append(out, Subsidiary{Name: name, Jurisdiction: jur, Row: scrapers.Squash(row)})
		}
	}
	doc.Find("tr").Each(func(_ int, tr *goquery.Selection) {
		var cells []string
		tr.Find("td,th").Each(func(_ int, td *goquery.Selection) {
			if t := scrapers.Squash(td.Text()); t != "" {
				cells = append(cells, t)
			}
		})
		if len(cells) >= 2 {
			add(cells[0], cells[1], strings.Join(cells, " | "))
		}
	})
	if len(out) > 0 {
		return out, nil
	}
	doc.Find("p,li,div").Each(func(_ int, s *goquery.Selection) {
		if s.Find("p,li,div").Length() > 0 {
			return
		}
		t := scrapers.Squash(s.Text())
		if m := inlinePattern.FindStringSubmatch(t); m != nil {
			add(m[1], cmp.Or(m[2], m[3]), t)
		}
	})
	return out, nil
}

var inlinePattern = regexp.MustCompile(`^(.+?)\s*(?:\(([^()]+)\)|\s[–—-]\s(.+))\.?$`)

// jurisdictionCountry reads an exhibit's jurisdiction: a country, a U.S.
// state ("Delaware"), or "England and Wales".
func jurisdictionCountry(j string) string {
	j = strings.TrimSpace(strings.TrimSuffix(j, "."))
	if c, ok := country.ByName(j); ok {
		return c.Code
	}
	for _, st := range usStateNames {
		if strings.EqualFold(j, st) || strings.EqualFold(j, st+", USA") || strings.EqualFold(j, st+", U.S.A.") {
			return "US"
		}
	}
	switch strings.ToLower(j) {
	case "england and wales", "england", "scotland", "northern ireland", "england & wales":
		return "GB"
	}
	if _, last, ok := strings.Cut(j, ","); ok {
		return jurisdictionCountry(last)
	}
	return ""
}

var usStateNames = strings.Split("Alabama,Alaska,Arizona,Arkansas,California,Colorado,Connecticut,Delaware,District of Columbia,Florida,Georgia,Hawaii,Idaho,Illinois,Indiana,Iowa,Kansas,Kentucky,Louisiana,Maine,Maryland,Massachusetts,Michigan,Minnesota,Mississippi,Missouri,Montana,Nebraska,Nevada,New Hampshire,New Jersey,New Mexico,New York,North Carolina,North Dakota,Ohio,Oklahoma,Oregon,Pennsylvania,Rhode Island,South Carolina,South Dakota,Tennessee,Texas,Utah,Vermont,Virginia,Washington,West Virginia,Wisconsin,Wyoming", ",")

// SubsidiaryClaims turns an exhibit's rows into companies and their
// SUBSIDIARY_OF claims, quoting each row; the report date is when the
// registrant said so.
func SubsidiaryClaims(subs []Subsidiary, parent records.Entity, f Filing, docID string) ([]records.Entity, []records.Claim) {
	var ents []records.Entity
	var claims []records.Claim
	for i, s := range subs {
		e := records.Entity{Schema: records.SchemaCompany, Names: []string{s.Name}, Country: jurisdictionCountry(s.Jurisdiction), Document: docID}
		if e.Country == "" {
			e.Description = "Jurisdiction as filed: " + s.Jurisdiction + "."
		}
		e.Ref = records.EntityID(e)
		if e.Ref == parent.Ref {
			continue
		}
		ents = append(ents, e)
		claims = append(claims, records.Claim{Relation: records.RelSubsidiaryOf, Subject: e.Ref, Object: parent.Ref,
			Status: records.StatusDocumented, Confidence: 0.9, Start: cmp.Or(f.ReportDate, f.FilingDate), Uncertain: []string{"start"},
			Role: "listed in the " + f.Form + " subsidiaries exhibit", Extractor: Extractor,
			Evidence: []records.Evidence{{Document: docID, Quote: s.Row, Locator: "row " + strconv.Itoa(i+1)}}})
	}
	return ents, claims
}
