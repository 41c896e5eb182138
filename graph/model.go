package graph

import (
	"sort"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"
)

// Entity is a graph entity as the read queries return it.
type Entity struct {
	ID            string
	Schema        string
	Name          string
	Aliases       []string
	Country       string
	Identifiers   map[string]string
	Kind          string
	Capabilities  []string
	ExportControl []string
	Start         string
	End           string
	Impact        string
	Description   string
	Sources       []string
	// Merged lists the ids of entities merged into this one.
	Merged []string
	// Version counts editors' changes; an edit names the version it read.
	Version int64
}

// Document is a source document.
type Document struct {
	ID        string
	URL       string
	Title     string
	Publisher string
	Published string
	Retrieved string
	SHA256    string
	Archive   string
	Origin    string
	Note      string
}

// Evidence is one EVIDENCED_BY link of a claim with its document.
type Evidence struct {
	Quote      string
	Paraphrase string
	Locator    string
	Unchecked  string
	Document   Document
}

// Claim is an assertion with its evidence.
type Claim struct {
	ID         string
	Relation   string
	Subject    string
	Object     string
	Stance     string
	Status     string
	Confidence float64
	Start      string
	End        string
	Stage      string
	Product    string
	Quantity   string
	Value      *float64
	Currency   string
	Uncertain  []string
	Role       string
	Share      string
	List       string
	Program    string
	Summary    string
	Extractor  string
	Reviewed   bool
	// ReviewedBy, ReviewedAt and ReviewNote are the last editor's review
	// (empty when none stands).
	ReviewedBy, ReviewedAt, ReviewNote string
	// Version counts editors' changes; a review names the version it read.
	Version int64
	// Loaded is when the claim was first written (empty for a claim
	// written before load times were recorded).
	Loaded   string
	Evidence []Evidence
	// Ends are the subject, object and product entities, read with the
	// claim so that showing them costs no further query.
	Ends []Entity
}

// Edge is a direct relationship kept in step with its claims.
type Edge struct {
	Type       string
	From       string
	To         string
	Claims     []string
	Status     string
	Stance     string
	Contested  bool
	Confidence float64
	First      string
	Last       string
	Stages     []string
	Products   []string
}

// Subgraph is a set of entities and the direct edges between them, as a
// neighbourhood or a path.
type Subgraph struct {
	Nodes []Entity
	Edges []Edge
}

// Counts summarises the graph: nodes by label and relationships by type.
type Counts struct {
	Nodes         map[string]int64
	Relationships map[string]int64
}

func str(props map[string]any, key string) string {
	s, _ := props[key].(string)
	return s
}

func strs(props map[string]any, key string) []string {
	if ss, ok := props[key].([]string); ok { // props made here, not read from Neo4j
		return ss
	}
	raw, _ := props[key].([]any)
	out := make([]string, 0, len(raw))
	for _, v := range raw {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func entityFromNode(n dbtype.Node) Entity {
	p := n.Props
	e := Entity{
		ID: str(p, "id"), Schema: str(p, "schema"), Name: str(p, "name"), Aliases: strs(p, "aliases"),
		Country: str(p, "country"), Kind: str(p, "kind"), Capabilities: strs(p, "capabilities"),
		ExportControl: strs(p, "export_control"), Start: str(p, "start"), End: str(p, "end"),
		Impact: str(p, "impact"), Description: str(p, "description"), Sources: strs(p, "sources"),
		Merged: strs(p, "merged"), Identifiers: map[string]string{},
	}
	e.Version, _ = p["version"].(int64)
	for _, id := range strs(p, "identifiers") {
		if scheme, v, ok := strings.Cut(id, ":"); ok {
			e.Identifiers[scheme] = v
		}
	}
	return e
}

func documentFromProps(p map[string]any) Document {
	return Document{
		ID: str(p, "id"), URL: str(p, "url"), Title: str(p, "title"), Publisher: str(p, "publisher"),
		Published: str(p, "published"), Retrieved: str(p, "retrieved"), SHA256: str(p, "sha256"),
		Archive: str(p, "archive"), Origin: str(p, "origin"), Note: str(p, "note"),
	}
}

func claimFromProps(p map[string]any) Claim {
	c := Claim{
		ID: str(p, "id"), Relation: str(p, "relation"), Subject: str(p, "subject"), Object: str(p, "object"),
		Stance: str(p, "stance"), Status: str(p, "status"), Start: str(p, "start"), End: str(p, "end"),
		Stage: str(p, "stage"), Product: str(p, "product"), Quantity: str(p, "quantity"), Currency: str(p, "currency"),
		Uncertain: strs(p, "uncertain"), Role: str(p, "role"), Share: str(p, "share"), List: str(p, "list"),
		Program: str(p, "program"), Summary: str(p, "summary"), Extractor: str(p, "extractor"), Loaded: str(p, "loaded"),
	}
	c.Confidence, _ = p["confidence"].(float64)
	if v, ok := p["value"].(float64); ok {
		c.Value = &v
	}
	c.Version, _ = p["version"].(int64)
	c.setReview(p)
	return c
}

// setReview takes a claim's status and review from its properties: those
// read now, or those an audit event kept from before a later review.
func (c *Claim) setReview(p map[string]any) {
	c.Status = str(p, "status")
	c.Reviewed, _ = p["reviewed"].(bool)
	c.ReviewedBy, c.ReviewedAt, c.ReviewNote = "", "", ""
	if c.Reviewed {
		c.ReviewedBy, c.ReviewedAt, c.ReviewNote = str(p, "reviewed_by"), str(p, "reviewed_at"), str(p, "review_note")
	}
}

func edgeFromRel(r dbtype.Relationship, from, to string) Edge {
	return edgeFromProps(r.Type, from, to, r.Props)
}

func edgeFromProps(typ, from, to string, p map[string]any) Edge {
	e := Edge{
		Type: typ, From: from, To: to, Claims: strs(p, "claims"), Status: str(p, "status"), Stance: str(p, "stance"),
		First: str(p, "first"), Last: str(p, "last"), Stages: strs(p, "stages"), Products: strs(p, "products"),
	}
	e.Contested, _ = p["contested"].(bool)
	e.Confidence, _ = p["confidence"].(float64)
	return e
}

func sortEvidence(ev []Evidence) {
	sort.SliceStable(ev, func(i, j int) bool {
		if ev[i].Document.Published != ev[j].Document.Published {
			return ev[i].Document.Published < ev[j].Document.Published
		}
		return ev[i].Document.URL < ev[j].Document.URL
	})
}
