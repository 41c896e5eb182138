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
func PDFText(body []byte) (blocks []Block, problems []string, err error) {
	// The PDF reader panics on malformed objects (its page tree, say): a damaged file is an error, not a crash.
	defer func() {
		if x := recover(); x != nil {
			blocks, err = nil, fmt.Errorf("read PDF: malformed PDF: %v", x)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		return nil, nil, fmt.Errorf("read PDF: %w", err)
	}
	pages := min(r.NumPage(), maxPDFPages)
	for i := 1; i <= pages; i++ {
		text, err := pageText(r, i)
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

// pageText reads one page's text; a panic of the PDF reader over a damaged
// page is that page's error, so the other pages are still read.
func pageText(r *pdf.Reader, i int) (text string, err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("malformed page: %v", x)
		}
	}()
	return r.Page(i).GetPlainText(nil)
}
