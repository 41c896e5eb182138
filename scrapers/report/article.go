// Package report turns NGO and news report pages into text a reader and an
// extractor can use: the main text of an HTML page (paragraphs and list
// items with their position as the locator) without the navigation,
// footers, share bars and related-link boxes around it, and the page's
// title, publisher and publication date from its metadata.
package report

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html/charset"

	"github.com/exportwatch/exportwatch/scrapers"
)

// Block is a paragraph, list item, quotation or heading of the main text.
type Block struct {
	Text    string
	Locator string // "¶4", "item 2", "heading 1"
}

// Article is what a page says and who says it.
type Article struct {
	Title, Publisher, Published string
	Blocks                      []Block
}

// ErrNoText is returned for a page with no main text (a landing page, a
// page built by scripts, an image).
var ErrNoText = errors.New("no main text")

// boilerplate are the class, id and role words of what surrounds an
// article: navigation, share bars, related links, newsletters, comments.
var boilerplate = regexp.MustCompile(`(?i)(^|[-_ ])(nav|navbar|menu|breadcrumbs?|footer|header|masthead|share|sharing|social|related|recommended|more-stories|newsletter|subscribe|signup|cookie|consent|banner|promo|advert|ads?|sidebar|comments?|pagination|tags|byline-share|toolbar|popup|modal)([-_ ]|$)`)

// Extract reads an HTML page, in whatever charset its Content-Type or
// meta tag (or a byte-order mark) says, and returns its main text and
// metadata. pageURL names the publisher when the page does not.
func Extract(body []byte, contentType, pageURL string) (*Article, error) {
	r, err := charset.NewReader(bytes.NewReader(body), contentType)
	if err != nil {
		return nil, fmt.Errorf("decode page: %w", err)
	}
	doc, err := goquery.NewDocumentFromReader(r)
	if err != nil {
		return nil, fmt.Errorf("parse page: %w", err)
	}
	a := &Article{}
	meta := func(keys ...string) string {
		for _, k := range keys {
			if v := strings.TrimSpace(doc.Find(`meta[property="`+k+`"], meta[name="`+k+`"]`).First().AttrOr("content", "")); v != "" {
				return v
			}
		}
		return ""
	}
	ld := jsonLD(doc)
	a.Title = squash(cmp.Or(meta("og:title", "twitter:title"), ld.Headline, doc.Find("title").First().Text(), doc.Find("h1").First().Text()))
	a.Publisher = squash(cmp.Or(meta("og:site_name"), ld.publisher(), host(pageURL)))
	a.Published = scrapers.Date(cmp.Or(meta("article:published_time", "datePublished", "date", "pubdate", "dc.date", "DC.date.issued"),
		ld.DatePublished, doc.Find("time[datetime]").First().AttrOr("datetime", "")))

	doc.Find("script, style, noscript, template, iframe, svg, nav, header, footer, aside, form, button, select").Remove()
	doc.Find("[class], [id], [role]").Each(func(_ int, s *goquery.Selection) {
		for _, attr := range []string{"class", "id", "role"} {
			if v, ok := s.Attr(attr); ok && boilerplate.MatchString(v) && s.Is(":not(body):not(html):not(article):not(main)") {
				s.Remove()
				return
			}
		}
	})
	root := doc.Find("article").First()
	if root.Length() == 0 {
		root = doc.Find("main, [role=main]").First()
	}
	if root.Length() == 0 {
		root = doc.Find("body")
	}
	var para, item, heading int
	seen := map[string]bool{}
	root.Find("p, li, blockquote, h2, h3, h4").Each(func(_ int, s *goquery.Selection) {
		// The innermost block speaks: a list item holding paragraphs
		// gives its paragraphs.
		if s.Find("p, li, blockquote").Length() > 0 {
			return
		}
		text := scrapers.Squash(s.Text())
		tag := goquery.NodeName(s)
		if text == "" || seen[text] || (tag != "li" && !strings.HasPrefix(tag, "h") && len(text) < 20) {
			return
		}
		seen[text] = true
		var loc string
		switch {
		case tag == "li":
			item++
			loc = fmt.Sprintf("item %d", item)
		case strings.HasPrefix(tag, "h"):
			heading++
			loc = fmt.Sprintf("heading %d", heading)
		default:
			para++
			loc = fmt.Sprintf("¶%d", para)
		}
		a.Blocks = append(a.Blocks, Block{Text: text, Locator: loc})
	})
	if para+item == 0 {
		return a, ErrNoText
	}
	return a, nil
}

// squash is scrapers.Squash without NULs: JSON-LD may escape one ("\u0000"),
// and a record line holding one is refused by the records reader.
func squash(s string) string {
	return scrapers.Squash(strings.ReplaceAll(s, "\x00", ""))
}

// ldArticle is the part of a JSON-LD NewsArticle or Report this reads.
type ldArticle struct {
	Headline      string          `json:"headline"`
	DatePublished string          `json:"datePublished"`
	Publisher     json.RawMessage `json:"publisher"`
}

func (l ldArticle) publisher() string {
	var p struct {
		Name string `json:"name"`
	}
	if json.Unmarshal(l.Publisher, &p) == nil && p.Name != "" {
		return p.Name
	}
	var name string
	if json.Unmarshal(l.Publisher, &name) == nil {
		return name
	}
	return ""
}

// jsonLD reads the first JSON-LD object with a headline or a date; a
// graph or a list of objects is searched too. Broken JSON-LD is passed
// over: the page's other metadata may still say.
func jsonLD(doc *goquery.Document) ldArticle {
	var found ldArticle
	doc.Find(`script[type="application/ld+json"]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		raw := []byte(s.Text())
		var candidates []ldArticle
		var one ldArticle
		var graph struct {
			Graph []ldArticle `json:"@graph"`
		}
		switch {
		case json.Unmarshal(raw, &candidates) == nil:
		case json.Unmarshal(raw, &graph) == nil && len(graph.Graph) > 0:
			candidates = graph.Graph
		case json.Unmarshal(raw, &one) == nil:
			candidates = []ldArticle{one}
		}
		for _, c := range candidates {
			if c.Headline != "" || c.DatePublished != "" {
				found = c
				return false
			}
		}
		return true
	})
	return found
}

func host(u string) string {
	if p, err := url.Parse(u); err == nil {
		return strings.TrimPrefix(p.Hostname(), "www.")
	}
	return ""
}
