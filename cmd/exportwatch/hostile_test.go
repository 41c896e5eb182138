package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"golang.org/x/net/html"

	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/records/hostile"
)

// TestHostileTextIsInert loads a record file whose every text field is an
// attack on some format (records/hostile) and writes every brief and
// export of it: each attack must come out as text. The API's JSON and the
// web app are checked in their own packages (api, web/e2e).
func TestHostileTextIsInert(t *testing.T) {
	env := withNeo4j(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "hostile.jsonl")
	if err := records.WriteFile(file, hostile.File); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := exportwatch(t, env, "load", file); code != 0 {
		t.Fatalf("load (exit %d): %s", code, errOut)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	run := func(args ...string) {
		t.Helper()
		if _, errOut, code := exportwatch(t, env, args...); code != 0 {
			t.Fatalf("%v (exit %d): %s", args, code, errOut)
		}
	}

	for _, subject := range []string{hostile.Vendor, hostile.Buyer} {
		base := strings.ReplaceAll(subject, "/", "-")
		run("brief", "--subject", subject, "--format", "html", "--out", filepath.Join(dir, base+".html"))
		run("brief", "--subject", subject, "--format", "md", "--out", filepath.Join(dir, base+".md"))
		run("brief", "--subject", subject, "--format", "pdf", "--out", filepath.Join(dir, base+".pdf"))

		t.Run(base+"/html", func(t *testing.T) {
			text := inertHTML(t, read(base+".html"), func(string) bool { return false })
			mustHold(t, text, hostile.Script, hostile.LaTeX)
			bidiContained(t, text)
		})
		t.Run(base+"/markdown", func(t *testing.T) {
			src := read(base + ".md")
			// GitHub renders $…$ as math: every dollar is escaped.
			if m := regexp.MustCompile(`(^|[^\\])\$`).FindString(src); m != "" {
				t.Errorf("an unescaped $ in the Markdown: %q", m)
			}
			var out bytes.Buffer
			md := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote), goldmark.WithRendererOptions(gmhtml.WithUnsafe()))
			if err := md.Convert([]byte(src), &out); err != nil {
				t.Fatal(err)
			}
			// The brief's own diagram is the one image allowed.
			text := inertHTML(t, out.String(), func(src string) bool { return src == base+".svg" })
			mustHold(t, text, hostile.Script, "[open](javascript:", "![pixel](https://track.example/p.png)", `$\color{red}`)
			bidiContained(t, text)
		})
		t.Run(base+"/pdf", func(t *testing.T) {
			pdf := read(base + ".pdf")
			for _, action := range []string{"/JavaScript", "/JS ", "/JS(", "/Launch", "/OpenAction", "/SubmitForm", "/Type /EmbeddedFile"} {
				if strings.Contains(pdf, action) {
					t.Errorf("the PDF holds an active %s", action)
				}
			}
			for _, m := range regexp.MustCompile(`/URI\s*\(([^)]*)\)`).FindAllStringSubmatch(pdf, -1) {
				if !strings.HasPrefix(m[1], "https://") && !strings.HasPrefix(m[1], "http://") {
					t.Errorf("the PDF links to %q", m[1])
				}
			}
		})
	}

	run("export", "--format", "csv", "--out", filepath.Join(dir, "csv"))
	run("export", "--format", "ftm", "--out", filepath.Join(dir, "all.ftm.json"))
	run("export", "--format", "graphml", "--out", filepath.Join(dir, "all.graphml"))
	run("export", "--format", "bibtex", "--out", filepath.Join(dir, "all.bib"))
	run("export", "--format", "cypher", "--out", filepath.Join(dir, "all.cypher"))

	t.Run("csv", func(t *testing.T) {
		var all []string
		for name := range map[string]bool{"nodes.csv": true, "edges.csv": true, "claims.csv": true, "documents.csv": true, "evidence.csv": true} {
			rows, err := csv.NewReader(strings.NewReader(read(filepath.Join("csv", name)))).ReadAll()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			for _, row := range rows {
				for _, cell := range row {
					if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
						t.Errorf("%s: a cell a spreadsheet runs: %q", name, cell)
					}
					all = append(all, cell)
				}
			}
		}
		// Defused, not lost: each formula is there after its apostrophe.
		mustHold(t, strings.Join(all, "\n"), "'"+hostile.Formula, "'"+hostile.Plus, "'"+hostile.Minus, hostile.Script, hostile.Bidi)
	})
	t.Run("ftm", func(t *testing.T) {
		var values []string
		dec := json.NewDecoder(strings.NewReader(read("all.ftm.json")))
		for {
			var v struct{ Properties map[string][]string }
			if err := dec.Decode(&v); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatal(err)
			}
			for _, vs := range v.Properties {
				values = append(values, vs...)
			}
		}
		mustHold(t, strings.Join(values, "\n"), hostile.Script, hostile.Formula, hostile.LaTeX, hostile.Bidi)
	})
	t.Run("graphml", func(t *testing.T) {
		dec := xml.NewDecoder(strings.NewReader(read("all.graphml")))
		var text strings.Builder
		for {
			tok, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			switch x := tok.(type) {
			case xml.StartElement:
				if !slices.Contains([]string{"graphml", "key", "default", "graph", "node", "edge", "data"}, x.Name.Local) {
					t.Errorf("an element <%s> in the GraphML", x.Name.Local)
				}
			case xml.CharData:
				text.Write(x)
			}
		}
		mustHold(t, text.String(), hostile.Script, hostile.Formula, hostile.LaTeX)
	})
	t.Run("bibtex", func(t *testing.T) {
		bib := read("all.bib")
		for _, cmd := range []string{`\input`, `\write18`, `\color`} {
			if strings.Contains(bib, cmd) {
				t.Errorf("the BibTeX holds the command %s", cmd)
			}
		}
		depth := 0
		for i := 0; i < len(bib); i++ {
			switch {
			case bib[i] == '\\':
				i++ // an escaped character
			case bib[i] == '{':
				depth++
			case bib[i] == '}':
				depth--
			}
			if depth < 0 {
				t.Fatalf("a brace closes what it did not open, at byte %d: %q", i, bib[max(i-60, 0):i+1])
			}
		}
		if depth != 0 {
			t.Errorf("%d braces left open", depth)
		}
	})
	t.Run("cypher", func(t *testing.T) {
		// The attack's quote would end the literal and run the next
		// statement; in the script it is escaped wherever it stands
		// (export's TestCypherRoundTrip runs such a script on Neo4j).
		script := read("all.cypher")
		found := 0
		for at := 0; ; {
			i := strings.Index(script[at:], hostile.Cypher)
			if i < 0 {
				break
			}
			at += i
			slashes := 0
			for j := at - 1; j >= 0 && script[j] == '\\'; j-- {
				slashes++
			}
			if slashes%2 == 0 {
				t.Errorf("the attack's quote ends a literal: %q", script[max(at-40, 0):at+len(hostile.Cypher)])
			}
			found++
			at++
		}
		if found == 0 {
			t.Error("the script does not hold the attack's text at all")
		}
	})
}

// inertHTML parses a page and fails on anything a source's text could have
// made active: a script, frame, object or form; an event attribute; a
// link or source whose scheme is not http(s) (or a fragment); an image
// that allowImage does not name. It returns the page's text.
func inertHTML(t *testing.T, page string, allowImage func(src string) bool) string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			if n.Parent == nil || n.Parent.Data != "style" {
				text.WriteString(n.Data)
			}
		case html.ElementNode:
			switch n.Data {
			case "script", "iframe", "frame", "object", "embed", "form", "base", "meta":
				if n.Data != "meta" || hasAttr(n, "http-equiv", "refresh") {
					t.Errorf("an active element <%s>", n.Data)
				}
			case "img":
				if !allowImage(attr(n, "src")) {
					t.Errorf("an image from %q", attr(n, "src"))
				}
			}
			for _, a := range n.Attr {
				k := strings.ToLower(a.Key)
				if strings.HasPrefix(k, "on") {
					t.Errorf("an event attribute %s=%q on <%s>", a.Key, a.Val, n.Data)
				}
				if (k == "href" || k == "src" || k == "xlink:href" || k == "action") && !allowImage(a.Val) {
					v := strings.ToLower(strings.TrimSpace(a.Val))
					if !strings.HasPrefix(v, "https://") && !strings.HasPrefix(v, "http://") && !strings.HasPrefix(v, "#") {
						t.Errorf("<%s %s=%q>", n.Data, a.Key, a.Val)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return text.String()
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key, val string) bool { return strings.EqualFold(attr(n, key), val) }

// mustHold fails unless text holds each string as written: inert, but not
// lost or mangled.
func mustHold(t *testing.T, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("the text does not hold %q as written", w)
		}
	}
}

// bidiContained fails when a line of text has a bidirectional control that
// could reorder text beyond its own field: an override or embedding
// opened outside an isolate, a closer with nothing to close, or anything
// left open at the end of the line.
func bidiContained(t *testing.T, text string) {
	t.Helper()
	for _, line := range strings.Split(text, "\n") {
		var open []rune // '\u2069' for an isolate, '\u202C' for an embedding
		for _, r := range line {
			switch r {
			case '\u202A', '\u202B', '\u202D', '\u202E':
				if !slices.Contains(open, '\u2069') {
					t.Errorf("an override outside any isolate: %q", line)
				}
				open = append(open, '\u202C')
			case '\u2066', '\u2067', '\u2068':
				open = append(open, '\u2069')
			case '\u202C', '\u2069':
				if len(open) == 0 || !slices.Contains(open, r) {
					t.Errorf("a stray %U: %q", r, line)
					continue
				}
				for open[len(open)-1] != r {
					open = open[:len(open)-1]
				}
				open = open[:len(open)-1]
			}
		}
		if len(open) > 0 {
			t.Errorf("left open at the end of the line: %q", line)
		}
	}
}
