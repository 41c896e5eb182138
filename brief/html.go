package brief

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
)

//go:embed brief.html.tmpl
var htmlTemplate string

var page = template.Must(template.New("brief").Funcs(template.FuncMap{
	"join": strings.Join,
	"inc":  func(i int) int { return i + 1 },
}).Parse(htmlTemplate))

// htmlSource is a footnote for the template; Link is false for a URL that
// is not http(s), which is printed but never made a link.
type htmlSource struct {
	source
	Link bool
}

// HTML writes the brief as one self-contained page: inline CSS and the
// network diagram as inline SVG, no outside requests, so it can be mailed
// or archived as one file.
func HTML(w io.Writer, b *Brief) error {
	var sources []htmlSource
	for _, d := range b.Sources {
		s := sourceOf(d)
		sources = append(sources, htmlSource{source: s, Link: safeURL(s.URL)})
	}
	err := page.Execute(w, map[string]any{
		"B": b, "Header": header(b), "Timeline": b.timelineTable(), "Method": Method, "Sources": sources,
		// The SVG is built by Diagram.SVG, which escapes every text it draws.
		"SVG": template.HTML(b.Diagram.SVG()),
	})
	if err != nil {
		return fmt.Errorf("render html: %w", err)
	}
	return nil
}
