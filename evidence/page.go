package evidence

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"

	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/scrapers/report"
)

// Page is what a cited page says and who says it.
type Page struct {
	Title, Publisher, Published string
	// Passages are the main text's blocks with their locators, then the
	// other stretches of visible text without one, so a quote from a
	// table, a caption or a short line, or across two paragraphs, is
	// found too.
	Passages []Passage
}

// ErrNotText is returned for a page that holds no text to check a quote
// against (an image, a scanned PDF, a binary file).
var ErrNotText = errors.New("the page holds no text to check a quote against")

// ReadPage reads the text of a fetched page by its content type: HTML,
// PDF or plain text.
func ReadPage(body []byte, contentType, pageURL string) (Page, error) {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == "application/pdf" || (mt == "" || mt == "application/octet-stream") && bytes.HasPrefix(body, []byte("%PDF-")):
		blocks, _, err := report.PDFText(body)
		if err != nil {
			return Page{}, fmt.Errorf("%w: %v", ErrNotText, err)
		}
		return Page{Passages: passages(blocks)}, nil
	case mt == "text/html" || mt == "application/xhtml+xml" || mt == "":
		a, err := report.Extract(body, contentType, pageURL)
		if err != nil && !errors.Is(err, report.ErrNoText) {
			return Page{}, err
		}
		p := Page{Title: a.Title, Publisher: a.Publisher, Published: a.Published, Passages: passages(a.Blocks)}
		rest, err := visibleText(body, contentType)
		if err != nil {
			return Page{}, err
		}
		// A stretch the main text already holds is searched once.
		main := map[string]bool{}
		for _, b := range a.Blocks {
			main[b.Text] = true
		}
		for _, r := range rest {
			if !main[scrapers.Squash(r.Text)] {
				p.Passages = append(p.Passages, r)
			}
		}
		if len(p.Passages) == 0 {
			return Page{}, ErrNotText
		}
		return p, nil
	case strings.HasPrefix(mt, "text/"):
		r, err := charset.NewReader(bytes.NewReader(body), contentType)
		if err != nil {
			return Page{}, fmt.Errorf("decode page: %w", err)
		}
		text, err := io.ReadAll(r)
		if err != nil {
			return Page{}, fmt.Errorf("decode page: %w", err)
		}
		var ps []Passage
		for _, para := range strings.Split(string(text), "\n\n") {
			if strings.TrimSpace(para) != "" {
				ps = append(ps, Passage{Text: para})
			}
		}
		return Page{Passages: ps}, nil
	}
	return Page{}, fmt.Errorf("%w: its content type is %q", ErrNotText, contentType)
}

func passages(blocks []report.Block) []Passage {
	out := make([]Passage, len(blocks))
	for i, b := range blocks {
		out[i] = Passage{Text: b.Text, Locator: b.Locator}
	}
	return out
}

// blockTags end a stretch of text; inline tags (a, b, span, …) do not, so
// "<b>Sand</b>vine" stays one word.
var blockTags = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true, "br": true, "caption": true, "dd": true,
	"div": true, "dl": true, "dt": true, "figcaption": true, "figure": true, "footer": true, "form": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "header": true, "hr": true, "li": true,
	"main": true, "nav": true, "ol": true, "p": true, "pre": true, "section": true, "table": true, "td": true,
	"th": true, "tr": true, "ul": true,
}

// hiddenTags hold no text a reader sees.
var hiddenTags = map[string]bool{"script": true, "style": true, "noscript": true, "template": true, "svg": true, "head": true}

// visibleText is every stretch of text a reader of the page sees, in
// order, split at block elements.
func visibleText(body []byte, contentType string) ([]Passage, error) {
	r, err := charset.NewReader(bytes.NewReader(body), contentType)
	if err != nil {
		return nil, fmt.Errorf("decode page: %w", err)
	}
	doc, err := html.Parse(r)
	if err != nil {
		return nil, fmt.Errorf("parse page: %w", err)
	}
	var out []Passage
	var cur strings.Builder
	flush := func() {
		if t := strings.TrimSpace(cur.String()); t != "" {
			out = append(out, Passage{Text: t})
		}
		cur.Reset()
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			cur.WriteString(n.Data)
			return
		case html.ElementNode:
			if hiddenTags[n.Data] {
				return
			}
			if blockTags[n.Data] {
				flush()
				defer flush()
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	flush()
	return out, nil
}
