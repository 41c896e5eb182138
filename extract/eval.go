package extract

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/seed"
)

// SeedGazetteer is the gazetteer of the curated seed's entities, which the
// labelled sentences name.
func SeedGazetteer() (*Gazetteer, error) {
	entries, err := SeedEntries()
	if err != nil {
		return nil, err
	}
	return NewGazetteer(entries), nil
}

// SeedEntries are the names and aliases of the seed's entities, each
// product with its makers.
func SeedEntries() ([]Entry, error) {
	set, err := seed.Records()
	if err != nil {
		return nil, err
	}
	// A product's makers: the companies that OFFER it.
	byID := map[string]records.Entity{}
	for _, e := range set.Entities {
		byID[records.EntityID(e)] = e
	}
	makers := map[string][]Entry{}
	for _, c := range set.Claims {
		if maker, ok := byID[c.Subject]; ok && c.Relation == records.RelOffers && c.Stance != records.StanceDenies {
			makers[c.Object] = append(makers[c.Object], Entry{ID: c.Subject, Schema: maker.Schema, Name: maker.Names[0]})
		}
	}
	var entries []Entry
	for _, e := range set.Entities {
		if e.Schema != records.SchemaCountry {
			id := records.EntityID(e)
			for _, n := range e.Names {
				entries = append(entries, Entry{ID: id, Schema: e.Schema, Name: n, Makers: makers[id]})
			}
		}
	}
	return entries, nil
}

// Labelled is one sentence of the labelled set with the claims a careful
// reader finds in it.
type Labelled struct {
	Sentence string
	Want     []string
	Line     int
}

// ReadLabelled reads sentence<TAB>claims lines ("SUPPLIED a > b; …", empty
// for none); # lines are comments.
func ReadLabelled(r io.Reader) ([]Labelled, error) {
	var out []Labelled
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		s, want, ok := strings.Cut(line, "\t")
		if !ok {
			return nil, fmt.Errorf("line %d: want sentence<TAB>claims", n)
		}
		l := Labelled{Sentence: s, Line: n}
		for _, c := range strings.Split(want, ";") {
			if c = strings.TrimSpace(c); c != "" {
				l.Want = append(l.Want, c)
			}
		}
		out = append(out, l)
	}
	return out, sc.Err()
}

// Score is precision and recall for one relation.
type Score struct {
	Relation                 string
	Found, Correct, Expected int
	Precision, Recall        float64
}

// EvalResult is the evaluation of a labelled set.
type EvalResult struct {
	Sentences, Empty int
	// FalseOnEmpty counts claims found in sentences that make none.
	FalseOnEmpty int
	Relations    []Score
	Mistakes     []string
}

// Evaluate extracts from each labelled sentence and compares.
func (g *Gazetteer) Evaluate(set []Labelled) EvalResult {
	var r EvalResult
	by := map[string]*Score{}
	score := func(rel string) *Score {
		if by[rel] == nil {
			by[rel] = &Score{Relation: rel}
		}
		return by[rel]
	}
	relation := func(c string) string {
		f := strings.Fields(strings.TrimPrefix(c, "denies "))
		return f[0]
	}
	for _, l := range set {
		r.Sentences++
		if len(l.Want) == 0 {
			r.Empty++
		}
		var got []string
		for _, f := range g.Extract(l.Sentence) {
			got = append(got, f.String())
		}
		for _, inc := range g.Incidents(l.Sentence) {
			got = append(got, inc.Strings()...)
		}
		for _, c := range got {
			s := score(relation(c))
			s.Found++
			if slices.Contains(l.Want, c) {
				s.Correct++
			} else {
				if len(l.Want) == 0 {
					r.FalseOnEmpty++
				}
				r.Mistakes = append(r.Mistakes, fmt.Sprintf("line %d: found %q, not in %q", l.Line, c, l.Want))
			}
		}
		for _, c := range l.Want {
			score(relation(c)).Expected++
			if !slices.Contains(got, c) {
				r.Mistakes = append(r.Mistakes, fmt.Sprintf("line %d: missed %q (found %q)", l.Line, c, got))
			}
		}
	}
	for _, s := range by {
		if s.Found > 0 {
			s.Precision = float64(s.Correct) / float64(s.Found)
		}
		if s.Expected > 0 {
			s.Recall = float64(s.Correct) / float64(s.Expected)
		}
		r.Relations = append(r.Relations, *s)
	}
	sort.Slice(r.Relations, func(i, j int) bool { return r.Relations[i].Relation < r.Relations[j].Relation })
	return r
}
