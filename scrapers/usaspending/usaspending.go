// Package usaspending reads U.S. federal contract awards from the
// USAspending.gov API v2: a search (POST /api/v2/search/spending_by_award/,
// paginated) finds awards by keyword or recipient, and each award's page
// (GET /api/v2/awards/{generated_unique_award_id}/) gives the awarding
// agency (toptier, subtier, office), the recipient with its UEI and
// parent, amounts and dates. The recipient SUPPLIED the office; the office
// is PART_OF the subtier agency, the subtier PART_OF the toptier; a
// recipient with a different parent is SUBSIDIARY_OF it. All documented.
package usaspending

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/exportwatch/exportwatch/country"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
)

// Extractor names this code in every claim it writes.
const Extractor = "usaspending/1"

// BaseURL is the real API's host.
const BaseURL = "https://api.usaspending.gov"

// contractTypes are the award type codes of contracts (the search takes
// one group of types at a time): BPA calls, purchase orders, delivery
// orders, definitive contracts.
var contractTypes = []string{"A", "B", "C", "D"}

// searchFields are the columns the search returns.
var searchFields = []string{"Award ID", "Recipient Name", "Start Date", "End Date", "Award Amount", "Awarding Agency",
	"Awarding Sub Agency", "Description", "generated_internal_id"}

type searchRequest struct {
	Filters   searchFilters `json:"filters"`
	Fields    []string      `json:"fields"`
	Page      int           `json:"page"`
	Limit     int           `json:"limit"`
	Sort      string        `json:"sort"`
	Order     string        `json:"order"`
	Subawards bool          `json:"subawards"`
}

type searchFilters struct {
	Keywords            []string `json:"keywords,omitempty"`
	RecipientSearchText []string `json:"recipient_search_text,omitempty"`
	AwardTypeCodes      []string `json:"award_type_codes"`
}

// SearchPage is one page of spending_by_award results.
type SearchPage struct {
	Limit   int `json:"limit"`
	Results []struct {
		AwardID             string   `json:"Award ID"`
		RecipientName       string   `json:"Recipient Name"`
		AwardAmount         *float64 `json:"Award Amount"`
		Description         string   `json:"Description"`
		GeneratedInternalID string   `json:"generated_internal_id"`
	} `json:"results"`
	PageMetadata struct {
		Page    int  `json:"page"`
		HasNext bool `json:"hasNext"`
	} `json:"page_metadata"`
}

// Award is the part of an award's page this source reads.
type Award struct {
	GeneratedUniqueAwardID string   `json:"generated_unique_award_id"`
	PIID                   string   `json:"piid"`
	Category               string   `json:"category"`
	TypeDescription        string   `json:"type_description"`
	Description            string   `json:"description"`
	TotalObligation        *float64 `json:"total_obligation"`
	DateSigned             string   `json:"date_signed"`
	AwardingAgency         *struct {
		ToptierAgency *Agency `json:"toptier_agency"`
		SubtierAgency *Agency `json:"subtier_agency"`
		OfficeName    string  `json:"office_agency_name"`
	} `json:"awarding_agency"`
	Recipient *struct {
		Name       string `json:"recipient_name"`
		UEI        string `json:"recipient_uei"`
		DUNS       string `json:"recipient_unique_id"`
		ParentName string `json:"parent_recipient_name"`
		ParentUEI  string `json:"parent_recipient_uei"`
		ParentDUNS string `json:"parent_recipient_unique_id"`
		Location   struct {
			CountryName string `json:"country_name"`
		} `json:"location"`
	} `json:"recipient"`
	PeriodOfPerformance struct {
		StartDate string `json:"start_date"`
		EndDate   string `json:"end_date"`
	} `json:"period_of_performance"`
	LatestTransactionContractData *struct {
		PSC            string `json:"product_or_service_code"`
		PSCDescription string `json:"product_or_service_description"`
		NAICS          string `json:"naics"`
	} `json:"latest_transaction_contract_data"`
}

type Agency struct {
	Name         string `json:"name"`
	Code         string `json:"code"`
	Abbreviation string `json:"abbreviation"`
}

// ParseAward reads an award's page, refusing one without what a claim needs.
func ParseAward(body []byte) (*Award, error) {
	var a Award
	if err := json.Unmarshal(body, &a); err != nil {
		return nil, fmt.Errorf("not an award page: %w", err)
	}
	switch {
	case a.GeneratedUniqueAwardID == "":
		return nil, errors.New("no generated_unique_award_id: not an award page")
	case a.Recipient == nil || strings.TrimSpace(a.Recipient.Name) == "":
		return nil, errors.New("no recipient_name")
	case a.AwardingAgency == nil || a.AwardingAgency.ToptierAgency == nil || strings.TrimSpace(a.AwardingAgency.ToptierAgency.Name) == "": // a blank name is none
		return nil, errors.New("no awarding toptier agency")
	}
	names := []string{a.Recipient.Name, a.Recipient.ParentName, a.AwardingAgency.OfficeName, a.AwardingAgency.ToptierAgency.Name}
	if a.AwardingAgency.SubtierAgency != nil {
		names = append(names, a.AwardingAgency.SubtierAgency.Name)
	}
	for _, n := range names {
		if len(n) > records.MaxNameBytes { // records refuse such a name, which would end the run
			return nil, fmt.Errorf("a name over 1000 bytes (%.40q…)", n)
		}
	}
	return &a, nil
}

// Extract turns an award page into records, when the filter keeps it;
// docID is the page's document.
func Extract(a *Award, docID string, filter scrapers.Filter) ([]records.Entity, []records.Claim, bool) {
	var codes []string
	texts := []string{a.Description}
	if d := a.LatestTransactionContractData; d != nil {
		codes = append(codes, d.PSC, d.NAICS)
		texts = append(texts, d.PSCDescription)
	}
	r := a.Recipient
	if ok, _ := filter.Match([]string{r.Name, r.ParentName}, texts, codes); !ok {
		return nil, nil, false
	}
	ev := []records.Evidence{{Document: docID, Locator: "award " + a.GeneratedUniqueAwardID}}
	if q := strings.TrimSpace(a.Description); q != "" {
		ev[0].Quote = q
	} else {
		ev[0].Paraphrase = fmt.Sprintf("USAspending lists award %s to %s.", a.GeneratedUniqueAwardID, r.Name)
	}
	claim := func(rel, s, o string) records.Claim {
		return records.Claim{Relation: rel, Subject: s, Object: o, Status: records.StatusDocumented, Confidence: 0.95,
			Extractor: Extractor, Evidence: ev}
	}

	recipient := company(r.Name, r.UEI, r.DUNS, r.Location.CountryName)
	ents := []records.Entity{recipient}
	var claims []records.Claim

	// The awarding chain, most specific first: office, subtier, toptier;
	// each a PublicBody of the United States, PART_OF the next.
	ag := a.AwardingAgency
	var chain []records.Entity
	names := []string{ag.OfficeName, "", ag.ToptierAgency.Name}
	if ag.SubtierAgency != nil {
		names[1] = ag.SubtierAgency.Name
	}
	for _, n := range names {
		// A blank name is none; a body named as the one before it
		// (case and spacing aside) is that body, not PART_OF itself.
		if b := body(n); strings.TrimSpace(n) != "" && (len(chain) == 0 || chain[len(chain)-1].Ref != b.Ref) {
			chain = append(chain, b)
		}
	}
	for i, b := range chain {
		ents = append(ents, b)
		if i+1 < len(chain) {
			claims = append(claims, claim(records.RelPartOf, b.Ref, chain[i+1].Ref))
		}
	}

	supplied := claim(records.RelSupplied, recipient.Ref, chain[0].Ref)
	supplied.Stage = "ordered"
	supplied.Start, supplied.End = scrapers.Date(a.PeriodOfPerformance.StartDate), scrapers.Date(a.PeriodOfPerformance.EndDate)
	if supplied.Start == "" {
		supplied.Start = scrapers.Date(a.DateSigned)
	}
	if supplied.End != "" && supplied.End < supplied.Start {
		supplied.End = "" // an end before the start is refused by records; the start is kept
	}
	if v := a.TotalObligation; v != nil && *v >= 0 && *v <= records.MaxValue { // a net deobligation (negative) is no contract value
		v := *v
		supplied.Value, supplied.Currency = &v, "USD"
	}
	claims = append(claims, supplied)

	if strings.TrimSpace(r.ParentName) != "" && !strings.EqualFold(r.ParentName, r.Name) && (r.ParentUEI == "" || r.ParentUEI != r.UEI) {
		// A parent that is the recipient by its ref (the same DUNS, or the name
		// spaced differently) is not its own parent.
		if parent := company(r.ParentName, r.ParentUEI, r.ParentDUNS, ""); parent.Ref != recipient.Ref {
			ents = append(ents, parent)
			claims = append(claims, claim(records.RelSubsidiaryOf, recipient.Ref, parent.Ref))
		}
	}
	return ents, claims, true
}

func company(name, uei, duns, countryName string) records.Entity {
	e := records.Entity{Schema: records.SchemaCompany, Names: []string{strings.TrimSpace(name)}, Identifiers: map[string]string{}}
	// Trimmed: a blank identifier is none, and records refuse an empty value.
	if uei = strings.TrimSpace(uei); uei != "" {
		e.Identifiers["uei"] = uei
	}
	if duns = strings.TrimSpace(duns); duns != "" {
		e.Identifiers["duns"] = duns
	}
	if c, ok := country.ByName(countryName); ok {
		e.Country = c.Code
	}
	e.Ref = records.EntityID(e)
	return e
}

// body is an awarding agency or office, named as the API names it: its
// upper-case office names hold acronyms (ICE, DHS) that a case change
// would spoil.
func body(name string) records.Entity {
	e := records.Entity{Schema: records.SchemaPublicBody, Names: []string{strings.TrimSpace(name)}, Country: "US", Kind: "agency"}
	e.Ref = records.EntityID(e)
	return e
}

// Options are the source's flags. The env's BaseURL, when set, replaces
// BaseURL (a mirror).
type Options struct {
	Keywords   []string
	Recipients []string
	Awards     []string // generated unique award ids
	MaxPages   int      // per search; 0: 100
}

// Summary counts a run.
type Summary struct {
	SearchPages, Awards, Claims, Skipped int
}

// Run searches, then reads every award found (and those named), writing
// each award's records as soon as it is read. A bad search page ends that
// search; a bad award page is reported and skipped.
func Run(ctx context.Context, env *scrapers.Env, opt Options) (Summary, error) {
	var sum Summary
	if opt.MaxPages <= 0 {
		opt.MaxPages = 100
	}
	base := env.Origin(BaseURL)
	c, report := env.Collector, env.Problem
	ids := append([]string{}, opt.Awards...)
	seen := map[string]bool{}
	if len(opt.Keywords) > 0 || len(opt.Recipients) > 0 {
		found, err := search(ctx, c, base, opt, &sum, report)
		if err != nil {
			return sum, err
		}
		ids = append(ids, found...)
	}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		u := base + "/api/v2/awards/" + url.PathEscape(id) + "/"
		resp, err := c.Fetch(ctx, scrapers.Request{URL: u, Accept: []string{"application/json"}})
		if ctx.Err() != nil {
			return sum, ctx.Err()
		}
		if err != nil {
			report("%v", err)
			continue
		}
		a, err := ParseAward(resp.Body)
		if err != nil {
			report("%s: %v", u, err)
			continue
		}
		sum.Awards++
		doc := resp.Document("USAspending award "+a.GeneratedUniqueAwardID, "USAspending.gov", scrapers.Date(a.DateSigned))
		ents, claims, ok := Extract(a, doc.ID, env.Filter)
		if !ok {
			sum.Skipped++
			continue
		}
		if err := env.Out.Page(doc, ents, claims); err != nil {
			return sum, err
		}
		sum.Claims += len(claims)
	}
	return sum, nil
}

// search pages through spending_by_award and returns the award ids found.
// A page that repeats the one before (a server that ignores "page") ends
// the search as a loop.
func search(ctx context.Context, c *scrapers.Collector, base string, opt Options, sum *Summary, report func(string, ...any)) ([]string, error) {
	u := base + "/api/v2/search/spending_by_award/"
	var ids []string
	var previous string
	for page := 1; page <= opt.MaxPages; page++ {
		req := searchRequest{Filters: searchFilters{Keywords: opt.Keywords, RecipientSearchText: opt.Recipients, AwardTypeCodes: contractTypes},
			Fields: searchFields, Page: page, Limit: 100, Sort: "Award Amount", Order: "desc"}
		body, err := json.Marshal(req)
		if err != nil {
			return nil, err
		}
		resp, err := c.Fetch(ctx, scrapers.Request{Method: "POST", URL: u, Body: body,
			Header: map[string][]string{"Content-Type": {"application/json"}}, Accept: []string{"application/json"}})
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil {
			report("%v", err)
			return ids, nil
		}
		var sp SearchPage
		if err := json.Unmarshal(resp.Body, &sp); err != nil {
			report("%s (page %d): not a search result: %v", u, page, err)
			return ids, nil
		}
		sum.SearchPages++
		var pageIDs []string
		for _, r := range sp.Results {
			if r.GeneratedInternalID == "" {
				report("%s (page %d): award %q has no generated_internal_id", u, page, r.AwardID)
				continue
			}
			pageIDs = append(pageIDs, r.GeneratedInternalID)
		}
		key := strings.Join(pageIDs, "\x00")
		if page > 1 && key == previous {
			report("%s: pagination loop: page %d repeats page %d", u, page, page-1)
			return ids, nil
		}
		previous = key
		ids = append(ids, pageIDs...)
		if !sp.PageMetadata.HasNext {
			return ids, nil
		}
	}
	report("%s: stopped after %d pages (--max-pages)", u, opt.MaxPages)
	return ids, nil
}
