package brief

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"strings"
)

// Method is the note on method and limits every brief ends with. It says
// what the statuses mean; it states no fact about the subject, so it
// carries no footnote.
var Method = []string{
	"This brief is composed by exportwatch from the claims in its graph. Each claim links two entities and rests on one or more documents; every factual sentence above is built from claims and footnoted to those documents, and nothing is stated without one.",
	"A reported claim rests on a secondary source (an NGO report, a news story) and is worded as what that source said. A documented claim rests on a primary record (a procurement award, a filing, a registry entry, an official list). A confirmed claim was checked against its evidence by an editor. A disputed claim is contested by other sources; a retracted one was withdrawn by its source. Where a source carries a denial, the denial is given beside the claim it answers.",
	"The data date is the newest publication or retrieval date among the cited documents: the brief knows nothing newer. The absence of a claim is not evidence that something did not happen; it means no source in the graph says so. Dates in brackets or marked uncertain are approximate, as their sources give them.",
}

// Markdown writes the brief as GitHub-flavoured Markdown with footnotes.
// diagramURL, when set, is where the network diagram's SVG can be found
// (Markdown cannot carry it inline).
func Markdown(w io.Writer, b *Brief, diagramURL string) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	p("# %s\n\n", md(b.Title))
	p("%s\n\n", md(header(b)))
	if len(b.Summary) > 0 {
		p("## Summary\n\n")
		var parts []string
		for _, st := range b.Summary {
			parts = append(parts, md(st.Text)+mdNotes(st.Notes))
		}
		p("%s\n\n", strings.Join(parts, " "))
	}
	for _, s := range b.Sections {
		p("## %s\n\n", md(s.Title))
		for _, g := range s.Groups {
			if len(g.Statements) == 0 {
				continue
			}
			if g.Heading != "" {
				p("### %s\n\n", md(g.Heading))
			}
			for _, st := range g.Statements {
				p("- %s%s\n", md(st.Text), mdNotes(st.Notes))
			}
			p("\n")
		}
		if s.Table != nil {
			mdTable(bw, s.Table)
		}
	}
	if t := b.timelineTable(); t != nil {
		p("## Timeline\n\n")
		mdTable(bw, t)
	}
	if diagramURL != "" && len(b.Diagram.Edges) > 0 {
		p("## Network\n\n![Network of %s: entities the claims above link, drawn from those claims](%s)\n\n", md(Isolate(b.Subject.Name)), diagramURL)
	}
	p("## Method and limits\n\n")
	for _, para := range Method {
		p("%s\n\n", md(para))
	}
	p("## Sources\n\n")
	for i, d := range b.Sources {
		src := sourceOf(d)
		link := md(src.URL)
		if safeURL(src.URL) {
			link = "<" + src.URL + ">"
		}
		p("[^%d]: %s %s %s\n", i+1, md(src.Lead), link, md(src.Tail))
	}
	return bw.Flush()
}

// header is the line under the title: when, as of when, about what.
func header(b *Brief) string {
	h := fmt.Sprintf("Generated %s · data as of %s · subject %s (%s), %s brief",
		b.Generated.UTC().Format("2006-01-02"), cmp.Or(formatDate(b.DataDate), "unknown"), Isolate(b.Subject.Name), b.Subject.ID, b.Kind)
	if b.Since != "" {
		h += " · transfers, designations and incidents since " + formatDate(b.Since)
	}
	if b.AsOf != "" {
		h += " · as the graph held it on " + formatDate(b.AsOf)
	}
	return h
}

func mdTable(w io.Writer, t *Table) {
	fmt.Fprintf(w, "| %s | Sources |\n|", strings.Join(t.Columns, " | "))
	for range len(t.Columns) + 1 {
		fmt.Fprint(w, " --- |")
	}
	fmt.Fprintln(w)
	for _, r := range t.Rows {
		cells := make([]string, len(r.Cells))
		for i, c := range r.Cells {
			cells[i] = md(c)
		}
		fmt.Fprintf(w, "| %s | %s |\n", strings.Join(cells, " | "), strings.TrimSpace(mdNotes(r.Notes)))
	}
	fmt.Fprintln(w)
}

func mdNotes(notes []int) string {
	var b strings.Builder
	for _, n := range notes {
		fmt.Fprintf(&b, "[^%d]", n)
	}
	return b.String()
}

// mdEscaper keeps text from scraped sources from becoming Markdown or HTML:
// a name with an asterisk, a pipe in a table cell or a <script> in a title
// prints as written.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", "&lt;", ">", "&gt;",
	"|", `\|`, "#", `\#`, "$", `\$`, "\n", " ", "\r", " ",
)

func md(s string) string { return mdEscaper.Replace(s) }
