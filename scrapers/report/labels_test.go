package report

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/exportwatch/exportwatch/country"
	"github.com/exportwatch/exportwatch/nlp"
	"github.com/exportwatch/exportwatch/nlp/nlptest"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
)

// Labelled pages are scored by names, not by graph ids, so that whoever
// labels them needs to know nothing of the gazetteer or the rules. A
// labels.json beside the pages says, per page, which claims a careful
// reader takes from it (each as the accepted relations and substrings of
// the subject's and the object's names) and which names must never be a
// supplier or an owner (publishers, researchers, victims, regulators,
// platforms, parties to a deal that failed). The same format serves the
// development set of real pages kept outside the repository (EVAL_REPORTS)
// and the rounds in testdata.
type labelFile struct {
	Pages map[string]pageLabels `json:"pages"`
}

type pageLabels struct {
	Expect    []expectedClaim `json:"expect"`
	Forbidden []string        `json:"forbidden"`
	Notes     string          `json:"notes"`
}

type expectedClaim struct {
	Relation []string `json:"relation"`
	Subject  []string `json:"subject"`
	Object   []string `json:"object"`
	Quote    string   `json:"quote"`
}

// foundClaim is a claim the source made, by the names of its ends.
type foundClaim struct {
	Relation        string
	Subject, Object []string
	Denies          bool
	Quote           string
}

func (c foundClaim) String() string {
	s := fmt.Sprintf("%s %s > %s", c.Relation, c.Subject[0], c.Object[0])
	if c.Denies {
		s = "denies " + s
	}
	return s
}

// fold lowercases a name and strips its accents, so "Türk" matches
// "turk" and "’" matches "'".
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == '’' || r == '‘':
			b.WriteByte('\'')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// nameMatches reports whether one of the names contains one of the
// substrings; a substring of four characters or fewer must be a whole
// word ("ice" is not in "police").
func nameMatches(names, subs []string) bool {
	for _, n := range names {
		n = fold(n)
		for _, s := range subs {
			s = fold(s)
			if len([]rune(s)) <= 4 {
				if regexp.MustCompile(`(^|[^\pL\pN])` + regexp.QuoteMeta(s) + `($|[^\pL\pN])`).MatchString(n) {
					return true
				}
			} else if strings.Contains(n, s) {
				return true
			}
		}
	}
	return false
}

// matches reports whether a found claim satisfies an expected one. An
// OWNS claim is read child to parent, as the labels write ownership.
func (e expectedClaim) matches(c foundClaim) bool {
	rel, subj, obj := c.Relation, c.Subject, c.Object
	if c.Denies {
		return false
	}
	if rel == records.RelOwns {
		subj, obj = obj, subj
		if !slices.Contains(e.Relation, records.RelOwns) {
			rel = records.RelSubsidiaryOf
		}
	}
	return slices.Contains(e.Relation, rel) && nameMatches(subj, e.Subject) && nameMatches(obj, e.Object)
}

// hardError reports whether a found claim makes a forbidden name a
// supplier or an owner.
func hardError(c foundClaim, forbidden []string) bool {
	switch c.Relation {
	case records.RelSupplied, records.RelInvolvedIn, records.RelOwns:
		return nameMatches(c.Subject, forbidden)
	case records.RelSubsidiaryOf, records.RelAcquiredBy:
		return nameMatches(c.Object, forbidden)
	}
	return false
}

// score is one page's or one relation's figures.
type score struct{ found, correct, expected, hard int }

func (s *score) add(o score) {
	s.found, s.correct, s.expected, s.hard = s.found+o.found, s.correct+o.correct, s.expected+o.expected, s.hard+o.hard
}

func (s score) String() string {
	return fmt.Sprintf("found %2d, correct %2d, expected %2d, hard errors %d: precision %s, recall %s",
		s.found, s.correct, s.expected, s.hard, ratio(s.correct, s.found), ratio(s.correct, s.expected))
}

// kind groups relations as the labels do: a supply (SUPPLIED, or
// INVOLVED_IN for an integrator or intermediary) or an ownership (OWNS,
// ACQUIRED_BY, SUBSIDIARY_OF).
func kind(relation string) string {
	switch relation {
	case records.RelSupplied, records.RelInvolvedIn:
		return "supply"
	case records.RelOwns, records.RelAcquiredBy, records.RelSubsidiaryOf:
		return "ownership"
	}
	return ""
}

// scorePage matches found claims one to one against the expected ones,
// logs each miss and each claim no reader expects, and returns the page's
// figures in all and per kind. Incidents are not labelled here and are
// left out by the caller.
func scorePage(t *testing.T, page string, found []foundClaim, l pageLabels, byKind map[string]*score, quiet bool) score {
	logf := t.Logf
	if quiet {
		logf = func(string, ...any) {}
	}
	of := func(k string) *score {
		if byKind[k] == nil {
			byKind[k] = &score{}
		}
		return byKind[k]
	}
	var s score
	used := make([]bool, len(l.Expect))
	for _, c := range found {
		k := kind(c.Relation)
		if k == "" || c.Denies {
			continue
		}
		s.found++
		of(k).found++
		if hardError(c, l.Forbidden) {
			s.hard++
			of(k).hard++
			logf("%s: HARD ERROR %s makes a bystander a party (%q)", page, c, c.Quote)
		}
		i := -1
		for j, e := range l.Expect {
			if !used[j] && e.matches(c) {
				i = j
				break
			}
		}
		if i < 0 {
			logf("%s: found %s, which no reader expects (%q)", page, c, c.Quote)
			continue
		}
		used[i] = true
		s.correct++
		of(k).correct++
	}
	for i, e := range l.Expect {
		s.expected++
		of(kind(e.Relation[0])).expected++
		if !used[i] {
			logf("%s: missed %s %v > %v (%q)", page, e.Relation, e.Subject, e.Object, e.Quote)
		}
	}
	return s
}

// runLabelled runs the report source on every page in dir, served from a
// local server, scores it against dir's labels.json, logs per page and
// per relation, and returns the totals.
func runLabelled(t *testing.T, dir string, parser *nlp.Worker) score {
	return runLabelledLogging(t, dir, parser, true)
}

// readLabels reads a round's labels.json into v.
func readLabels(t *testing.T, dir string, v any) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "labels.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("%s/labels.json: %v", dir, err)
	}
}

// runPages runs the report source over a round's pages, served from a
// local server as if from the web, and returns the records it wrote and
// the page (file name) of each document id.
func runPages(t *testing.T, dir string, pages []string, parser *nlp.Worker) ([]records.Line, map[string]string) {
	t.Helper()
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	var urls []string
	for _, p := range pages {
		urls = append(urls, "https://reports.example.org/"+p)
	}
	out := filepath.Join(t.TempDir(), "round.jsonl")
	scrapertest.Run(t, "report", out, srv.URL, func(env *scrapers.Env) error {
		_, err := Run(context.Background(), env, Options{URLs: urls, Parser: parser})
		return err
	})
	lines := scrapertest.Records(t, out)
	pageOf := map[string]string{}
	for _, l := range lines {
		if l.Document != nil {
			pageOf[l.Document.ID] = l.Document.URL[strings.LastIndex(l.Document.URL, "/")+1:]
		}
	}
	return lines, pageOf
}

// runLabelledLogging is runLabelled, logging each miss and wrong claim
// with details and otherwise the figures only: a held-out round's
// failures are never shown, so that no one tunes the rules to it.
func runLabelledLogging(t *testing.T, dir string, parser *nlp.Worker, details bool) score {
	var labels labelFile
	readLabels(t, dir, &labels)
	pages := slices.Sorted(maps.Keys(labels.Pages))
	lines, pageOf := runPages(t, dir, pages, parser)
	names := map[string][]string{}
	incident := map[string]bool{}
	found := map[string][]foundClaim{}
	suggested := map[string][]foundClaim{}
	for _, l := range lines {
		switch {
		case l.Entity != nil:
			names[l.Entity.Ref] = append(names[l.Entity.Ref], l.Entity.Names...)
			incident[l.Entity.Ref] = l.Entity.Schema == records.SchemaIncident
			if l.Entity.ID != "" {
				names[l.Entity.Ref] = append(names[l.Entity.Ref], l.Entity.ID)
			}
			// A country goes by all its names: "Türkiye" is the
			// labels' "turkey".
			if c, ok := country.Lookup(l.Entity.Country); ok && l.Entity.Schema == records.SchemaCountry {
				names[l.Entity.Ref] = append(names[l.Entity.Ref], c.Names()...)
			}
		case l.Suggestion != nil:
			sg := l.Suggestion
			page := pageOf[sg.Evidence.Document]
			suggested[page] = append(suggested[page], foundClaim{Relation: sg.Relation,
				Subject: []string{sg.Subject.Name, sg.Subject.ID}, Object: []string{sg.Object.Name, sg.Object.ID}, Quote: sg.Evidence.Quote})
		case l.Claim != nil:
			c := l.Claim
			if incident[c.Object] || incident[c.Subject] {
				continue // incidents are not labelled here
			}
			page := pageOf[c.Evidence[0].Document]
			fc := foundClaim{Relation: c.Relation, Subject: names[c.Subject], Object: names[c.Object],
				Denies: c.Stance == records.StanceDenies, Quote: c.Evidence[0].Quote}
			if !slices.ContainsFunc(found[page], func(o foundClaim) bool { return o.String() == fc.String() }) {
				found[page] = append(found[page], fc)
			}
		}
	}
	var total, withSuggestions score
	byKind := map[string]*score{}
	for _, p := range pages {
		s := scorePage(t, p, found[p], labels.Pages[p], byKind, !details)
		t.Logf("page %-44s %s", p, s)
		total.add(s)
		for _, sg := range suggested[p] {
			if details {
				t.Logf("%s: suggested %s (%q)", p, sg, sg.Quote)
			}
		}
		withSuggestions.add(scorePage(t, p, append(slices.Clone(found[p]), suggested[p]...), labels.Pages[p], map[string]*score{}, true))
	}
	for _, k := range slices.Sorted(maps.Keys(byKind)) {
		t.Logf("%-9s %s", k, *byKind[k])
	}
	t.Logf("all pages: %s", total)
	t.Logf("claims and suggestions: %s", withSuggestions)
	return total
}

// TestDevelopmentSet scores the report source, with each extractor, on the
// development set of real pages kept outside the repository, when
// EVAL_REPORTS names it (make eval does). Its figures are development
// figures; the one floor, whatever set it names, is that no bystander is
// made a supplier or an owner.
func TestDevelopmentSet(t *testing.T) {
	dir := os.Getenv("EVAL_REPORTS")
	if dir == "" {
		t.Skip("EVAL_REPORTS is not set (make eval sets it when ../shared/eval/reports exists)")
	}
	noHardErrors := func(t *testing.T, s score) {
		if s.hard > 0 {
			t.Errorf("%d claims make a bystander a party", s.hard)
		}
	}
	t.Run("patterns", func(t *testing.T) { noHardErrors(t, runLabelled(t, dir, nil)) })
	t.Run("parsed", func(t *testing.T) { noHardErrors(t, runLabelled(t, dir, parser(t))) })
}

// parser starts the spaCy worker for a test.
func parser(t testing.TB) *nlp.Worker { return nlptest.Worker(t) }

// TestMatcher holds the scorer to the labels' rules: substrings compared
// without case or accents, short ones as whole words, ownership read
// child to parent, denials never a match.
func TestMatcher(t *testing.T) {
	supply := expectedClaim{Relation: []string{records.RelSupplied}, Subject: []string{"nso"}, Object: []string{"ministry of interior", "hungary"}}
	owner := expectedClaim{Relation: []string{records.RelOwns, records.RelAcquiredBy, records.RelSubsidiaryOf}, Subject: []string{"sandvine"}, Object: []string{"francisco partners"}}
	ice := expectedClaim{Relation: []string{records.RelSupplied}, Subject: []string{"clearview"}, Object: []string{"ice"}}
	for _, tc := range []struct {
		name string
		e    expectedClaim
		c    foundClaim
		want bool
	}{
		{"supply", supply, foundClaim{Relation: "SUPPLIED", Subject: []string{"NSO Group"}, Object: []string{"Government of Hungary"}}, true},
		{"accents and case", supply, foundClaim{Relation: "SUPPLIED", Subject: []string{"NSO"}, Object: []string{"Ministry of Interior of HUNGARY"}}, true},
		{"wrong relation", supply, foundClaim{Relation: "OWNS", Subject: []string{"NSO Group"}, Object: []string{"Hungary"}}, false},
		{"denial", supply, foundClaim{Relation: "SUPPLIED", Subject: []string{"NSO Group"}, Object: []string{"Hungary"}, Denies: true}, false},
		{"owner, parent first", owner, foundClaim{Relation: "OWNS", Subject: []string{"Francisco Partners"}, Object: []string{"Sandvine Inc."}}, true},
		{"owner, child first", owner, foundClaim{Relation: "ACQUIRED_BY", Subject: []string{"Sandvine"}, Object: []string{"Francisco Partners"}}, true},
		{"owner reversed", owner, foundClaim{Relation: "OWNS", Subject: []string{"Sandvine"}, Object: []string{"Francisco Partners"}}, false},
		{"short word whole", ice, foundClaim{Relation: "SUPPLIED", Subject: []string{"Clearview AI"}, Object: []string{"ICE"}}, true},
		{"short word inside another", ice, foundClaim{Relation: "SUPPLIED", Subject: []string{"Clearview AI"}, Object: []string{"Police of Sweden"}}, false},
	} {
		if got := tc.e.matches(tc.c); got != tc.want {
			t.Errorf("%s: matches = %v, want %v", tc.name, got, tc.want)
		}
	}
	if !hardError(foundClaim{Relation: "SUPPLIED", Subject: []string{"Citizen Lab"}, Object: []string{"x"}}, []string{"citizen lab"}) ||
		hardError(foundClaim{Relation: "SUPPLIED", Subject: []string{"x"}, Object: []string{"Citizen Lab"}}, []string{"citizen lab"}) ||
		!hardError(foundClaim{Relation: "SUBSIDIARY_OF", Subject: []string{"x"}, Object: []string{"Amnesty"}}, []string{"amnesty"}) {
		t.Error("hard errors: a forbidden name counts only as supplier or owner")
	}
}

// TestRound4 scores both extractors on round 4: pages and labels written
// by two readers who had not seen the rules, before either extractor first
// read them (first run, 2 December 2026: each found 2 claims, both right,
// of 53). A failing floor then showed its misses, so it is a development
// round now, like rounds 1 and 2; round 5 is held out. The floors: no
// bystander made a party, no fewer right claims than the first run's, and
// at most two wrong ones.
func TestRound4(t *testing.T) {
	dir := filepath.Join("testdata", "heldout", "round4")
	floor := func(t *testing.T, s score) {
		if s.hard > 0 || s.correct < 2 || s.found-s.correct > 2 {
			t.Errorf("round 4: %s; the floors: no hard error, at least 2 right, at most 2 wrong", s)
		}
	}
	t.Run("patterns", func(t *testing.T) { floor(t, runLabelled(t, dir, nil)) })
	t.Run("parsed", func(t *testing.T) { floor(t, runLabelled(t, dir, parser(t))) })
}

// TestRound5 scores both extractors on round 5: twelve pages and their
// labels (86 claims), each written by a reader who had not seen the rules.
// It was held out until 3 December 2026; its floors hold its first run
// (2 December 2026): patterns 2 right, 3 wrong; with the parser 8 right,
// 4 wrong. Its misses have been read since, so it is a development round.
func TestRound5(t *testing.T) {
	scoreRound(t, "round5", true, firstRun{right: 2, wrong: 3}, firstRun{right: 8, wrong: 4})
}

// TestRound6 scores both extractors on round 6: fifteen pages and their
// labels (84 claims), written by a reader who had not seen the rules. It
// was held out until 3 December 2026, when the industry list (whose names
// overlap the round's pages) made its figures no longer those of unseen
// text; its misses have been read since. Its floors hold the first run
// (2 December 2026, commit f1bd7b0): patterns 2 right, 1 wrong; with the
// parser 10 right, 6 wrong; each then made one bystander a party, and the
// floor now allows none.
func TestRound6(t *testing.T) {
	scoreRound(t, "round6", true, firstRun{right: 2, wrong: 1}, firstRun{right: 10, wrong: 6})
}

// TestRound7 scores both extractors on round 7: fifteen pages and their
// labels (93 claims), written on 3 December 2026 by a reader who had seen
// no rule, after the industry list was written. First run (commit
// 4993ffa): patterns 6 right, 4 wrong; with the parser 21 right, 14 wrong
// (21 of 93, recall 0.23). A cold review's fixes (a doubt is no denial,
// "it" across sentences no acquisition, a contract between two companies
// no sale, a list after a colon ends at its verb, …) then cost each
// extractor one right claim there: 5 right of 9, 20 right of 33. The
// floors hold that run. Round 8 was written before its misses were first
// read, so it has been a development round since.
func TestRound7(t *testing.T) {
	scoreRound(t, "round7", true, firstRun{right: 5, wrong: 4}, firstRun{right: 20, wrong: 13})
}

// TestRound8 scores both extractors on round 8: fifteen pages and their
// labels (83 claims), written on 3 December 2026 by a reader who had seen
// no rule and no other round, before the rules were next worked on. First
// run (commit 9456ad9): patterns 6 right, 3 wrong (recall 0.07); with the
// parser 22 right, 13 wrong (recall 0.27), and 30 right of 60 with the
// suggestions (recall 0.36); no bystander made a party. The floors hold
// that run. Round 9 was written before its misses were first read, so it
// has been a development round since.
func TestRound8(t *testing.T) {
	scoreRound(t, "round8", true, firstRun{right: 6, wrong: 3}, firstRun{right: 22, wrong: 13})
}

// TestRound9 scores both extractors on round 9, held out: fifteen pages
// and their labels (90 claims), written on 3 December 2026 by a reader who
// had seen no rule and no other round, before the rules were next worked
// on. First run (commit 7c29a02's rules): patterns 3 right, none wrong
// (recall 0.03); with the parser 20 right, 15 wrong (recall 0.22), and 26
// right of 61 with the suggestions (recall 0.29), one suggestion naming a
// bystander; no claim made a bystander a party. The floors hold that run.
func TestRound9(t *testing.T) {
	scoreRound(t, "round9", false, firstRun{right: 3, wrong: 0}, firstRun{right: 20, wrong: 15})
}

// firstRun is what an extractor did on the first run of a held-out
// round: how many claims right, how many wrong, and of those how many
// made a bystander a party.
type firstRun struct{ right, wrong, hard int }

// scoreRound scores both extractors on a round, logging each miss and
// wrong claim of a development round (details) and only the figures of a
// held-out one (runLabelledLogging). It fails when an extractor does worse
// than on the round's first run: fewer claims right, more wrong, or more
// bystanders made a party.
func scoreRound(t *testing.T, round string, details bool, patterns, parsed firstRun) {
	dir := filepath.Join("testdata", "heldout", round)
	floor := func(first firstRun) func(*testing.T, score) {
		return func(t *testing.T, s score) {
			if s.hard > first.hard || s.correct < first.right || s.found-s.correct > first.wrong {
				t.Errorf("%s: %s; the floors: at most %d hard errors, at least %d right, at most %d wrong", round, s, first.hard, first.right, first.wrong)
			}
		}
	}
	t.Run("patterns", func(t *testing.T) { floor(patterns)(t, runLabelledLogging(t, dir, nil, details)) })
	t.Run("parsed", func(t *testing.T) { floor(parsed)(t, runLabelledLogging(t, dir, parser(t), details)) })
}
