// Package ted reads EU contract-award notices from TED (Tenders Electronic
// Daily) in both of its XML formats: the legacy TED_EXPORT (schema R2.0.9,
// form F03_2014, AWARD_CONTRACT with CONTRACTORS and VAL_TOTAL) and eForms
// UBL (ContractAwardNotice, with efac:Organizations and efac:NoticeResult:
// LotResult, LotTender, SettledContract, TenderingParty). Each awarded
// contract becomes a documented SUPPLIED claim from each contractor to the
// contracting body.
package ted

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"golang.org/x/text/currency"

	"github.com/exportwatch/exportwatch/country"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
)

// Extractor names this code in every claim it writes.
const Extractor = "ted/1"

// BaseURL is TED's host; a notice's XML is at /en/notice/{number}/xml.
// SearchURL is the search API's (POST /v3/notices/search).
const (
	BaseURL   = "https://ted.europa.eu"
	SearchURL = "https://api.ted.europa.eu"
)

// Namespaces of the two formats' root elements.
const (
	legacyNS = "http://publications.europa.eu/resource/schema/ted/R2.0.9/publication"
	canNS    = "urn:oasis:names:specification:ubl:schema:xsd:ContractAwardNotice-2"
)

// Org is a party of a notice.
type Org struct {
	Name       string
	Country    string // alpha-2, when known
	NationalID string
}

// Award is one awarded contract (or lot).
type Award struct {
	Ref         string // where in the notice: AWARD_CONTRACT ITEM, or the LotResult id
	Title       string
	Contractors []Org
	Value       string
	Currency    string
	Date        string
	Codes       []string
}

// Notice is a contract-award notice in either format, reduced to what the
// claims need.
type Notice struct {
	Number      string // publication number or notice id
	Published   string
	Title       string
	Description string
	Buyer       Org
	Codes       []string
	Awards      []Award
}

// ErrNotAward marks a notice of another kind (a contract notice, a prior
// information notice): skipped, not a fault.
var ErrNotAward = errors.New("not a contract-award notice")

// Parse reads a notice in either format.
func Parse(body []byte) (*Notice, error) {
	dec := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("not TED XML: %w", err)
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch {
		case start.Name.Local == "TED_EXPORT" && start.Name.Space == legacyNS:
			return parseLegacy(body)
		case start.Name.Local == "ContractAwardNotice" && start.Name.Space == canNS:
			return parseEforms(body)
		case start.Name.Local == "TED_EXPORT" || strings.HasSuffix(start.Name.Local, "Notice"):
			return nil, fmt.Errorf("%w: root %s in %q", ErrNotAward, start.Name.Local, start.Name.Space)
		default:
			return nil, fmt.Errorf("not a TED notice: root element %s", start.Name.Local)
		}
	}
}

type paras struct {
	P []string `xml:"P"`
}

func (p paras) text() string { return strings.TrimSpace(strings.Join(p.P, " ")) }

type money struct {
	Currency string `xml:"CURRENCY,attr"`
	Amount   string `xml:",chardata"`
}

type legacyAddr struct {
	Name       string `xml:"OFFICIALNAME"`
	NationalID string `xml:"NATIONALID"`
	Country    struct {
		Value string `xml:"VALUE,attr"`
	} `xml:"COUNTRY"`
}

func (a legacyAddr) org() Org {
	cc := strings.ToUpper(a.Country.Value)
	// TED's own codes for two countries differ from ISO 3166.
	switch cc {
	case "UK":
		cc = "GB"
	case "EL":
		cc = "GR"
	}
	if !country.Valid(cc) {
		cc = ""
	}
	return Org{Name: strings.TrimSpace(a.Name), Country: cc, NationalID: strings.TrimSpace(a.NationalID)}
}

type codeAttr struct {
	Code string `xml:"CODE,attr"`
}

type legacyForm struct {
	Category string `xml:"CATEGORY,attr"`
	Body     struct {
		Addr legacyAddr `xml:"ADDRESS_CONTRACTING_BODY"`
	} `xml:"CONTRACTING_BODY"`
	Object struct {
		Title      paras      `xml:"TITLE"`
		CPV        codeAttr   `xml:"CPV_MAIN>CPV_CODE"`
		ShortDescr paras      `xml:"SHORT_DESCR"`
		Lots       []codeAttr `xml:"OBJECT_DESCR>CPV_ADDITIONAL>CPV_CODE"`
	} `xml:"OBJECT_CONTRACT"`
	Awards []struct {
		Item    string `xml:"ITEM,attr"`
		LotNo   string `xml:"LOT_NO"`
		Title   paras  `xml:"TITLE"`
		Awarded *struct {
			Date        string       `xml:"DATE_CONCLUSION_CONTRACT"`
			Contractors []legacyAddr `xml:"CONTRACTORS>CONTRACTOR>ADDRESS_CONTRACTOR"`
			Value       *money       `xml:"VALUES>VAL_TOTAL"`
		} `xml:"AWARDED_CONTRACT"`
	} `xml:"AWARD_CONTRACT"`
}

type legacyExport struct {
	DocID string `xml:"DOC_ID,attr"`
	Coded struct {
		DatePub    string     `xml:"REF_OJS>DATE_PUB"`
		NoDocOJS   string     `xml:"NOTICE_DATA>NO_DOC_OJS"`
		CPV        []codeAttr `xml:"NOTICE_DATA>ORIGINAL_CPV"`
		DocType    codeAttr   `xml:"CODIF_DATA>TD_DOCUMENT_TYPE"`
		FormNumber string     `xml:"CODIF_DATA>FORM_NUMBER"`
	} `xml:"CODED_DATA_SECTION"`
	F03 []legacyForm `xml:"FORM_SECTION>F03_2014"`
}

func parseLegacy(body []byte) (*Notice, error) {
	var x legacyExport
	if err := xml.Unmarshal(body, &x); err != nil {
		return nil, fmt.Errorf("TED_EXPORT: %w", err)
	}
	if len(x.F03) == 0 {
		return nil, fmt.Errorf("%w: TED_EXPORT without F03_2014 (document type %s)", ErrNotAward, x.Coded.DocType.Code)
	}
	form := x.F03[0]
	for _, f := range x.F03 {
		if f.Category == "ORIGINAL" {
			form = f
		}
	}
	n := &Notice{Number: x.DocID, Title: form.Object.Title.text(), Description: form.Object.ShortDescr.text(), Buyer: form.Body.Addr.org()}
	if d := x.Coded.DatePub; len(d) == 8 && records.ValidDate(d[:4]+"-"+d[4:6]+"-"+d[6:]) { // else the document is refused, ending the run
		n.Published = d[:4] + "-" + d[4:6] + "-" + d[6:]
	}
	for _, c := range append(append([]codeAttr{form.Object.CPV}, x.Coded.CPV...), form.Object.Lots...) {
		if c.Code != "" {
			n.Codes = append(n.Codes, c.Code)
		}
	}
	for _, a := range form.Awards {
		if a.Awarded == nil {
			continue // NO_AWARDED_CONTRACT: the lot was not awarded
		}
		aw := Award{Ref: "AWARD_CONTRACT ITEM=" + a.Item, Title: a.Title.text(), Date: a.Awarded.Date, Codes: n.Codes}
		for _, c := range a.Awarded.Contractors {
			aw.Contractors = append(aw.Contractors, c.org())
		}
		if v := a.Awarded.Value; v != nil {
			aw.Value, aw.Currency = strings.TrimSpace(v.Amount), strings.TrimSpace(v.Currency)
		}
		n.Awards = append(n.Awards, aw)
	}
	return n, nil
}

type amount struct {
	Currency string `xml:"currencyID,attr"`
	Value    string `xml:",chardata"`
}

type eformsOrg struct {
	ID        string `xml:"Company>PartyIdentification>ID"`
	Name      string `xml:"Company>PartyName>Name"`
	Country   string `xml:"Company>PostalAddress>Country>IdentificationCode"`
	CompanyID string `xml:"Company>PartyLegalEntity>CompanyID"`
}

type eformsProject struct {
	Name        string   `xml:"Name"`
	Description string   `xml:"Description"`
	CPV         string   `xml:"MainCommodityClassification>ItemClassificationCode"`
	MoreCPV     []string `xml:"AdditionalCommodityClassification>ItemClassificationCode"`
}

type eformsNotice struct {
	ID             string `xml:"ID"`
	IssueDate      string `xml:"IssueDate"`
	NoticeTypeCode string `xml:"NoticeTypeCode"`
	Ext            struct {
		Orgs   []eformsOrg `xml:"UBLExtension>ExtensionContent>EformsExtension>Organizations>Organization"`
		Result struct {
			LotResults []struct {
				ID        string   `xml:"ID"`
				Code      string   `xml:"TenderResultCode"`
				Tenders   []string `xml:"LotTender>ID"`
				Contracts []string `xml:"SettledContract>ID"`
				Lot       string   `xml:"TenderLot>ID"`
			} `xml:"LotResult"`
			Tenders []struct {
				ID     string  `xml:"ID"`
				Amount *amount `xml:"LegalMonetaryTotal>PayableAmount"`
				Party  string  `xml:"TenderingParty>ID"`
			} `xml:"LotTender"`
			Contracts []struct {
				ID        string `xml:"ID"`
				IssueDate string `xml:"IssueDate"`
				Title     string `xml:"Title"`
			} `xml:"SettledContract"`
			Parties []struct {
				ID        string   `xml:"ID"`
				Tenderers []string `xml:"Tenderer>ID"`
			} `xml:"TenderingParty"`
		} `xml:"UBLExtension>ExtensionContent>EformsExtension>NoticeResult"`
	} `xml:"UBLExtensions"`
	Buyers  []string      `xml:"ContractingParty>Party>PartyIdentification>ID"`
	Project eformsProject `xml:"ProcurementProject"`
	Lots    []struct {
		ID      string        `xml:"ID"`
		Project eformsProject `xml:"ProcurementProject"`
	} `xml:"ProcurementProjectLot"`
}

func parseEforms(body []byte) (*Notice, error) {
	var x eformsNotice
	if err := xml.Unmarshal(body, &x); err != nil {
		return nil, fmt.Errorf("ContractAwardNotice: %w", err)
	}
	orgs := map[string]Org{}
	for _, o := range x.Ext.Orgs {
		org := Org{Name: strings.TrimSpace(o.Name), NationalID: strings.TrimSpace(o.CompanyID)}
		if c, ok := country.ByAlpha3(o.Country); ok {
			org.Country = c.Code
		}
		orgs[strings.TrimSpace(o.ID)] = org
	}
	if len(x.Buyers) == 0 || orgs[x.Buyers[0]].Name == "" {
		return nil, errors.New("ContractAwardNotice: no contracting party among the organisations")
	}
	n := &Notice{Number: strings.TrimSpace(x.ID), Published: scrapers.Date(x.IssueDate), Title: strings.TrimSpace(x.Project.Name),
		Description: strings.TrimSpace(x.Project.Description), Buyer: orgs[x.Buyers[0]]}
	n.Codes = codesOf(x.Project)
	lots := map[string]eformsProject{}
	for _, l := range x.Lots {
		lots[l.ID] = l.Project
	}
	tenders := map[string]int{}
	for i, t := range x.Ext.Result.Tenders {
		tenders[t.ID] = i
	}
	parties := map[string][]string{}
	for _, p := range x.Ext.Result.Parties {
		parties[p.ID] = p.Tenderers
	}
	contracts := map[string]int{}
	for i, c := range x.Ext.Result.Contracts {
		contracts[c.ID] = i
	}
	for _, lr := range x.Ext.Result.LotResults {
		if lr.Code != "selec-w" {
			continue // no winner chosen, or the lot was closed
		}
		lot := lots[lr.Lot]
		aw := Award{Ref: "LotResult " + lr.ID, Title: scrapers.FirstText(lot.Name, n.Title), Codes: append(codesOf(lot), n.Codes...)}
		for _, cid := range lr.Contracts {
			if i, ok := contracts[cid]; ok {
				c := x.Ext.Result.Contracts[i]
				aw.Date = scrapers.Date(c.IssueDate)
				aw.Title = scrapers.FirstText(c.Title, aw.Title)
			}
		}
		for _, tid := range lr.Tenders {
			i, ok := tenders[tid]
			if !ok {
				continue
			}
			t := x.Ext.Result.Tenders[i]
			if t.Amount != nil {
				aw.Value, aw.Currency = strings.TrimSpace(t.Amount.Value), strings.TrimSpace(t.Amount.Currency)
			}
			for _, oid := range parties[t.Party] {
				if o, ok := orgs[oid]; ok {
					aw.Contractors = append(aw.Contractors, o)
				}
			}
		}
		n.Awards = append(n.Awards, aw)
	}
	return n, nil
}

func codesOf(p eformsProject) []string {
	var out []string
	for _, c := range append([]string{p.CPV}, p.MoreCPV...) {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

func entity(schema string, o Org) records.Entity {
	e := records.Entity{Schema: schema, Names: []string{o.Name}, Country: o.Country, Identifiers: map[string]string{}}
	if o.NationalID != "" && o.Country != "" {
		e.Identifiers["registry"] = o.Country + "-" + strings.ReplaceAll(o.NationalID, " ", "")
	}
	e.Ref = records.EntityID(e)
	return e
}

// Extract turns a notice into records when the filter keeps its awards.
func Extract(n *Notice, docID string, filter scrapers.Filter) (ents []records.Entity, claims []records.Claim, skipped int, problems []string) {
	if n.Buyer.Name == "" {
		return nil, nil, 0, []string{"no contracting body name"}
	}
	if len(n.Buyer.Name) > records.MaxNameBytes { // records refuse such a name, which would end the run
		return nil, nil, 0, []string{"the contracting body's name is over 1000 bytes"}
	}
	buyer := entity(records.SchemaPublicBody, n.Buyer)
	seen := map[string]bool{}
	add := func(e records.Entity) {
		if !seen[e.Ref] {
			seen[e.Ref] = true
			ents = append(ents, e)
		}
	}
	for _, a := range n.Awards {
		var names []string
		for _, c := range a.Contractors {
			names = append(names, c.Name)
		}
		if ok, _ := filter.Match(names, []string{a.Title, n.Title, n.Description}, a.Codes); !ok {
			skipped++
			continue
		}
		if len(a.Contractors) == 0 {
			problems = append(problems, a.Ref+": no contractor")
			continue
		}
		c := records.Claim{Relation: records.RelSupplied, Object: buyer.Ref, Status: records.StatusDocumented, Confidence: 0.9,
			Stage: "ordered", Start: scrapers.Date(a.Date), Extractor: Extractor}
		if a.Value != "" {
			v, err := strconv.ParseFloat(a.Value, 64)
			if err != nil || !(v >= 0 && v <= records.MaxValue) { // ParseFloat takes "NaN", "-1" and "1e308"; records do not
				problems = append(problems, fmt.Sprintf("%s: value %q is not an amount from 0 to %g", a.Ref, a.Value, records.MaxValue))
				continue
			}
			unit, err := currency.ParseISO(a.Currency)
			if err != nil || len(a.Currency) != 3 {
				problems = append(problems, fmt.Sprintf("%s: currency %q is not an ISO 4217 code", a.Ref, a.Currency))
				continue
			}
			c.Value, c.Currency = &v, unit.String() // ParseISO takes "eur"; records want "EUR"
		}
		ev := records.Evidence{Document: docID, Locator: a.Ref}
		if q := scrapers.FirstText(a.Title, n.Title); q != "" {
			ev.Quote = q
		} else {
			ev.Paraphrase = fmt.Sprintf("TED notice %s awards a contract to %s.", n.Number, strings.Join(names, ", "))
		}
		c.Evidence = []records.Evidence{ev}
		add(buyer)
		for _, o := range a.Contractors {
			if o.Name == "" {
				problems = append(problems, a.Ref+": a contractor without a name")
				continue
			}
			if len(o.Name) > records.MaxNameBytes { // records refuse such a name, which would end the run
				problems = append(problems, a.Ref+": a contractor's name is over 1000 bytes")
				continue
			}
			sup := entity(records.SchemaCompany, o)
			add(sup)
			cl := c
			cl.Subject = sup.Ref
			claims = append(claims, cl)
		}
	}
	return ents, claims, skipped, problems
}

// Options are the source's flags. The env's BaseURL, when set, replaces
// both BaseURL and SearchURL (a mirror serving both paths).
type Options struct {
	Notices []string // publication numbers, e.g. 123456-2019
	// URLs are notices' XML URLs; Run points them at the mirror, if any.
	URLs []string
	// Queries are expert queries for the search API, e.g.
	// `classification-cpv=35125000 AND notice-type=can-standard`.
	Queries  []string
	MaxPages int // per query; 0: 50
}

// Summary counts a run.
type Summary struct {
	SearchPages, Notices, NotAwards, Claims, Skipped int
}

type searchRequest struct {
	Query          string   `json:"query"`
	Fields         []string `json:"fields"`
	Page           int      `json:"page"`
	Limit          int      `json:"limit"`
	Scope          string   `json:"scope"`
	PaginationMode string   `json:"paginationMode"`
}

// SearchPage is one page of the search API's answer.
type SearchPage struct {
	Notices []struct {
		PublicationNumber string `json:"publication-number"`
		Links             struct {
			XML map[string]string `json:"xml"`
		} `json:"links"`
	} `json:"notices"`
	TotalNoticeCount int `json:"totalNoticeCount"`
}

// search pages through the results of one query and returns the notices'
// XML URLs. A page that repeats the one before ends it as a loop.
func search(ctx context.Context, env *scrapers.Env, opt Options, query string, sum *Summary) []string {
	c, report := env.Collector, env.Problem
	u := env.Origin(SearchURL) + "/v3/notices/search"
	const limit = 100
	var out []string
	var previous string
	for page := 1; page <= opt.MaxPages; page++ {
		body, _ := json.Marshal(searchRequest{Query: query, Fields: []string{"publication-number", "notice-type", "publication-date"},
			Page: page, Limit: limit, Scope: "ALL", PaginationMode: "PAGE_NUMBER"})
		resp, err := c.Fetch(ctx, scrapers.Request{Method: "POST", URL: u, Body: body,
			Header: map[string][]string{"Content-Type": {"application/json"}}, Accept: []string{"application/json"}})
		if err != nil {
			report("%v", err)
			return out
		}
		var sp SearchPage
		if err := json.Unmarshal(resp.Body, &sp); err != nil {
			report("%s (page %d): not a search result: %v", u, page, err)
			return out
		}
		sum.SearchPages++
		var numbers []string
		for _, n := range sp.Notices {
			if n.PublicationNumber == "" {
				report("%s (page %d): a notice without publication-number", u, page)
				continue
			}
			numbers = append(numbers, n.PublicationNumber)
			// The notice's own XML link, moved onto the mirror when
			// there is one; else TED's usual path.
			x := n.Links.XML["MUL"]
			if x == "" || env.BaseURL != "" {
				x = env.Origin(BaseURL) + "/en/notice/" + n.PublicationNumber + "/xml"
			}
			out = append(out, x)
		}
		key := strings.Join(numbers, " ")
		if page > 1 && key == previous {
			report("%s: pagination loop: page %d repeats page %d", u, page, page-1)
			return out[:len(out)-len(numbers)]
		}
		previous = key
		if len(sp.Notices) == 0 || page*limit >= sp.TotalNoticeCount {
			return out
		}
	}
	report("%s: stopped after %d pages", u, opt.MaxPages)
	return out
}

// Run reads each notice, writing its records as soon as it is read; a bad
// notice is reported with its URL and the run goes on.
func Run(ctx context.Context, env *scrapers.Env, opt Options) (Summary, error) {
	var sum Summary
	c, report := env.Collector, env.Problem
	log := env.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opt.MaxPages <= 0 {
		opt.MaxPages = 50
	}
	urls, err := env.URLs(opt.URLs)
	if err != nil {
		return sum, err
	}
	for _, id := range opt.Notices {
		urls = append(urls, env.Origin(BaseURL)+"/en/notice/"+id+"/xml")
	}
	for _, q := range opt.Queries {
		urls = append(urls, search(ctx, env, opt, q, &sum)...)
		if ctx.Err() != nil {
			return sum, ctx.Err()
		}
	}
	seen := map[string]bool{}
	for _, u := range urls {
		if seen[u] {
			continue
		}
		seen[u] = true
		resp, err := c.Fetch(ctx, scrapers.Request{URL: u, Accept: []string{"application/xml", "text/xml"}})
		if ctx.Err() != nil {
			return sum, ctx.Err()
		}
		if err != nil {
			report("%v", err)
			continue
		}
		n, err := Parse(resp.Body)
		if errors.Is(err, ErrNotAward) {
			sum.NotAwards++
			log.Info("skipped", "url", u, "reason", err)
			continue
		}
		if err != nil {
			report("%s: %v", u, err)
			continue
		}
		sum.Notices++
		doc := resp.Document(scrapers.FirstText(n.Title, "TED notice "+n.Number), "Publications Office of the European Union (TED)", n.Published)
		ents, claims, skipped, problems := Extract(n, doc.ID, env.Filter)
		for _, p := range problems {
			report("%s: %s", u, p)
		}
		if err := env.Out.Page(doc, ents, claims); err != nil {
			return sum, err
		}
		sum.Claims += len(claims)
		sum.Skipped += skipped
	}
	return sum, nil
}
