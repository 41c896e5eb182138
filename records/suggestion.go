package records

import (
	"errors"
	"math"
	"strings"

	"github.com/exportwatch/exportwatch/country"
)

// TypeSuggestion is the type of a suggestion line.
const TypeSuggestion = "suggestion"

// Suggestion is a claim an extractor read in a sentence but could not
// assert: the relation and the parties it read, the sentence, and why it
// is unsure. It is kept for an editor, who accepts it (and it becomes a
// reported claim) or rejects it; it is never a claim by itself, and its
// parties become entities only when it is accepted.
type Suggestion struct {
	Type     string `json:"type"`
	V        int    `json:"v"`
	ID       string `json:"id,omitempty"`
	Relation string `json:"relation"`
	Subject  Party  `json:"subject"`
	Object   Party  `json:"object"`
	// Evidence is the one sentence the suggestion was read in.
	Evidence   Evidence `json:"evidence"`
	Confidence float64  `json:"confidence"`
	// Reasons say why the extractor is unsure (and what it read).
	Reasons   []string `json:"reasons"`
	Extractor string   `json:"extractor"`
}

// Party is one side of a suggestion: an entity the graph knows (ID), or
// one the page names (Name, Schema and, when known, Country).
type Party struct {
	ID      string `json:"id,omitempty"`
	Name    string `json:"name"`
	Schema  string `json:"schema"`
	Country string `json:"country,omitempty"`
}

// Key names the party for ids: its entity id, or the id a record of it
// would get.
func (p Party) Key() string {
	if p.ID != "" {
		return p.ID
	}
	return EntityID(Entity{Schema: p.Schema, Names: []string{p.Name}, Country: p.Country})
}

// SuggestionID is a suggestion's id: what it says and where, so the same
// sentence read again (a page scraped twice) gives the same suggestion,
// and an editor's decision on it stands.
func SuggestionID(s Suggestion) string {
	if s.ID != "" {
		return s.ID
	}
	return "suggestion:" + HashOf(s.Relation, s.Subject.Key(), s.Object.Key(), s.Evidence.Document, s.Evidence.Quote)
}

// Validate checks a suggestion on its own.
func (s Suggestion) Validate() error {
	var p problems
	p.version(s.V)
	p.vocab("relation", s.Relation, Relations)
	if s.Relation == "" {
		p.addf("relation is required")
	}
	// In a fixed order (not a map's), so the same line always gets the same error.
	for _, side := range []struct {
		name  string
		party Party
	}{{"subject", s.Subject}, {"object", s.Object}} {
		if err := side.party.validate(); err != nil {
			p.addf("%s: %v", side.name, err)
		}
	}
	if !strings.HasPrefix(s.Evidence.Document, "doc:") {
		p.addf("evidence.document %q must be a document id (doc:…)", s.Evidence.Document)
	}
	if strings.TrimSpace(s.Evidence.Quote) == "" {
		p.addf("evidence.quote is required: a suggestion quotes the sentence it was read in")
	}
	if math.IsNaN(s.Confidence) || s.Confidence < 0 || s.Confidence > 1 {
		p.addf("confidence %v is not in [0,1]", s.Confidence)
	}
	if len(s.Reasons) == 0 {
		p.addf("reasons are required: an editor must see why the suggestion is unsure")
	}
	if s.Extractor == "" {
		p.addf("extractor is required")
	}
	return p.err()
}

func (p Party) validate() error {
	if p.ID == "" && strings.TrimSpace(p.Name) == "" {
		return errors.New("a party needs an entity id or a name")
	}
	if p.Schema == "" {
		return errors.New("schema is required")
	}
	var pr problems
	pr.vocab("schema", p.Schema, Schemas)
	if p.Country != "" && !country.Valid(p.Country) {
		pr.addf("country %q is not an ISO 3166-1 alpha-2 code", p.Country)
	}
	if len(p.Name) > MaxNameBytes {
		pr.addf("name is %d bytes long, over %d", len(p.Name), MaxNameBytes)
	}
	return pr.err()
}
