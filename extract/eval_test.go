package extract

import (
	"os"
	"testing"
)

// TestLabelledSentences holds the floors of the labelled set: no claim in
// a sentence that makes none, and per relation a precision that puts no
// false link between a vendor and a buyer before a reader's eyes.
func TestLabelledSentences(t *testing.T) {
	g, err := SeedGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("testdata/sentences.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	set, err := ReadLabelled(f)
	if err != nil {
		t.Fatal(err)
	}
	r := g.Evaluate(set)
	if r.Sentences-r.Empty < 40 || r.Empty < 40 {
		t.Fatalf("%d sentences with claims, %d without: want at least 40 of each", r.Sentences-r.Empty, r.Empty)
	}
	for _, m := range r.Mistakes {
		t.Log(m)
	}
	for _, s := range r.Relations {
		t.Logf("%-12s found %2d, correct %2d, expected %2d: precision %.2f, recall %.2f", s.Relation, s.Found, s.Correct, s.Expected, s.Precision, s.Recall)
	}
	if r.FalseOnEmpty > 0 {
		t.Errorf("%d claims found in sentences that make none", r.FalseOnEmpty)
	}
	// The set was written beside the rules: the floors guard against
	// regressions, and a held-out set is what will measure them.
	for _, s := range r.Relations {
		if s.Precision < 0.95 || s.Recall < 0.7 {
			t.Errorf("%s: precision %.2f (floor 0.95), recall %.2f (floor 0.70)", s.Relation, s.Precision, s.Recall)
		}
	}
}

func TestWhatASentenceAdds(t *testing.T) {
	g, err := SeedGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		sentence string
		check    func(Found) bool
	}{
		{"The equipment was obtained by Belarus's National Traffic Exchange Center from Sandvine as part of a $2.5 million contract in August 2020.",
			func(f Found) bool {
				return f.Value == 2.5e6 && f.Currency == "USD" && f.Start == "2020-08" && f.Confidence == 0.7
			}},
		{"Kazakhstan's government reportedly purchased Pegasus from NSO Group.",
			func(f Found) bool { return f.Confidence == 0.5 && len(f.Reasons) == 2 }},
		{"NSO Group denied that it sold Pegasus to the government of Azerbaijan.", func(f Found) bool { return f.Denies }},
		{"Türk Telekom used PacketLogic devices made by Sandvine.", func(f Found) bool { return f.Stage == "in_use" }},
	} {
		fs := g.Extract(tc.sentence)
		if len(fs) != 1 || !tc.check(fs[0]) {
			t.Errorf("Extract(%q) = %+v", tc.sentence, fs)
		}
	}
}

// BenchmarkExtract runs the labelled sentences through the seed's
// gazetteer and the relation rules: text MB/s and sentences/s on one core.
func BenchmarkExtract(b *testing.B) {
	g, err := SeedGazetteer()
	if err != nil {
		b.Fatal(err)
	}
	f, err := os.Open("testdata/sentences.tsv")
	if err != nil {
		b.Fatal(err)
	}
	set, err := ReadLabelled(f)
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	var size int64
	for _, l := range set {
		size += int64(len(l.Sentence))
	}
	b.SetBytes(size)
	n := 0
	for b.Loop() {
		for _, l := range set {
			g.Extract(l.Sentence)
			n++
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "sentences/s")
}
