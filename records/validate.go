package records

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/exportwatch/exportwatch/country"
)

var (
	partialDate = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)
	sha256Hex   = regexp.MustCompile(`^[0-9a-f]{64}$`)
	currencyRe  = regexp.MustCompile(`^[A-Z]{3}$`)
	schemeRe    = regexp.MustCompile(`^[a-z][a-z0-9_]{0,30}$`)
)

// MaxNameBytes is the longest name an entity may have: a source's longer
// "name" is text that is not a name, and every source leaves it out.
const MaxNameBytes = 1000

// ValidIdentifierScheme reports whether an identifier scheme (lei, cik,
// registry, …) is a lower-case word; the graph stores each as a property
// named after it, so it must be safe as a property key.
func ValidIdentifierScheme(s string) bool { return schemeRe.MatchString(s) }

// ValidDate reports whether s is an ISO date or a partial one ("2009",
// "2020-09", "2020-09-27") naming a real calendar day or month.
func ValidDate(s string) bool {
	if !partialDate.MatchString(s) {
		return false
	}
	layout := map[int]string{4: "2006", 7: "2006-01", 10: "2006-01-02"}[len(s)]
	_, err := time.Parse(layout, s)
	return err == nil
}

// problems collects every reason a record is invalid, so one pass over a bad
// line tells its author everything that is wrong with it.
type problems []string

func (p *problems) addf(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return errors.New(strings.Join(p, "; "))
}

func (p *problems) date(field, v string) {
	if v != "" && !ValidDate(v) {
		p.addf("%s %q is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)", field, v)
	}
}

func (p *problems) vocab(field, v string, allowed []string) {
	if v != "" && !slices.Contains(allowed, v) {
		p.addf("%s %q is not one of %s", field, v, strings.Join(allowed, ", "))
	}
}

func (p *problems) version(v int) {
	if v != Version {
		p.addf("format version v=%d, this exportwatch reads v=%d", v, Version)
	}
}

// validURL accepts an absolute http(s) URL written as RFC 3986 has it:
// ASCII, with spaces, quotes, angle brackets and the like percent-encoded
// (EscapeURL). A URL taken from a hostile page may carry `"><script>`;
// rendered as text it is harmless, but it is no address.
func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && EscapeURL(s) == s
}

// EscapeURL percent-encodes the bytes RFC 3986 never allows in a URL
// (controls, space, non-ASCII and "<>\^`{|}), leaving the rest as it is:
// a browser's address bar does the same before sending a link.
func EscapeURL(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"<>\\^`{|}", c) >= 0 {
			if b.Len() == 0 {
				b.Grow(len(s) + 8)
				b.WriteString(s[:i])
			}
			fmt.Fprintf(&b, "%%%02X", c)
		} else if b.Len() > 0 {
			b.WriteByte(c)
		}
	}
	if b.Len() == 0 {
		return s
	}
	return b.String()
}

// archiveRef is where a document's archived copy is: a WARC file (a path
// relative to the archive directory) and the record's id, as the
// collector writes them ("run.warc.gz#urn:uuid:…").
var archiveRef = regexp.MustCompile(`^(?:[A-Za-z0-9_.-]+/)*[A-Za-z0-9_.-]+\.warc(?:\.gz)?#<?urn:uuid:[0-9A-Fa-f-]{1,36}>?$`)

func validArchive(s string) bool {
	return archiveRef.MatchString(s) && !slices.Contains(strings.Split(strings.Split(s, "#")[0], "/"), "..")
}

// MaxValue bounds a claim's value: a quadrillion in any currency, above
// any contract yet signed, in the currencies with the most digits too.
const MaxValue = 1e15

// Validate checks a document on its own.
func (d Document) Validate() error {
	var p problems
	p.version(d.V)
	if d.ID != "" && !strings.HasPrefix(d.ID, "doc:") {
		p.addf("id %q must start with doc:", d.ID)
	}
	if d.URL == "" {
		p.addf("url is required")
	} else if !validURL(d.URL) {
		p.addf("url %q is not an absolute http(s) URL with unsafe characters percent-encoded", d.URL)
	}
	p.date("published", d.Published)
	if d.Retrieved != "" {
		if _, err := time.Parse(time.RFC3339, d.Retrieved); err != nil && !ValidDate(d.Retrieved) {
			p.addf("retrieved %q is neither RFC 3339 nor an ISO date", d.Retrieved)
		}
	}
	if d.Archive != "" && !validArchive(d.Archive) {
		p.addf("archive %q is not a WARC file and record (FILE.warc.gz#urn:uuid:…)", d.Archive)
	}
	if d.SHA256 != "" && !sha256Hex.MatchString(d.SHA256) {
		p.addf("sha256 %q is not 64 lowercase hex digits", d.SHA256)
	}
	switch d.Origin {
	case OriginFetched:
		if d.Retrieved == "" || d.SHA256 == "" || d.Archive == "" {
			p.addf("a fetched document needs retrieved, sha256 and archive")
		}
	case OriginImported:
		if d.Retrieved == "" || d.SHA256 == "" {
			p.addf("an imported document needs retrieved and sha256")
		}
	case OriginCurated:
	case "":
		p.addf("origin is required (fetched, curated or imported)")
	default:
		p.addf("origin %q is not one of fetched, curated, imported", d.Origin)
	}
	return p.err()
}

// Validate checks an entity on its own.
func (e Entity) Validate() error {
	var p problems
	p.version(e.V)
	p.vocab("schema", e.Schema, Schemas)
	if e.Schema == "" {
		p.addf("schema is required")
	}
	if len(e.Names) == 0 {
		p.addf("names needs at least one name")
	}
	for i, n := range e.Names {
		if strings.TrimSpace(n) == "" {
			p.addf("names[%d] is empty", i)
		} else if len(n) > MaxNameBytes {
			p.addf("names[%d] is %d bytes long, over %d", i, len(n), MaxNameBytes)
		}
	}
	if e.Country != "" && !country.Valid(e.Country) {
		p.addf("country %q is not an ISO 3166-1 alpha-2 code", e.Country)
	}
	if e.Schema == SchemaCountry && e.Country == "" {
		p.addf("a Country needs its code in country")
	}
	switch e.Schema {
	case SchemaPublicBody:
		p.vocab("kind", e.Kind, PublicBodyKinds)
	case SchemaIncident:
		p.vocab("kind", e.Kind, IncidentKinds)
	default:
		if e.Kind != "" {
			p.addf("kind is only for PublicBody and Incident")
		}
	}
	for _, c := range e.Capabilities {
		p.vocab("capability", c, Capabilities)
	}
	if len(e.Capabilities) > 0 && e.Schema != SchemaProduct && e.Schema != SchemaCompany {
		p.addf("capabilities are only for Product and Company")
	}
	for _, k := range slices.Sorted(maps.Keys(e.Identifiers)) { // sorted: the same entity always gets the same error
		v := e.Identifiers[k]
		if !ValidIdentifierScheme(k) {
			p.addf("identifier scheme %q is not a lower-case word (lei, cik, registry, …)", k)
		}
		if strings.TrimSpace(v) == "" {
			p.addf("identifier %s has an empty value", k)
		}
	}
	p.date("start", e.Start)
	p.date("end", e.End)
	if e.Start != "" && e.End != "" && e.End < e.Start {
		p.addf("end %s is before start %s", e.End, e.Start)
	}
	if e.Document != "" && !strings.HasPrefix(e.Document, "doc:") {
		p.addf("document %q must be a document id (doc:…)", e.Document)
	}
	return p.err()
}

// uncertainFields are the claim fields a source may give only approximately,
// as SIPRI brackets uncertain figures.
var uncertainFields = []string{"start", "end", "stage", "product", "quantity", "value", "currency", "object", "subject", "share"}

// Validate checks a claim on its own; whether its refs and documents exist
// is the loader's business.
func (c Claim) Validate() error {
	var p problems
	p.version(c.V)
	if c.Relation == "" {
		p.addf("relation is required")
	}
	p.vocab("relation", c.Relation, Relations)
	if strings.TrimSpace(c.Subject) == "" {
		p.addf("subject is required")
	}
	if strings.TrimSpace(c.Object) == "" {
		p.addf("object is required")
	}
	if c.Subject != "" && c.Subject == c.Object {
		p.addf("subject and object are the same (%s)", c.Subject)
	}
	p.vocab("stance", c.Stance, Stances)
	if c.Status == "" {
		p.addf("status is required")
	}
	p.vocab("status", c.Status, Statuses)
	if math.IsNaN(c.Confidence) || c.Confidence < 0 || c.Confidence > 1 {
		p.addf("confidence %v is not in [0,1]", c.Confidence)
	}
	p.date("start", c.Start)
	p.date("end", c.End)
	if c.Start != "" && c.End != "" && c.End < c.Start {
		p.addf("end %s is before start %s", c.End, c.Start)
	}
	p.vocab("stage", c.Stage, Stages)
	if c.Stage != "" && c.Relation != RelSupplied {
		p.addf("stage is only for SUPPLIED")
	}
	if c.Value != nil {
		if math.IsNaN(*c.Value) || math.IsInf(*c.Value, 0) || *c.Value < 0 || *c.Value > MaxValue {
			p.addf("value %v must be a number from 0 to %g", *c.Value, MaxValue)
		}
		if c.Currency == "" {
			p.addf("a value needs its currency")
		}
	}
	if c.Currency != "" && !currencyRe.MatchString(c.Currency) {
		p.addf("currency %q is not an ISO 4217 code", c.Currency)
	}
	for _, f := range c.Uncertain {
		p.vocab("uncertain", f, uncertainFields)
	}
	if len(c.Evidence) == 0 {
		p.addf("evidence needs at least one document")
	}
	for i, ev := range c.Evidence {
		if !strings.HasPrefix(ev.Document, "doc:") {
			p.addf("evidence[%d].document %q must be a document id (doc:…)", i, ev.Document)
		}
		if strings.TrimSpace(ev.Quote) == "" && strings.TrimSpace(ev.Paraphrase) == "" {
			p.addf("evidence[%d] needs a quote or, where the source cannot be quoted, a paraphrase", i)
		}
	}
	if c.Extractor == "" {
		p.addf("extractor is required")
	}
	return p.err()
}

// DateSpan gives the first and last day a partial date can mean: "2024" is
// 2024-01-01 to 2024-12-31, "2024-02" is 2024-02-01 to 2024-02-31 (a last
// day that only ever serves in comparisons), a full date is itself.
func DateSpan(s string) (first, last string) {
	switch len(s) {
	case 4:
		return s + "-01-01", s + "-12-31"
	case 7:
		return s + "-01", s + "-31"
	default:
		return s, s
	}
}

// DateBefore reports whether date a is before date b to the precision both
// have: "2021-10" is not before "2021-10-25", nor "2021" before "2021-03".
func DateBefore(a, b string) bool {
	n := min(len(a), len(b))
	return a[:n] < b[:n]
}

// InForce reports whether something that started at start and ended at end
// (either possibly partial or empty) was in force on day: from the first
// day start can mean to the last day end can mean. A listing without a
// start is taken to be in force, since the source said it was made.
func InForce(start, end, day string) bool {
	first, lastOfDay := DateSpan(day)
	if start != "" {
		if s, _ := DateSpan(start); s > lastOfDay {
			return false
		}
	}
	if end != "" {
		if _, e := DateSpan(end); e < first {
			return false
		}
	}
	return true
}
