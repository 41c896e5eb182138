// Package export writes the graph, or the region around one entity, in the
// formats investigators' tools read: FollowTheMoney entity lines (Aleph,
// OpenSanctions), CSV for spreadsheets, GraphML for Gephi and Cytoscape, a
// Cypher script for another Neo4j, and BibTeX of the cited documents; and
// reads FollowTheMoney back in as records.
//
// Every writer streams: it takes one entity, claim, document or edge at a
// time from a Source and writes it out, so a graph of a million claims is
// never held in memory.
package export

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/records"
)

// Format is an export format.
type Format string

// The export formats.
const (
	FTM     Format = "ftm"
	CSV     Format = "csv"
	GraphML Format = "graphml"
	Cypher  Format = "cypher"
	BibTeX  Format = "bibtex"
)

// Formats lists every format, in the order the CLI names them.
var Formats = []Format{FTM, CSV, GraphML, Cypher, BibTeX}

// ParseFormat reads a format name.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == strings.ToLower(strings.TrimSpace(s)) {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown export format %q: want ftm, csv, graphml, cypher or bibtex", s)
}

// Source hands out the parts of a graph one at a time. Each call streams
// its kind once; a writer may call them in any order.
type Source interface {
	EachEntity(ctx context.Context, fn func(graph.Entity) error) error
	EachDocument(ctx context.Context, fn func(graph.Document) error) error
	EachClaim(ctx context.Context, fn func(graph.Claim) error) error
	EachEdge(ctx context.Context, fn func(graph.Edge) error) error
}

// Graph is a Source over a store: the whole graph when IDs is nil, else
// the region those entities span (see graph.Store.Region).
type Graph struct {
	Store *graph.Store
	IDs   []string
}

// EachEntity streams the entities.
func (g Graph) EachEntity(ctx context.Context, fn func(graph.Entity) error) error {
	return g.Store.EachEntity(ctx, g.IDs, fn)
}

// EachDocument streams the documents.
func (g Graph) EachDocument(ctx context.Context, fn func(graph.Document) error) error {
	return g.Store.EachDocument(ctx, g.IDs, fn)
}

// EachClaim streams the claims.
func (g Graph) EachClaim(ctx context.Context, fn func(graph.Claim) error) error {
	return g.Store.EachClaim(ctx, g.IDs, fn)
}

// EachEdge streams the direct edges.
func (g Graph) EachEdge(ctx context.Context, fn func(graph.Edge) error) error {
	return g.Store.EachEdge(ctx, g.IDs, fn)
}

// Stats counts what an export wrote.
type Stats struct {
	Entities, Claims, Documents, Edges int
}

func (s Stats) String() string {
	return fmt.Sprintf("%d entities, %d claims, %d documents, %d edges", s.Entities, s.Claims, s.Documents, s.Edges)
}

// Write streams src to w in a single-file format (every format but CSV,
// which is several files: see WriteCSV).
func Write(ctx context.Context, src Source, f Format, w io.Writer) (Stats, error) {
	switch f {
	case FTM:
		return writeFTM(ctx, src, w)
	case GraphML:
		return writeGraphML(ctx, src, w)
	case Cypher:
		return writeCypher(ctx, src, w)
	case BibTeX:
		return writeBibTeX(ctx, src, w)
	case CSV:
		return Stats{}, fmt.Errorf("csv is several files: use WriteCSV with a directory")
	}
	return Stats{}, fmt.Errorf("unknown export format %q", f)
}

// identifierText writes identifiers as "scheme:value" pairs in scheme
// order, the way the graph stores them.
func identifierText(ids map[string]string) string {
	return strings.Join(records.IdentifierList(ids), "; ")
}
