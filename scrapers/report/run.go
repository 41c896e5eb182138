package report

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"mime"
	"slices"
	"strings"
	"sync"

	"github.com/exportwatch/exportwatch/extract"
	"github.com/exportwatch/exportwatch/nlp"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/sentence"
)

// Options are the source's flags: pages by URL, and RSS or Atom feeds whose
// items are pages. Every URL (and every feed's links) is pointed at the
// environment's mirror, when there is one, keeping its path.
type Options struct {
	URLs  []string
	Feeds []string
	// MaxItems bounds the items read from one feed; 0: 50.
	MaxItems int
	// Gazetteer names the entities sentences are searched for; nil: the
	// seed's (a scraper does not read the graph).
	Gazetteer *extract.Gazetteer
	// Parser, when set, parses with spaCy the sentences that may state a
	// claim, and the relations their grammar gives (extract.ExtractParsed)
	// join those the pure-Go patterns read; incidents are read as before.
	Parser *nlp.Worker
}

// Summary counts a run.
type Summary struct {
	Feeds, Pages, PDFs, Blocks, Sentences, Claims, Incidents int
	// Suggestions counts the claims read but not asserted, left to an
	// editor (extract.SuggestBelow).
	Suggestions int
	// Ambiguous counts claims left out because a name fits several
	// entities: a reviewer, not the extractor, decides those.
	Ambiguous int
}

// Run fetches each page (HTML or PDF) and each feed's items, archives
// them, reads their main text sentence by sentence, and writes each page's
// document record with the reported claims its sentences make, each
// quoting its sentence at its locator.
func Run(ctx context.Context, env *scrapers.Env, opt Options) (Summary, error) {
	var sum Summary
	c, out, report := env.Collector, env.Out, env.Problem
	// at points a URL at the mirror; one that is not an http(s) URL (a
	// feed's odd link) is left as it is, for the fetch to report.
	g := opt.Gazetteer
	if g == nil {
		var err error
		if g, err = extract.SeedGazetteer(); err != nil {
			return sum, err
		}
	}
	urls := append([]string{}, opt.URLs...)
	for _, f := range opt.Feeds {
		resp, err := c.Fetch(ctx, scrapers.Request{URL: env.Link(f)})
		if ctx.Err() != nil {
			return sum, ctx.Err()
		}
		if err != nil {
			report("%v", err)
			continue
		}
		links, err := feedLinks(resp.Body, cmp.Or(opt.MaxItems, 50))
		if err != nil {
			report("%s: not an RSS or Atom feed: %v", f, err)
			continue
		}
		sum.Feeds++
		urls = append(urls, links...)
	}
	seen := map[string]bool{}
	for _, u := range urls {
		u = env.Link(u)
		if seen[u] {
			continue
		}
		seen[u] = true
		resp, err := c.Fetch(ctx, scrapers.Request{URL: u, Accept: []string{"text/html", "application/xhtml+xml", "application/pdf"}})
		if ctx.Err() != nil {
			return sum, ctx.Err()
		}
		if err != nil {
			report("%v", err)
			continue
		}
		ctype := resp.Header.Get("Content-Type")
		mt, _, _ := mime.ParseMediaType(ctype)
		var a *Article
		if mt == "application/pdf" || bytes.HasPrefix(resp.Body, []byte("%PDF-")) {
			blocks, problems, err := PDFText(resp.Body)
			for _, p := range problems {
				report("%s: %s", u, p)
			}
			if err != nil {
				report("%s: %v", u, err)
				continue
			}
			sum.PDFs++
			a = &Article{Blocks: blocks, Publisher: host(resp.URL)}
		} else {
			a, err = Extract(resp.Body, ctype, resp.URL)
			if errors.Is(err, ErrNoText) {
				report("%s: %v", u, err)
				continue
			}
			if err != nil {
				report("%s: %v", u, err)
				continue
			}
		}
		sum.Pages++
		sum.Blocks += len(a.Blocks)
		doc := resp.Document(cmp.Or(a.Title, resp.URL), a.Publisher, a.Published)
		var ents []records.Entity
		var claims []records.Claim
		var suggestions []records.Suggestion
		// The year a date without one falls in: that of the page's latest
		// sentence that gave one, from its publication on.
		pageYear := extract.Year(a.Published)
		// The page's last sentence when it reported no incident, and the
		// year its dates fell in: the event it reported dates an incident
		// the next sentence gives no date.
		prevSen, prevYear := "", ""
		// The country the page is about: its title's, or else the first
		// its text names; read when an incident needs it.
		blocks := a.Blocks
		pageCountry := sync.OnceValue(func() *extract.Mention {
			return firstCountry(g, append([]Block{{Text: a.Title}}, blocks...))
		})
		incidents := pageIncidents{docID: doc.ID}
		a.Blocks = withLeadIns(a.Blocks)
		paras, err := splitPage(ctx, a.Blocks, opt.Parser)
		if err != nil {
			return sum, err
		}
		var d extract.Discourse
		for bi, b := range a.Blocks {
			for _, ps := range paras[bi] {
				sen := ps.text
				sum.Sentences++
				// The patterns read every sentence; with a parser, the
				// grammar adds what they miss (a claim both read is kept
				// once, as the patterns read it).
				found := g.Extract(sen)
				versions := make([]string, len(found))
				for i := range versions {
					versions[i] = extract.Version
				}
				switch {
				case opt.Parser != nil && ps.parse != nil:
					found = extract.VetPatterns(ps.parse, found)
					for _, f := range g.ExtractParsed(ps.parse, &d) {
						// A claim the patterns read too is kept once; where
						// they named the buyer's country and the grammar its
						// body, the body.
						if i := slices.IndexFunc(found, func(x extract.Found) bool { return x.String() == f.String() || extract.Coarser(x, f) }); i >= 0 {
							if found[i].String() != f.String() {
								found[i], versions[i] = f, extract.VersionParsed
							}
							continue
						}
						found, versions = append(found, f), append(versions, extract.VersionParsed)
					}
				case opt.Parser != nil:
					d.Note(g, sen) // unparsed, but it may name the company a later "it" means
				}
				for i, f := range found {
					version := versions[i]
					if f.Confidence < extract.SuggestBelow {
						if sg, ok := suggestionOf(f, sen, b.Locator, doc.ID, version); ok {
							suggestions = append(suggestions, sg)
						}
						continue
					}
					es, cl, ok := claimOf(f, sen, b.Locator, doc.ID)
					if !ok {
						sum.Ambiguous++
						continue
					}
					cl.Extractor = version
					ents, claims = append(ents, es...), append(claims, cl)
				}
				incs := g.IncidentsIn(sen, pageYear)
				before := "" // the date of the sentence before, read when needed
				for i, inc := range incs {
					if inc.Yearless && a.Published != "" {
						// "on 28 December" in a page of 5 January 2023 is of
						// the December before.
						incs[i].Start, incs[i].End = notAfter(inc.Start, a.Published), notAfter(inc.End, a.Published)
					}
					if inc.Start == "" && !inc.Follows && prevSen != "" {
						if before == "" {
							before = extract.SentenceDate(prevSen, prevYear)
						}
						if before != "" && (inc.End == "" || !records.DateBefore(inc.End, before)) {
							// "The 36-day blackout that followed": the date
							// of the event the sentence before reported.
							incs[i].Start = before
							incs[i].Confidence -= 0.1
							incs[i].Reasons = append(incs[i].Reasons, "date of the sentence before: "+before)
						}
					}
				}
				prevSen = ""
				if len(incs) == 0 {
					prevSen, prevYear = sen, pageYear
				}
				for _, inc := range incs {
					switch {
					case len(inc.Country.Candidates) == 0 && (inc.Start != "" || inc.End != "" || inc.Days > 0 || len(inc.Parties) > 0):
						// "The disruption ended on 12 August", "mobile
						// internet in the valley was suspended in July 2016":
						// where the page's last incident was, or else the
						// country the page is about.
						where, why := pageCountry(), "the page's country"
						if n := len(incidents.groups); n > 0 {
							where, why = &incidents.groups[n-1].place, "the country of the page's incident"
						}
						if where == nil {
							continue
						}
						inc.Country = *where
						inc.Confidence -= 0.1
						inc.Reasons = append(inc.Reasons, why+": "+inc.Country.Text)
					case len(inc.Country.Candidates) == 0:
						continue // no date, party or place: nothing to add
					}
					es, cls, ok := incidentOf(inc, sen, b.Locator, doc.ID, &incidents)
					if !ok {
						if len(inc.Country.Candidates) > 1 {
							sum.Ambiguous++ // a mention of no incident of the page's is not ambiguous
						}
						continue
					}
					ents, claims = append(ents, es...), append(claims, cls...)
				}
				if y := extract.Year(sen); y != "" {
					pageYear = y
				}
			}
		}
		ents = append(ents, incidents.entities()...)
		sum.Incidents += len(incidents.groups)
		if err := out.Document(doc); err != nil {
			return sum, err
		}
		if err := out.PageWithSuggestions(doc, ents, claims, suggestions); err != nil {
			return sum, err
		}
		sum.Claims += len(claims)
		sum.Suggestions += len(suggestions)
	}
	return sum, nil
}

// withLeadIns reads a list with the paragraph that introduces it: "The
// researchers listed these countries as hosts of Circles customers:" and
// its items are one statement, which neither says alone. The paragraph
// becomes itself followed by the items, joined by spaces as the page
// reads them (so the quote is found in the page); the items are read
// there, not again on their own.
func withLeadIns(blocks []Block) []Block {
	var out []Block
	for i := 0; i < len(blocks); i++ {
		b := blocks[i]
		if !strings.HasPrefix(b.Locator, "item") && strings.HasSuffix(b.Text, ":") {
			for i+1 < len(blocks) && strings.HasPrefix(blocks[i+1].Locator, "item") {
				i++
				b.Text += " " + blocks[i].Text
			}
		}
		out = append(out, b)
	}
	return out
}

// firstCountry is the first country the blocks name, in order, or nil.
func firstCountry(g *extract.Gazetteer, blocks []Block) *extract.Mention {
	for _, b := range blocks {
		for _, m := range g.Find(b.Text) {
			if len(m.Candidates) == 1 && m.Candidates[0].Schema == records.SchemaCountry && !extract.IsDemonym(m) {
				return &m
			}
		}
	}
	return nil
}

// pageSentence is one sentence of a page, with its parse when there is a
// parser.
type pageSentence struct {
	text  string
	parse nlp.Sentence
}

// splitPage splits each block into sentences. With a parser, the
// sentences that may state a claim (extract.MayClaim) are parsed, all of
// the page's in one request; parsing is what the parsed extractor spends
// its time on, and most sentences of a report state none.
func splitPage(ctx context.Context, blocks []Block, parser *nlp.Worker) ([][]pageSentence, error) {
	out := make([][]pageSentence, len(blocks))
	var texts []string
	var at [][2]int
	for i, b := range blocks {
		for _, s := range sentence.Split(b.Text) {
			if parser != nil && extract.MayClaim(s) {
				texts = append(texts, s)
				at = append(at, [2]int{i, len(out[i])})
			}
			out[i] = append(out[i], pageSentence{text: s})
		}
	}
	if len(texts) == 0 {
		return out, nil
	}
	docs, err := parser.Parse(ctx, texts)
	if err != nil {
		return nil, fmt.Errorf("parse the page: %w", err)
	}
	for k, doc := range docs {
		// The parser may cut a sentence in two; its parts are read as one.
		var whole nlp.Sentence
		for _, s := range doc {
			base := len(whole)
			for _, t := range s {
				t.Head += base
				whole = append(whole, t)
			}
		}
		out[at[k][0]][at[k][1]].parse = whole
	}
	return out, nil
}

// suggestionOf turns a claim read with too little confidence into a
// suggestion: its parties as the gazetteer knows them or as the sentence
// names them, the sentence, and the extractor's reasons.
func suggestionOf(f extract.Found, quote, locator, docID, version string) (records.Suggestion, bool) {
	party := func(m extract.Mention) (records.Party, bool) {
		if len(m.Candidates) != 1 {
			return records.Party{}, false
		}
		c := m.Candidates[0]
		p := records.Party{ID: c.ID, Name: cmp.Or(c.Name, m.Text), Schema: c.Schema}
		if c.Schema == records.SchemaCountry {
			p.Country = strings.TrimPrefix(c.ID, "country:")
		}
		return p, true
	}
	s, ok1 := party(f.Subject)
	o, ok2 := party(f.Object)
	if !ok1 || !ok2 {
		return records.Suggestion{}, false
	}
	return records.Suggestion{Relation: f.Relation, Subject: s, Object: o, Confidence: f.Confidence, Reasons: f.Reasons,
		Evidence: records.Evidence{Document: docID, Quote: quote, Locator: locator}, Extractor: version}, true
}

// claimOf turns an extracted claim into records: its two entities (a known
// entity by its graph id, a new organisation by its name) and the
// reported claim quoting the sentence. A mention that fits several
// entities makes no claim.
func claimOf(f extract.Found, quote, locator, docID string) ([]records.Entity, records.Claim, bool) {
	entity := func(m extract.Mention) (records.Entity, bool) {
		switch {
		case m.New:
			// A company of the industry list goes by the list's name,
			// with the page's as another.
			e := records.Entity{Schema: m.Candidates[0].Schema, Names: []string{extract.ListedName(m)}, Document: docID}
			if e.Names[0] != m.Text {
				e.Names = append(e.Names, m.Text)
			}
			e.Ref = records.EntityID(e)
			return e, true
		case len(m.Candidates) == 1 && m.Candidates[0].ID != "":
			c := m.Candidates[0]
			e := records.Entity{Schema: c.Schema, ID: c.ID, Ref: c.ID, Names: []string{c.Name}}
			if c.Schema == records.SchemaCountry {
				e.ID, e.Country = "", c.ID[len("country:"):]
			}
			return e, true
		}
		return records.Entity{}, false
	}
	s, ok1 := entity(f.Subject)
	o, ok2 := entity(f.Object)
	if !ok1 || !ok2 {
		return nil, records.Claim{}, false
	}
	cl := records.Claim{Relation: f.Relation, Subject: s.Ref, Object: o.Ref, Status: records.StatusReported,
		Confidence: f.Confidence, Start: f.Start, Stage: f.Stage, Extractor: extract.Version,
		Summary:  "Extracted: " + strings.Join(f.Reasons, "; ") + ".",
		Evidence: []records.Evidence{{Document: docID, Quote: quote, Locator: locator}}}
	if f.Value > 0 && f.Currency != "" {
		v := f.Value
		cl.Value, cl.Currency = &v, f.Currency
	}
	if f.Denies {
		cl.Stance = records.StanceDenies
	}
	return []records.Entity{s, o}, cl, true
}

// incidentOf turns a reported incident into the country, the OCCURRED_IN
// claim quoting the sentence, and an INVOLVED_IN claim for each party the
// sentence names (a party that fits several entities is left out); the
// incident itself joins the page's incidents, which give its entity.
func incidentOf(inc extract.Incident, quote, locator, docID string, page *pageIncidents) ([]records.Entity, []records.Claim, bool) {
	if len(inc.Country.Candidates) != 1 {
		return nil, nil, false
	}
	c := inc.Country.Candidates[0]
	code := strings.TrimPrefix(c.ID, "country:")
	ref := page.join(inc, code)
	if ref == "" {
		return nil, nil, false
	}
	place := records.Entity{Schema: records.SchemaCountry, Names: []string{c.Name}, Country: code}
	place.Ref = records.EntityID(place)
	evidence := []records.Evidence{{Document: docID, Quote: quote, Locator: locator}}
	summary := "Extracted: " + strings.Join(inc.Reasons, "; ") + "."
	ents := []records.Entity{place}
	claims := []records.Claim{{Relation: records.RelOccurredIn, Subject: ref, Object: place.Ref, Status: records.StatusReported,
		Confidence: inc.Confidence, Start: inc.Start, End: inc.End, Extractor: extract.Version, Summary: summary, Evidence: evidence}}
	for _, p := range inc.Parties {
		if len(p.Mention.Candidates) != 1 {
			continue
		}
		e := p.Mention.Candidates[0]
		ents = append(ents, records.Entity{Schema: e.Schema, ID: e.ID, Ref: e.ID, Names: []string{e.Name}})
		claims = append(claims, records.Claim{Relation: records.RelInvolvedIn, Subject: e.ID, Object: ref,
			Status: records.StatusReported, Confidence: inc.Confidence, Role: p.Role, Start: inc.Start, End: inc.End,
			Extractor: extract.Version, Summary: summary + " Role: " + p.Role + ".", Evidence: evidence})
	}
	return ents, claims, true
}

// pageIncidents joins the incidents one page reports. A page names one
// shutdown many ways ("from 27 September", "the blackout", "the 46-day
// shutdown"); every mention of one kind in one country whose dates fit
// is one incident, with the earliest start and the latest end the page
// gives. Dates that do not fit (a shutdown of 2020, another of 2021) make
// another.
type pageIncidents struct {
	docID  string
	groups []*incidentGroup
}

type incidentGroup struct {
	ref, kind, code, start, end string
	place                       extract.Mention // the country, as its first mention named it
	days                        int             // a duration a mention gave
}

// join adds a mention and returns the ref of its incident. A mention that
// only tells how an incident ended (extract.Incident.Follows) is of the
// latest one of its kind and country that began before that end; its
// date without a year takes the incident's year. Others join an incident
// of their kind and country whose dates fit, or start one.
func (pi *pageIncidents) join(inc extract.Incident, code string) string {
	kind, start, end, days := inc.Kind, inc.Start, inc.End, inc.Days
	if inc.Follows {
		// An incident whose end or length the page gave is closed: an
		// end is first of one still open.
		for _, closedToo := range []bool{false, true} {
			for i := len(pi.groups) - 1; i >= 0; i-- {
				g := pi.groups[i]
				if g.kind != kind || g.code != code || !closedToo && (g.end != "" || g.days > 0) {
					continue
				}
				e := end
				if inc.Yearless && len(g.start) >= 4 {
					e = inYearOf(end, g.start)
				}
				if g.start == "" || !records.DateBefore(e, g.start) {
					g.merge("", e, 0)
					return g.ref
				}
			}
		}
		return ""
	}
	if inc.Refers && len(pi.groups) == 0 {
		// "The outage lasted 61 hours": of an incident named before; a
		// new one ("Iraq imposed its own shutdown") only on a page about
		// others, never as the page's first.
		return ""
	}
	// The latest incident first: a page goes on about what it reported
	// last.
	for i := len(pi.groups) - 1; i >= 0; i-- {
		g := pi.groups[i]
		if g.kind == kind && g.code == code && datesFit(g.start, g.end, start) {
			g.merge(start, end, days)
			return g.ref
		}
	}
	g := &incidentGroup{ref: fmt.Sprintf("incident %s %s %s %d", pi.docID, kind, code, len(pi.groups)+1),
		kind: kind, code: code, place: inc.Country, start: start, end: end, days: days}
	pi.groups = append(pi.groups, g)
	return g.ref
}

// merge adds what a mention says of an incident: an earlier start, a
// later end (never one before the start), a longer length.
func (g *incidentGroup) merge(start, end string, days int) {
	if start != "" && (g.start == "" || start < g.start) {
		g.start = start
	}
	if end != "" && (g.start == "" || !records.DateBefore(end, g.start)) {
		g.end = max(g.end, end)
	}
	if g.end != "" && g.start != "" && records.DateBefore(g.end, g.start) {
		g.end = ""
	}
	g.days = max(g.days, days)
}

// notAfter moves a date whose year was guessed back a year when it would
// fall after the page was published.
func notAfter(date, published string) string {
	if date == "" || !records.DateBefore(published, date) {
		return date
	}
	if back := extract.YearsOn(date, -1); back != "" {
		return back
	}
	return date
}

// inYearOf moves a date whose year was guessed into the year of an
// incident's start, or the next when it would fall before it: "returned
// on 18 November" of a shutdown from 25 October 2021.
func inYearOf(date, start string) string {
	if len(date) < 4 || len(start) < 4 {
		return date
	}
	moved := start[:4] + date[4:]
	if records.DateBefore(moved, start) {
		moved = extract.YearsOn(moved, 1)
	}
	if moved == "" || !records.ValidDate(moved) {
		return date
	}
	return moved
}

// datesFit says whether a mention starting at start belongs to an
// incident known from from to to: either date unknown, the same month, or
// within the incident's span; never a start after the incident's end.
func datesFit(from, to, start string) bool {
	switch {
	case start == "" || from == "":
		return true
	case to != "" && len(start) == 10 && len(to) == 10 && start > to:
		return false // after the incident ended: another one
	case len(start) >= 7 && len(from) >= 7 && start[:7] == from[:7], start == from:
		return true
	case to != "" && from <= start && start <= to:
		return true
	}
	return false
}

// entities are the page's incidents, each named by kind, country and
// start; a duration one mention gives ends what another started ("from 27
// September" and "the 46-day shutdown").
func (pi *pageIncidents) entities() []records.Entity {
	out := make([]records.Entity, 0, len(pi.groups))
	for _, g := range pi.groups {
		if g.end == "" && g.days > 0 {
			g.end = extract.DaysOn(g.start, g.days)
		}
		name := fmt.Sprintf("Internet %s in %s", g.kind, g.place.Candidates[0].Name)
		if g.start != "" {
			name += ", from " + g.start
		}
		out = append(out, records.Entity{Schema: records.SchemaIncident, Ref: g.ref, Names: []string{name}, Country: g.code,
			Kind: g.kind, Start: g.start, End: g.end, Document: pi.docID})
	}
	return out
}
