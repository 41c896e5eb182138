// Package watch tells people what changed in what they follow: it writes
// a watch's entries (graph.Store.NotifyWatches keeps them in step with the
// changes feed) as an Atom feed, and posts them to its webhook, signed.
package watch

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/url"
	"strings"

	"github.com/exportwatch/exportwatch/brief"
	"github.com/exportwatch/exportwatch/graph"
)

// The Atom feed (RFC 4287) of a watch. Every text from a source (names,
// quotes, titles) is written as XML character data, escaped by the
// encoder, in elements of type "text": a feed reader shows it as text,
// never as markup. Its bidirectional controls are kept inside it
// (brief.Isolate), so a name cannot turn the rest of a title around.

type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID       string      `xml:"id"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle"`
	Updated  string      `xml:"updated"`
	Author   atomPerson  `xml:"author"`
	Links    []atomLink  `xml:"link"`
	Entries  []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     atomText   `xml:"title"`
	Updated   string     `xml:"updated"`
	Published string     `xml:"published,omitempty"`
	Links     []atomLink `xml:"link"`
	Summary   atomText   `xml:"summary"`
	Content   atomText   `xml:"content"`
}

// kindWords head an entry's title with what happened to its claim.
var kindWords = map[string]string{
	graph.ChangeCreated:   "New",
	graph.ChangeUpdated:   "Changed",
	graph.ChangeRetracted: "Retracted",
	graph.ChangeMerged:    "Merged",
}

// Atom writes the watch's entries (newest first, as WatchEntries gives
// them) as an Atom feed. base is the server's address ("https://host"),
// which the feed's and entries' links start with.
func Atom(w graph.Watch, entries []graph.WatchEntry, base string) ([]byte, error) {
	base = strings.TrimRight(base, "/")
	self := base + "/feeds/watch/" + url.PathEscape(w.ID) + ".atom"
	f := atomFeed{
		ID:       "urn:exportwatch:watch:" + w.ID,
		Title:    "exportwatch: " + brief.Isolate(w.Name),
		Subtitle: following(w),
		Updated:  w.Created,
		Author:   atomPerson{Name: "exportwatch"},
		Links:    []atomLink{{Rel: "self", Type: "application/atom+xml", Href: self}, {Rel: "alternate", Type: "text/html", Href: base + "/"}},
	}
	if len(entries) > 0 {
		f.Updated = entries[0].At
	}
	for _, e := range entries {
		c := brief.IsolateClaim(e.Claim)
		title := kindWords[e.Kind] + ": " + partyName(c, c.Subject) + " " + strings.ToLower(strings.ReplaceAll(c.Relation, "_", " ")) + " " + partyName(c, c.Object)
		entry := atomEntry{
			ID:      "urn:exportwatch:change:" + e.Cursor + ":" + c.ID,
			Title:   atomText{Type: "text", Text: title},
			Updated: e.At,
			Links:   []atomLink{{Rel: "alternate", Type: "text/html", Href: base + entityPath(c.Subject)}},
			Summary: atomText{Type: "text", Text: brief.Sentence(c)},
			Content: atomText{Type: "text", Text: content(c)},
		}
		for _, ev := range c.Evidence {
			if ev.Document.URL != "" {
				entry.Links = append(entry.Links, atomLink{Rel: "related", Type: "text/html", Href: ev.Document.URL})
			}
		}
		f.Entries = append(f.Entries, entry)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("atom feed of watch %s: %w", w.ID, err)
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// following says what a watch follows, for the feed's subtitle.
func following(w graph.Watch) string {
	var parts []string
	if len(w.Entities) > 0 {
		parts = append(parts, "claims naming "+strings.Join(w.Entities, ", "))
	}
	if len(w.Countries) > 0 {
		parts = append(parts, "claims about "+strings.Join(w.Countries, ", "))
	}
	s := strings.Join(parts, " or ")
	if len(w.Relations) > 0 {
		s += ", of " + strings.Join(w.Relations, ", ")
	}
	return s + ", " + w.MinStatus + " or stronger"
}

// content is the claim's evidence, each quote with its source, as text.
func content(c graph.Claim) string {
	var b strings.Builder
	for i, ev := range c.Evidence {
		if i > 0 {
			b.WriteString("\n\n")
		}
		text := ev.Quote
		if text == "" {
			text = "(paraphrase) " + ev.Paraphrase
		}
		fmt.Fprintf(&b, "“%s”\n— %s, %s", strings.TrimSpace(text), orUnknown(ev.Document.Publisher), ev.Document.URL)
		if ev.Document.Archive != "" {
			fmt.Fprintf(&b, " (archived: %s)", ev.Document.Archive)
		}
	}
	fmt.Fprintf(&b, "\n\nStatus: %s. Claim %s.", c.Status, c.ID)
	return b.String()
}

func orUnknown(s string) string {
	if s == "" {
		return "an unnamed publisher"
	}
	return s
}

// partyName is the name of the claim's end id.
func partyName(c graph.Claim, id string) string {
	for _, e := range c.Ends {
		if e.ID == id && e.Name != "" {
			return e.Name
		}
	}
	return id
}

// entityPath is the web app's page of an entity.
func entityPath(id string) string {
	parts := strings.Split(id, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return "/entity/" + strings.Join(parts, "/")
}
