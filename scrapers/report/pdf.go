package report

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/ledongthuc/pdf"

	"github.com/exportwatch/exportwatch/scrapers"
)

// ErrScanned is returned for a PDF whose pages hold no text: a scan, which
// would need OCR; it is said so, not read as empty.
var ErrScanned = errors.New("the PDF holds no text (a scan?): nothing to read without OCR")

// maxPDFPages bounds the pages read from one PDF, so a malformed file with
// a page count of millions ends.
const maxPDFPages = 2000

// PDFText reads the text of a PDF in pure Go, page by page; each page's
// paragraphs (lines separated by a blank line, or the page when there is
// none) are blocks located "p. N ¶M". A damaged page is skipped and said
// so in problems; a PDF without any text is ErrScanned.
func PDFText(body []byte) ([]Block, []string, error) {
	r, err := pdf.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		return nil, nil, fmt.Errorf("read PDF: %w", err)
	}
	var blocks []Block
	var problems []string
	pages := min(r.NumPage(), maxPDFPages)
	for i := 1; i <= pages; i++ {
		text, err := r.Page(i).GetPlainText(nil)
		if err != nil {
			problems = append(problems, fmt.Sprintf("page %d: %v", i, err))
			continue
		}
		n := 0
		for _, para := range strings.Split(strings.ReplaceAll(text, "\r", ""), "\n\n") {
			if t := scrapers.Squash(para); len(t) >= 20 {
				n++
				blocks = append(blocks, Block{Text: t, Locator: fmt.Sprintf("p. %d ¶%d", i, n)})
			}
		}
	}
	if r.NumPage() > maxPDFPages {
		problems = append(problems, fmt.Sprintf("%d pages; the first %d were read", r.NumPage(), maxPDFPages))
	}
	if len(blocks) == 0 {
		return nil, problems, ErrScanned
	}
	return blocks, problems, nil
}
