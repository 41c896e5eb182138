package evidence_test

import (
	"fmt"
	"testing"

	"github.com/exportwatch/exportwatch/evidence"
)

// longPage is a report of n paragraphs, each of three sentences, the
// length of a long NGO report when n is 2,000 (about 1 MB of text).
func longPage(n int) ([]evidence.Passage, int) {
	page := make([]evidence.Passage, n)
	size := 0
	for i := range page {
		page[i] = evidence.Passage{Locator: fmt.Sprintf("¶%d", i+1), Text: fmt.Sprintf(
			"Shipment %d of “optical instruments” cleared the port in month %d, consigned to a state unit. "+
				"Officials who asked not to be named said the equipment was installed at crossing %d within weeks. "+
				"The company did not answer questions sent on day %d of the inquiry.", i, i%12+1, i, i)}
		size += len(page[i].Text)
	}
	return page, size
}

// BenchmarkFind is the quote check on a long page: a quote found in the
// last paragraph, and one found nowhere, whose closest passage is
// searched for among every run of sentences.
func BenchmarkFind(b *testing.B) {
	page, size := longPage(2000)
	for _, tc := range []struct{ name, quote string }{
		{"found-last", "said the equipment was installed at crossing 1999 within weeks"},
		{"missing", "said the cameras were mounted at crossing 1999 within days"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				evidence.Find(page, tc.quote)
			}
		})
	}
}
