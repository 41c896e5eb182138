package resolve

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func testIndex() *Index {
	x := NewIndex()
	for _, c := range []Candidate{
		{ID: "company:sandvine", Schema: "Company", Country: "CA", Names: []string{"Sandvine Incorporated", "Sandvine"}},
		{ID: "company:procera", Schema: "Company", Country: "US", Names: []string{"Procera Networks, Inc."}},
		{ID: "company:allot", Schema: "Company", Country: "IL", Names: []string{"Allot Ltd."}, Identifiers: map[string]string{"cik": "0001365767"}},
		{ID: "company:alloy", Schema: "Company", Country: "US", Names: []string{"Alloy Inc."}},
		{ID: "company:hackingteam", Schema: "Company", Country: "IT", Names: []string{"Hacking Team S.r.l."}},
		{ID: "company:gleif-a", Schema: "Company", Country: "DE", Names: []string{"FinFisher GmbH"}, Identifiers: map[string]string{"lei": "529900AAAAAAAAAAAA01"}},
		{ID: "body:sss", Schema: "PublicBody", Country: "AZ", Names: []string{"State Security Service"}},
		{ID: "company:sss", Schema: "Company", Country: "AZ", Names: []string{"State Security Service"}},
		{ID: "company:nokia", Schema: "Company", Country: "FI", Names: []string{"Nokia Oyj"}},
		{ID: "company:nokia-tech", Schema: "Company", Country: "FI", Names: []string{"Nokia Technologies Oy"}},
	} {
		x.Add(c)
	}
	return x
}

func TestIndexMatch(t *testing.T) {
	x := testIndex()
	tests := []struct {
		name string
		c    Candidate
		want string // the best match's id, "" for none
		dec  Decision
	}{
		{"legal form", Candidate{Schema: "Company", Names: []string{"Sandvine Inc."}}, "company:sandvine", DecideSame},
		{"identifier decides over the name", Candidate{Schema: "Company", Names: []string{"ALLOT COMMUNICATIONS SYSTEMS"}, Identifiers: map[string]string{"cik": "0001365767"}}, "company:allot", DecideSame},
		{"one letter is not the same company", Candidate{Schema: "Company", Country: "IL", Names: []string{"Alloy Ltd"}}, "", ""},
		{"without spaces", Candidate{Schema: "Company", Country: "IT", Names: []string{"HackingTeam"}}, "company:hackingteam", DecideSame},
		{"typo goes to review", Candidate{Schema: "Company", Names: []string{"Sandvien"}}, "company:sandvine", DecideReview},
		{"other schema", Candidate{Schema: "PublicBody", Country: "AZ", Names: []string{"the State Security Service"}}, "body:sss", DecideSame},
		{"contradicting identifier", Candidate{Schema: "Company", Country: "DE", Names: []string{"FinFisher GmbH"}, Identifiers: map[string]string{"lei": "529900BBBBBBBBBBBB02"}}, "", ""},
		{"unknown", Candidate{Schema: "Company", Names: []string{"Nice-Matin"}}, "", ""},
		// A bare brand may be taken for a company of its group's legal
		// name; with the parent in the graph, the parent comes first.
		{"a bare brand finds the parent before its subsidiary", Candidate{Schema: "Company", Country: "FI", Names: []string{"Nokia"}}, "company:nokia", DecideSame},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := x.Match(tt.c)
			if tt.want == "" {
				for _, m := range got {
					if m.Decision == DecideSame {
						t.Fatalf("want no same match, got %+v", got)
					}
				}
				return
			}
			if len(got) == 0 || got[0].ID != tt.want || got[0].Decision != tt.dec {
				t.Fatalf("got %+v, want %s %s", got, tt.want, tt.dec)
			}
			if got[0].Explanation == "" {
				t.Fatal("no explanation")
			}
		})
	}
}

// names100k makes n distinct company names of one to three words drawn
// from a syllable set, some sharing words, the way a registry's names do.
func names100k(n int) []string {
	syl := []string{"an", "bel", "cor", "dan", "el", "fin", "gar", "hol", "in", "jor", "kal", "lum", "mar", "nor", "or", "pel", "quin", "ros", "sal", "tor", "ul", "ver", "win", "xan", "yor", "zel"}
	forms := []string{"Ltd", "Inc.", "GmbH", "LLC", "S.A.", ""}
	r := rand.New(rand.NewPCG(1, 2))
	seen := map[string]bool{}
	var out []string
	for len(out) < n {
		words := 1 + r.IntN(3)
		name := ""
		for w := range words {
			if w > 0 {
				name += " "
			}
			k := 2 + r.IntN(3)
			word := ""
			for range k {
				word += syl[r.IntN(len(syl))]
			}
			name += string(word[0]-32) + word[1:]
		}
		name += " " + forms[r.IntN(len(forms))]
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	return out
}

// BenchmarkIndexMatch resolves mentions against an index of 100,000 names:
// half the mentions are names of the index written differently (case, a
// legal form), half are names it does not hold.
func BenchmarkIndexMatch(b *testing.B) {
	names := names100k(100_000)
	x := NewIndex()
	for i, n := range names {
		x.Add(Candidate{ID: fmt.Sprint(i), Schema: "Company", Names: []string{n}})
	}
	extra := names100k(101_000)[100_000:]
	mentions := make([]Candidate, 0, 2000)
	for i := range 1000 {
		mentions = append(mentions, Candidate{Schema: "Company", Names: []string{names[i*97] + " Corporation"}})
		mentions = append(mentions, Candidate{Schema: "Company", Names: []string{extra[i]}})
	}
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		x.Match(mentions[i%len(mentions)])
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "mentions/s")
}
