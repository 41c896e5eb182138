package export

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/exportwatch/exportwatch/graph"
)

// BibTeX of the cited documents, one @misc entry each, for the reference
// manager of whoever writes the report: publisher as corporate author,
// title, date, URL, and in the note the retrieval time, the archived copy
// and the content hash. The key is built from publisher, year and title
// plus a piece of the document id, so it is stable across exports and
// unique without remembering the keys already written.

// latexEscaper escapes what LaTeX would read as markup.
var latexEscaper = strings.NewReplacer(
	`\`, `\textbackslash{}`, "{", `\{`, "}", `\}`, "$", `\$`, "&", `\&`, "%", `\%`, "#", `\#`, "_", `\_`,
	"^", `\^{}`, "~", `\~{}`, "\n", " ", "\r", " ",
)

// urlEscaper keeps a URL from unbalancing the braces around it.
var urlEscaper = strings.NewReplacer("{", "%7B", "}", "%7D", `\`, "%5C", " ", "%20")

func bibKey(d graph.Document) string {
	word := func(s string) string {
		for _, f := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			var b strings.Builder
			for _, r := range strings.ToLower(f) {
				if r < 128 {
					b.WriteRune(r)
				}
			}
			if b.Len() >= 3 && b.String() != "the" {
				return b.String()
			}
		}
		return ""
	}
	year := "nd"
	if len(d.Published) >= 4 {
		year = d.Published[:4]
	}
	tail := strings.TrimPrefix(d.ID, "doc:")
	if len(tail) > 8 {
		tail = tail[:8]
	}
	return cmp.Or(word(d.Publisher), "anon") + year + word(d.Title) + "-" + tail
}

var bibMonths = [...]string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

func writeBibTeX(ctx context.Context, src Source, out io.Writer) (Stats, error) {
	var st Stats
	bw := bufio.NewWriterSize(out, 64<<10)
	fmt.Fprintln(bw, "% Documents cited by exportwatch; each entry's note gives its archived copy and content hash.")
	err := src.EachDocument(ctx, func(d graph.Document) error {
		st.Documents++
		field := func(name, v string) {
			if v != "" {
				fmt.Fprintf(bw, "  %s = {%s},\n", name, v)
			}
		}
		fmt.Fprintf(bw, "\n@misc{%s,\n", bibKey(d))
		field("title", "{"+latexEscaper.Replace(cmp.Or(d.Title, d.URL))+"}")
		if d.Publisher != "" {
			// Double braces: a corporate author, never split into names.
			field("author", "{"+latexEscaper.Replace(d.Publisher)+"}")
			field("organization", latexEscaper.Replace(d.Publisher))
		}
		if len(d.Published) >= 4 {
			field("year", d.Published[:4])
			field("date", d.Published)
		}
		if len(d.Published) >= 7 {
			var m int
			if _, err := fmt.Sscanf(d.Published[5:7], "%d", &m); err == nil && m >= 1 && m <= 12 {
				fmt.Fprintf(bw, "  month = %s,\n", bibMonths[m-1])
			}
		}
		u := urlEscaper.Replace(d.URL)
		field("url", u)
		field("howpublished", `\url{`+u+`}`)
		if len(d.Retrieved) >= 10 {
			field("urldate", d.Retrieved[:10])
		}
		var note []string
		if d.Retrieved != "" {
			note = append(note, "Retrieved "+d.Retrieved)
		}
		note = append(note, "archived copy: "+cmp.Or(d.Archive, "none"), "SHA-256: "+cmp.Or(d.SHA256, "none"), "exportwatch "+d.ID)
		field("note", latexEscaper.Replace(strings.Join(note, "; ")))
		_, err := fmt.Fprintln(bw, "}")
		return err
	})
	if err != nil {
		return st, err
	}
	if err := bw.Flush(); err != nil {
		return st, fmt.Errorf("write bibtex: %w", err)
	}
	return st, nil
}
