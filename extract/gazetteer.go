// Package extract finds, in the sentences of a report, the entities they
// name: a gazetteer of every entity name and alias (from the graph and the
// seed, and the industry list of surveillance vendors) and of the
// countries with their demonyms, matched longest first on
// normalised words (a long capitalised name misspelt by one letter too),
// and a pattern for organisations the gazetteer does not know yet
// (capitalised names with a legal form: "Example Systems Ltd.", "ООО
// Ромашка"). ExtractParsed reads the same mentions from spaCy's parses.
package extract

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/exportwatch/exportwatch/country"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/resolve"
)

// maxWords is the longest name, in words, the gazetteer matches.
const maxWords = 10

// Entry is a name the gazetteer knows.
type Entry struct {
	ID, Schema, Name string
	// Makers are, for a product, the companies a source says offer it
	// (Pegasus: NSO Group): a sentence that names the product as what
	// was sold names its maker as the seller.
	Makers []Entry
}

// Gazetteer maps normalised names to the entities that bear them.
type Gazetteer struct {
	names map[string][]Entry
	// near maps each long name, with one letter deleted, to the names it
	// came from: a name a page misspells by one letter ("Netsweper",
	// "Telecomunication Company of Iran") is found through it.
	near map[string][]string
	// common are the industry list's names that are also English words
	// or surnames ("Circles", "Harris"): see listedFits.
	common map[string]bool
	// vocabulary holds every word of the names: a span of text with a word
	// outside it (and not one Reduce drops) is no name, which Find knows
	// without building the span's key.
	vocabulary map[string]bool
}

// Misspellings are looked for only in long names, where one letter
// cannot make another name ("Allot" and "Alloy" are both words); the
// index stops growing at maxNear deletions, which a gazetteer of the
// seed and a large export stays under.
const (
	minNearLen = 10
	maxNear    = 1 << 20
)

// NewGazetteer indexes entries by their normalised names, and the
// countries by name, other names and demonym. A name shared by several
// entities keeps them all: the mention is ambiguous and says so.
func NewGazetteer(entries []Entry) *Gazetteer {
	g := &Gazetteer{names: map[string][]Entry{}, near: map[string][]string{}, common: map[string]bool{}, vocabulary: map[string]bool{}}
	add := func(name string, e Entry) {
		key := resolve.Key(resolve.Words(name))
		if key == "" || len(key) < 2 {
			return
		}
		if !slices.ContainsFunc(g.names[key], func(x Entry) bool { return x.ID == e.ID }) {
			g.names[key] = append(g.names[key], e)
		}
	}
	for _, e := range entries {
		add(e.Name, e)
	}
	for _, c := range country.All() {
		e := Entry{ID: "country:" + c.Code, Schema: "Country", Name: c.Name}
		for _, n := range c.Names() {
			// Codes and short upper-case forms are words too often ("US"
			// is "us"); names of four letters or more, and the
			// three-letter forms that are no English word.
			if utf8.RuneCountInString(n) >= 4 || shortCountryNames[n] {
				add(n, e)
			}
		}
	}
	g.addIndustry()
	n := 0
	for key := range g.names {
		for _, w := range strings.Fields(key) {
			g.vocabulary[w] = true
		}
		if len(key) < minNearLen || n >= maxNear || strings.ContainsAny(key, "0123456789") || utf8.RuneCountInString(key) != len(key) {
			continue // numbers are equal or not: "Vendor 12" is not "Vendor 112"
		}
		for _, d := range deletions(key) {
			g.near[d] = append(g.near[d], key)
			n++
		}
	}
	return g
}

// deletions are key with each of its letters left out in turn.
func deletions(key string) []string {
	out := make([]string, 0, len(key))
	for i := range key {
		if key[i] == ' ' {
			continue
		}
		out = append(out, key[:i]+key[i+1:])
	}
	return out
}

// misspelt returns the entries of the one name key is one letter away
// from (a letter left out, added or changed); nil when there is none or
// more than one.
func (g *Gazetteer) misspelt(key string) []Entry {
	if len(key) < minNearLen-1 || utf8.RuneCountInString(key) != len(key) || strings.ContainsAny(key, "0123456789") { // one letter short of a long name; letters as bytes
		return nil
	}
	var found []string
	note := func(k string) {
		if k != key && !slices.Contains(found, k) {
			found = append(found, k)
		}
	}
	for _, k := range g.near[key] { // a letter added
		note(k)
	}
	for _, d := range deletions(key) {
		if _, ok := g.names[d]; ok && len(d) >= minNearLen { // a letter left out
			note(d)
		}
		for _, k := range g.near[d] { // a letter changed
			if len(k) == len(key) {
				note(k)
			}
		}
	}
	if len(found) != 1 {
		return nil
	}
	return g.names[found[0]]
}

// shortCountryNames are the short forms news writes countries by that
// are no word of their own.
var shortCountryNames = map[string]bool{"UAE": true, "USA": true, "DRC": true}

// Len is the number of distinct names.
func (g *Gazetteer) Len() int { return len(g.names) }

// Mention is a span of a sentence that names an entity: the gazetteer's
// candidates for it, or none for an organisation found by pattern.
type Mention struct {
	Start, End int // byte offsets in the sentence
	Text       string
	Candidates []Entry
	// New marks an organisation the gazetteer does not know, found by a
	// pattern: its one candidate has no id, the pattern's schema (Company
	// or PublicBody) and the text as name.
	New bool
	// Listed marks a new organisation the industry list knows: a vendor
	// by its name, as sure as one the graph knows.
	Listed bool
	// Of is the country id ("country:EG") a state body was read from,
	// when the sentence named the country ("the Egyptian authorities").
	Of string
}

type word struct {
	start, end int
	text       string
}

// words splits a sentence into words of letters and digits (with the
// apostrophes and full stops inside them: "Azerbaijan's", "U.S."), with
// their byte offsets.
func words(s string) []word {
	var out []word
	start := -1
	for i, r := range s {
		inWord := unicode.IsLetter(r) || unicode.IsDigit(r) || (start >= 0 && (r == '\'' || r == '’' || r == '.' || r == '-'))
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			out = append(out, word{start, i, s[start:i]})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, word{start, len(s), s[start:]})
	}
	// A word's trailing stop or apostrophe ends the sentence or a
	// possessive; it is not part of the name; nor is a participle of
	// ownership joined to a name by a hyphen ("Francisco Partners-owned
	// Sandvine"; see hyphenSuffixes).
	for i := range out {
		w := &out[i]
		for _, suffix := range hyphenSuffixes {
			if k := strings.LastIndex(w.text, suffix); k > 0 && k+len(suffix) == len(w.text) {
				w.text, w.end = w.text[:k], w.start+k
			}
		}
		for strings.HasSuffix(w.text, ".") && !strings.Contains(strings.TrimSuffix(w.text, "."), ".") && !isAbbrev(w.text) {
			w.text, w.end = strings.TrimSuffix(w.text, "."), w.end-1
		}
	}
	return out
}

// isAbbrev keeps the stop of a legal form ("Inc.", "Ltd.") on its word.
func isAbbrev(w string) bool {
	switch strings.ToLower(strings.TrimSuffix(w, ".")) {
	case "inc", "ltd", "co", "corp", "llc", "plc", "s.a", "b.v", "n.v", "jsc":
		return true
	}
	return false
}

// possessive strips "'s" so "Azerbaijan's government" names Azerbaijan.
func possessive(w string) string {
	for _, s := range []string{"'s", "’s"} {
		if strings.HasSuffix(w, s) {
			return strings.TrimSuffix(w, s)
		}
	}
	return w
}

// hyphenSuffixes are the participles a name takes after a hyphen.
// Only those that tie the name to what follows as its owner or backer:
// "Kenya-based" and "Chinese-made" keep their hyphen, or a reseller
// "Kenya-based" would name Kenya as a party.
var hyphenSuffixes = []string{"-owned", "-backed", "-controlled", "-run", "-funded", "-linked"}

// Find returns the mentions of a sentence, left to right, each the longest
// name that matches at its place; words already inside a mention start no
// other. It takes time in proportion to the sentence's words (at most
// maxWords lookups each), so a sentence naming 200 companies is no harder
// than one naming two.
func (g *Gazetteer) Find(sentence string) []Mention {
	ws := words(sentence)
	// Each word is normalised once; a span's key reduces the words of
	// the span (a possessive dropped from its last word).
	normal := make([][]string, len(ws))
	owned := make([][]string, len(ws))
	for i, w := range ws {
		normal[i] = resolve.Words(w.text)
		owned[i] = resolve.Words(possessive(w.text))
	}
	key := func(from, n int) string {
		var span []string
		for k := range n - 1 {
			span = append(span, normal[from+k]...)
		}
		return resolve.Key(append(span, owned[from+n-1]...))
	}
	named := func(tokens []string) bool {
		for _, t := range tokens {
			if !g.vocabulary[t] && !resolve.Droppable(t) {
				return false
			}
		}
		return true
	}
	// reach[i] is how many words from i on could all be in a name; a
	// span of n words from i may be a name when its first n-1 words are
	// (reach[i] >= n-1) and its last, possessive dropped, is too.
	reach := make([]int, len(ws)+1)
	for i := len(ws) - 1; i >= 0; i-- {
		if named(normal[i]) {
			reach[i] = reach[i+1] + 1
		}
	}
	lower := func(w word) bool { r, _ := utf8.DecodeRuneInString(w.text); return unicode.IsLower(r) }
	var out []Mention
	for i := 0; i < len(ws); {
		matched := 0
		var entries []Entry
		for n := min(maxWords, len(ws)-i); n >= 1; n-- {
			if reach[i] < n-1 || !named(owned[i+n-1]) {
				continue
			}
			if es, ok := g.names[key(i, n)]; ok {
				matched, entries = n, es
				break
			}
		}
		// A capitalised name one letter away from a known one is that
		// one, misspelt.
		for n := min(maxWords, len(ws)-i); matched == 0 && n >= 1; n-- {
			if capitalised(ws[i : i+n]) {
				if es := g.misspelt(key(i, n)); es != nil {
					matched, entries = n, es
				}
			}
		}
		if matched == 0 {
			i++
			continue
		}
		// Normalising drops legal forms and "and" or "the" at the edges;
		// in running text a lower-case "as", "and" or "the" beside a name
		// is English, not part of it.
		k := key(i, matched)
		for matched > 1 && lower(ws[i+matched-1]) && key(i, matched-1) == k {
			matched--
		}
		for matched > 1 && (lower(ws[i]) || ws[i].text == "The") && key(i+1, matched-1) == k {
			i, matched = i+1, matched-1
		}
		if listedOnly(entries) && !g.listedFits(ws, i, matched, k) {
			i++
			continue
		}
		// A product named with its maker ("Sandvine PacketLogic") is two
		// mentions: the maker is a party to what the sentence says.
		if onlySchema(entries, "Product") {
			for n := matched - 1; n >= 1; n-- {
				if maker := g.names[key(i, n)]; onlySchema(maker, "Company") {
					out = append(out, asListed(Mention{Start: ws[i].start, End: ws[i+n-1].end, Text: sentence[ws[i].start:ws[i+n-1].end], Candidates: maker}))
					i, matched = i+n, matched-n
					break
				}
			}
		}
		start, end := ws[i].start, ws[i+matched-1].end
		text := possessive(sentence[start:end])
		out = append(out, asListed(Mention{Start: start, End: start + len(text), Text: text, Candidates: entries}))
		i += matched
	}
	out = append(out, g.newOrganisations(sentence, out)...)
	slices.SortFunc(out, func(a, b Mention) int { return a.Start - b.Start })
	return out
}

// asListed marks a company known only from the industry list: it is in
// no graph, so a new organisation, with the list's name for it. A listed
// product stays a product, whose makers the extractors name.
func asListed(m Mention) Mention {
	if listedOnly(m.Candidates) && !onlySchema(m.Candidates, "Product") {
		m.New, m.Listed, m.Candidates = true, true, m.Candidates[:1]
	}
	return m
}

// listedOnly says whether a name is known only from the industry list.
func listedOnly(es []Entry) bool {
	return len(es) > 0 && !slices.ContainsFunc(es, func(e Entry) bool { return e.ID != "" })
}

// listedFits says whether the industry list's name at words i to i+n is
// the vendor's: written with a capital ("circles" is a word); and, for a
// name that is also a word or a surname, not first in the sentence
// ("Circles of friends met") and not part of a longer capitalised name
// ("Kamala Harris", "Grupo Tech Bull").
func (g *Gazetteer) listedFits(ws []word, i, n int, key string) bool {
	if allLower(ws[i].text) {
		return false
	}
	if !g.common[key] {
		return true
	}
	upper := func(w word) bool { r, _ := utf8.DecodeRuneInString(w.text); return unicode.IsUpper(r) }
	// A possessive before is no part of the name: "Japan's Sun Corporation".
	joins := func(w word) bool { return upper(w) && w.text != "The" && possessive(w.text) == w.text }
	if i == 0 || joins(ws[i-1]) || i+n < len(ws) && upper(ws[i+n]) {
		return false
	}
	return capitalised(ws[i : i+n])
}

// capitalised says whether every word of a span but small joining words
// begins with a capital: a name, not running text.
func capitalised(ws []word) bool {
	for k, w := range ws {
		r, _ := utf8.DecodeRuneInString(w.text)
		if !unicode.IsUpper(r) && (k == 0 || k == len(ws)-1 || !smallJoin[w.text]) {
			return false
		}
	}
	return true
}

var smallJoin = map[string]bool{"of": true, "and": true, "for": true, "the": true, "de": true}

func onlySchema(es []Entry, schema string) bool {
	if len(es) == 0 {
		return false
	}
	for _, e := range es {
		if e.Schema != schema {
			return false
		}
	}
	return true
}

// newOrganisation finds "Capitalised Words Legal-form" and a legal form
// written first ("ООО Ромашка", "MMC Example").
var newOrganisation = regexp.MustCompile(`((?:\p{Lu}[\p{L}\p{N}&'’-]*\.?\s+){1,6}(?:Inc\.|Ltd\.?|LLC|L\.L\.C\.|GmbH|S\.A\.|SA|SAS|SARL|B\.V\.|N\.V\.|AG|PLC|plc|Limited|Corporation|Corp\.|JSC|OJSC|PJSC|S\.r\.l\.|S\.p\.A\.|SpA|Pte\.? Ltd\.?|FZCO|FZE|FZ-LLC|ULC|Oy|Oyj|A/S))|((?:ООО|ОАО|ЗАО|АО|ПАО|MMC|LLC)\s+[«"“]?(?:\p{Lu}[\p{L}\p{N}-]*\s?){1,4}[»"”]?)`)

// A public body the gazetteer does not know: "the State Security
// Service", "the National Traffic Exchange Center", "the Ministry of
// Communications and Information Technology". The name is group 1.
var (
	newBodyByHead = regexp.MustCompile(`\b[Tt]he\s+((?:\p{Lu}[\p{L}'’-]*\s+){1,5}(?:Center|Centre|Agency|Service|Committee|Directorate|Bureau|Department|Office|Council|Authority|Commission|Police|Guard|Ministry))\b`)
	newBodyOf     = regexp.MustCompile(`\b[Tt]he\s+((?:\p{Lu}[\p{L}'’-]*\s+){0,4}(?:Ministry|Department|Office|Committee|Agency|Service|Directorate|Commission|Council|Bureau)\s+(?:of|for)\s+(?:the\s+)?\p{Lu}[\p{L}'’-]*(?:(?:,\s*|\s+and\s+|\s+)\p{Lu}[\p{L}'’-]*){0,6})`)
	// A company named after what it is: "the Russian technology
	// supplier Jet Infosystems", "the Israeli surveillance firm Example
	// Systems". The name is group 1: capitalised words.
	newCompanyAfter = regexp.MustCompile(`\b[Tt]he\s+(?:\p{Lu}[\p{L}-]*\s+)?(?:[a-z-]+\s+){0,2}(?:supplier|company|firm|vendor|integrator|reseller|distributor|contractor|manufacturer|maker|developer)\s+((?:\p{Lu}[\p{L}\p{N}&'’-]*)(?:\s+\p{Lu}[\p{L}\p{N}&'’-]*){0,3})`)
)

// newOrganisations are the patterns' matches that no gazetteer mention
// covers, nor an earlier match.
func (g *Gazetteer) newOrganisations(sentence string, known []Mention) []Mention {
	var out []Mention
	add := func(start, end int, schema string) {
		text := sentence[start:end]
		overlaps := func(m Mention) bool { return m.Start < end && start < m.End }
		if text == "" || slices.ContainsFunc(known, overlaps) || slices.ContainsFunc(out, overlaps) {
			return
		}
		out = append(out, Mention{Start: start, End: end, Text: text, New: true,
			Candidates: []Entry{{Schema: schema, Name: text}}})
	}
	for _, loc := range newOrganisation.FindAllStringIndex(sentence, -1) {
		text := strings.TrimSpace(sentence[loc[0]:loc[1]])
		start := loc[0] + strings.Index(sentence[loc[0]:loc[1]], text)
		// "According to Example Ltd." : leading capitalised words that are
		// not part of a name go.
		for _, lead := range []string{"According to ", "The ", "In ", "By ", "From ", "With "} {
			if strings.HasPrefix(text, lead) {
				text, start = text[len(lead):], start+len(lead)
			}
		}
		// "Japan's Sun Corporation": a known name that leads it, with its
		// possessive, is not part of it ("China Telecom Global
		// Corporation", without one, is one name).
		end := start + len(text)
		for _, m := range known {
			if m.Start <= start && start < m.End && m.End < end {
				rest := sentence[m.End:end]
				if poss := strings.TrimPrefix(strings.TrimPrefix(rest, "'s"), "’s"); poss != rest {
					start = end - len(strings.TrimLeft(poss, " "))
				}
			}
		}
		add(start, end, records.SchemaCompany)
	}
	for _, re := range []*regexp.Regexp{newBodyOf, newBodyByHead} {
		for _, loc := range re.FindAllStringSubmatchIndex(sentence, -1) {
			add(loc[2], loc[3], records.SchemaPublicBody)
		}
	}
	for _, loc := range newCompanyAfter.FindAllStringSubmatchIndex(sentence, -1) {
		add(loc[2], loc[3], records.SchemaCompany)
	}
	return out
}

// ReadNodesCSV adds to entries the entities of an export's nodes.csv
// (export --format csv): each name and alias of each entity but the
// countries, which the gazetteer knows already. It is how a scraper, which
// never reads the graph, learns the graph's names.
func ReadNodesCSV(r io.Reader, entries []Entry) ([]Entry, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return entries, fmt.Errorf("nodes.csv: no header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, need := range []string{"id", "schema", "name", "aliases"} {
		if _, ok := col[need]; !ok {
			return entries, fmt.Errorf("nodes.csv: no %q column: is it an export's nodes.csv?", need)
		}
	}
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return entries, nil
		}
		if err != nil {
			return entries, fmt.Errorf("nodes.csv: %w", err)
		}
		id, schema := row[col["id"]], row[col["schema"]]
		if schema == "Country" || id == "" {
			continue
		}
		for _, n := range append([]string{row[col["name"]]}, strings.Split(row[col["aliases"]], "; ")...) {
			// The export defuses formula-like cells with an apostrophe.
			if n = strings.TrimPrefix(strings.TrimSpace(n), "'"); n != "" {
				entries = append(entries, Entry{ID: id, Schema: schema, Name: n})
			}
		}
	}
}
