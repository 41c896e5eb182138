// Package seed is the curated starting dataset: sourced facts an editor
// read, kept as human-editable YAML (documents.yaml, entities.yaml,
// claims.yaml) so they can be reviewed and corrected without code, plus
// reference data (every ISO 3166 country from package country, and the
// capability vocabulary). docs/seed.md gives the rules that turned each
// fact into records. Records turns it into records; Write writes them as a
// record file, so the seed is loaded through the same path as any
// scraper's output.
package seed

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/exportwatch/exportwatch/country"
	"github.com/exportwatch/exportwatch/records"
)

var (
	//go:embed documents.yaml
	documentsYAML []byte
	//go:embed entities.yaml
	entitiesYAML []byte
	//go:embed claims.yaml
	claimsYAML []byte
	//go:embed capabilities.yaml
	capabilitiesYAML []byte
)

// Extractor prefixes the extractor of every seed claim; the claim's row
// follows it, as in "seed:B5", so every seeded edge leads back to the fact
// it came from.
const Extractor = "seed:"

type document struct {
	URL       string `yaml:"url"`
	Title     string `yaml:"title"`
	Publisher string `yaml:"publisher"`
	Published string `yaml:"published"`
	Note      string `yaml:"note"`
}

type entity struct {
	ID           string            `yaml:"id"`
	Schema       string            `yaml:"schema"`
	Names        []string          `yaml:"names"`
	Country      string            `yaml:"country"`
	Identifiers  map[string]string `yaml:"identifiers"`
	Kind         string            `yaml:"kind"`
	Capabilities []string          `yaml:"capabilities"`
	Export       []string          `yaml:"export_control"`
	Start        string            `yaml:"start"`
	End          string            `yaml:"end"`
	Impact       string            `yaml:"impact"`
	Description  string            `yaml:"description"`
	Document     string            `yaml:"document"`
}

type evidence struct {
	Doc        string `yaml:"doc"`
	Quote      string `yaml:"quote"`
	Paraphrase string `yaml:"paraphrase"`
	Locator    string `yaml:"locator"`
}

type claim struct {
	Row        string     `yaml:"row"`
	Relation   string     `yaml:"relation"`
	Subject    string     `yaml:"subject"`
	Subjects   []string   `yaml:"subjects"`
	Object     string     `yaml:"object"`
	Objects    []string   `yaml:"objects"`
	Stance     string     `yaml:"stance"`
	Status     string     `yaml:"status"`
	Confidence string     `yaml:"confidence"`
	Start      string     `yaml:"start"`
	End        string     `yaml:"end"`
	Stage      string     `yaml:"stage"`
	Product    string     `yaml:"product"`
	Value      *float64   `yaml:"value"`
	Currency   string     `yaml:"currency"`
	Uncertain  []string   `yaml:"uncertain"`
	Role       string     `yaml:"role"`
	List       string     `yaml:"list"`
	Program    string     `yaml:"program"`
	Summary    string     `yaml:"summary"`
	Evidence   []evidence `yaml:"evidence"`
}

// Confidence maps the confidence words of claims.yaml to numbers; words
// keep the YAML readable by editors (docs/seed.md says what each means).
var Confidence = map[string]float64{"high": 0.9, "medium-high": 0.8, "medium": 0.6, "low-medium": 0.45, "low": 0.3}

func decode(name string, b []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("seed/%s: %w", name, err)
	}
	return nil
}

// Capabilities returns the capability vocabulary with descriptions.
func Capabilities() (map[string]string, error) {
	var caps map[string]string
	if err := decode("capabilities.yaml", capabilitiesYAML, &caps); err != nil {
		return nil, err
	}
	return caps, nil
}

// Set is the whole seed as records, each stamped with its type and the
// format version and validated, as Write writes them and a reader returns
// them.
type Set struct {
	Documents []records.Document
	// Entities are the countries first, then entities.yaml in its order.
	Entities []records.Entity
	Claims   []records.Claim
}

// Records builds the seed's records from the YAML. Any inconsistency in it
// (an unknown document key, an invalid field) is an error naming the entry.
// Code that wants the seed's names or claims uses it directly; the graph
// gets the seed through Write and the loader, like any scraper's output.
func Records() (Set, error) {
	var docs map[string]document
	var ents []entity
	var claims []claim
	if err := decode("documents.yaml", documentsYAML, &docs); err != nil {
		return Set{}, err
	}
	if err := decode("entities.yaml", entitiesYAML, &ents); err != nil {
		return Set{}, err
	}
	if err := decode("claims.yaml", claimsYAML, &claims); err != nil {
		return Set{}, err
	}
	var set Set
	docID := map[string]string{}
	keys := make([]string, 0, len(docs))
	for k := range docs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		d := docs[k]
		rec := records.Document{Type: records.TypeDocument, V: records.Version, ID: records.DocumentID(d.URL),
			URL: d.URL, Title: d.Title, Publisher: d.Publisher, Published: d.Published, Note: d.Note,
			Origin: records.OriginCurated}
		if err := rec.Validate(); err != nil {
			return Set{}, fmt.Errorf("seed/documents.yaml %s: %w", k, err)
		}
		set.Documents = append(set.Documents, rec)
		docID[k] = rec.ID
	}
	lookupDoc := func(where, key string) (string, error) {
		if key == "" {
			return "", nil
		}
		id, ok := docID[key]
		if !ok {
			return "", fmt.Errorf("%s: document %q is not in documents.yaml", where, key)
		}
		return id, nil
	}

	for _, c := range country.All() {
		rec := records.Entity{Type: records.TypeEntity, V: records.Version, Schema: records.SchemaCountry,
			ID: "country:" + c.Code, Names: c.Names(), Country: c.Code}
		if err := rec.Validate(); err != nil {
			return Set{}, fmt.Errorf("seed country %s: %w", c.Code, err)
		}
		set.Entities = append(set.Entities, rec)
	}
	ids := map[string]bool{}
	for _, e := range ents {
		where := "seed/entities.yaml " + e.ID
		if e.ID == "" || ids[e.ID] {
			return Set{}, fmt.Errorf("%s: every entity needs a unique id", where)
		}
		ids[e.ID] = true
		doc, err := lookupDoc(where, e.Document)
		if err != nil {
			return Set{}, err
		}
		rec := records.Entity{Type: records.TypeEntity, V: records.Version, Schema: e.Schema, ID: e.ID,
			Names: e.Names, Country: e.Country, Identifiers: e.Identifiers, Kind: e.Kind,
			Capabilities: e.Capabilities, ExportControl: e.Export, Start: e.Start, End: e.End,
			Impact: e.Impact, Description: e.Description, Document: doc}
		if err := rec.Validate(); err != nil {
			return Set{}, fmt.Errorf("%s: %w", where, err)
		}
		set.Entities = append(set.Entities, rec)
	}

	for i, c := range claims {
		where := fmt.Sprintf("seed/claims.yaml entry %d (row %s)", i+1, c.Row)
		conf, ok := Confidence[c.Confidence]
		if !ok {
			return Set{}, fmt.Errorf("%s: confidence %q is not one of high, medium-high, medium, low-medium, low", where, c.Confidence)
		}
		if c.Row == "" {
			return Set{}, fmt.Errorf("%s: row is required", where)
		}
		var ev []records.Evidence
		for _, e := range c.Evidence {
			id, err := lookupDoc(where, e.Doc)
			if err != nil {
				return Set{}, err
			}
			ev = append(ev, records.Evidence{Document: id, Quote: strings.TrimSpace(e.Quote),
				Paraphrase: strings.TrimSpace(e.Paraphrase), Locator: e.Locator})
		}
		subjects, objects := either(c.Subject, c.Subjects), either(c.Object, c.Objects)
		if len(subjects) == 0 || len(objects) == 0 {
			return Set{}, fmt.Errorf("%s: needs subject(s) and object(s)", where)
		}
		for _, s := range subjects {
			for _, o := range objects {
				// One entry with several subjects or objects makes several
				// claims; each gets its own slices and value, as each line
				// read back from a file would, so changing one changes no
				// other.
				rec := records.Claim{Type: records.TypeClaim, V: records.Version, Relation: c.Relation,
					Subject: s, Object: o, Stance: c.Stance, Status: c.Status, Confidence: conf,
					Start: c.Start, End: c.End, Stage: c.Stage, Product: c.Product, Value: clone(c.Value),
					Currency: c.Currency, Uncertain: slices.Clone(c.Uncertain), Role: c.Role, List: c.List,
					Program: c.Program, Summary: strings.TrimSpace(c.Summary), Evidence: slices.Clone(ev),
					Extractor: Extractor + c.Row}
				if err := rec.Validate(); err != nil {
					return Set{}, fmt.Errorf("%s: %w", where, err)
				}
				set.Claims = append(set.Claims, rec)
			}
		}
	}
	return set, nil
}

// Write writes the whole seed as records: documents, then entities (the
// countries first), then claims. Its errors are those of Records, or of
// writing to w.
func Write(w io.Writer) error {
	set, err := Records()
	if err != nil {
		return err
	}
	out := records.NewWriter(w)
	for _, d := range set.Documents {
		if err := out.WriteDocument(d); err != nil {
			return fmt.Errorf("write seed: %w", err)
		}
	}
	for _, e := range set.Entities {
		if err := out.WriteEntity(e); err != nil {
			return fmt.Errorf("write seed: %w", err)
		}
	}
	for _, c := range set.Claims {
		if err := out.WriteClaim(c); err != nil {
			return fmt.Errorf("write seed: %w", err)
		}
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("write seed: %w", err)
	}
	return nil
}

func clone(v *float64) *float64 {
	if v == nil {
		return nil
	}
	c := *v
	return &c
}

func either(one string, many []string) []string {
	if one != "" {
		return append([]string{one}, many...)
	}
	return many
}

// WriteFile writes the seed as a record file at path.
func WriteFile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write seed: %w", err)
	}
	if err := Write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write seed: %w", err)
	}
	return nil
}
