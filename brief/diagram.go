package brief

import (
	"cmp"
	"fmt"
	"html"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/records"
)

// Diagram is the laid-out network of a brief's subject: every entity its
// claims name, with one edge per (subject, relation, object). The layout is
// computed once, in a fixed coordinate space, so SVG and PDF draw the same
// picture.
type Diagram struct {
	Width, Height float64
	Nodes         []Node
	Edges         []Link
}

// Node is a placed entity.
type Node struct {
	ID, Label, Schema string
	X, Y              float64
	Subject           bool
}

// Link is a drawn edge: the claims of one relation between two entities.
type Link struct {
	From, To, Relation, Status string
	Contested                  bool
	Claims                     int
}

// diagram lays out the entities of the stated claims in two rings around
// the subject: those linked to it directly, then the rest. Order on each
// ring is by type then name, so the same data always draws the same way.
func (c *composer) diagram(subject graph.Entity) Diagram {
	d := Diagram{Width: 1000, Height: 760}
	links := map[[3]string]*Link{}
	stances := map[[3]string]map[string]bool{}
	for _, id := range c.order {
		cl := c.byID[id]
		k := [3]string{cl.Subject, cl.Relation, cl.Object}
		l, ok := links[k]
		if !ok {
			l = &Link{From: cl.Subject, To: cl.Object, Relation: cl.Relation, Status: cl.Status}
			links[k] = l
			stances[k] = map[string]bool{}
		}
		l.Claims++
		if records.StatusRank(cl.Status) > records.StatusRank(l.Status) {
			l.Status = cl.Status
		}
		stances[k][cmp.Or(cl.Stance, records.StanceAsserts)] = true
	}
	near := map[string]bool{}
	far := map[string]bool{}
	for k, l := range links {
		l.Contested = len(stances[k]) > 1
		d.Edges = append(d.Edges, *l)
		for _, id := range []string{l.From, l.To} {
			if id == subject.ID {
				continue
			}
			if l.From == subject.ID || l.To == subject.ID {
				near[id] = true
			} else {
				far[id] = true
			}
		}
	}
	slices.SortFunc(d.Edges, func(a, b Link) int {
		return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.Relation, b.Relation), cmp.Compare(a.To, b.To))
	})
	for id := range near {
		delete(far, id)
	}
	cx, cy := d.Width/2, d.Height/2
	d.Nodes = append(d.Nodes, Node{ID: subject.ID, Label: subject.Name, Schema: subject.Schema, X: cx, Y: cy, Subject: true})
	ring := func(ids map[string]bool, rx, ry, offset float64) {
		list := slices.Sorted(maps.Keys(ids))
		slices.SortStableFunc(list, func(a, b string) int {
			return cmp.Or(cmp.Compare(c.entities[a].Schema, c.entities[b].Schema), cmp.Compare(c.entities[a].Name, c.entities[b].Name))
		})
		for i, id := range list {
			angle := offset + 2*math.Pi*float64(i)/float64(len(list))
			e := c.entities[id]
			d.Nodes = append(d.Nodes, Node{ID: id, Label: cmp.Or(e.Name, id), Schema: e.Schema,
				X: round1(cx + rx*math.Cos(angle)), Y: round1(cy + ry*math.Sin(angle))})
		}
	}
	ring(near, 290, 230, -math.Pi/2)
	ring(far, 470, 350, -math.Pi/2+0.2)
	return d
}

// labelAt places an edge's label nearer its target than its source: edges
// fan out of the subject, and their middles crowd near it.
const labelAt = 0.65

func round1(f float64) float64 { return math.Round(f*10) / 10 }

// schemaColours fill each type of node; the legend explains them.
var schemaColours = map[string]string{
	records.SchemaCompany: "#4e79a7", records.SchemaPublicBody: "#e15759", records.SchemaPerson: "#76b7b2", records.SchemaProduct: "#f28e2b",
	records.SchemaCountry: "#9c755f", records.SchemaIncident: "#b07aa1",
}

// statusDash draws weaker evidence with lighter strokes: a dashed line is
// a reported link, a solid one documented or confirmed.
func statusDash(status string) string {
	switch status {
	case records.StatusReported:
		return "6 4"
	case records.StatusDisputed, records.StatusRetracted:
		return "2 4"
	}
	return ""
}

func (d Diagram) node(id string) (Node, bool) {
	for _, n := range d.Nodes {
		if n.ID == id {
			return n, true
		}
	}
	return Node{}, false
}

// shorten cuts a label to n characters; a cut through an isolated name
// is isolated again, since it may have cut off the name's closers.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return Isolate(string(r[:n-1])) + "…"
}

// SVG draws the diagram as a standalone SVG element. Every text is
// escaped: names come from scraped pages.
func (d Diagram) SVG() string {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %g %g" width="%g" height="%g" role="img" aria-label="Network diagram" font-family="sans-serif" font-size="11">`+"\n",
		d.Width, d.Height+40, d.Width, d.Height+40)
	b.WriteString(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>` + "\n")
	for _, sg := range d.segments() {
		l, x1, y1, x2, y2 := sg.Link, sg.X1, sg.Y1, sg.X2, sg.Y2
		colour := "#555"
		if l.Contested {
			colour = "#c00"
		}
		dash := ""
		if s := statusDash(l.Status); s != "" {
			dash = ` stroke-dasharray="` + s + `"`
		}
		fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="%s" stroke-width="1.2"%s marker-end="url(#arrow)"><title>%s</title></line>`+"\n",
			x1, y1, x2, y2, colour, dash, html.EscapeString(fmt.Sprintf("%s —%s→ %s (%s, %d claims)", sg.from.Label, l.Relation, sg.to.Label, l.Status, l.Claims)))
		fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="middle" fill="#666" font-size="9">%s</text>`+"\n",
			round1(x1+(x2-x1)*labelAt), round1(y1+(y2-y1)*labelAt-3), html.EscapeString(strings.ToLower(l.Relation)))
	}
	for _, n := range d.Nodes {
		r := 9.0
		if n.Subject {
			r = 14
		}
		fmt.Fprintf(&b, `<circle cx="%g" cy="%g" r="%g" fill="%s" stroke="#222"><title>%s</title></circle>`+"\n",
			n.X, n.Y, r, cmp.Or(schemaColours[n.Schema], "#bab0ac"), html.EscapeString(n.ID))
		weight := ""
		if n.Subject {
			weight = ` font-weight="bold"`
		}
		fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="middle"%s>%s</text>`+"\n", n.X, n.Y+r+12, weight, html.EscapeString(shorten(n.Label, 30)))
	}
	x := 10.0
	for _, s := range legendSchemas {
		fmt.Fprintf(&b, `<circle cx="%g" cy="%g" r="6" fill="%s"/><text x="%g" y="%g">%s</text>`+"\n", x+6, d.Height+20, schemaColours[s], x+16, d.Height+24, s)
		x += 100
	}
	fmt.Fprintf(&b, `<text x="%g" y="%g" fill="#666">dashed: reported · solid: documented · red: contested</text>`+"\n", x, d.Height+24)
	b.WriteString("</svg>\n")
	return b.String()
}

var legendSchemas = []string{records.SchemaCompany, records.SchemaPublicBody, records.SchemaProduct, records.SchemaCountry,
	records.SchemaIncident, records.SchemaPerson}

// segment is an edge as drawn: from the edge of one circle to the other.
type segment struct {
	Link
	from, to       Node
	X1, Y1, X2, Y2 float64
}

// segments places every edge whose two ends are on the diagram.
func (d Diagram) segments() []segment {
	var out []segment
	for _, l := range d.Edges {
		from, ok1 := d.node(l.From)
		to, ok2 := d.node(l.To)
		if !ok1 || !ok2 {
			continue
		}
		x1, y1, x2, y2 := trim(from, to)
		out = append(out, segment{Link: l, from: from, to: to, X1: x1, Y1: y1, X2: x2, Y2: y2})
	}
	return out
}

// trim shortens a line between two nodes so it starts and ends at their
// circles, leaving the arrowhead visible.
func trim(a, b Node) (x1, y1, x2, y2 float64) {
	dx, dy := b.X-a.X, b.Y-a.Y
	l := math.Hypot(dx, dy)
	if l == 0 {
		return a.X, a.Y, b.X, b.Y
	}
	ra, rb := 10.0, 10.0
	if a.Subject {
		ra = 15
	}
	if b.Subject {
		rb = 15
	}
	return round1(a.X + dx*ra/l), round1(a.Y + dy*ra/l), round1(b.X - dx*rb/l), round1(b.Y - dy*rb/l)
}
