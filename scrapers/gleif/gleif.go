// Package gleif reads legal entities and their parents from the GLEIF API
// (api.gleif.org, JSON:API): an LEI record gives a company's legal and
// other names, jurisdiction, legal address and local registration; the
// direct-parent and ultimate-parent relationship records give who
// consolidates it (IS_DIRECTLY_CONSOLIDATED_BY, IS_ULTIMATELY_CONSOLIDATED_BY)
// with their periods, and become documented SUBSIDIARY_OF claims. Where a
// company reports no parent, GLEIF holds a reporting exception with its
// reason (NATURAL_PERSONS, NON_CONSOLIDATING, NO_KNOWN_PERSON, …): that is
// recorded as such, on the company, and never guessed into a parent.
//
// From each LEI asked for (or found by legal name) the source walks up the
// chain of parents, so child → parent → ultimate parent can be followed in
// the graph; with Children it also reads the direct children.
package gleif

import (
	"cmp"
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
const Extractor = "gleif/1"

// BaseURL is the real API's host; every path starts with /api/v1.
const BaseURL = "https://api.gleif.org"

// publisher names GLEIF on every document of this source.
const publisher = "GLEIF (Global Legal Entity Identifier Foundation)"

// Name is one of an entity's names.
type Name struct {
	Name     string `json:"name"`
	Language string `json:"language"`
	Type     string `json:"type"` // for other names: ALTERNATIVE_LANGUAGE_LEGAL_NAME, PREVIOUS_LEGAL_NAME, TRADING_OR_OPERATING_NAME
}

// Address is a legal or headquarters address.
type Address struct {
	AddressLines []string `json:"addressLines"`
	City         string   `json:"city"`
	Region       string   `json:"region"`
	Country      string   `json:"country"`
	PostalCode   string   `json:"postalCode"`
}

// LEIRecord is the attributes of a lei-records resource.
type LEIRecord struct {
	LEI    string `json:"lei"`
	Entity struct {
		LegalName               Name    `json:"legalName"`
		OtherNames              []Name  `json:"otherNames"`
		TransliteratedOtherName []Name  `json:"transliteratedOtherNames"`
		LegalAddress            Address `json:"legalAddress"`
		HeadquartersAddress     Address `json:"headquartersAddress"`
		RegisteredAt            struct {
			ID    string `json:"id"`
			Other string `json:"other"`
		} `json:"registeredAt"`
		RegisteredAs string `json:"registeredAs"`
		Jurisdiction string `json:"jurisdiction"`
		Category     string `json:"category"`
		LegalForm    struct {
			ID    string `json:"id"`
			Other string `json:"other"`
		} `json:"legalForm"`
		Status       string `json:"status"`
		CreationDate string `json:"creationDate"`
	} `json:"entity"`
	Registration struct {
		InitialRegistrationDate string `json:"initialRegistrationDate"`
		LastUpdateDate          string `json:"lastUpdateDate"`
		Status                  string `json:"status"`
		CorroborationLevel      string `json:"corroborationLevel"`
	} `json:"registration"`
}

// Relationship is the attributes of a relationship-records resource.
type Relationship struct {
	Relationship struct {
		StartNode struct {
			ID   string `json:"id"`
			Type string `json:"type"`
		} `json:"startNode"`
		EndNode struct {
			ID   string `json:"id"`
			Type string `json:"type"`
		} `json:"endNode"`
		Type    string `json:"type"`
		Status  string `json:"status"`
		Periods []struct {
			StartDate string `json:"startDate"`
			EndDate   string `json:"endDate"`
			Type      string `json:"type"`
		} `json:"periods"`
	} `json:"relationship"`
	Registration struct {
		LastUpdateDate         string `json:"lastUpdateDate"`
		Status                 string `json:"status"`
		CorroborationLevel     string `json:"corroborationLevel"`
		CorroborationDocuments string `json:"corroborationDocuments"`
		CorroborationReference string `json:"corroborationReference"`
	} `json:"registration"`
}

// Exception is the attributes of a reporting-exceptions resource.
type Exception struct {
	LEI       string `json:"lei"`
	Category  string `json:"category"`
	Reason    string `json:"reason"`
	Reference string `json:"reference"`
}

// resource is one JSON:API resource object.
type resource[T any] struct {
	Type       string `json:"type"`
	ID         string `json:"id"`
	Attributes T      `json:"attributes"`
}

type single[T any] struct {
	Data *resource[T] `json:"data"`
}

// Page is a JSON:API collection page (a search, direct children).
type Page struct {
	Data []resource[LEIRecord] `json:"data"`
	Meta struct {
		Pagination struct {
			CurrentPage int `json:"currentPage"`
			LastPage    int `json:"lastPage"`
			Total       int `json:"total"`
		} `json:"pagination"`
	} `json:"meta"`
	Links struct {
		Next string `json:"next"`
	} `json:"links"`
}

func parseSingle[T any](body []byte, wantType string) (*resource[T], error) {
	var doc single[T]
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("not a JSON:API document: %w", err)
	}
	if doc.Data == nil || doc.Data.Type != wantType {
		return nil, fmt.Errorf("no %s resource in data", wantType)
	}
	return doc.Data, nil
}

// ParseLEIRecord reads a lei-records document, refusing one without an
// LEI or a legal name.
func ParseLEIRecord(body []byte) (*LEIRecord, error) {
	r, err := parseSingle[LEIRecord](body, "lei-records")
	if err != nil {
		return nil, err
	}
	rec := &r.Attributes
	rec.LEI = cmp.Or(rec.LEI, r.ID)
	switch {
	case !records.ValidLEI(rec.LEI):
		return nil, fmt.Errorf("lei %q is not a valid LEI", rec.LEI)
	case strings.TrimSpace(rec.Entity.LegalName.Name) == "":
		return nil, fmt.Errorf("lei record %s has no legal name", rec.LEI)
	case len(strings.TrimSpace(rec.Entity.LegalName.Name)) > records.MaxNameBytes: // records refuse such a name, which would end the run
		return nil, fmt.Errorf("lei record %s has a legal name over 1000 bytes", rec.LEI)
	}
	return rec, nil
}

// ParseRelationship reads a relationship-records document.
func ParseRelationship(body []byte) (*Relationship, error) {
	r, err := parseSingle[Relationship](body, "relationship-records")
	if err != nil {
		return nil, err
	}
	rel := &r.Attributes
	if !records.ValidLEI(rel.Relationship.StartNode.ID) || !records.ValidLEI(rel.Relationship.EndNode.ID) {
		return nil, fmt.Errorf("relationship %s: start or end node is not an LEI", r.ID)
	}
	return rel, nil
}

// ParseException reads a reporting-exceptions document.
func ParseException(body []byte) (*Exception, error) {
	r, err := parseSingle[Exception](body, "reporting-exceptions")
	if err != nil {
		return nil, err
	}
	if r.Attributes.Reason == "" {
		return nil, errors.New("reporting exception without a reason")
	}
	return &r.Attributes, nil
}

// Company is the entity record of an LEI record: the legal name first,
// then the other names (previous legal names among them), country from
// the jurisdiction or the legal address, the LEI and the local
// registration as identifiers.
func Company(rec *LEIRecord, docID string) records.Entity {
	e := records.Entity{Schema: records.SchemaCompany, Identifiers: map[string]string{"lei": rec.LEI}, Document: docID}
	for _, n := range append(append([]Name{rec.Entity.LegalName}, rec.Entity.OtherNames...), rec.Entity.TransliteratedOtherName...) {
		if n := strings.TrimSpace(n.Name); n != "" && len(n) <= records.MaxNameBytes && !scrapers.ContainsFold(e.Names, n) { // records refuse longer names
			e.Names = append(e.Names, n)
		}
	}
	jurisdiction, _, _ := strings.Cut(rec.Entity.Jurisdiction, "-")
	for _, c := range []string{jurisdiction, rec.Entity.LegalAddress.Country} {
		if c = strings.ToUpper(strings.TrimSpace(c)); country.Valid(c) {
			e.Country = c
			break
		}
	}
	if ra, as := cmp.Or(rec.Entity.RegisteredAt.ID, rec.Entity.RegisteredAt.Other), strings.TrimSpace(rec.Entity.RegisteredAs); as != "" {
		// The registration number is only unique within its register.
		e.Identifiers["registry"] = strings.TrimSpace(cmp.Or(ra, "unknown register") + "/" + as)
	}
	var desc []string
	if f := cmp.Or(rec.Entity.LegalForm.Other, rec.Entity.LegalForm.ID); f != "" {
		desc = append(desc, "legal form "+f)
	}
	if rec.Entity.Jurisdiction != "" {
		desc = append(desc, "jurisdiction "+rec.Entity.Jurisdiction)
	}
	if a := rec.Entity.LegalAddress; a.City != "" {
		desc = append(desc, "legal address in "+strings.Join(nonEmpty(a.City, a.Region, a.Country), ", "))
	}
	if rec.Entity.Status != "" {
		desc = append(desc, "entity status "+rec.Entity.Status)
	}
	if len(desc) > 0 {
		e.Description = "GLEIF: " + strings.Join(desc, "; ") + "."
	}
	e.Start = scrapers.Date(rec.Entity.CreationDate)
	e.Ref = records.EntityID(e)
	return e
}

func nonEmpty(xs ...string) []string {
	var out []string
	for _, x := range xs {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// corroboration sets a claim's confidence from how GLEIF says the
// relationship was checked.
var corroboration = map[string]float64{
	"FULLY_CORROBORATED": 0.95, "PARTIALLY_CORROBORATED": 0.85, "ENTITY_SUPPLIED_ONLY": 0.75,
}

// Claim is the SUBSIDIARY_OF claim of a relationship record between two
// companies already made entities: dates from the relationship period (the
// accounting period when there is none), ended when GLEIF marks it
// inactive, role "direct" or "ultimate" consolidation.
func Claim(rel *Relationship, child, parent records.Entity, docID string) (records.Claim, error) {
	r := rel.Relationship
	role := map[string]string{
		"IS_DIRECTLY_CONSOLIDATED_BY": "direct accounting consolidation", "IS_ULTIMATELY_CONSOLIDATED_BY": "ultimate accounting consolidation",
	}[r.Type]
	if role == "" {
		return records.Claim{}, fmt.Errorf("relationship type %q is not a consolidation", r.Type)
	}
	c := records.Claim{Relation: records.RelSubsidiaryOf, Subject: child.Ref, Object: parent.Ref, Status: records.StatusDocumented,
		Confidence: cmp.Or(corroboration[rel.Registration.CorroborationLevel], 0.7), Role: role, Extractor: Extractor}
	for _, want := range []string{"RELATIONSHIP_PERIOD", "ACCOUNTING_PERIOD"} {
		for _, p := range r.Periods {
			if p.Type == want && c.Start == "" {
				c.Start, c.End = scrapers.Date(p.StartDate), scrapers.Date(p.EndDate)
			}
		}
	}
	if r.Status == "INACTIVE" && c.End == "" {
		// GLEIF says the link ended without saying when: the last update
		// is the latest it can have ended.
		c.End = scrapers.Date(rel.Registration.LastUpdateDate)
		c.Uncertain = []string{"end"}
	}
	if c.Start != "" && c.End != "" && c.End < c.Start { // records refuse it, which would end the run
		return records.Claim{}, fmt.Errorf("relationship ends (%s) before it starts (%s)", c.End, c.Start)
	}
	c.Evidence = []records.Evidence{{Document: docID, Locator: r.Type,
		Paraphrase: fmt.Sprintf("GLEIF relationship record: %s (LEI %s) %s %s (LEI %s); relationship %s, corroboration %s%s.",
			child.Names[0], r.StartNode.ID, r.Type, parent.Names[0], r.EndNode.ID, cmp.Or(r.Status, "status not given"),
			cmp.Or(rel.Registration.CorroborationLevel, "not given"), cmp.Or(" from "+rel.Registration.CorroborationDocuments, ""))}}
	if rel.Registration.CorroborationDocuments == "" {
		c.Evidence[0].Paraphrase = strings.Replace(c.Evidence[0].Paraphrase, " from .", ".", 1)
	}
	return c, nil
}

// Options are the source's flags.
type Options struct {
	LEIs     []string
	Names    []string // legal names to search for
	Children bool     // also read each company's direct children
	// MaxResults bounds the LEIs a name search yields; 0: 20.
	MaxResults int
	// MaxDepth bounds the walk up the chain of parents; 0: 10.
	MaxDepth int
}

// Summary counts a run.
type Summary struct {
	Records, Relationships, Exceptions, Claims int
}

type run struct {
	ctx    context.Context
	c      *scrapers.Collector
	out    *scrapers.Output
	base   string
	sum    *Summary
	report func(string, ...any)
	// companies read so far, by LEI; one being read is there with an
	// empty entity, so a loop in bad data ends.
	companies map[string]records.Entity
}

// Run reads the LEIs asked for and those a name search finds, each with
// its chain of parents, writing each company's records as soon as they
// are read. A record that cannot be read is reported and skipped; the
// rest of the run goes on. With a mirror (env.BaseURL) every request
// goes to it, next-page links included.
func Run(ctx context.Context, env *scrapers.Env, opt Options) (Summary, error) {
	var sum Summary
	r := &run{ctx: ctx, c: env.Collector, out: env.Out, base: env.Origin(BaseURL) + "/api/v1",
		sum: &sum, report: env.Problem, companies: map[string]records.Entity{}}
	if opt.MaxDepth <= 0 {
		opt.MaxDepth = 10
	}
	leis := make([]string, 0, len(opt.LEIs))
	for _, l := range opt.LEIs {
		l = strings.ToUpper(strings.TrimSpace(l))
		if !records.ValidLEI(l) {
			r.report("--lei %q is not a valid LEI (20 characters, check digits per ISO 17442)", l)
			continue
		}
		leis = append(leis, l)
	}
	for _, n := range opt.Names {
		found, err := r.search(n, cmp.Or(opt.MaxResults, 20))
		if err != nil {
			return sum, err
		}
		leis = append(leis, found...)
	}
	for _, lei := range leis {
		if _, _, err := r.chain(lei, opt.MaxDepth); err != nil {
			return sum, err
		}
		if opt.Children {
			if err := r.children(lei, cmp.Or(opt.MaxResults, 20)); err != nil {
				return sum, err
			}
		}
	}
	return sum, nil
}

// get fetches one API document; a 404 is (nil, nil): GLEIF answers so for
// a relationship or exception that does not exist.
func (r *run) get(u string) (*scrapers.Response, error) {
	resp, err := r.c.Fetch(r.ctx, scrapers.Request{URL: u, Accept: []string{"application/vnd.api+json", "application/json"}})
	if r.ctx.Err() != nil {
		return nil, r.ctx.Err()
	}
	var fe *scrapers.FetchError
	if errors.As(err, &fe) && fe.Status == 404 {
		return nil, nil
	}
	return resp, err
}

// link is a parent relationship as read, waiting for its parent's record.
type link struct {
	kind string
	rel  *Relationship
	resp *scrapers.Response
	url  string
}

// chain reads a company (once per run), its parents' chains, and writes
// each parent relationship as a claim once both ends are written. It
// returns the company's entity, or ok false when its record could not be
// read (reported).
func (r *run) chain(lei string, depth int) (records.Entity, bool, error) {
	if e, ok := r.companies[lei]; ok {
		return e, e.Ref != "", nil
	}
	r.companies[lei] = records.Entity{} // being read: a loop in bad data ends here
	e, links, ok, err := r.company(lei)
	if err != nil || !ok {
		return e, ok, err
	}
	r.companies[lei] = e
	for _, l := range links {
		parentLEI := l.rel.Relationship.EndNode.ID
		if depth == 0 {
			r.report("LEI %s: the chain of parents is deeper than the limit; %s not read", lei, parentLEI)
			continue
		}
		parent, ok, err := r.chain(parentLEI, depth-1)
		if err != nil {
			return e, true, err
		}
		if !ok {
			continue
		}
		doc := l.resp.Document(fmt.Sprintf("GLEIF relationship record: %s %s %s", lei, l.rel.Relationship.Type, parentLEI), publisher,
			scrapers.Date(l.rel.Registration.LastUpdateDate))
		c, err := Claim(l.rel, e, parent, doc.ID)
		if err != nil {
			r.report("%s: %v", l.url, err)
			continue
		}
		if err := r.out.Page(doc, nil, []records.Claim{c}); err != nil {
			return e, true, err
		}
		r.sum.Claims++
	}
	return e, true, nil
}

// company reads one LEI record and its direct and ultimate parent
// relationships, or where one is missing the reporting exception, and
// writes the company with any exception in its description (the entity is
// written once, so it must know them first).
func (r *run) company(lei string) (records.Entity, []link, bool, error) {
	u := r.base + "/lei-records/" + url.PathEscape(lei)
	resp, err := r.get(u)
	if err != nil || resp == nil {
		if r.ctx.Err() != nil {
			return records.Entity{}, nil, false, r.ctx.Err()
		}
		r.report("%s: %v", u, cmp.Or(err, errors.New("no such LEI (HTTP 404)")))
		return records.Entity{}, nil, false, nil
	}
	rec, err := ParseLEIRecord(resp.Body)
	if err != nil {
		r.report("%s: %v", u, err)
		return records.Entity{}, nil, false, nil
	}
	r.sum.Records++
	doc := resp.Document("GLEIF LEI record "+rec.LEI+": "+rec.Entity.LegalName.Name, publisher, scrapers.Date(rec.Registration.LastUpdateDate))
	e := Company(rec, doc.ID)
	var links []link
	var exceptions []string
	for _, kind := range []string{"direct", "ultimate"} {
		l, ex, err := r.parent(lei, kind)
		if err != nil {
			return e, nil, false, err
		}
		if l != nil {
			links = append(links, *l)
		}
		if ex != "" {
			exceptions = append(exceptions, ex)
		}
	}
	if len(exceptions) > 0 {
		e.Description = strings.TrimSpace(e.Description + " " + strings.Join(exceptions, " "))
	}
	if err := r.out.Document(doc); err != nil {
		return e, nil, false, err
	}
	if err := r.out.Entity(e); err != nil {
		return e, nil, false, err
	}
	return e, links, true, r.out.Flush()
}

// parent reads a company's direct or ultimate parent relationship; without
// one, the reporting exception, which it words for the company's record
// and writes the document of.
func (r *run) parent(lei, kind string) (*link, string, error) {
	u := r.base + "/lei-records/" + url.PathEscape(lei) + "/" + kind + "-parent-relationship"
	resp, err := r.get(u)
	if err != nil {
		if r.ctx.Err() != nil {
			return nil, "", r.ctx.Err()
		}
		r.report("%v", err)
		return nil, "", nil
	}
	if resp == nil {
		ex, err := r.exception(lei, kind)
		return nil, ex, err
	}
	rel, err := ParseRelationship(resp.Body)
	switch {
	case err != nil:
		r.report("%s: %v", u, err)
		return nil, "", nil
	case rel.Relationship.StartNode.ID != lei:
		r.report("%s: the relationship starts at %s, not at %s", u, rel.Relationship.StartNode.ID, lei)
		return nil, "", nil
	case rel.Relationship.EndNode.ID == lei:
		r.report("%s: %s is its own parent", u, lei)
		return nil, "", nil
	}
	r.sum.Relationships++
	return &link{kind: kind, rel: rel, resp: resp, url: u}, "", nil
}

// exception reads why a company reports no parent of a kind. GLEIF's
// reason is kept as it is, with the document it came from; it is never
// turned into a parent.
func (r *run) exception(lei, kind string) (string, error) {
	u := r.base + "/lei-records/" + url.PathEscape(lei) + "/" + kind + "-parent-reporting-exception"
	resp, err := r.get(u)
	if err != nil {
		if r.ctx.Err() != nil {
			return "", r.ctx.Err()
		}
		r.report("%v", err)
		return "", nil
	}
	if resp == nil {
		return "", nil // neither a parent nor an exception: GLEIF says nothing
	}
	ex, err := ParseException(resp.Body)
	if err != nil {
		r.report("%s: %v", u, err)
		return "", nil
	}
	r.sum.Exceptions++
	doc := resp.Document(fmt.Sprintf("GLEIF reporting exception: %s, %s parent", lei, kind), publisher, "")
	if err := r.out.Document(doc); err != nil {
		return "", err
	}
	return fmt.Sprintf("GLEIF reporting exception for the %s parent: %s (%s; %s); no parent is recorded.",
		kind, ex.Reason, cmp.Or(ex.Category, "category not given"), doc.ID), nil
}

// search finds LEIs by legal name, following the pages up to max results.
func (r *run) search(name string, max int) ([]string, error) {
	q := url.Values{"filter[entity.legalName]": {name}, "page[size]": {"10"}, "page[number]": {"1"}}
	u := r.base + "/lei-records?" + q.Encode()
	var found []string
	for page := 1; u != "" && len(found) < max && page <= 100; page++ {
		resp, err := r.get(u)
		if err != nil || resp == nil {
			if r.ctx.Err() != nil {
				return nil, r.ctx.Err()
			}
			r.report("search %q: %v", name, cmp.Or(err, errors.New("not found (HTTP 404)")))
			return found, nil
		}
		var p Page
		if err := json.Unmarshal(resp.Body, &p); err != nil {
			r.report("%s: not a search result: %v", u, err)
			return found, nil
		}
		for _, d := range p.Data {
			if lei := cmp.Or(d.Attributes.LEI, d.ID); records.ValidLEI(lei) && len(found) < max {
				found = append(found, lei)
			}
		}
		next, ok := r.next(u, p.Links.Next)
		if !ok {
			return found, nil
		}
		if next == u {
			r.report("%s: the next page is this page; stopped", u)
			break
		}
		u = next
	}
	return found, nil
}

// children reads a company's direct children, each with its record and
// its parent relationships (which carry the evidence).
func (r *run) children(lei string, max int) error {
	u := r.base + "/lei-records/" + url.PathEscape(lei) + "/direct-children?" + url.Values{"page[size]": {"10"}, "page[number]": {"1"}}.Encode()
	n := 0
	for page := 1; u != "" && n < max && page <= 100; page++ {
		resp, err := r.get(u)
		if err != nil || resp == nil {
			if r.ctx.Err() != nil {
				return r.ctx.Err()
			}
			if err != nil {
				r.report("%v", err)
			}
			return nil
		}
		var p Page
		if err := json.Unmarshal(resp.Body, &p); err != nil {
			r.report("%s: not a list of children: %v", u, err)
			return nil
		}
		for _, d := range p.Data {
			child := cmp.Or(d.Attributes.LEI, d.ID)
			if !records.ValidLEI(child) || n >= max {
				continue
			}
			n++
			// The child's chain leads back here and carries the claim.
			if _, _, err := r.chain(child, 1); err != nil {
				return err
			}
		}
		next, ok := r.next(u, p.Links.Next)
		if !ok {
			return nil
		}
		if next == u {
			break
		}
		u = next
	}
	return nil
}

// next is the URL of the page after u, from the page's links.next, on
// the host the run reads (the mirror's, when there is one); "" when u is
// the last page. A link that is not an http(s) URL is reported with the
// page that gave it, and ok is false: the walk stops there.
func (r *run) next(u, link string) (string, bool) {
	if link == "" {
		return "", true
	}
	next, err := scrapers.Rebase(link, r.base)
	if err != nil {
		r.report("%s: links.next: %v; the pages after it were not read", u, err)
		return "", false
	}
	return next, true
}
