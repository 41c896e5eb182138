// Package screening reads the U.S. screening lists: the Consolidated
// Screening List of the International Trade Administration (CSV and JSON;
// the Entity List, the Denied Persons, Unverified and Military End User
// lists, OFAC's SDN and non-SDN lists, the State Department's lists) and
// OFAC's SDN list on its own (the legacy sdn.csv with alt.csv and add.csv,
// and the SDN XML). Each listing of an entity or a person becomes a
// documented DESIGNATED claim on the list's authority, with the list, the
// programmes, the start and end dates where the list gives them and the
// Federal Register notice as the quote, so "was X listed on date D?" has
// an answer; aliases are kept as names. Vessels and aircraft are counted
// and left out: the graph has no place for them.
//
// Lists run to tens of MB: they are fetched to disk (scrapers.Request
// Spool) and parsed as streams, one listing at a time. A listed name is
// never tied to an existing entity by a loose match: the entity's id comes
// from its identifiers, or else from its exact name and country, and
// resolving it further is entity resolution's work.
package screening

import (
	"cmp"
	"fmt"
	"regexp"
	"strings"

	"github.com/exportwatch/exportwatch/country"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
)

// Extractor names this code in every claim it writes.
const Extractor = "screening/1"

// Listing is one entry of a list, whatever the format it came in.
type Listing struct {
	ID       string // the list's own id: CSL _id / entity_number, SDN ent_num / uid
	Source   string // the list, as the file names it
	Type     string // Entity, Individual, Vessel, Aircraft
	Name     string
	AltNames []string
	Programs []string
	Notice   string // Federal Register notice
	Start    string
	End      string
	// LicensePolicy and LicenseRequirement are the Entity List's terms.
	LicensePolicy, LicenseRequirement string
	Countries                         []string // from the addresses, as written
	IDs                               []ID
	Remarks                           string
	SourceListURL                     string
}

// ID is an identifier a listing gives (a registration number, an LEI).
type ID struct {
	Type, Number, Country string
}

// Authority is who keeps a list: an entity id the seed shares, so the
// designations land on the same body.
type Authority struct {
	ID, Name string
}

var (
	bis   = Authority{"body/us-bis", "Bureau of Industry and Security"}
	ofac  = Authority{"body/us-ofac", "Office of Foreign Assets Control"}
	state = Authority{"body/us-state-department", "U.S. Department of State"}
)

// sourcePattern reads the CSL's "Entity List (EL) - Bureau of Industry
// and Security": the list, its abbreviation, the agency.
var sourcePattern = regexp.MustCompile(`^(.*?)\s*(?:\(([^)]*)\))?\s*-\s*(.+)$`)

// List reads a CSL source into the list's name and its authority; ok is
// false for an agency this package does not know.
func List(source string) (list string, a Authority, ok bool) {
	source = strings.TrimSpace(source)
	m := sourcePattern.FindStringSubmatch(source)
	if m == nil {
		return source, Authority{}, false
	}
	list, agency := strings.TrimSpace(m[1]), strings.ToLower(m[3])
	switch {
	case strings.Contains(agency, "industry and security"), strings.Contains(agency, "commerce"):
		return list, bis, true
	case strings.Contains(agency, "treasury"), strings.Contains(agency, "foreign assets"):
		return list, ofac, true
	case strings.Contains(agency, "state"):
		return list, state, true
	}
	return list, Authority{}, false
}

// publicBodyWords start the names of listed state bodies, which become
// PublicBody entities rather than companies.
var publicBodyWords = []string{"MINISTRY", "GOVERNMENT", "STATE SECURITY", "DIRECTORATE", "POLICE", "ARMED FORCES",
	"INTELLIGENCE", "NATIONAL SECURITY", "GENERAL STAFF", "FEDERAL SECURITY SERVICE", "ISLAMIC REVOLUTIONARY GUARD CORPS"}

func schemaOf(l Listing) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(l.Type)) {
	case "individual":
		return records.SchemaPerson, true
	case "vessel", "aircraft":
		return "", false
	}
	upper := strings.ToUpper(l.Name)
	for _, w := range publicBodyWords {
		if strings.HasPrefix(upper, w) || strings.Contains(upper, " "+w+" OF ") {
			return records.SchemaPublicBody, true
		}
	}
	return records.SchemaCompany, true
}

// personName turns "SURNAME, Forenames" into "Forenames SURNAME".
func personName(n string) string {
	last, first, ok := strings.Cut(n, ",")
	if !ok || strings.TrimSpace(first) == "" {
		return strings.TrimSpace(n)
	}
	return strings.TrimSpace(first) + " " + strings.TrimSpace(last)
}

// leiPattern is the shape of an LEI a listing may give.
var leiPattern = regexp.MustCompile(`^[A-Z0-9]{18}[0-9]{2}$`)

// Records turns a listing into its entity, its authority's entity and the
// DESIGNATED claim; ok is false for what the graph has no place for
// (vessels, aircraft, a listing without a name or of an unknown list).
func Records(l Listing, docID string) (listed, authority records.Entity, claim records.Claim, ok bool) {
	l = withoutNUL(l)
	schema, ok := schemaOf(l)
	name := strings.TrimSpace(l.Name)
	// A name over records.MaxNameBytes would fail the write and stop the list's run.
	if !ok || name == "" || len(name) > records.MaxNameBytes {
		return listed, authority, claim, false
	}
	list, auth, known := List(l.Source)
	if !known {
		return listed, authority, claim, false
	}
	if schema == records.SchemaPerson {
		name = personName(name)
	}
	listed = records.Entity{Schema: schema, Names: []string{name}, Document: docID, Identifiers: map[string]string{}}
	for _, a := range l.AltNames {
		if schema == records.SchemaPerson {
			a = personName(a)
		}
		if a = strings.TrimSpace(a); a != "" && len(a) <= records.MaxNameBytes && !scrapers.ContainsFold(listed.Names, a) {
			listed.Names = append(listed.Names, a)
		}
	}
	for _, c := range l.Countries {
		if code, ok := countryCode(c); ok {
			listed.Country = code
			break
		}
	}
	for _, id := range l.IDs {
		n := strings.ToUpper(strings.TrimSpace(id.Number))
		if strings.Contains(strings.ToLower(id.Type), "legal entity number") && leiPattern.MatchString(n) {
			listed.Identifiers["lei"] = n
		}
	}
	if len(listed.Identifiers) == 0 {
		listed.Identifiers = nil
	}
	var desc []string
	if l.Remarks != "" {
		desc = append(desc, l.Remarks)
	}
	for _, id := range l.IDs {
		if id.Number != "" {
			desc = append(desc, strings.TrimSpace(cmp.Or(id.Type, "ID")+" "+id.Number+" "+id.Country))
		}
	}
	if len(desc) > 0 {
		listed.Description = "Listing: " + strings.Join(desc, "; ")
	}
	listed.Ref = records.EntityID(listed)

	authority = records.Entity{Schema: records.SchemaPublicBody, ID: auth.ID, Ref: auth.ID, Names: []string{auth.Name},
		Country: "US", Kind: "regulator"}
	claim = records.Claim{Relation: records.RelDesignated, Subject: listed.Ref, Object: auth.ID, Status: records.StatusDocumented,
		Confidence: 0.95, List: list, Program: strings.Join(l.Programs, "; "), Start: scrapers.Date(l.Start), End: scrapers.Date(l.End), Extractor: Extractor}
	if claim.End < claim.Start {
		claim.End = "" // an end before the start is garbled, and the claim would fail validation
	}
	var terms []string
	if l.LicenseRequirement != "" {
		terms = append(terms, "licence requirement: "+l.LicenseRequirement)
	}
	if l.LicensePolicy != "" {
		terms = append(terms, "licence policy: "+l.LicensePolicy)
	}
	claim.Summary = strings.Join(terms, "; ")
	ev := records.Evidence{Document: docID, Locator: "entry " + l.ID}
	if n := strings.TrimSpace(l.Notice); n != "" {
		ev.Quote = n
	} else {
		ev.Paraphrase = fmt.Sprintf("%s lists %s (entry %s).", list, name, l.ID)
	}
	claim.Evidence = []records.Evidence{ev}
	return listed, authority, claim, true
}

// withoutNUL drops the NUL bytes a hostile list may hold: a record line
// with one is refused by the records reader.
func withoutNUL(l Listing) Listing {
	strip := func(s string) string { return strings.ReplaceAll(s, "\x00", "") }
	each := func(vs []string) []string {
		out := make([]string, len(vs))
		for i, v := range vs {
			out[i] = strip(v)
		}
		return out
	}
	for _, s := range []*string{&l.ID, &l.Source, &l.Type, &l.Name, &l.Notice, &l.Start, &l.End, &l.LicensePolicy,
		&l.LicenseRequirement, &l.Remarks, &l.SourceListURL} {
		*s = strip(*s)
	}
	l.AltNames, l.Programs, l.Countries = each(l.AltNames), each(l.Programs), each(l.Countries)
	ids := make([]ID, len(l.IDs))
	for i, id := range l.IDs {
		ids[i] = ID{Type: strip(id.Type), Number: strip(id.Number), Country: strip(id.Country)}
	}
	l.IDs = ids
	return l
}

// countryCode reads a country as the lists write it: a code or a name.
func countryCode(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) == 2 && country.Valid(strings.ToUpper(s)) {
		return strings.ToUpper(s), true
	}
	if c, ok := country.ByName(s); ok {
		return c.Code, true
	}
	return "", false
}
