// Package sentence splits prose into sentences the way reports and filings
// write it: a full stop, question or exclamation mark (with any closing
// quote or bracket) ends a sentence when a capital, a digit or an opening
// quote follows, except after the abbreviations such texts are full of
// ("U.S.", "Inc.", "Ltd.", "No.", "Aug.", initials). Splitting is one pass
// over the text, so a paragraph of megabytes takes linear time.
package sentence

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// abbreviations end with a full stop that does not end a sentence; they
// are compared without that stop, case-insensitively.
var abbreviations = map[string]bool{}

func init() {
	for _, a := range strings.Fields(`inc ltd co corp llc plc gmbh no nos vol pp p fig art sec para
		mr mrs ms dr prof st jr sr gen col lt capt maj sgt gov sen rep rev hon
		jan feb mar apr jun jul aug sep sept oct nov dec
		u.s u.k u.n e.u e.g i.e etc vs approx est dept govt int'l cf al
		s.a n.v b.v s.r.l s.p.a a.g ag sa nv bv`) {
		abbreviations[a] = true
	}
}

// Split returns the sentences of text, each trimmed; a text without an
// ending is one sentence.
func Split(text string) []string {
	var out []string
	start := 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r != '.' && r != '?' && r != '!' && r != '…' {
			i += size
			continue
		}
		end := i + size
		// Closing quotes and brackets belong to the sentence they end.
		for end < len(text) {
			c, s := utf8.DecodeRuneInString(text[end:])
			if !strings.ContainsRune(`"'”’)]»`, c) {
				break
			}
			end += s
		}
		if r == '.' && abbreviated(text[start:i]) {
			i = end
			continue
		}
		next, gap := nextRune(text[end:])
		if gap == 0 && end < len(text) {
			i = end // "3.5", "example.org": no space, no end
			continue
		}
		if end < len(text) && !(unicode.IsUpper(next) || unicode.IsDigit(next) || strings.ContainsRune(`"'“‘(«[`, next)) {
			i = end
			continue
		}
		if s := strings.TrimSpace(text[start:end]); s != "" {
			out = append(out, s)
		}
		start, i = end, end
	}
	if s := strings.TrimSpace(text[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// nextRune is the first rune after the spaces at the head of s, and how
// many bytes of space came before it.
func nextRune(s string) (rune, int) {
	for i, r := range s {
		if !unicode.IsSpace(r) {
			return r, i
		}
	}
	return 0, len(s)
}

// abbreviated says whether the text before a full stop ends in an
// abbreviation or an initial ("J. Smith", "U.S").
func abbreviated(before string) bool {
	j := len(before)
	for j > 0 {
		r, size := utf8.DecodeLastRuneInString(before[:j])
		if unicode.IsSpace(r) || r == '(' || r == '"' || r == '“' {
			break
		}
		j -= size
	}
	word := strings.ToLower(before[j:])
	if word == "" {
		return false
	}
	if abbreviations[word] {
		return true
	}
	// A single letter is an initial; letters with stops between them
	// ("U.S", "e.g") are an abbreviation.
	if utf8.RuneCountInString(word) == 1 && unicode.IsLetter([]rune(word)[0]) {
		return true
	}
	return strings.Contains(word, ".") && !strings.ContainsFunc(word, func(r rune) bool { return !unicode.IsLetter(r) && r != '.' })
}
