package resolve

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Pair is one line of a pairs file: two names, their countries when
// known, and in a labelled file the right answer (same or different).
type Pair struct {
	A, B, CountryA, CountryB string
	Label                    Decision
	Line                     int
}

// ReadPairs reads name_a<TAB>name_b[<TAB>country_a<TAB>country_b[<TAB>label]]
// lines; blank lines and lines starting with # are passed over. A line
// with one field, or a label other than same or different, is an error
// naming its line.
func ReadPairs(r io.Reader) ([]Pair, error) {
	var out []Pair
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 2 || strings.TrimSpace(f[0]) == "" || strings.TrimSpace(f[1]) == "" {
			return nil, fmt.Errorf("line %d: want name_a<TAB>name_b[<TAB>country_a<TAB>country_b]", n)
		}
		p := Pair{A: f[0], B: f[1], Line: n}
		if len(f) >= 4 {
			p.CountryA, p.CountryB = strings.TrimSpace(f[2]), strings.TrimSpace(f[3])
		}
		if len(f) >= 5 {
			switch l := Decision(strings.TrimSpace(f[4])); l {
			case DecideSame, DecideDifferent:
				p.Label = l
			default:
				return nil, fmt.Errorf("line %d: label %q: want same or different", n, f[4])
			}
		}
		out = append(out, p)
	}
	return out, sc.Err()
}

// Eval is how the decisions on a labelled set compare with the labels.
// Precision is of the "same" decisions; recall, of the pairs labelled
// same; a pair sent to review counts as not decided same.
type Eval struct {
	Pairs, Same, Review, Different int
	TruePositive, FalsePositive    int
	FalseNegative                  int
	Precision, Recall              float64
	// Mistakes are the pairs decided same that are different.
	Mistakes []string
}

// Evaluate compares each labelled pair's decision with its label.
func Evaluate(pairs []Pair) Eval {
	var e Eval
	for _, p := range pairs {
		if p.Label == "" {
			continue
		}
		e.Pairs++
		s := Compare(p.A, p.B, p.CountryA, p.CountryB)
		switch s.Decision {
		case DecideSame:
			e.Same++
		case DecideReview:
			e.Review++
		default:
			e.Different++
		}
		switch {
		case s.Decision == DecideSame && p.Label == DecideSame:
			e.TruePositive++
		case s.Decision == DecideSame:
			e.FalsePositive++
			e.Mistakes = append(e.Mistakes, fmt.Sprintf("line %d: %q ~ %q: %s", p.Line, p.A, p.B, s.Explanation))
		case p.Label == DecideSame:
			e.FalseNegative++
		}
	}
	if d := e.TruePositive + e.FalsePositive; d > 0 {
		e.Precision = float64(e.TruePositive) / float64(d)
	}
	if d := e.TruePositive + e.FalseNegative; d > 0 {
		e.Recall = float64(e.TruePositive) / float64(d)
	}
	return e
}
