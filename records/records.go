// Package records is the contract between scraping and loading: JSON Lines
// files of documents, entities and claims (docs/model.md). A record
// file can be loaded, diffed, audited and shared without the scraper that
// made it, so everything a loader needs is on the line itself, and every line
// is validated before anything is written.
package records

// Version is the record format version written into every line. Readers
// accept lines of this version and refuse newer ones with a clear error.
const Version = 1

// Record types, the "type" field of a line.
const (
	TypeDocument = "document"
	TypeEntity   = "entity"
	TypeClaim    = "claim"
)

// Entity schemas: the one type label of each graph entity.
const (
	SchemaCompany    = "Company"
	SchemaPublicBody = "PublicBody"
	SchemaPerson     = "Person"
	SchemaProduct    = "Product"
	SchemaCountry    = "Country"
	SchemaIncident   = "Incident"
)

// Schemas lists every entity schema.
var Schemas = []string{SchemaCompany, SchemaPublicBody, SchemaPerson, SchemaProduct, SchemaCountry, SchemaIncident}

// Relations between entities. Each is both a claim's relation and the type of
// the direct relationship the writer keeps in step with the claims.
const (
	RelSupplied     = "SUPPLIED"
	RelOffers       = "OFFERS"
	RelOwns         = "OWNS"
	RelSubsidiaryOf = "SUBSIDIARY_OF"
	RelOfficerOf    = "OFFICER_OF"
	RelLocatedIn    = "LOCATED_IN"
	RelPartOf       = "PART_OF"
	RelDesignated   = "DESIGNATED"
	RelInvolvedIn   = "INVOLVED_IN"
	RelOccurredIn   = "OCCURRED_IN"
	RelRenamedTo    = "RENAMED_TO"
	RelAcquiredBy   = "ACQUIRED_BY"
)

// Relations lists every relation. graph/ uses it as the allowlist for
// relationship types, which Cypher cannot take as parameters.
var Relations = []string{RelSupplied, RelOffers, RelOwns, RelSubsidiaryOf, RelOfficerOf, RelLocatedIn,
	RelPartOf, RelDesignated, RelInvolvedIn, RelOccurredIn, RelRenamedTo, RelAcquiredBy}

// Claim statuses, weakest first. Rank orders the assertive ones; disputed and
// retracted are states an editor puts a claim in, not strengths.
const (
	StatusReported   = "reported"
	StatusDocumented = "documented"
	StatusConfirmed  = "confirmed"
	StatusDisputed   = "disputed"
	StatusRetracted  = "retracted"
)

// Statuses lists every status.
var Statuses = []string{StatusReported, StatusDocumented, StatusConfirmed, StatusDisputed, StatusRetracted}

// StatusRank orders statuses for "strongest status" on an edge: a retracted
// claim counts for nothing, a disputed one for less than a report.
func StatusRank(s string) int {
	switch s {
	case StatusConfirmed:
		return 4
	case StatusDocumented:
		return 3
	case StatusReported:
		return 2
	case StatusDisputed:
		return 1
	default:
		return 0
	}
}

// Stances.
const (
	StanceAsserts = "asserts"
	StanceDenies  = "denies"
)

// Stances lists every stance.
var Stances = []string{StanceAsserts, StanceDenies}

// Stages of a transfer, in the order a deal moves through them.
var Stages = []string{"offered", "ordered", "delivered", "in_use", "ended"}

// Capabilities is the fixed vocabulary of what surveillance products do.
var Capabilities = []string{"dpi", "spyware", "lawful_intercept", "censorship_filtering", "mass_monitoring",
	"imsi_catcher", "mobile_forensics", "facial_recognition", "social_media_monitoring", "data_retention"}

// PublicBodyKinds is the vocabulary of PublicBody.kind.
var PublicBodyKinds = []string{"government", "ministry", "police", "intelligence", "military", "regulator",
	"state_enterprise", "legislature", "judiciary", "agency"}

// IncidentKinds is the vocabulary of Incident.kind.
var IncidentKinds = []string{"shutdown", "throttling", "blocking", "spyware_targeting", "traffic_injection", "surveillance"}

// Document origins: a fetched document was retrieved and archived by a
// scraper and so must carry its hash and archive; a curated one was read by
// an editor in a stored copy (the seed) and carries what the editor saw; an
// imported one is a dataset file loaded whole (exportwatch import), with
// the time it was imported and the file's hash, the file being the copy.
const (
	OriginFetched  = "fetched"
	OriginCurated  = "curated"
	OriginImported = "imported"
)

// Document is a source: a page, a PDF, an API response, a registry extract.
type Document struct {
	Type      string `json:"type"`
	V         int    `json:"v"`
	ID        string `json:"id"`
	URL       string `json:"url"`
	Title     string `json:"title,omitempty"`
	Publisher string `json:"publisher,omitempty"`
	Published string `json:"published,omitempty"`
	Retrieved string `json:"retrieved,omitempty"`
	SHA256    string `json:"sha256,omitempty"`
	Archive   string `json:"archive,omitempty"`
	Origin    string `json:"origin"`
	// Note says what an editor should know about the source, e.g. that the
	// URL is a copy of the original.
	Note string `json:"note,omitempty"`
}

// Entity is a mention of a resolvable thing. Ref is the source's own handle,
// used by claims in the same file; ID, when set, names the graph entity
// directly (the seed uses readable ids). Names[0] is the primary name.
type Entity struct {
	Type         string            `json:"type"`
	V            int               `json:"v"`
	Schema       string            `json:"schema"`
	Ref          string            `json:"ref,omitempty"`
	ID           string            `json:"id,omitempty"`
	Names        []string          `json:"names"`
	Country      string            `json:"country,omitempty"`
	Identifiers  map[string]string `json:"identifiers,omitempty"`
	Kind         string            `json:"kind,omitempty"`
	Capabilities []string          `json:"capabilities,omitempty"`
	// ExportControl lists control-list entries (Wassenaar / EU 2021/821),
	// e.g. "5A001.j", only where a source says so.
	ExportControl []string `json:"export_control,omitempty"`
	Start         string   `json:"start,omitempty"`
	End           string   `json:"end,omitempty"`
	Impact        string   `json:"impact,omitempty"`
	Description   string   `json:"description,omitempty"`
	Document      string   `json:"document,omitempty"`
}

// Evidence ties a claim to a document. Quote is verbatim; where the source
// could only be paraphrased (or is not text), Paraphrase says so instead, so
// a brief never puts an editor's words in a source's mouth. Unchecked says
// why an editor's evidence could not be checked against the page (the page
// could not be fetched, or it is paraphrased); it is empty for evidence a
// source read or whose quote was found in the page.
type Evidence struct {
	Document   string `json:"document"`
	Quote      string `json:"quote,omitempty"`
	Paraphrase string `json:"paraphrase,omitempty"`
	Locator    string `json:"locator,omitempty"`
	Unchecked  string `json:"unchecked,omitempty"`
}

// Claim is one assertion "subject —relation→ object" with its evidence.
// Subject, Object and Product are entity refs from the same file or graph ids.
type Claim struct {
	Type       string     `json:"type"`
	V          int        `json:"v"`
	ID         string     `json:"id,omitempty"`
	Relation   string     `json:"relation"`
	Subject    string     `json:"subject"`
	Object     string     `json:"object"`
	Stance     string     `json:"stance,omitempty"`
	Status     string     `json:"status"`
	Confidence float64    `json:"confidence"`
	Start      string     `json:"start,omitempty"`
	End        string     `json:"end,omitempty"`
	Stage      string     `json:"stage,omitempty"`
	Product    string     `json:"product,omitempty"`
	Quantity   string     `json:"quantity,omitempty"`
	Value      *float64   `json:"value,omitempty"`
	Currency   string     `json:"currency,omitempty"`
	Uncertain  []string   `json:"uncertain,omitempty"`
	Role       string     `json:"role,omitempty"`
	Share      string     `json:"share,omitempty"`
	List       string     `json:"list,omitempty"`
	Program    string     `json:"program,omitempty"`
	Summary    string     `json:"summary,omitempty"`
	Evidence   []Evidence `json:"evidence"`
	Extractor  string     `json:"extractor"`
}
