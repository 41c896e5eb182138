package brief

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/exportwatch/exportwatch/graph"
)

// source is a footnote: who published what and when (Lead), where it is
// (URL), and the archived copy and content hash that let a reader check
// it is the same text the claim was read from (Tail).
type source struct {
	Lead, URL, Tail string
}

func sourceOf(d graph.Document) source {
	published := "undated"
	if d.Published != "" {
		published = formatDate(d.Published)
	}
	retrieved := "Not fetched by exportwatch (entered by an editor)"
	if d.Retrieved != "" {
		retrieved = "Retrieved " + d.Retrieved
	}
	return source{
		Lead: fmt.Sprintf("%s, “%s”, %s.", cmp.Or(d.Publisher, host(d.URL)), cmp.Or(d.Title, "untitled"), published),
		URL:  d.URL,
		Tail: fmt.Sprintf("%s. Archived copy: %s. SHA-256: %s. Document %s.", retrieved,
			cmp.Or(d.Archive, "none yet"), cmp.Or(d.SHA256, "none yet"), d.ID),
	}
}

func (s source) String() string { return s.Lead + " " + s.URL + " " + s.Tail }

// safeURL says whether a URL can stand in Markdown's angle brackets as is.
func safeURL(u string) bool {
	return (strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")) && !strings.ContainsAny(u, "<> \t\n\r")
}
