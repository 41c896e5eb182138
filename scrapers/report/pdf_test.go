package report

import (
	"errors"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
)

// makePDF writes a PDF with the given pages of text; an empty page gets a
// grey rectangle only, as a scan's image would.
func makePDF(t *testing.T, pages ...string) []byte {
	t.Helper()
	return scrapertest.ReportPDF(t, pages...)
}

func TestPDFText(t *testing.T) {
	body := makePDF(t, "The equipment was obtained by the National Traffic Exchange Center as part of a contract with Jet Infosystems.",
		"In 2019 the ministry bought interception systems from Example Ltd.")
	blocks, problems, err := PDFText(body)
	if err != nil || len(problems) != 0 || len(blocks) != 2 {
		t.Fatalf("blocks %+v, problems %v, err %v", blocks, problems, err)
	}
	if !strings.Contains(blocks[0].Text, "National Traffic Exchange Center") || blocks[1].Locator != "p. 2 ¶1" {
		t.Errorf("blocks: %+v", blocks)
	}
	if _, _, err := PDFText(makePDF(t, "", "")); !errors.Is(err, ErrScanned) {
		t.Errorf("a scan: %v", err)
	}
	if _, _, err := PDFText([]byte("%PDF-1.4\nnot really a pdf")); err == nil {
		t.Error("a broken PDF was read")
	}
}
