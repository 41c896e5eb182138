package graph

import (
	"context"
	"fmt"
	"slices"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/exportwatch/exportwatch/country"
	"github.com/exportwatch/exportwatch/resolve"
)

// MinQuoteWords is the fewest words a quote may have and still stand on
// its own: "Russia" quoted for a PART_OF shows nothing a reader can check.
const MinQuoteWords = 6

// WeakQuote is a claim whose quotes do not show it: none names its
// subject or its object (by a name, an alias or, for a country's bodies,
// the country's name or demonym), or every one is a fragment. A claim
// whose evidence includes an editor's paraphrase is not weak: the
// paraphrase says what the source says, and briefs word it as such.
type WeakQuote struct {
	Claim, Relation, Subject, Object string
	Quotes                           []string
	Reason                           string
}

func (w WeakQuote) String() string {
	return fmt.Sprintf("weak quote: %s (%s %s > %s): %s: %q", w.Claim, w.Relation, w.Subject, w.Object, w.Reason, w.Quotes)
}

// WeakQuotes returns the claims whose quotes do not stand on their own,
// ordered by claim id.
func (s *Store) WeakQuotes(ctx context.Context) ([]WeakQuote, error) {
	var out []WeakQuote
	err := s.stream(ctx, `
MATCH (c:Claim)-[:SUBJECT]->(a:Entity)
MATCH (c)-[:OBJECT]->(b:Entity)
WITH c, a, b, [(c)-[ev:EVIDENCED_BY]->(:Document) | {quote: ev.quote, paraphrase: ev.paraphrase}] AS evidence
RETURN c.id AS id, c.relation AS rel, a{.id, .name, .aliases, .country, .schema} AS a, b{.id, .name, .aliases, .country, .schema} AS b, evidence
ORDER BY id`, nil, func(r *neo4j.Record) error {
		id, _ := r.Get("id")
		rel, _ := r.Get("rel")
		a, _ := r.Get("a")
		b, _ := r.Get("b")
		evs, _ := r.Get("evidence")
		var quotes []string
		paraphrased := false
		for _, raw := range evs.([]any) {
			ev := raw.(map[string]any)
			if str(ev, "paraphrase") != "" {
				paraphrased = true
			}
			if q := str(ev, "quote"); q != "" {
				quotes = append(quotes, q)
			}
		}
		if paraphrased || len(quotes) == 0 {
			return nil
		}
		ends := []map[string]any{a.(map[string]any), b.(map[string]any)}
		reason := quoteWeakness(quotes, ends)
		if reason != "" {
			out = append(out, WeakQuote{Claim: id.(string), Relation: rel.(string), Subject: str(ends[0], "id"),
				Object: str(ends[1], "id"), Quotes: quotes, Reason: reason})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("check quotes: %w", err)
	}
	return out, nil
}

// quoteWeakness says why quotes do not show a claim between the ends, or
// "" when one of them does: long enough and naming an end.
func quoteWeakness(quotes []string, ends []map[string]any) string {
	short := true
	for _, q := range quotes {
		words := resolve.Words(q)
		if len(words) < MinQuoteWords {
			continue
		}
		short = false
		for _, e := range ends {
			if slices.ContainsFunc(endNames(e), func(n []string) bool { return containsRun(words, n) }) {
				return ""
			}
		}
	}
	if short {
		return fmt.Sprintf("every quote is under %d words", MinQuoteWords)
	}
	return "no quote names the subject or the object"
}

// endNames are the word runs that name an entity in a quote: its name
// and aliases (without legal forms), and for a country or a body of one,
// the country's names and demonym.
func endNames(e map[string]any) [][]string {
	var names []string
	names = append(names, str(e, "name"))
	names = append(names, strs(e, "aliases")...)
	// A country's bodies and its incidents are named by the country too:
	// "the Belarusian authorities", "a shutdown in Belarus".
	if code := str(e, "country"); code != "" && slices.Contains([]string{"Country", "PublicBody", "Incident"}, str(e, "schema")) {
		if c, ok := country.Lookup(code); ok {
			names = append(names, c.Names()...)
		}
	}
	var out [][]string
	for _, n := range names {
		if w := resolve.Normalise(n); len(w) > 0 && !(len(w) == 1 && len(w[0]) < 3) {
			out = append(out, w)
		}
	}
	return out
}

// containsRun says whether words holds run, word for word, in order; the
// last word may carry a possessive ("Sandvine's" is "sandvines").
func containsRun(words, run []string) bool {
	for i := 0; i+len(run) <= len(words); i++ {
		n := len(run) - 1
		last := words[i+n]
		if slices.Equal(words[i:i+n], run[:n]) && (last == run[n] || last == run[n]+"s") {
			return true
		}
	}
	return false
}
