package scrapers

import (
	"fmt"
	"slices"
	"strings"

	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/seed"
)

// Filter decides which awards are about surveillance technology: a vendor
// of the seed among the parties, a keyword in a title or description, or a
// classification code (CPV, PSC, NAICS) under one of Codes. The rest are
// skipped and counted, unless All is set.
type Filter struct {
	All      bool
	Vendors  []string // lower case
	Keywords []string // lower case
	Codes    []string // prefixes, e.g. CPV "35125" (surveillance systems)
}

// DefaultKeywords and DefaultCodes are the filter's starting point. The
// keywords name the capabilities the project tracks as buyers describe
// them; the codes are CPV headings whose every item is surveillance
// equipment or software. Broader headings (networks, IT services) would
// bring in every router and help desk, so they are left to --all and a
// reader's judgement.
var (
	DefaultKeywords = []string{"deep packet inspection", "dpi system", "lawful interception", "lawful intercept", "spyware",
		"forensic extraction", "mobile forensic", "interception system", "network probe", "traffic analysis system",
		"surveillance system", "imsi catcher", "data retention system", "monitoring centre", "monitoring center"}
	DefaultCodes = []string{
		"35125",    // CPV 35125000: Surveillance system
		"35720000", // CPV 35720000: Intelligence, surveillance, target acquisition and reconnaissance
		"48730000", // CPV 48730000: Security software package
	}
)

// DefaultFilter uses the names of the seed's vendors: companies with a
// capability or that the seed says supplied or offered something.
func DefaultFilter() (Filter, error) {
	set, err := seed.Records()
	if err != nil {
		return Filter{}, fmt.Errorf("filter: %w", err)
	}
	names := map[string][]string{}
	vendors := map[string]bool{}
	for _, e := range set.Entities {
		if e.Schema == records.SchemaCompany {
			id := records.EntityID(e)
			names[id] = e.Names
			if len(e.Capabilities) > 0 {
				vendors[id] = true
			}
		}
	}
	for _, c := range set.Claims {
		if c.Relation == records.RelSupplied || c.Relation == records.RelOffers {
			vendors[c.Subject] = true
		}
	}
	f := Filter{Keywords: DefaultKeywords, Codes: DefaultCodes}
	for id := range vendors {
		for _, n := range names[id] {
			f.Vendors = append(f.Vendors, strings.ToLower(n))
		}
	}
	slices.Sort(f.Vendors)
	return f, nil
}

// Match says whether an award is relevant and why: texts are its parties'
// names, titles and descriptions; codes its classification codes.
func (f Filter) Match(names, texts, codes []string) (bool, string) {
	if f.All {
		return true, "all"
	}
	for _, n := range names {
		ln := strings.ToLower(n)
		for _, v := range f.Vendors {
			if ln == v || strings.HasPrefix(ln, v+" ") {
				return true, "vendor " + v
			}
		}
	}
	for _, t := range texts {
		lt := strings.ToLower(t) + " "
		for _, k := range f.Keywords {
			if strings.Contains(lt, k) {
				return true, "keyword " + strings.TrimSpace(k)
			}
		}
	}
	for _, c := range codes {
		for _, p := range f.Codes {
			if strings.HasPrefix(c, p) {
				return true, "code " + c
			}
		}
	}
	return false, ""
}
