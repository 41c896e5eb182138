package evidence

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/exportwatch/exportwatch/sentence"
)

// Passage is a stretch of a page's text with where it is on the page.
type Passage struct {
	Text    string
	Locator string // "¶4", "p. 2 ¶1"; empty for text outside the main text
}

// Normalize is the form in which a quote and a page are compared: Unicode
// compatibility forms folded (NFKC, so a ligature or a non-breaking space
// is its plain letters or a space), every curly or angled quote mark made
// straight, every dash a hyphen, invisible characters (soft hyphens,
// zero-width and direction marks) dropped, runs of white space one space,
// and letters in lower case, since a quote lifted from mid-sentence often
// gains a capital.
func Normalize(s string) string {
	// NFKC would split these two into a space and an accent, and a prime
	// pair: made quote marks first.
	s = norm.NFKC.String(strings.NewReplacer("´", "'", "″", `"`).Replace(s))
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case invisible(r):
			continue
		}
		switch r {
		case '‘', '’', '‚', '‛', '′', '‹', '›', '`':
			r = '\''
		case '“', '”', '„', '‟', '«', '»':
			r = '"'
		case '‐', '‑', '‒', '–', '—', '―', '−':
			r = '-'
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// invisible are characters a page may hold that a reader does not see and
// an editor copying the text does not carry: the soft hyphen, zero-width
// characters, the byte-order mark and the bidirectional controls.
func invisible(r rune) bool {
	return r == '\u00ad' || (r >= '\u200b' && r <= '\u200f') || (r >= '\u202a' && r <= '\u202e') ||
		(r >= '\u2060' && r <= '\u2069') || r == '\ufeff'
}

// Match is where a quote was found, or the passage closest to it.
type Match struct {
	Found   bool
	Locator string
	// Closest is, when the quote was not found, the page's passage (up to
	// three sentences) that shares most words with it; Score is the share
	// of the quote's words it holds (0 to 1).
	Closest Passage
	Score   float64
}

// maxClosestBytes bounds the text searched for the closest passage, so a
// long document answers within a request's time.
const maxClosestBytes = 4 << 20

// Find looks for quote in the page's passages, each on its own first (so a
// match gets its passage's locator), then in the whole text, for a quote
// that runs across passages. When it is nowhere, the closest passage is
// given instead.
func Find(page []Passage, quote string) Match {
	q := Normalize(quote)
	if q == "" {
		return Match{}
	}
	var all strings.Builder
	for _, p := range page {
		n := Normalize(p.Text)
		if strings.Contains(n, q) {
			return Match{Found: true, Locator: p.Locator}
		}
		all.WriteString(n)
		all.WriteByte(' ')
	}
	if strings.Contains(all.String(), q) {
		return Match{Found: true}
	}
	best, score := closest(page, q)
	return Match{Closest: best, Score: score}
}

// closest scores every run of one to three consecutive sentences against
// the quote's words (counted with repeats) and returns the best.
func closest(page []Passage, q string) (Passage, float64) {
	want := map[string]int{}
	total := 0
	for _, w := range words(q) {
		want[w]++
		total++
	}
	if total == 0 {
		return Passage{}, 0
	}
	type scored struct {
		text, locator string
		words         []string
	}
	var sents []scored
	size := 0
passages:
	for _, p := range page {
		for _, s := range sentence.Split(p.Text) {
			if size += len(s); size > maxClosestBytes {
				break passages
			}
			sents = append(sents, scored{s, p.Locator, words(Normalize(s))})
		}
	}
	// Ranked by the Dice coefficient of the two bags of words, so a
	// passage gains by holding the quote's words and loses by being long;
	// reported as the share of the quote's words it holds.
	var best Passage
	bestDice, bestShare := 0.0, 0.0
	for i := range sents {
		have := map[string]int{}
		common, length := 0, 0
		for j := i; j < len(sents) && j < i+3; j++ {
			for _, w := range sents[j].words {
				if have[w] < want[w] {
					common++
				}
				have[w]++
			}
			length += len(sents[j].words)
			if dice := 2 * float64(common) / float64(total+length); dice > bestDice {
				texts := make([]string, 0, j-i+1)
				for k := i; k <= j; k++ {
					texts = append(texts, sents[k].text)
				}
				best = Passage{Text: strings.Join(texts, " "), Locator: sents[i].locator}
				bestDice, bestShare = dice, float64(common)/float64(total)
			}
		}
	}
	return best, bestShare
}

// words are the letter and digit runs of normalised text.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
}
