package brief

import (
	"strings"

	"github.com/exportwatch/exportwatch/graph"
)

// The explicit bidirectional formatting characters.
const (
	lre, rle, pdf, lro, rlo = '\u202A', '\u202B', '\u202C', '\u202D', '\u202E'
	lri, rli, fsi, pdi      = '\u2066', '\u2067', '\u2068', '\u2069'
)

func isBidiControl(r rune) bool { return r >= lre && r <= rlo || r >= lri && r <= pdi }

// Isolate keeps the bidirectional controls of a source's text inside it. A
// name that opens a right-to-left override (U+202E) and never closes it
// would reverse the rest of the brief's sentence around it ("… supplied
// X" read backwards); a stray pop (U+2069) would end the isolate early. So
// text with controls is made balanced (stray closers dropped, the openers
// left open closed at its end) and wrapped in a first-strong isolate,
// which the Unicode bidirectional algorithm never lets an override leave.
// Text without controls is returned as it is. Briefs and a watch's feed
// isolate every source text they print.
func Isolate(s string) string {
	if !strings.ContainsFunc(s, isBidiControl) {
		return s
	}
	var b strings.Builder
	b.WriteRune(fsi)
	var owed []rune // the closer each open control needs, innermost last
	for _, r := range s {
		switch r {
		case lre, rle, lro, rlo:
			owed = append(owed, pdf)
		case lri, rli, fsi:
			owed = append(owed, pdi)
		case pdf:
			// It closes an embedding opened in the same isolate, or nothing.
			if len(owed) == 0 || owed[len(owed)-1] != pdf {
				continue
			}
			owed = owed[:len(owed)-1]
		case pdi:
			// It closes the innermost open isolate and everything opened
			// within it, or nothing.
			i := len(owed) - 1
			for i >= 0 && owed[i] != pdi {
				i--
			}
			if i < 0 {
				continue
			}
			for j := len(owed) - 1; j > i; j-- {
				b.WriteRune(owed[j])
			}
			owed = owed[:i]
		}
		b.WriteRune(r)
	}
	for i := len(owed) - 1; i >= 0; i-- {
		b.WriteRune(owed[i])
	}
	b.WriteRune(pdi)
	return b.String()
}

// isolateEntity isolates the text of an entity that a brief prints.
func isolateEntity(e graph.Entity) graph.Entity {
	e.Name, e.Description = Isolate(e.Name), Isolate(e.Description)
	e.Aliases = isolateAll(e.Aliases)
	return e
}

// IsolateClaim isolates the text of a claim, its evidence and its ends.
func IsolateClaim(c graph.Claim) graph.Claim {
	c.Role, c.List, c.Program, c.Summary, c.Quantity = Isolate(c.Role), Isolate(c.List), Isolate(c.Program), Isolate(c.Summary), Isolate(c.Quantity)
	c.Evidence = append([]graph.Evidence(nil), c.Evidence...)
	for i, ev := range c.Evidence {
		ev.Quote, ev.Paraphrase, ev.Locator = Isolate(ev.Quote), Isolate(ev.Paraphrase), Isolate(ev.Locator)
		ev.Document = isolateDocument(ev.Document)
		c.Evidence[i] = ev
	}
	c.Ends = append([]graph.Entity(nil), c.Ends...)
	for i, e := range c.Ends {
		c.Ends[i] = isolateEntity(e)
	}
	return c
}

// isolateDocument isolates a document's title, publisher and note.
func isolateDocument(d graph.Document) graph.Document {
	d.Title, d.Publisher, d.Note = Isolate(d.Title), Isolate(d.Publisher), Isolate(d.Note)
	return d
}

func isolateAll(ss []string) []string {
	if !strings.ContainsFunc(strings.Join(ss, ""), isBidiControl) {
		return ss
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = Isolate(s)
	}
	return out
}
