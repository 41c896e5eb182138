// Package brief composes accountability briefs from the graph: a memo on a
// vendor, a buyer or a country in which every factual sentence is built
// from claims and footnoted to the documents behind them, and renders it as
// Markdown, self-contained HTML or PDF.
//
// Composition and rendering are apart on purpose: Compose reads the graph
// once into a Brief, and each format only lays that Brief out, so the three
// formats cannot say different things.
package brief

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/records"
)

// Kind is what a brief is about.
type Kind string

// The kinds of brief.
const (
	Vendor  Kind = "vendor"
	Buyer   Kind = "buyer"
	Country Kind = "country"
)

// ParseKind reads a kind; the empty string means "from the subject's type".
func ParseKind(s string) (Kind, error) {
	switch k := Kind(strings.ToLower(strings.TrimSpace(s))); k {
	case "", Vendor, Buyer, Country:
		return k, nil
	default:
		return "", requestErrorf("unknown brief kind %q: want vendor, buyer or country", s)
	}
}

// Options shape a brief.
type Options struct {
	Kind Kind
	// Since keeps only transfers, designations and incidents dated on or
	// after it (an ISO date or partial date); context such as ownership and
	// location is always kept, since a reader needs it to follow the rest.
	Since string
	// AsOf, a date or an RFC 3339 time, composes the brief from what the
	// graph held then (graph.ParseAsOf): the claims loaded by then, with
	// the reviews then in force and the names then in use.
	AsOf string
	// Now is the generation time printed on the brief; zero means now.
	Now time.Time
}

// Brief is a composed memo, ready to render.
type Brief struct {
	Subject   graph.Entity
	Kind      Kind
	Title     string
	Generated time.Time
	// DataDate is the newest publication or retrieval date among the
	// cited documents: the brief knows nothing newer than that.
	DataDate string
	Since    string
	// AsOf is Options.AsOf, as given.
	AsOf     string
	Summary  []Statement
	Sections []Section
	Timeline []Event
	Diagram  Diagram
	// Sources are the footnotes, numbered from 1 in order of first citation.
	Sources []graph.Document
	// Claims are the ids of every claim the brief states, each stated once.
	Claims []string
}

// Section is a titled part of the brief: groups of statements, and
// optionally a table that indexes them.
type Section struct {
	Title  string
	Groups []Group
	Table  *Table
}

// Group is a run of statements under an optional heading (a country, an
// incident).
type Group struct {
	Heading    string
	Statements []Statement
}

// Statement is one factual sentence with its footnotes. Claims names the
// claims it states; a statement drawn from an entity's own record (its
// capabilities, its description) has notes but no claims.
type Statement struct {
	Text   string
	Notes  []int
	Claims []string
}

// Table is a grid whose rows carry footnotes.
type Table struct {
	Columns []string
	Rows    []Row
}

// Row is one line of a table.
type Row struct {
	Cells []string
	Notes []int
}

// Event is one dated line of the timeline.
type Event struct {
	Date   string
	Text   string
	Status string
	Notes  []int
}

// RequestError is a brief asked for wrongly (an ambiguous name, a kind
// that does not fit the subject, a bad date), as opposed to a failure to
// read the graph; an API answers it as bad input.
type RequestError struct{ msg string }

func (e *RequestError) Error() string { return e.msg }

func requestErrorf(format string, args ...any) error {
	return &RequestError{fmt.Sprintf(format, args...)}
}

// Subject finds the entity a brief is about: an id, a country code, or a
// name or alias matched exactly (case aside). A name that matches nothing
// exactly gets an error naming the closest entities, never a guess.
func Subject(ctx context.Context, store *graph.Store, subject string) (graph.Entity, error) {
	subject = strings.TrimSpace(subject)
	if subject == "" {
		return graph.Entity{}, requestErrorf("no subject: give an entity id or name")
	}
	candidates := []string{subject}
	if len(subject) == 2 {
		candidates = append(candidates, "country:"+strings.ToUpper(subject))
	}
	for _, id := range candidates {
		e, err := store.Entity(ctx, id)
		if err == nil {
			return e, nil
		}
		if !errors.Is(err, graph.ErrNotFound) {
			return graph.Entity{}, fmt.Errorf("subject %q: %w", subject, err)
		}
	}
	hits, err := store.Search(ctx, subject, nil, 10)
	if err != nil {
		return graph.Entity{}, fmt.Errorf("subject %q: %w", subject, err)
	}
	var exact []graph.Entity
	for _, h := range hits {
		for _, n := range append([]string{h.Entity.Name}, h.Entity.Aliases...) {
			if strings.EqualFold(n, subject) {
				exact = append(exact, h.Entity)
				break
			}
		}
	}
	switch {
	case len(exact) == 1:
		return exact[0], nil
	case len(exact) > 1:
		return graph.Entity{}, requestErrorf("subject %q is ambiguous: %s; give an id", subject, describe(exact))
	}
	// Nothing has that name: offer what contains it, then what the
	// full-text index ranks nearest.
	near, _, err := store.Entities(ctx, graph.EntityFilter{Name: subject, Limit: 5})
	if err != nil {
		return graph.Entity{}, fmt.Errorf("subject %q: %w", subject, err)
	}
	for _, h := range hits {
		if len(near) < 5 && !slices.ContainsFunc(near, func(e graph.Entity) bool { return e.ID == h.Entity.ID }) {
			near = append(near, h.Entity)
		}
	}
	if len(near) == 0 {
		return graph.Entity{}, fmt.Errorf("subject %q: %w", subject, graph.ErrNotFound)
	}
	return graph.Entity{}, fmt.Errorf("subject %q: %w: no entity has that name; closest: %s", subject, graph.ErrNotFound, describe(near))
}

func describe(es []graph.Entity) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = fmt.Sprintf("%s (%s)", e.Name, e.ID)
	}
	return strings.Join(parts, ", ")
}

// kindFor is the brief a subject gets when none is asked for.
func kindFor(e graph.Entity, asked Kind) (Kind, error) {
	fits := map[Kind][]string{
		Vendor:  {records.SchemaCompany, records.SchemaProduct},
		Buyer:   {records.SchemaPublicBody, records.SchemaCompany},
		Country: {records.SchemaCountry},
	}
	if asked == "" {
		switch e.Schema {
		case records.SchemaCompany, records.SchemaProduct:
			return Vendor, nil
		case records.SchemaPublicBody:
			return Buyer, nil
		case records.SchemaCountry:
			return Country, nil
		}
		return "", requestErrorf("%s is a %s: briefs are on vendors, buyers and countries", e.ID, e.Schema)
	}
	for _, s := range fits[asked] {
		if s == e.Schema {
			return asked, nil
		}
	}
	return "", requestErrorf("%s is a %s, which cannot be the subject of a %s brief", e.ID, e.Schema, asked)
}

// timelineTable is the timeline as every format prints it, or nil when no
// claim is dated.
func (b *Brief) timelineTable() *Table {
	if len(b.Timeline) == 0 {
		return nil
	}
	t := &Table{Columns: []string{"Date", "Event", "Status"}}
	for _, ev := range b.Timeline {
		t.Rows = append(t.Rows, Row{Cells: []string{formatDate(ev.Date), ev.Text, ev.Status}, Notes: ev.Notes})
	}
	return t
}

// Format is an output format of a brief.
type Format string

// The formats a brief renders to.
const (
	FormatMarkdown Format = "md"
	FormatHTML     Format = "html"
	FormatPDF      Format = "pdf"
)

// ParseFormat reads a format name ("markdown" is md).
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case FormatMarkdown, FormatHTML, FormatPDF:
		return f, nil
	case "markdown":
		return FormatMarkdown, nil
	default:
		return "", requestErrorf("unknown brief format %q: want md, html or pdf", s)
	}
}

// Render writes the brief in a format; diagramURL is used by Markdown only.
func Render(w io.Writer, b *Brief, f Format, diagramURL string) error {
	switch f {
	case FormatMarkdown:
		return Markdown(w, b, diagramURL)
	case FormatHTML:
		return HTML(w, b)
	case FormatPDF:
		return PDF(w, b)
	}
	return fmt.Errorf("unknown brief format %q", f)
}
