package graph

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/exportwatch/exportwatch/resolve"
)

// FuzzLuceneEscape holds the full-text queries made of what people type
// and what sources write to being literal: every Lucene special character
// that came from the input is escaped (an escaped backslash counts), no
// term is a bare AND, OR or NOT, no term holds white space Lucene's query
// parser would split it at, and the query is valid UTF-8 when the input
// is. typeAheadQuery's own syntax (groups, OR, ^3, *, ~N) is parsed and
// checked to be the only syntax there is. It needs no database: the test
// binary's Neo4j starts only when a test asks for it.
func FuzzLuceneEscape(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.jsonl"))
	if err != nil || len(files) == 0 {
		f.Fatalf("testdata: %v %v", files, err)
	}
	for _, name := range files {
		file, err := os.Open(name)
		if err != nil {
			f.Fatal(err)
		}
		sc := bufio.NewScanner(file)
		for sc.Scan() {
			var line struct {
				Names []string `json:"names"`
			}
			if json.Unmarshal(sc.Bytes(), &line) == nil {
				for _, n := range line.Names {
					f.Add(n)
				}
			}
		}
		file.Close()
		if err := sc.Err(); err != nil {
			f.Fatal(err)
		}
	}
	for _, s := range []string{
		"sandvine", "sandv", "Sandvne", "SANDVINE inc", "Сандвайн", "Azərbaycan", "traffic exch", "Turk Telekom",
		`Traffic Exchange "Center`, `((( AND OR ~`, "AND", "or", "Not", "and or not", "&& || !", `\`, `\\`, `a\`, `\*`, `a\"b`,
		luceneSpecial, strings.Join(strings.Split(luceneSpecial, ""), " "), "+sandvine -allot", "name:value", "title:(a OR b)^4",
		"ｓａｎｄｖｉｎｅ ＯＲ", "x\u3000AND\u3000y", "a\tb\nc\rd", "\u00a0AND\u00a0", "Hacking Team's S.A.", "O’Neil", "a/b?c*",
		"\xff\xfe", "a\xc3", "\x00", "", "   ", strings.Repeat("sandvine ", 300), strings.Repeat("(", 500), "Ǆ ǅ ǆ İ ẞ",
		"Сандвайн-Сандвайн(С)", "ООО «Ромашка»", "日本電気", "Ελληνικά:Test", "مرحبا|AND",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, input string) {
		words := resolve.Words(input)
		checkLucene(t, input, luceneQuery(words), words)
		checkLucene(t, input, luceneQuery(strings.Fields(input)), strings.Fields(input))
		checkLucene(t, input, fullTextQuery([]string{input}), nil)
		q := typeAheadQuery(input)
		if utf8.ValidString(input) && !utf8.ValidString(q) {
			t.Fatalf("typeAheadQuery(%q) = %q: not UTF-8", input, q)
		}
		checkTypeAhead(t, input, q)
		if again := typeAheadQuery(input); again != q {
			t.Fatalf("typeAheadQuery(%q) twice: %q, %q", input, q, again)
		}
	})
}

// luceneSpace is the white space Lucene's classic query parser splits at.
const luceneSpace = " \t\n\r\u3000"

type lexed struct {
	r       rune
	escaped bool
}

// lex reads an escaped query text: a backslash escapes the rune after it,
// and the escapers only ever escape the special characters.
func lex(t *testing.T, input, s string) []lexed {
	t.Helper()
	var out []lexed
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		if rs[i] != '\\' {
			out = append(out, lexed{r: rs[i]})
			continue
		}
		if i+1 == len(rs) || !strings.ContainsRune(luceneSpecial, rs[i+1]) {
			t.Fatalf("input %q: %q has a backslash that escapes no special character", input, s)
		}
		out = append(out, lexed{r: rs[i+1], escaped: true})
		i++
	}
	return out
}

// literal checks that a term is input text with every special character
// escaped, and returns it unescaped.
func literal(t *testing.T, input, term string) string {
	t.Helper()
	var b strings.Builder
	for _, l := range lex(t, input, term) {
		if !l.escaped && strings.ContainsRune(luceneSpecial, l.r) {
			t.Fatalf("input %q: term %q has %q unescaped", input, term, l.r)
		}
		b.WriteRune(l.r)
	}
	w := b.String()
	if w == "" || strings.ContainsAny(w, luceneSpace) {
		t.Fatalf("input %q: term %q is empty or holds white space Lucene splits at", input, term)
	}
	if lw := strings.ToLower(w); lw == "and" || lw == "or" || lw == "not" {
		t.Fatalf("input %q: term %q is an operator", input, term)
	}
	return w
}

// checkLucene checks a luceneQuery: terms separated by single spaces, each
// an escaped word; when words are given, the terms are exactly those
// words that are not operators, in order.
func checkLucene(t *testing.T, input, q string, words []string) {
	t.Helper()
	if utf8.ValidString(input) && !utf8.ValidString(q) {
		t.Fatalf("input %q: query %q is not UTF-8", input, q)
	}
	var got []string
	if q != "" {
		for _, term := range strings.Split(q, " ") {
			got = append(got, literal(t, input, term))
		}
	}
	if words == nil {
		return
	}
	var want []string
	for _, w := range words {
		if lw := strings.ToLower(w); lw != "and" && lw != "or" && lw != "not" {
			want = append(want, string([]rune(w))) // as luceneQuery reads it: U+FFFD for each bad byte
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("input %q: query %q has terms %q, want %q", input, q, got, want)
	}
}

// checkTypeAhead parses typeAheadQuery's output: groups joined by " OR ",
// each "(" terms joined by " OR " ")", each term an escaped word with one
// of ^3, * or ~1/~2 after it.
func checkTypeAhead(t *testing.T, input, q string) {
	t.Helper()
	if q == "" {
		return
	}
	tokens := strings.Split(q, " ")
	inGroup := false
	for i, tok := range tokens {
		if i%2 == 1 {
			if tok != "OR" {
				t.Fatalf("input %q: query %q: %q where OR belongs", input, q, tok)
			}
			continue
		}
		if !inGroup {
			var ok bool
			if tok, ok = strings.CutPrefix(tok, "("); !ok {
				t.Fatalf("input %q: query %q: a group does not open at %q", input, q, tok)
			}
			inGroup = true
		}
		ls := lex(t, input, tok)
		if n := len(ls); n > 0 && ls[n-1] == (lexed{r: ')'}) {
			ls, inGroup = ls[:n-1], false
		}
		// The operator after the word: ^3, *, ~1 or ~2.
		n := len(ls)
		switch {
		case n >= 2 && ls[n-2] == (lexed{r: '^'}) && ls[n-1] == (lexed{r: '3'}),
			n >= 2 && ls[n-2] == (lexed{r: '~'}) && (ls[n-1] == (lexed{r: '1'}) || ls[n-1] == (lexed{r: '2'})):
			ls = ls[:n-2]
		case n >= 1 && ls[n-1] == (lexed{r: '*'}):
			ls = ls[:n-1]
		default:
			t.Fatalf("input %q: query %q: term %q has no ^3, * or ~N", input, q, tok)
		}
		var b strings.Builder
		for _, l := range ls {
			if l.escaped {
				b.WriteRune('\\')
			}
			b.WriteRune(l.r)
		}
		literal(t, input, b.String())
	}
	if inGroup || len(tokens)%2 == 0 {
		t.Fatalf("input %q: query %q does not end a group", input, q)
	}
}
