package graph

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/exportwatch/exportwatch/records"
)

// Script writes a Cypher script that recreates entities, documents, claims
// and edges in another Neo4j (cypher-shell -f FILE, or the Browser). It
// lives here because all Cypher does. The script creates this schema
// first, then MERGEs everything by id, so running it twice changes
// nothing. Rows go in batches of scriptBatch per UNWIND statement; values
// are literals, encoded by cypherLiteral, since a script has no parameters.
type Script struct {
	bw   *bufio.Writer
	kind string // what the pending batch holds: "entity:Company", "claim", …
	rows []string
	err  error
}

// scriptBatch rows per statement keeps each statement well under the
// size a Neo4j Browser or cypher-shell handles comfortably.
const scriptBatch = 500

// NewScript starts a script on w with the schema statements.
func NewScript(w io.Writer) *Script {
	s := &Script{bw: bufio.NewWriterSize(w, 64<<10)}
	s.line("// exportwatch graph export: run it with cypher-shell -f FILE against an empty or existing Neo4j 5.")
	s.line("// Every statement MERGEs by id, so running it twice changes nothing.")
	for _, stmt := range schema {
		s.line(stmt + ";")
	}
	return s
}

func (s *Script) line(l string) {
	if s.err == nil {
		_, s.err = s.bw.WriteString(l + "\n")
	}
}

// flush writes the pending batch as one statement.
func (s *Script) flush() {
	if len(s.rows) == 0 || s.err != nil {
		s.rows = s.rows[:0]
		return
	}
	kind, label, _ := strings.Cut(s.kind, ":")
	list := "[\n  " + strings.Join(s.rows, ",\n  ") + "\n]"
	switch kind {
	case "entity":
		s.line("UNWIND " + list + " AS r\nMERGE (e:Entity {id: r.id}) SET e += r.p, e:" + label +
			"\nSET e.aliases_text = " + aliasesText("e") + ";")
	case "document":
		s.line("UNWIND " + list + " AS r\nMERGE (d:Document {id: r.id}) SET d += r.p;")
	case "claim":
		s.line("UNWIND " + list + ` AS r
MERGE (c:Claim {id: r.id}) SET c += r.p
WITH c, r
CALL {
  WITH c, r
  MATCH (s:Entity {id: r.s}) MERGE (c)-[:SUBJECT]->(s)
}
CALL {
  WITH c, r
  MATCH (o:Entity {id: r.o}) MERGE (c)-[:OBJECT]->(o)
}
CALL {
  WITH c, r
  WITH c, r WHERE r.pr IS NOT NULL
  MATCH (p:Entity {id: r.pr}) MERGE (c)-[:PRODUCT]->(p)
}
CALL {
  WITH c
  MATCH (c)-[old:EVIDENCED_BY]->() DELETE old
}
CALL {
  WITH c, r
  UNWIND r.ev AS ev
  MATCH (d:Document {id: ev.d})
  CREATE (c)-[:EVIDENCED_BY {quote: ev.q, paraphrase: ev.pa, locator: ev.l, unchecked: ev.u}]->(d)
};`)
	case "edge":
		s.line("UNWIND " + list + " AS r\nMATCH (a:Entity {id: r.a}), (b:Entity {id: r.b})\nMERGE (a)-[x:" + label + "]->(b) SET x = r.p" + supplyIndexOf(label, "x", "a", "b") + ";")
	}
	s.rows = s.rows[:0]
}

func (s *Script) add(kind, row string) error {
	if kind != s.kind || len(s.rows) >= scriptBatch {
		s.flush()
		s.kind = kind
	}
	s.rows = append(s.rows, row)
	return s.err
}

// Entity adds an entity. Its schema becomes a label, so it is checked.
func (s *Script) Entity(e Entity) error {
	if !slices.Contains(records.Schemas, e.Schema) {
		return fmt.Errorf("script: entity %s has unknown type %q", e.ID, e.Schema)
	}
	p := lit{}
	p.str("schema", e.Schema).str("name", e.Name).list("aliases", e.Aliases).str("country", e.Country).
		list("identifiers", records.IdentifierList(e.Identifiers)).str("kind", e.Kind).list("capabilities", e.Capabilities).
		list("export_control", e.ExportControl).str("start", e.Start).str("end", e.End).str("impact", e.Impact).
		str("description", e.Description).list("sources", e.Sources).list("merged", e.Merged)
	// The writer keeps each identifier as its own property too, for lookups.
	for _, scheme := range slices.Sorted(maps.Keys(e.Identifiers)) {
		if !records.ValidIdentifierScheme(scheme) {
			return fmt.Errorf("script: entity %s has identifier scheme %q", e.ID, scheme)
		}
		p.str("id_"+scheme, e.Identifiers[scheme])
	}
	return s.add("entity:"+e.Schema, "{id: "+cypherString(e.ID)+", p: "+p.String()+"}")
}

// Document adds a document.
func (s *Script) Document(d Document) error {
	p := lit{}
	p.str("url", d.URL).str("title", d.Title).str("publisher", d.Publisher).str("published", d.Published).
		str("retrieved", d.Retrieved).str("sha256", d.SHA256).str("archive", d.Archive).str("origin", d.Origin).str("note", d.Note)
	return s.add("document", "{id: "+cypherString(d.ID)+", p: "+p.String()+"}")
}

// Claim adds a claim with its links and evidence.
func (s *Script) Claim(c Claim) error {
	p := lit{}
	p.str("relation", c.Relation).str("subject", c.Subject).str("object", c.Object).str("product", c.Product).
		str("stance", c.Stance).str("status", c.Status).num("confidence", c.Confidence).str("start", c.Start).
		str("end", c.End).str("stage", c.Stage).str("quantity", c.Quantity).str("currency", c.Currency).
		list("uncertain", c.Uncertain).str("role", c.Role).str("share", c.Share).str("list", c.List).
		str("program", c.Program).str("summary", c.Summary).str("extractor", c.Extractor).str("loaded", c.Loaded)
	if c.Value != nil {
		p.num("value", *c.Value)
	}
	if c.Reviewed {
		p = append(p, "reviewed: true")
	}
	evs := make([]string, 0, len(c.Evidence))
	for _, ev := range c.Evidence {
		e := lit{}
		e.str("d", ev.Document.ID).str("q", ev.Quote).str("pa", ev.Paraphrase).str("l", ev.Locator).str("u", ev.Unchecked)
		evs = append(evs, e.String())
	}
	row := "{id: " + cypherString(c.ID) + ", s: " + cypherString(c.Subject) + ", o: " + cypherString(c.Object)
	if c.Product != "" {
		row += ", pr: " + cypherString(c.Product)
	}
	return s.add("claim", row+", p: "+p.String()+", ev: ["+strings.Join(evs, ", ")+"]}")
}

// Edge adds a direct edge. Its type becomes a relationship type, so it is
// checked against the relations.
func (s *Script) Edge(e Edge) error {
	if _, err := relTypes([]string{e.Type}); err != nil {
		return fmt.Errorf("script: edge %s→%s: %w", e.From, e.To, err)
	}
	p := lit{}
	p.list("claims", e.Claims).str("status", e.Status).str("stance", e.Stance).num("confidence", e.Confidence).
		str("first", e.First).str("last", e.Last).list("stages", e.Stages).list("products", e.Products)
	p = append(p, "contested: "+strconv.FormatBool(e.Contested))
	return s.add("edge:"+e.Type, "{a: "+cypherString(e.From)+", b: "+cypherString(e.To)+", p: "+p.String()+"}")
}

// Close writes the last batch and flushes.
func (s *Script) Close() error {
	s.flush()
	if s.err != nil {
		return fmt.Errorf("write script: %w", s.err)
	}
	if err := s.bw.Flush(); err != nil {
		return fmt.Errorf("write script: %w", err)
	}
	return nil
}

// lit builds a Cypher map literal of the non-empty values given.
type lit []string

func (l *lit) str(key, v string) *lit {
	if v != "" {
		*l = append(*l, key+": "+cypherString(v))
	}
	return l
}

func (l *lit) list(key string, vs []string) *lit {
	if len(vs) > 0 {
		parts := make([]string, len(vs))
		for i, v := range vs {
			parts[i] = cypherString(v)
		}
		*l = append(*l, key+": ["+strings.Join(parts, ", ")+"]")
	}
	return l
}

func (l *lit) num(key string, v float64) *lit {
	if !math.IsNaN(v) && !math.IsInf(v, 0) {
		s := strconv.FormatFloat(v, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0" // a float stays a float in the target
		}
		*l = append(*l, key+": "+s)
	}
	return l
}

func (l lit) String() string { return "{" + strings.Join(l, ", ") + "}" }

// cypherString is a Cypher string literal for any text: quotes, backslashes
// and every control or invalid character are escaped, so text from a
// scraped page can never end the literal or the statement.
func cypherString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\'':
			b.WriteString(`\'`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\uFFFD`)
		case r < 0x20 || r == 0x7f || r == 0x2028 || r == 0x2029:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('\'')
	return b.String()
}
