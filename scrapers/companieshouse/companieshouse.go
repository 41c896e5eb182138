// Package companieshouse reads UK companies, their officers and their
// persons with significant control (PSCs) from the Companies House public
// data API: /company/{number} (name, status, incorporation, previous
// names), /company/{number}/officers (OFFICER_OF with role, appointed and
// resigned dates) and /company/{number}/persons-with-significant-control
// (a corporate PSC OWNS the company with its control band, e.g. 75–100%;
// an individual PSC is a Person with a name and the band, nothing more:
// no birth date, no address). All claims are documented, each cited to
// the API response it came from.
//
// The API wants an API key as the HTTP Basic user name and allows 600
// requests per five minutes; a 429 carries X-Ratelimit-Reset, which the
// collector waits for. The key goes out with each request and never into
// the archive or a log.
package companieshouse

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/exportwatch/exportwatch/country"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
)

// Extractor names this code in every claim it writes.
const Extractor = "companieshouse/1"

// BaseURL is the real API's host.
const BaseURL = "https://api.company-information.service.gov.uk"

// Register is GLEIF's code for Companies House (England and Wales,
// Scotland, Northern Ireland): a company's registry identifier is
// "RA000585/{number}", the same as GLEIF gives, so the two can be matched.
const Register = "RA000585"

// RatePerSecond keeps a run under the API's 600 requests per 5 minutes.
const RatePerSecond = 2.0

// numberPattern is a company number: eight characters, digits or a
// two-letter prefix (SC, NI, OC, …) and six digits.
var numberPattern = regexp.MustCompile(`^([0-9]{8}|[A-Z]{2}[0-9]{6})$`)

// Number normalises a company number ("1234567" is 01234567).
func Number(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) < 8 && s != "" && strings.Trim(s, "0123456789") == "" {
		s = strings.Repeat("0", 8-len(s)) + s
	}
	return s, numberPattern.MatchString(s)
}

// Address is a registered office or correspondence address.
type Address struct {
	AddressLine1 string `json:"address_line_1"`
	Locality     string `json:"locality"`
	PostalCode   string `json:"postal_code"`
	Country      string `json:"country"`
}

// Profile is the part of /company/{number} this source reads.
type Profile struct {
	CompanyName          string  `json:"company_name"`
	CompanyNumber        string  `json:"company_number"`
	CompanyStatus        string  `json:"company_status"`
	Type                 string  `json:"type"`
	DateOfCreation       string  `json:"date_of_creation"`
	DateOfCessation      string  `json:"date_of_cessation"`
	Jurisdiction         string  `json:"jurisdiction"`
	RegisteredOffice     Address `json:"registered_office_address"`
	PreviousCompanyNames []struct {
		Name          string `json:"name"`
		EffectiveFrom string `json:"effective_from"`
		CeasedOn      string `json:"ceased_on"`
	} `json:"previous_company_names"`
	SICCodes []string `json:"sic_codes"`
}

// Officer is one item of an officer list. Date of birth, nationality and
// addresses are in the response; this source does not read them.
type Officer struct {
	Name           string `json:"name"`
	OfficerRole    string `json:"officer_role"`
	AppointedOn    string `json:"appointed_on"`
	ResignedOn     string `json:"resigned_on"`
	Identification *struct {
		RegistrationNumber string `json:"registration_number"`
		PlaceRegistered    string `json:"place_registered"`
		LegalAuthority     string `json:"legal_authority"`
	} `json:"identification"`
	Links struct {
		Officer struct {
			Appointments string `json:"appointments"`
		} `json:"officer"`
	} `json:"links"`
}

// PSC is one item of a list of persons with significant control.
type PSC struct {
	Kind             string   `json:"kind"`
	Name             string   `json:"name"`
	NaturesOfControl []string `json:"natures_of_control"`
	NotifiedOn       string   `json:"notified_on"`
	CeasedOn         string   `json:"ceased_on"`
	Identification   *struct {
		LegalAuthority     string `json:"legal_authority"`
		LegalForm          string `json:"legal_form"`
		PlaceRegistered    string `json:"place_registered"`
		RegistrationNumber string `json:"registration_number"`
		CountryRegistered  string `json:"country_registered"`
	} `json:"identification"`
}

// List is a page of officers or PSCs.
type List[T any] struct {
	Items        []T    `json:"items"`
	ItemsPerPage int    `json:"items_per_page"`
	StartIndex   int    `json:"start_index"`
	TotalResults int    `json:"total_results"`
	Kind         string `json:"kind"`
}

// ParseProfile reads a company profile, refusing one without a number or
// a name.
func ParseProfile(body []byte) (*Profile, error) {
	var p Profile
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, fmt.Errorf("not a company profile: %w", err)
	}
	if strings.TrimSpace(p.CompanyNumber) == "" || strings.TrimSpace(p.CompanyName) == "" {
		return nil, errors.New("company profile without company_number or company_name")
	}
	if len(strings.TrimSpace(p.CompanyName)) > records.MaxNameBytes { // records refuse such a name, which would end the run
		return nil, errors.New("company profile with a company_name over 1000 bytes")
	}
	return &p, nil
}

// parseList reads a page of a list, checking its kind.
func parseList[T any](body []byte, kind string) (*List[T], error) {
	var l List[T]
	if err := json.Unmarshal(body, &l); err != nil {
		return nil, fmt.Errorf("not a %s: %w", kind, err)
	}
	if l.Kind != "" && l.Kind != kind {
		return nil, fmt.Errorf("a %s, not a %s", l.Kind, kind)
	}
	return &l, nil
}

// Company is the entity of a profile: the current name first, the
// previous ones as aliases, and the register number as identifier.
func Company(p *Profile, docID string) records.Entity {
	e := records.Entity{Schema: records.SchemaCompany, Names: []string{strings.TrimSpace(p.CompanyName)}, Country: "GB",
		Identifiers: map[string]string{"registry": Register + "/" + strings.TrimSpace(p.CompanyNumber)}, Document: docID,
		Start: scrapers.Date(p.DateOfCreation), End: scrapers.Date(p.DateOfCessation)}
	var previous []string
	for _, n := range p.PreviousCompanyNames {
		if name := strings.TrimSpace(n.Name); name != "" && len(name) <= records.MaxNameBytes && !slices.Contains(e.Names, name) { // records refuse longer names
			e.Names = append(e.Names, name)
			previous = append(previous, fmt.Sprintf("%s (%s to %s)", name, cmp.Or(scrapers.Date(n.EffectiveFrom), "?"), cmp.Or(scrapers.Date(n.CeasedOn), "?")))
		}
	}
	desc := []string{"Companies House: company " + p.CompanyNumber}
	if p.Type != "" {
		desc = append(desc, "type "+p.Type)
	}
	if p.CompanyStatus != "" {
		desc = append(desc, "status "+p.CompanyStatus)
	}
	if p.Jurisdiction != "" {
		desc = append(desc, "jurisdiction "+p.Jurisdiction)
	}
	if len(previous) > 0 {
		desc = append(desc, "previously "+strings.Join(previous, ", "))
	}
	e.Description = strings.Join(desc, "; ") + "."
	if e.End != "" && e.End < e.Start {
		e.End = "" // ceased before it was created: records refuse it, and the company must be written
	}
	e.Ref = records.EntityID(e)
	return e
}

// unwritable says whether records would refuse an item's entity or claim
// (a name over 1000 bytes, an end before the start): writing it would end
// the run, so the item is skipped instead.
func unwritable(names []string, start, end string) bool {
	start, end = scrapers.Date(start), scrapers.Date(end)
	return slices.ContainsFunc(names, func(n string) bool { return len(n) > records.MaxNameBytes }) || start != "" && end != "" && end < start
}

// controlBands maps the ownership natures of control to a share band.
var controlBands = []struct{ part, band string }{
	{"25-to-50-percent", "25–50%"}, {"50-to-75-percent", "50–75%"}, {"75-to-100-percent", "75–100%"},
	{"more-than-25-percent", "more than 25%"},
}

// Band is the control band of a PSC: its share of shares or, without
// one, of voting rights; else its other natures of control as written.
func Band(natures []string) string {
	for _, prefix := range []string{"ownership-of-shares-", "voting-rights-"} {
		for _, n := range natures {
			if rest, ok := strings.CutPrefix(n, prefix); ok {
				for _, b := range controlBands {
					if strings.Contains(rest, b.part) { // "-as-trust", "-as-firm", "-registered-overseas-entity" follow
						if prefix == "voting-rights-" {
							return b.band + " of voting rights"
						}
						return b.band
					}
				}
			}
		}
	}
	return strings.Join(natures, ", ")
}

// isOwnership says whether a PSC's natures include shares or votes, which
// make it an owner; a right to appoint directors alone does not.
func isOwnership(natures []string) bool {
	return slices.ContainsFunc(natures, func(n string) bool {
		return strings.HasPrefix(n, "ownership-of-shares-") || strings.HasPrefix(n, "voting-rights-")
	})
}

// pscSchemas are the PSC kinds this source reads and what each becomes.
var pscSchemas = map[string]string{
	"individual-person-with-significant-control":       records.SchemaPerson,
	"corporate-entity-person-with-significant-control": records.SchemaCompany,
	"legal-person-with-significant-control":            records.SchemaCompany,
}

// PSCClaim turns one PSC into its entity and OWNS claim; ok is false for a
// kind this source does not read (a super-secure PSC, whose details are
// protected, and the statements that no PSC exists).
func PSCClaim(p PSC, company records.Entity, docID string) (records.Entity, records.Claim, bool) {
	schema, ok := pscSchemas[p.Kind]
	if !ok || strings.TrimSpace(p.Name) == "" {
		return records.Entity{}, records.Claim{}, false
	}
	e := records.Entity{Schema: schema, Names: []string{strings.TrimSpace(p.Name)}, Document: docID}
	if id := p.Identification; id != nil && schema == records.SchemaCompany {
		if c, ok := country.ByName(cmp.Or(id.CountryRegistered, id.PlaceRegistered)); ok {
			e.Country = c.Code
		}
		if id.RegistrationNumber != "" {
			place := cmp.Or(id.PlaceRegistered, id.CountryRegistered, "unknown register")
			if e.Country == "GB" && strings.Contains(strings.ToLower(place), "companies house") {
				if n, ok := Number(id.RegistrationNumber); ok {
					e.Identifiers = map[string]string{"registry": Register + "/" + n}
				}
			}
			if e.Identifiers == nil {
				e.Description = fmt.Sprintf("Registered as %s (%s).", id.RegistrationNumber, place)
			}
		}
	}
	if unwritable(e.Names, p.NotifiedOn, p.CeasedOn) {
		return records.Entity{}, records.Claim{}, false
	}
	e.Ref = records.EntityID(e)
	if e.Ref == company.Ref {
		return records.Entity{}, records.Claim{}, false // the company as its own PSC: records refuse a claim on itself
	}
	band := Band(p.NaturesOfControl)
	rel := records.RelOwns
	if !isOwnership(p.NaturesOfControl) {
		// Control without shares or votes (appointing the board, or
		// significant influence) is not ownership; it is stated as what
		// it is, an officer-like control, with its nature as the role.
		rel = records.RelOfficerOf
	}
	c := records.Claim{Relation: rel, Subject: e.Ref, Object: company.Ref, Status: records.StatusDocumented, Confidence: 0.95,
		Start: scrapers.Date(p.NotifiedOn), End: scrapers.Date(p.CeasedOn), Extractor: Extractor,
		Evidence: []records.Evidence{{Document: docID, Locator: "persons with significant control: " + p.Name,
			Paraphrase: fmt.Sprintf("Companies House lists %s as a person with significant control of %s (%s), notified on %s%s.",
				p.Name, company.Names[0], strings.Join(p.NaturesOfControl, ", "), cmp.Or(scrapers.Date(p.NotifiedOn), "an unknown date"),
				cmp.Or(ceased(p.CeasedOn), ""))}}}
	if rel == records.RelOwns {
		c.Share = band
	} else {
		c.Role = "person with significant control: " + band
	}
	return e, c, true
}

func ceased(d string) string {
	if d = scrapers.Date(d); d != "" {
		return ", ceased on " + d
	}
	return ""
}

// corporateRoles are the officer roles a company, not a person, holds.
var corporateRoles = []string{"corporate-director", "corporate-secretary", "corporate-llp-member", "corporate-llp-designated-member",
	"corporate-nominee-director", "corporate-nominee-secretary", "corporate-managing-officer"}

// OfficerClaim turns one officer into a Person (or, for a corporate
// officer, a Company) with a name only, and its OFFICER_OF claim.
func OfficerClaim(o Officer, company records.Entity, docID string) (records.Entity, records.Claim, bool) {
	name := strings.TrimSpace(o.Name)
	if name == "" || o.OfficerRole == "" {
		return records.Entity{}, records.Claim{}, false
	}
	schema := records.SchemaPerson
	if slices.Contains(corporateRoles, o.OfficerRole) {
		schema = records.SchemaCompany
	}
	e := records.Entity{Schema: schema, Names: []string{displayName(name, schema)}, Document: docID}
	if schema == records.SchemaPerson && e.Names[0] != name {
		e.Names = append(e.Names, name) // "SMITH, John" as filed
	}
	if unwritable(e.Names, o.AppointedOn, o.ResignedOn) {
		return records.Entity{}, records.Claim{}, false
	}
	e.Ref = records.EntityID(e)
	role := strings.ReplaceAll(o.OfficerRole, "-", " ")
	c := records.Claim{Relation: records.RelOfficerOf, Subject: e.Ref, Object: company.Ref, Status: records.StatusDocumented,
		Confidence: 0.95, Role: role, Start: scrapers.Date(o.AppointedOn), End: scrapers.Date(o.ResignedOn), Extractor: Extractor,
		Evidence: []records.Evidence{{Document: docID, Locator: "officers: " + name,
			Paraphrase: fmt.Sprintf("Companies House lists %s as %s of %s, appointed on %s%s.", name, role, company.Names[0],
				cmp.Or(scrapers.Date(o.AppointedOn), "an unknown date"), resigned(o.ResignedOn))}}}
	return e, c, true
}

func resigned(d string) string {
	if d = scrapers.Date(d); d != "" {
		return ", resigned on " + d
	}
	return ""
}

// displayName turns the register's "SURNAME, Forenames" into
// "Forenames Surname" for a person; companies keep their names.
func displayName(name, schema string) string {
	surname, forenames, ok := strings.Cut(name, ",")
	s := strings.TrimSpace(surname)
	if schema != records.SchemaPerson || !ok || strings.TrimSpace(forenames) == "" || s == "" { // no surname (", John"): as filed
		return name
	}
	if s == strings.ToUpper(s) {
		_, size := utf8.DecodeRuneInString(s) // the whole first letter: s[:1] would split "É" into invalid UTF-8
		s = s[:size] + strings.ToLower(s[size:])
	}
	return strings.TrimSpace(forenames) + " " + s
}

// Options are the source's flags and its key.
type Options struct {
	// APIKey is EXPORTWATCH_COMPANIES_HOUSE_KEY.
	APIKey    string
	Companies []string // company numbers
	// MaxItems bounds the officers and PSCs read per company; 0: 500.
	MaxItems int
}

// Summary counts a run.
type Summary struct {
	Companies, Officers, PSCs, Skipped, Claims int
}

// ErrKeyRefused ends a run whose API key the API refuses (HTTP 401): no
// later request would fare better.
var ErrKeyRefused = errors.New("the API key was refused (HTTP 401): check EXPORTWATCH_COMPANIES_HOUSE_KEY")

// ErrNoKey is returned when no API key is configured.
var ErrNoKey = errors.New("no Companies House API key: set EXPORTWATCH_COMPANIES_HOUSE_KEY (developer.company-information.service.gov.uk)")

// Run reads each company with its officers and PSCs, writing each page's
// records as soon as it is read. A company that cannot be read is
// reported and skipped. With a mirror (env.BaseURL) every request goes to
// it.
func Run(ctx context.Context, env *scrapers.Env, opt Options) (Summary, error) {
	var sum Summary
	if opt.APIKey == "" {
		return sum, ErrNoKey
	}
	c, out, report := env.Collector, env.Out, env.Problem
	base := env.Origin(BaseURL)
	auth := http.Header{"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte(opt.APIKey+":"))}}
	get := func(u string) (*scrapers.Response, error) {
		resp, err := c.Fetch(ctx, scrapers.Request{URL: u, Header: auth, Accept: []string{"application/json"}})
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var fe *scrapers.FetchError
		if errors.As(err, &fe) && fe.Status == http.StatusUnauthorized {
			return nil, fmt.Errorf("%s: %w", u, ErrKeyRefused)
		}
		return resp, err
	}
	max := cmp.Or(opt.MaxItems, 500)
	for _, raw := range opt.Companies {
		number, ok := Number(raw)
		if !ok {
			report("company number %q is not one (eight digits, or two letters and six digits)", raw)
			continue
		}
		u := base + "/company/" + url.PathEscape(number)
		resp, err := get(u)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, ErrKeyRefused) {
				return sum, err
			}
			report("%v", err)
			continue
		}
		p, err := ParseProfile(resp.Body)
		if err != nil {
			report("%s: %v", u, err)
			continue
		}
		sum.Companies++
		doc := resp.Document("Companies House: "+p.CompanyName+" ("+p.CompanyNumber+")", "Companies House", "")
		company := Company(p, doc.ID)
		if err := out.Document(doc); err != nil {
			return sum, err
		}
		if err := out.Entity(company); err != nil {
			return sum, err
		}
		if err := out.Flush(); err != nil {
			return sum, err
		}
		err = eachPage(get, u+"/officers", "officer-list", max, report, func(resp *scrapers.Response, items []Officer) error {
			doc := resp.Document("Companies House: officers of "+p.CompanyName+" ("+p.CompanyNumber+")", "Companies House", "")
			return writeItems(out, doc, items, company, OfficerClaim, &sum, &sum.Officers)
		})
		if err != nil {
			return sum, err
		}
		err = eachPage(get, u+"/persons-with-significant-control", "persons-with-significant-control#list", max, report,
			func(resp *scrapers.Response, items []PSC) error {
				doc := resp.Document("Companies House: persons with significant control of "+p.CompanyName+" ("+p.CompanyNumber+")", "Companies House", "")
				return writeItems(out, doc, items, company, PSCClaim, &sum, &sum.PSCs)
			})
		if err != nil {
			return sum, err
		}
	}
	return sum, nil
}

// writeItems writes the entities and claims of one page of a list,
// counting what it wrote in counted and what it could not read as skipped.
func writeItems[T any](out *scrapers.Output, doc records.Document, items []T, company records.Entity,
	convert func(T, records.Entity, string) (records.Entity, records.Claim, bool), sum *Summary, counted *int) error {
	var ents []records.Entity
	var claims []records.Claim
	for _, it := range items {
		e, cl, ok := convert(it, company, doc.ID)
		if !ok {
			sum.Skipped++
			continue
		}
		*counted++
		ents, claims = append(ents, e), append(claims, cl)
	}
	sum.Claims += len(claims)
	return out.Page(doc, ents, claims)
}

// eachPage reads a list page by page (start_index, items_per_page) up to
// max items, handing each page to fn. A 404 is an empty list: Companies
// House answers so for a company with no PSC register, for one.
func eachPage[T any](get func(string) (*scrapers.Response, error), u, kind string, max int, report func(string, ...any),
	fn func(*scrapers.Response, []T) error) error {
	const perPage = 100
	for start := 0; start < max; {
		pu := u + "?" + url.Values{"items_per_page": {strconv.Itoa(perPage)}, "start_index": {strconv.Itoa(start)}}.Encode()
		resp, err := get(pu)
		var fe *scrapers.FetchError
		switch {
		case errors.As(err, &fe) && fe.Status == http.StatusNotFound:
			return nil
		case err != nil:
			if errors.Is(err, ErrKeyRefused) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return err
			}
			report("%v", err)
			return nil
		}
		l, err := parseList[T](resp.Body, kind)
		if err != nil {
			report("%s: %v", pu, err)
			return nil
		}
		if err := fn(resp, l.Items); err != nil {
			return err
		}
		start += len(l.Items)
		if len(l.Items) == 0 || start >= l.TotalResults {
			return nil
		}
	}
	report("%s: more than %d items; the rest were not read", u, max)
	return nil
}
