package edgar

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/PuerkitoBio/goquery"

	"github.com/exportwatch/exportwatch/country"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/sentence"
)

// An annual report says in its own words where a vendor sells: "our
// customers include government agencies in Mexico and Colombia". Such a
// sentence, naming a government customer and a country, is kept as the
// quote of a documented SUPPLIED claim from the registrant to that
// country, at a confidence that says it is the company's general
// statement, not a named contract. A sentence that says the company does
// not or no longer sells there is a denial. Regions ("Latin America")
// name no country and give no claim: a claim needs both ends.

// governmentCustomer finds a sentence about government customers.
var governmentCustomer = regexp.MustCompile(`(?i)\b(government|governmental|law enforcement|intelligence|public safety|homeland security|ministr(y|ies)|police|military|defen[cs]e)\b[^.]{0,160}\b(customers?|clients?|agenc(y|ies)|contracts?|sales?|sold|deploy(ed|ments?)?)\b|\b(customers?|clients?|sales?|sold|contracts?)\b[^.]{0,160}\b(government|governmental|law enforcement|intelligence agencies|public safety|police|military)\b`)

// negation makes a passage a denial.
var negation = regexp.MustCompile(`(?i)\b(do not|does not|did not|no longer|ceased|will not|have not|has not|never)\b`)

// countryNames holds every country name long enough not to be a word
// ("Chad" is one; two-letter codes are not names), longest first.
var countryNames = sync.OnceValue(func() []struct {
	re   *regexp.Regexp
	code string
} {
	var out []struct {
		re   *regexp.Regexp
		code string
	}
	for _, c := range country.All() {
		for _, n := range append([]string{c.Name}, c.Other...) {
			if len(n) < 4 || strings.ToUpper(n) == n {
				continue
			}
			out = append(out, struct {
				re   *regexp.Regexp
				code string
			}{regexp.MustCompile(`\b` + regexp.QuoteMeta(n) + `\b`), c.Code})
		}
	}
	return out
})

// Passage is a sentence of an annual report about government customers
// in a country.
type Passage struct {
	Sentence  string
	Countries []string
	Denies    bool
	Locator   string
}

// Passages reads an annual report's text blocks and returns the
// sentences that name a government customer and a country.
func Passages(body []byte) ([]Passage, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("annual report: %w", err)
	}
	var out []Passage
	block := 0
	doc.Find("p,li,div,td").Each(func(_ int, s *goquery.Selection) {
		if s.Find("p,li,div,td").Length() > 0 {
			return
		}
		block++
		text := scrapers.Squash(s.Text())
		if len(text) < 40 || !governmentCustomer.MatchString(text) {
			return
		}
		for _, sen := range sentence.Split(text) {
			if !governmentCustomer.MatchString(sen) || len(sen) > 1200 {
				continue
			}
			var codes []string
			for _, cn := range countryNames() {
				if cn.re.MatchString(sen) && !slices.Contains(codes, cn.code) {
					codes = append(codes, cn.code)
				}
			}
			if len(codes) > 0 {
				out = append(out, Passage{Sentence: sen, Countries: codes, Denies: negation.MatchString(sen), Locator: fmt.Sprintf("block %d", block)})
			}
		}
	})
	return out, nil
}

// PassageClaims turns passages into SUPPLIED claims from the registrant to
// each country named, one claim per country and stance with every
// sentence as a quote, and the country entities.
func PassageClaims(ps []Passage, company records.Entity, f Filing, docID string) ([]records.Entity, []records.Claim) {
	var ents []records.Entity
	var claims []records.Claim
	at := map[string]int{} // country and stance → index in claims
	for _, p := range ps {
		for _, code := range p.Countries {
			c, _ := country.Lookup(code)
			ce := records.Entity{Schema: records.SchemaCountry, Names: []string{c.Name}, Country: code}
			ce.Ref = records.EntityID(ce)
			key := fmt.Sprint(ce.Ref, p.Denies)
			ev := records.Evidence{Document: docID, Quote: p.Sentence, Locator: p.Locator}
			if i, ok := at[key]; ok {
				claims[i].Evidence = append(claims[i].Evidence, ev)
				continue
			}
			if !containsRef(ents, ce.Ref) {
				ents = append(ents, ce)
			}
			cl := records.Claim{Relation: records.RelSupplied, Subject: company.Ref, Object: ce.Ref, Status: records.StatusDocumented,
				Confidence: 0.6, Start: f.ReportDate, Uncertain: []string{"start"}, Extractor: Extractor,
				Summary:  fmt.Sprintf("The %s filed %s speaks of government customers in %s.", f.Form, f.FilingDate, c.Name),
				Evidence: []records.Evidence{ev}}
			if p.Denies {
				cl.Stance = records.StanceDenies
			}
			at[key] = len(claims)
			claims = append(claims, cl)
		}
	}
	return ents, claims
}

func containsRef(es []records.Entity, ref string) bool {
	for _, e := range es {
		if e.Ref == ref {
			return true
		}
	}
	return false
}
