package sentence

import (
	"slices"
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"Sandvine Inc. sold equipment to the U.S. government. It was delivered in Aug. 2020.",
			[]string{"Sandvine Inc. sold equipment to the U.S. government.", "It was delivered in Aug. 2020."}},
		{`He said: "It ended." Then it resumed.`, []string{`He said: "It ended."`, "Then it resumed."}},
		{"Contract No. 45 was worth $2.5 million. The tender closed.", []string{"Contract No. 45 was worth $2.5 million.", "The tender closed."}},
		{"According to J. Smith of Example Ltd., the system was installed. Was it? Yes!",
			[]string{"According to J. Smith of Example Ltd., the system was installed.", "Was it?", "Yes!"}},
		{"See example.org for details. 2020 was the year.", []string{"See example.org for details.", "2020 was the year."}},
		{"no ending here", []string{"no ending here"}},
		{"Companies such as Allot, Sandvine and NICE (e.g. their DPI) were named. “They denied it.” Later, more.",
			[]string{"Companies such as Allot, Sandvine and NICE (e.g. their DPI) were named.", "“They denied it.”", "Later, more."}},
		{"", nil},
	} {
		if got := Split(tc.text); !slices.Equal(got, tc.want) {
			t.Errorf("Split(%q):\n%q\nwant\n%q", tc.text, got, tc.want)
		}
	}
}

// TestSplitIsLinear splits a 10 MB paragraph; one pass, so it finishes
// (the test would time out on quadratic work), and every sentence comes
// back.
func TestSplitIsLinear(t *testing.T) {
	text := strings.Repeat("The ministry bought equipment from Example Ltd. in 2019. ", 180_000)
	got := Split(text)
	if len(got) != 180_000 {
		t.Fatalf("%d sentences, want 180000", len(got))
	}
}

func BenchmarkSplit(b *testing.B) {
	text := strings.Repeat("According to Bloomberg, the U.S. firm's equipment was obtained by Belarus's National Traffic Exchange Center as part of a $2.5 million contract. It was used from Aug. 9. ", 2000)
	b.SetBytes(int64(len(text)))
	n := 0
	for b.Loop() {
		n += len(Split(text))
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "sentences/s")
}
