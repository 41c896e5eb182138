// Package ocds reads Open Contracting Data Standard (OCDS 1.1) release
// packages and record packages: the awards and contracts of a public buyer
// become SUPPLIED claims from each supplier, documented, with the package
// as evidence. Packages are followed through links.next.
package ocds

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	neturl "net/url"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/currency"

	"github.com/exportwatch/exportwatch/country"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
)

// Extractor names this code in every claim it writes.
const Extractor = "ocds/1"

// Package is a release package or a record package; which one is told by
// which of Releases and Records is present.
type Package struct {
	URI           string          `json:"uri"`
	PublishedDate string          `json:"publishedDate"`
	Publisher     Publisher       `json:"publisher"`
	Releases      []Release       `json:"releases"`
	Records       []Record        `json:"records"`
	Links         Links           `json:"links"`
	Version       string          `json:"version"`
	Extensions    json.RawMessage `json:"extensions,omitempty"`
}

type Publisher struct {
	Name   string `json:"name"`
	Scheme string `json:"scheme"`
	UID    string `json:"uid"`
}

type Links struct {
	Next string `json:"next"`
	Prev string `json:"prev"`
}

// Record is one contracting process in a record package; its compiled
// release is the process's current state.
type Record struct {
	OCID            string   `json:"ocid"`
	CompiledRelease *Release `json:"compiledRelease"`
}

type Release struct {
	OCID      string     `json:"ocid"`
	ID        string     `json:"id"`
	Date      string     `json:"date"`
	Tag       []string   `json:"tag"`
	Buyer     *OrgRef    `json:"buyer"`
	Parties   []Party    `json:"parties"`
	Tender    *Tender    `json:"tender"`
	Awards    []Award    `json:"awards"`
	Contracts []Contract `json:"contracts"`
}

type OrgRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type Party struct {
	ID                    string       `json:"id"`
	Name                  string       `json:"name"`
	Identifier            Identifier   `json:"identifier"`
	AdditionalIdentifiers []Identifier `json:"additionalIdentifiers"`
	Address               struct {
		CountryName string `json:"countryName"`
	} `json:"address"`
	Roles []string `json:"roles"`
}

type Identifier struct {
	Scheme    string `json:"scheme"`
	ID        idText `json:"id"`
	LegalName string `json:"legalName"`
}

type Tender struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Items       []Item `json:"items"`
}

type Award struct {
	ID          idText   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Status      string   `json:"status"`
	Date        string   `json:"date"`
	Value       *Value   `json:"value"`
	Suppliers   []OrgRef `json:"suppliers"`
	Items       []Item   `json:"items"`
}

type Contract struct {
	ID          idText  `json:"id"`
	AwardID     idText  `json:"awardID"`
	Title       string  `json:"title"`
	Description string  `json:"description"`
	Status      string  `json:"status"`
	DateSigned  string  `json:"dateSigned"`
	Value       *Value  `json:"value"`
	Period      *Period `json:"period"`
	Items       []Item  `json:"items"`
}

type Period struct {
	StartDate string `json:"startDate"`
	EndDate   string `json:"endDate"`
}

type Value struct {
	Amount   *json.Number `json:"amount"`
	Currency string       `json:"currency"`
}

type Item struct {
	ID                        idText           `json:"id"`
	Description               string           `json:"description"`
	Classification            *Classification  `json:"classification"`
	AdditionalClassifications []Classification `json:"additionalClassifications"`
}

type Classification struct {
	Scheme      string `json:"scheme"`
	ID          idText `json:"id"`
	Description string `json:"description"`
}

// idText reads an OCDS identifier, which publishers write as a string or a
// number.
type idText string

func (t *idText) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*t = idText(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("identifier %s is neither a string nor a number", b)
	}
	*t = idText(n.String())
	return nil
}

// Parse reads a package, refusing what is not one.
func Parse(body []byte) (*Package, error) {
	var p Package
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("not OCDS JSON: %w", err)
	}
	if p.Releases == nil && p.Records == nil {
		return nil, errors.New("neither a release package nor a record package (no releases or records)")
	}
	return &p, nil
}

// Page is what one package yields.
type Page struct {
	Entities []records.Entity
	Claims   []records.Claim
	// Skipped counts awards the filter found irrelevant; Problems says
	// why an award that looked relevant could not become a claim.
	Skipped  int
	Problems []string
}

// releases returns the package's releases: a record package's compiled
// releases (a record without one has nothing current to say).
func (p *Package) releases() ([]Release, []string) {
	if p.Records == nil {
		return p.Releases, nil
	}
	var out []Release
	var problems []string
	for _, r := range p.Records {
		if r.CompiledRelease == nil {
			problems = append(problems, fmt.Sprintf("record %s has no compiledRelease", r.OCID))
			continue
		}
		out = append(out, *r.CompiledRelease)
	}
	return out, problems
}

// Extract turns a package into records; doc is the package's document
// record, the evidence of every claim.
func Extract(p *Package, docID string, filter scrapers.Filter) Page {
	var page Page
	rels, problems := p.releases()
	page.Problems = problems
	seen := map[string]bool{}
	addEntity := func(e records.Entity) {
		if !seen[e.Ref] {
			seen[e.Ref] = true
			page.Entities = append(page.Entities, e)
		}
	}
	for ri, r := range rels {
		parties := map[string]Party{}
		for _, pt := range r.Parties {
			parties[pt.ID] = pt
		}
		if r.Buyer == nil || r.Buyer.ID == "" && r.Buyer.Name == "" {
			if len(r.Awards) > 0 {
				page.Problems = append(page.Problems, fmt.Sprintf("release %s: awards without a buyer", r.OCID))
			}
			continue
		}
		buyer, err := entity(records.SchemaPublicBody, *r.Buyer, parties)
		if err != nil {
			page.Problems = append(page.Problems, fmt.Sprintf("release %s: buyer: %v", r.OCID, err))
			continue
		}
		contracts := map[idText][]Contract{}
		for _, c := range r.Contracts {
			contracts[c.AwardID] = append(contracts[c.AwardID], c)
		}
		for ai, a := range r.Awards {
			where := fmt.Sprintf("releases[%d].awards[%d] (ocid %s, award %s)", ri, ai, r.OCID, a.ID)
			names, texts, codes := []string{}, []string{a.Title, a.Description}, []string{}
			if r.Tender != nil {
				texts = append(texts, r.Tender.Title, r.Tender.Description)
			}
			items := append([]Item{}, a.Items...)
			for _, c := range contracts[a.ID] {
				texts = append(texts, c.Title, c.Description)
				items = append(items, c.Items...)
			}
			for _, it := range items {
				texts = append(texts, it.Description)
				for _, cl := range append(nonNil(it.Classification), it.AdditionalClassifications...) {
					codes = append(codes, string(cl.ID))
				}
			}
			for _, s := range a.Suppliers {
				names = append(names, s.Name, parties[s.ID].Name, parties[s.ID].Identifier.LegalName)
			}
			if ok, _ := filter.Match(names, texts, codes); !ok {
				page.Skipped++
				continue
			}
			claims, product, err := awardClaims(r, a, contracts[a.ID], items, buyer, docID, where)
			if errors.Is(err, errNotMade) {
				page.Skipped++
				continue
			}
			if err != nil {
				page.Problems = append(page.Problems, fmt.Sprintf("%s: %v", where, err))
				continue
			}
			if len(a.Suppliers) == 0 {
				page.Problems = append(page.Problems, where+": no suppliers")
				continue
			}
			addEntity(buyer)
			if product != nil {
				addEntity(*product)
			}
			for _, s := range a.Suppliers {
				sup, err := entity(records.SchemaCompany, s, parties)
				if err != nil {
					page.Problems = append(page.Problems, fmt.Sprintf("%s: supplier: %v", where, err))
					continue
				}
				addEntity(sup)
				for _, c := range claims {
					c.Subject = sup.Ref
					page.Claims = append(page.Claims, c)
				}
			}
		}
	}
	return page
}

func nonNil(c *Classification) []Classification {
	if c == nil {
		return nil
	}
	return []Classification{*c}
}

// errNotMade marks an award that was cancelled or unsuccessful: it says
// nothing was supplied, so it is skipped, not reported.
var errNotMade = errors.New("the award was not made")

// awardClaims builds the claim of an award (subject left to the caller,
// one per supplier): its stage from the contract's status or else the
// award's, value, currency, dates, and the first classified item as the
// product.
func awardClaims(r Release, a Award, cs []Contract, items []Item, buyer records.Entity, docID, where string) ([]records.Claim, *records.Entity, error) {
	stage, ok := awardStage(a.Status)
	var value *Value
	start, end := scrapers.Date(a.Date), ""
	if a.Value != nil {
		value = a.Value
	}
	for _, c := range cs {
		if s, cok := contractStage(c.Status); cok {
			stage, ok = s, true
		}
		if c.Value != nil && c.Value.Amount != nil {
			value = c.Value
		}
		if d := scrapers.Date(c.DateSigned); d != "" {
			start = d
		}
		if c.Period != nil {
			if d := scrapers.Date(c.Period.StartDate); d != "" {
				start = d
			}
			end = scrapers.Date(c.Period.EndDate)
		}
	}
	if !ok {
		return nil, nil, errNotMade
	}
	if start != "" && end != "" && end < start {
		// A claim ending before it starts fails validation and would end the run.
		return nil, nil, fmt.Errorf("the contract period ends (%s) before it starts (%s)", end, start)
	}
	claim := records.Claim{Relation: records.RelSupplied, Object: buyer.Ref, Status: records.StatusDocumented,
		Confidence: 0.9, Stage: stage, Start: start, End: end, Extractor: Extractor}
	if value != nil && value.Amount != nil {
		amount, err := value.Amount.Float64()
		if err != nil {
			return nil, nil, fmt.Errorf("value %s is not a number", *value.Amount)
		}
		if amount < 0 || amount > records.MaxValue { // out of what a claim's value may be: refused here, not by the writer
			return nil, nil, fmt.Errorf("value %s is not an amount from 0 to %g", *value.Amount, records.MaxValue)
		}
		unit, err := currency.ParseISO(value.Currency)
		if err != nil || len(value.Currency) != 3 {
			return nil, nil, fmt.Errorf("currency %q is not an ISO 4217 code", value.Currency)
		}
		claim.Value, claim.Currency = &amount, unit.String() // ParseISO takes "usd"; records want "USD"
	}
	var product *records.Entity
	for _, it := range items {
		if it.Classification == nil || strings.TrimSpace(it.Description) == "" || len(it.Description) > records.MaxNameBytes { // no product name records accept
			continue
		}
		cl := it.Classification
		product = &records.Entity{Schema: records.SchemaProduct, Ref: "product:" + strings.ToLower(it.Description),
			Names: []string{it.Description}, Description: fmt.Sprintf("%s %s: %s", cl.Scheme, cl.ID, cl.Description)}
		claim.Product = product.Ref
		break
	}
	quote := scrapers.FirstText(a.Title, a.Description)
	for _, c := range cs {
		quote = scrapers.FirstText(quote, c.Title, c.Description)
	}
	if quote == "" && len(items) > 0 {
		quote = scrapers.FirstText(items[0].Description) // trimmed: a blank description is no quote
	}
	ev := records.Evidence{Document: docID, Locator: where}
	if quote != "" {
		ev.Quote = quote
	} else {
		ev.Paraphrase = fmt.Sprintf("OCDS award %s of contracting process %s names its supplier and the buyer %s.", a.ID, r.OCID, buyer.Names[0])
	}
	claim.Evidence = []records.Evidence{ev}
	return []records.Claim{claim}, product, nil
}

// awardStage maps the OCDS award status codelist onto the transfer stages;
// ok is false for awards that were never made.
func awardStage(status string) (string, bool) {
	switch status {
	case "pending":
		return "offered", true
	case "active", "":
		return "ordered", true
	}
	return "", false // cancelled, unsuccessful
}

// contractStage maps the OCDS contract status codelist.
func contractStage(status string) (string, bool) {
	switch status {
	case "pending", "active":
		return "ordered", true
	case "terminated":
		return "ended", true
	}
	return "", false
}

// entity makes an organisation's entity record from its reference and its
// party entry: names, identifiers mapped onto the record schemes, and the
// country from the identifier's register or the address.
func entity(schema string, ref OrgRef, parties map[string]Party) (records.Entity, error) {
	p := parties[ref.ID]
	e := records.Entity{Schema: schema, Identifiers: map[string]string{}}
	for _, n := range []string{p.Identifier.LegalName, p.Name, ref.Name} {
		if n = strings.TrimSpace(n); n != "" && !slices.Contains(e.Names, n) {
			e.Names = append(e.Names, n)
		}
		if len(n) > records.MaxNameBytes { // records refuse such a name, which would end the run
			return e, fmt.Errorf("party %q has a name over 1000 bytes", ref.ID)
		}
	}
	if len(e.Names) == 0 {
		return e, fmt.Errorf("party %q has no name", ref.ID)
	}
	for _, id := range append([]Identifier{p.Identifier}, p.AdditionalIdentifiers...) {
		if id.Scheme == "" || strings.TrimSpace(string(id.ID)) == "" { // trimmed, as identifier trims it: a blank id is none
			continue
		}
		scheme, value := identifier(id)
		if _, taken := e.Identifiers[scheme]; !taken {
			e.Identifiers[scheme] = value
		}
		if e.Country == "" {
			if cc, _, ok := strings.Cut(id.Scheme, "-"); ok && country.Valid(cc) {
				e.Country = cc
			}
		}
	}
	if c, ok := country.ByName(p.Address.CountryName); ok && e.Country == "" {
		e.Country = c.Code
	}
	// The ref is what claims in this file name the entity by: the
	// strongest identifier, or the name, so it is the same on every page.
	e.Ref = records.EntityID(e)
	return e, nil
}

// identifier maps an org-id register onto the record schemes: LEIs, DUNS,
// Russian OGRN and INN by name, every other register as "registry" with
// the register's prefix kept (GB-COH-01234567).
func identifier(id Identifier) (string, string) {
	v := strings.TrimSpace(string(id.ID))
	switch strings.ToUpper(id.Scheme) {
	case "XI-LEI":
		return "lei", v
	case "XI-DUNS", "US-DUNS":
		return "duns", v
	case "RU-OGRN":
		return "ogrn", v
	case "RU-INN":
		return "inn", v
	}
	return "registry", strings.ToUpper(id.Scheme) + "-" + v
}

// Options are the ocds source's flags.
type Options struct {
	// URLs are package URLs (pointed at the mirror, if any, by the
	// caller) or paths of local files.
	URLs []string
}

// Summary counts a run.
type Summary struct {
	Pages, Claims, Skipped int
}

// Run follows each start URL through its links.next chain, writing each
// package's records to out as soon as it is read. A page that cannot be
// fetched or read is reported with its URL and ends its chain (its next
// link is unknown); the other chains go on.
func Run(ctx context.Context, env *scrapers.Env, opt Options) (Summary, error) {
	var sum Summary
	c, report := env.Collector, env.Problem
	for _, start := range opt.URLs {
		if p := localPath(start); p != "" {
			if abs, err := filepath.Abs(p); err == nil {
				start = (&neturl.URL{Scheme: "file", Path: abs}).String()
			}
		}
		visited := map[string]bool{}
		for next := start; next != ""; {
			if visited[next] {
				report("%s: pagination loop: links.next leads back to a page already read", next)
				break
			}
			visited[next] = true
			url := next
			next = ""
			var resp *scrapers.Response
			var err error
			if local := localPath(url); local != "" {
				resp, err = c.Local(local, "application/json")
			} else {
				resp, err = c.Fetch(ctx, scrapers.Request{URL: url, Accept: []string{"application/json"}})
			}
			if ctx.Err() != nil {
				return sum, ctx.Err()
			}
			if err != nil {
				report("%v", err)
				break
			}
			p, err := Parse(resp.Body)
			if err != nil {
				report("%s: %v", url, err)
				break
			}
			cite := url
			if localPath(url) != "" {
				// A package read from disk is cited by the URL it gives
				// for itself; the archive keeps the copy that was read.
				if !strings.HasPrefix(p.URI, "https://") && !strings.HasPrefix(p.URI, "http://") {
					report("%s: a package read from a file needs its uri (an http(s) URL) to be cited by", url)
					break
				}
				cite = p.URI
			}
			cite = records.EscapeURL(cite)
			doc := records.Document{URL: cite, Title: "OCDS package", Publisher: p.Publisher.Name, Published: scrapers.Date(p.PublishedDate),
				Retrieved: resp.Retrieved.Format(time.RFC3339), SHA256: resp.SHA256, Archive: resp.Archive, Origin: records.OriginFetched}
			if p.Publisher.Name != "" {
				doc.Title = "OCDS package published by " + p.Publisher.Name
			}
			doc.ID = records.DocumentID(cite)
			if cite != url {
				doc.Note = "read from a local copy, " + url
			}
			page := Extract(p, doc.ID, env.Filter)
			for _, pr := range page.Problems {
				report("%s: %s", url, pr)
			}
			if err := env.Out.Page(doc, page.Entities, page.Claims); err != nil {
				return sum, err
			}
			sum.Pages++
			sum.Claims += len(page.Claims)
			sum.Skipped += page.Skipped
			next = resolve(cite, p.Links.Next)
		}
	}
	return sum, nil
}

// localPath returns the file a start URL names, when it names one: a
// file:// URL or a path (anything without a scheme).
func localPath(u string) string {
	if strings.HasPrefix(u, "file://") {
		if p, err := neturl.Parse(u); err == nil {
			return p.Path
		}
	}
	if !strings.Contains(u, "://") {
		return u
	}
	return ""
}

// resolve makes a next link absolute against the page it was found on.
func resolve(base, ref string) string {
	if ref == "" {
		return ""
	}
	b, err := neturl.Parse(base)
	if err != nil {
		return ref
	}
	r, err := neturl.Parse(ref)
	if err != nil {
		return ref
	}
	return b.ResolveReference(r).String()
}
