package report

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"github.com/mmcdole/gofeed"

	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
)

// The fuzz targets feed the page, PDF and feed readers hostile bytes. What
// they hold to: no panic and no hang; the same bytes read twice give the
// same result; an error is one the contract names; and the text they hand
// on (titles, publishers, blocks) is squashed (single spaces, none at the
// ends), without NUL (a record line with one is refused by the records
// reader), with blocks located and numbered as promised.

// squashed fails unless s is what scrapers.Squash makes and a record can
// hold.
func squashed(t *testing.T, what, s string) {
	t.Helper()
	if s != strings.TrimSpace(s) || strings.Contains(s, "  ") || strings.ContainsRune(s, '\u00a0') ||
		strings.ContainsFunc(s, func(r rune) bool { return r != ' ' && unicode.IsSpace(r) }) {
		t.Fatalf("%s %.200q is not squashed", what, s)
	}
	if strings.ContainsRune(s, 0) {
		t.Fatalf("%s %.200q holds a NUL", what, s)
	}
}

// htmlSeeds are the report testdata's HTML pages, held-out pages included.
func htmlSeeds(f *testing.F) [][]byte {
	f.Helper()
	var out [][]byte
	for _, name := range []string{"article.html", "bom.html", "cp1251.html", "empty.html", "malformed.html"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, b)
	}
	err := filepath.WalkDir(filepath.Join("testdata", "heldout"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".html" {
			return err
		}
		b, err := os.ReadFile(path)
		out = append(out, b)
		return err
	})
	if err != nil || len(out) < 10 {
		f.Fatalf("held-out pages: %d, %v", len(out), err)
	}
	return out
}

var locator = regexp.MustCompile(`^(¶|item |heading )([1-9][0-9]*)$`)

func FuzzExtract(f *testing.F) {
	for _, b := range htmlSeeds(f) {
		f.Add(b, "text/html; charset=utf-8")
		f.Add(b[:len(b)/2], "text/html")
	}
	long := strings.Repeat("The ministry bought equipment from Example Ltd. ", 2000)
	for _, s := range []string{
		"", "<", "<html", "\xef\xbb\xbf", "\xff\xfe<\x00p\x00>\x00",
		"<p>" + long + "</p>",
		"<p>The ministry bought\x00 equipment from\u00a0Example\tLtd. in 2019.</p><p>The ministry bought\x00 equipment from\u00a0Example\tLtd. in 2019.</p>",
		"<title> a \x00 b </title><meta property=\"og:title\" content=\" \x00 \"><article><li>x</li></article>",
		`<script type="application/ld+json">{"headline":"A\u0000B","datePublished":"2021-02-30","publisher":{"name":" P\u0000 "}}</script><p>` + long[:100] + `</p>`,
		`<script type="application/ld+json">[{"@graph":[{"headline":1}]},{"headline":"x"}]</script><li>one</li>`,
		`<script type="application/ld+json">{"@graph":[{"headline":"H","publisher":"\u00a0Pub\u2028"}]}</script><li>one</li>`,
		`<meta name="date" content="2021-09-20T08:00:00Z"><time datetime="9999-99-99">x</time><li>i</li>`,
		`<meta charset="x-user-defined"><p>` + long[:60] + "\x80\xff</p>",
		`<meta http-equiv="Content-Type" content="text/html; charset=utf-16"><p>` + long[:60] + `</p>`,
		strings.Repeat("<div>", 5000) + "<p>" + long[:60] + "</p>",
		strings.Repeat("<li>", 3000) + "item",
		"<article><p>" + long[:60] + "</p></article><main><p>other main text of the page here</p></main>",
		"<table><tr><td><p>" + long[:60] + "<h2>Head\x0bing</h2>",
		"<p>\xc3\x28 invalid utf-8 in a paragraph of the page</p>",
	} {
		f.Add([]byte(s), "text/html")
	}
	f.Add([]byte("<p>"+long[:60]+"</p>"), "text/html; charset=windows-1251")
	f.Add([]byte("<p>"+long[:60]+"</p>"), "text/html; charset=bogus")
	f.Add([]byte("<p>"+long[:60]+"</p>"), "application/pdf")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		const pageURL = "https://www.example-watch.org/reports/1"
		a, err := Extract(body, contentType, pageURL)
		again, err2 := Extract(body, contentType, pageURL)
		if fmt.Sprint(err) != fmt.Sprint(err2) || !cmp.Equal(a, again) {
			t.Fatalf("two reads differ: %v / %v\n%s", err, err2, cmp.Diff(a, again))
		}
		if err != nil && !errors.Is(err, ErrNoText) {
			if !strings.HasPrefix(err.Error(), "decode page: ") && !strings.HasPrefix(err.Error(), "parse page: ") {
				t.Fatalf("an error the contract does not name: %v", err)
			}
			return
		}
		squashed(t, "title", a.Title)
		squashed(t, "publisher", a.Publisher)
		if a.Publisher == "" {
			t.Fatalf("no publisher, though the page URL names one")
		}
		if a.Published != "" && (len(a.Published) != 10 || !records.ValidDate(a.Published)) {
			t.Fatalf("published %q is not a date", a.Published)
		}
		next := map[string]int{}
		seen := map[string]bool{}
		for _, b := range a.Blocks {
			squashed(t, "block", b.Text)
			m := locator.FindStringSubmatch(b.Locator)
			if m == nil || b.Text == "" || seen[b.Text] {
				t.Fatalf("block %q at %q: empty, repeated or oddly located", b.Text, b.Locator)
			}
			seen[b.Text] = true
			if next[m[1]]++; fmt.Sprint(next[m[1]]) != m[2] {
				t.Fatalf("block at %q: want number %d", b.Locator, next[m[1]])
			}
			if m[1] == "¶" && len(b.Text) < 20 {
				t.Fatalf("a paragraph of %d bytes: short ones are left out", len(b.Text))
			}
		}
		if text := next["¶"] + next["item "]; (text == 0) != errors.Is(err, ErrNoText) {
			t.Fatalf("%d paragraphs and items, error %v: ErrNoText is for a page without either", text, err)
		}
	})
}

var pdfLocator = regexp.MustCompile(`^p\. ([1-9][0-9]*) ¶([1-9][0-9]*)$`)

func FuzzPDFText(f *testing.F) {
	long := "The equipment was obtained by the National Traffic Exchange Center as part of a contract with Jet Infosystems."
	for _, pages := range [][]string{
		{long}, {long, "In 2019 the ministry bought interception systems from Example Ltd."}, {"", ""}, {"short"},
		{long + "\n\n" + long + "\n\nshort\n\n" + strings.Repeat("x ", 100)},
	} {
		b := scrapertest.ReportPDF(f, pages...)
		f.Add(b)
		f.Add(b[:len(b)/2])
		f.Add(b[:len(b)-10])
	}
	for _, s := range []string{"", "%PDF-", "%PDF-1.4\nnot really a pdf", "%PDF-1.4\n%%EOF", "%PDF-1.7\ntrailer\n<< /Root 1 0 R /Size 99999999 >>\n%%EOF",
		"%PDF-1.4\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 1 >>\nstartxref\n9\n%%EOF"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		blocks, problems, err := PDFText(body)
		blocks2, problems2, err2 := PDFText(body)
		if fmt.Sprint(err) != fmt.Sprint(err2) || !cmp.Equal(blocks, blocks2) || !cmp.Equal(problems, problems2) {
			t.Fatalf("two reads differ: %v / %v", err, err2)
		}
		if err != nil {
			if blocks != nil || (!errors.Is(err, ErrScanned) && !strings.HasPrefix(err.Error(), "read PDF: ")) {
				t.Fatalf("error %v with %d blocks", err, len(blocks))
			}
			return
		}
		if len(blocks) == 0 {
			t.Fatal("no blocks and no error: a PDF without text is ErrScanned")
		}
		lastPage, lastPara := 0, 0
		for _, b := range blocks {
			squashed(t, "block", b.Text)
			if len(b.Text) < 20 {
				t.Fatalf("a block of %d bytes: short ones are left out", len(b.Text))
			}
			m := pdfLocator.FindStringSubmatch(b.Locator)
			if m == nil {
				t.Fatalf("locator %q", b.Locator)
			}
			var page, para int
			fmt.Sscan(m[1], &page)
			fmt.Sscan(m[2], &para)
			if page < lastPage || page > maxPDFPages || (page == lastPage && para != lastPara+1) || (page > lastPage && para != 1) {
				t.Fatalf("locator %q after p. %d ¶%d", b.Locator, lastPage, lastPara)
			}
			lastPage, lastPara = page, para
		}
	})
}

// atom is the feed scrapertest.Report serves.
const atom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Example Watch</title><id>urn:example:feed</id><updated>2021-09-20T08:00:00Z</updated>
<entry><title>Report</title><id>urn:example:1</id><updated>2021-09-20T08:00:00Z</updated><link href="https://www.example-watch.org/reports/1"/></entry>
<entry><title>PDF</title><id>urn:example:2</id><updated>2021-09-21T08:00:00Z</updated><link href="https://www.example-watch.org/files/report.pdf"/></entry>
</feed>`

const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://example.org/</link>
<item><title>A</title><link>https://example.org/a</link></item><item><title>no link</title></item>
<item><link> https://example.org/b?x=1&amp;y=2 </link><guid isPermaLink="true">https://example.org/g</guid></item></channel></rss>`

func FuzzFeedLinks(f *testing.F) {
	for _, s := range []string{
		atom, rss, atom[:len(atom)/2], rss[:len(rss)-20], "", "<", "<html><body><p>not a feed</p></body></html>",
		`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel><title>T</title></channel><item><title>A</title><link>https://example.org/rdf</link></item></rdf:RDF>`,
		`{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[{"id":"1","url":"https://example.org/j"},null,{"id":"3"}]}`,
		`{"version":"https://jsonfeed.org/version/1","items":null}`, `{"version":"https://jsonfeed.org/version/1","items":[1,2]}`,
		`<rss version="2.0"><channel>` + strings.Repeat("<item><link>https://example.org/i</link></item>", 60) + `</channel></rss>`,
		`<rss version="2.0"><channel><item><link>` + strings.Repeat("<a>", 10000) + `</link></item></channel></rss>`,
		`<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><rss version="2.0"><channel><item><link>&b;</link></item></channel></rss>`,
		`<?xml version="1.0" encoding="windows-1252"?><rss version="2.0"><channel><item><link>https://example.org/` + "\x93q\x94" + `</link></item></channel></rss>`,
		"<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><link href=\"\xff\x00\"/></entry></feed>",
		"\xef\xbb\xbf" + rss,
	} {
		f.Add([]byte(s), 50)
	}
	f.Add([]byte(atom), 1)
	f.Add([]byte(rss), 0)
	f.Add([]byte(rss), -1)
	f.Fuzz(func(t *testing.T, body []byte, limit int) {
		links, err := feedLinks(body, limit)
		again, err2 := feedLinks(body, limit)
		if fmt.Sprint(err) != fmt.Sprint(err2) || !cmp.Equal(links, again) {
			t.Fatalf("two reads differ: %q %v / %q %v", links, err, again, err2)
		}
		if err != nil && links != nil {
			t.Fatalf("links %q with error %v", links, err)
		}
		if len(links) > max(limit, 0) {
			t.Fatalf("%d links, limit %d", len(links), limit)
		}
		for _, l := range links {
			if l == "" {
				t.Fatal("an empty link")
			}
		}
		// Reading the head only must not change what a whole feed gives
		// (a feed broken after its limit-th item may give more).
		if whole, ok := wholeFeedLinks(body, limit); ok && (err != nil || !cmp.Equal(links, whole)) {
			t.Fatalf("the head gives %q (%v), the whole feed %q", links, err, whole)
		}
	})
}

// wholeFeedLinks is what feedLinks gave before it read only the head:
// gofeed on the whole feed. ok is false where gofeed fails or panics.
func wholeFeedLinks(body []byte, limit int) (links []string, ok bool) {
	defer func() {
		if recover() != nil {
			links, ok = nil, false
		}
	}()
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return nil, false
	}
	for i, it := range feed.Items {
		if i < limit && it.Link != "" {
			links = append(links, it.Link)
		}
	}
	return links, true
}
