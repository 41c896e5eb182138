package resolve

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Candidate is an entity as resolution sees it: enough to tell whether a
// mention names it.
type Candidate struct {
	ID          string
	Schema      string
	Country     string
	Names       []string
	Identifiers map[string]string
}

// Match is a candidate scored against a mention.
type Match struct {
	ID string
	Score
	// Name is the candidate's name that scored best; empty when an
	// identifier decided.
	Name string
}

// Index finds, among many candidates, those a mention may name. Scoring
// every candidate is quadratic, so candidates are found through blocks
// (each normalised word, the first letters of long words, the name
// written without spaces) and only those sharing a block are scored. A
// block held by very many names ("group", "ministry") is skipped when the
// name has a rarer one.
type Index struct {
	entries  []entry
	byIdent  map[string][]int // "scheme:value" → entries
	postings map[string][]int // block → entries
}

type entry struct {
	c     Candidate
	forms []form   // each name that has words, as compared
	names []string // those names
}

// maxBlock is the size above which a block is too common to search when
// the name has another.
const maxBlock = 256

// maxTypoBlock is the size above which a prefix block is not searched: a
// misspelling is looked for among few names, never among thousands.
const maxTypoBlock = 64

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{byIdent: map[string][]int{}, postings: map[string][]int{}}
}

// Len is the number of candidates.
func (x *Index) Len() int { return len(x.entries) }

// Add puts a candidate in the index.
func (x *Index) Add(c Candidate) {
	n := len(x.entries)
	e := entry{c: c}
	seen := map[string]bool{}
	for _, name := range c.Names {
		f := newForm(name)
		w := f.words
		if len(w) == 0 {
			continue
		}
		e.forms = append(e.forms, f)
		e.names = append(e.names, name)
		for _, b := range blocks(w, c.Country) {
			if !seen[b] {
				seen[b] = true
				x.postings[b] = append(x.postings[b], n)
			}
		}
	}
	for scheme, v := range c.Identifiers {
		k := identKey(scheme, v)
		x.byIdent[k] = append(x.byIdent[k], n)
	}
	x.entries = append(x.entries, e)
}

func identKey(scheme, v string) string {
	return scheme + ":" + strings.ToLower(strings.TrimSpace(v))
}

// blocks are the keys a normalised name is found by; a state body's
// name also by its country and concepts (bodyKey), so its names in two
// languages and its acronym find each other.
func blocks(words []string, country string) []string {
	out := make([]string, 0, 2*len(words)+2)
	if k := bodyKey(words, country); k != "" {
		out = append(out, k)
	}
	for _, w := range words {
		out = append(out, "w:"+w)
		if r := []rune(w); len(r) >= 6 {
			out = append(out, "p:"+string(r[:4]))
		}
	}
	if len(words) > 1 {
		out = append(out, "j:"+strings.Join(words, ""))
	} else if len(words) == 1 {
		// "HackingTeam" finds "Hacking Team" through its joined block.
		out = append(out, "j:"+words[0])
	}
	return out
}

// Match scores the candidates that c may be, best first, leaving out those
// of another schema, those whose identifiers contradict c's (two LEIs are
// two legal entities), c itself, and those scoring below Review. A shared
// identifier decides without the names.
func (x *Index) Match(c Candidate) []Match {
	var out []Match
	done := map[int]bool{}
	for scheme, v := range c.Identifiers {
		for _, i := range x.byIdent[identKey(scheme, v)] {
			e := x.entries[i]
			if done[i] || e.c.ID == c.ID || e.c.Schema != c.Schema || contradicts(c.Identifiers, e.c.Identifiers) != "" {
				continue
			}
			done[i] = true
			out = append(out, Match{ID: e.c.ID, Score: Score{Value: 1, Decision: DecideSame,
				Explanation: fmt.Sprintf("same identifier %s", identKey(scheme, v))}})
		}
	}
	var words [][]string
	var forms []form
	for _, name := range c.Names {
		if f := newForm(name); len(f.words) > 0 {
			words = append(words, f.words)
			forms = append(forms, f)
		}
	}
	// Misspellings are looked for only when the words themselves found
	// nothing certain.
	for _, i := range x.blocked(words, c.Country, false) {
		out = x.score(out, done, c, forms, i)
	}
	if !slices.ContainsFunc(out, func(m Match) bool { return m.Decision == DecideSame }) {
		for _, i := range x.blocked(words, c.Country, true) {
			out = x.score(out, done, c, forms, i)
		}
	}
	slices.SortStableFunc(out, func(a, b Match) int {
		if c := cmp.Compare(b.Value, a.Value); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// score adds entry i to out if c may be it.
func (x *Index) score(out []Match, done map[int]bool, c Candidate, forms []form, i int) []Match {
	{
		e := x.entries[i]
		if done[i] || e.c.ID == c.ID || e.c.Schema != c.Schema {
			return out
		}
		done[i] = true
		if contradicts(c.Identifiers, e.c.Identifiers) != "" {
			return out
		}
		best, bi, bj := -1.0, 0, 0
		for i, fa := range forms {
			for j, fb := range e.forms {
				if s := compareWords(fa, fb, c.Country, e.c.Country, false); s.Value > best {
					best, bi, bj = s.Value, i, j
				}
			}
		}
		if Decide(best) != DecideDifferent {
			s := compareWords(forms[bi], e.forms[bj], c.Country, e.c.Country, true)
			out = append(out, Match{ID: e.c.ID, Score: s, Name: e.names[bj]})
		}
	}
	return out
}

// blocked returns the entries sharing a block with any of the names, each
// once, searching the rare blocks and a common one only when a name has
// nothing rarer. Prefix blocks, there for misspellings, are searched
// only when typos is set.
func (x *Index) blocked(names [][]string, country string, typos bool) []int {
	var out []int
	seen := map[int]bool{}
	for _, w := range names {
		var bs []string
		for _, b := range blocks(w, country) {
			if typos == strings.HasPrefix(b, "p:") {
				bs = append(bs, b)
			}
		}
		limit := maxBlock
		if typos {
			limit = maxTypoBlock
		}
		rare := false
		for _, b := range bs {
			if n := len(x.postings[b]); n > 0 && n <= limit {
				rare = true
			}
		}
		for _, b := range bs {
			p := x.postings[b]
			if (rare || typos) && len(p) > limit {
				continue
			}
			if len(p) > limit {
				p = p[:limit]
			}
			for _, i := range p {
				if !seen[i] {
					seen[i] = true
					out = append(out, i)
				}
			}
		}
	}
	return out
}

// contradicts returns a scheme on which the two sets of identifiers name
// different things, or "".
func contradicts(a, b map[string]string) string {
	for scheme, v := range a {
		if w, ok := b[scheme]; ok && identKey(scheme, v) != identKey(scheme, w) {
			return scheme
		}
	}
	return ""
}
