package report

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func read(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func texts(a *Article) []string {
	var out []string
	for _, b := range a.Blocks {
		out = append(out, b.Locator+" "+b.Text)
	}
	return out
}

func TestExtractKeepsTheArticle(t *testing.T) {
	a, err := Extract(read(t, "article.html"), "text/html; charset=utf-8", "https://www.example-watch.org/reports/1")
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Surveillance exports to Example Republic (test fixture)" || a.Publisher != "Example Watch" || a.Published != "2021-09-20" {
		t.Errorf("metadata: %q, %q, %q", a.Title, a.Publisher, a.Published)
	}
	got := strings.Join(texts(a), "\n")
	for _, want := range []string{"¶1 Our research found", "¶2 The equipment was obtained", "heading 1 Companies named", "item 1 Allot Ltd.", "item 2 Sandvine Inc."} {
		if !strings.Contains(got, want) {
			t.Errorf("main text lacks %q:\n%s", want, got)
		}
	}
	for _, gone := range []string{"Home", "Share on", "Injected by script", "Another story", "newsletter", "All rights reserved", "Short."} {
		if strings.Contains(got, gone) {
			t.Errorf("main text keeps %q:\n%s", gone, got)
		}
	}
}

func TestExtractBadInput(t *testing.T) {
	a, err := Extract(read(t, "cp1251.html"), "text/html", "https://example.ru/x")
	if err != nil || len(a.Blocks) != 1 || !strings.Contains(a.Blocks[0].Text, "«Инфосистемы Джет»") || a.Title != "Отчёт" || a.Publisher != "example.ru" {
		t.Errorf("Windows-1251 page: %+v %v", a, err)
	}
	a, err = Extract(read(t, "bom.html"), "", "")
	if err != nil || len(a.Blocks) != 1 || !strings.Contains(a.Blocks[0].Text, "déjà vu") {
		t.Errorf("UTF-8 with a BOM: %+v %v", a, err)
	}
	if _, err := Extract(read(t, "empty.html"), "text/html", ""); !errors.Is(err, ErrNoText) {
		t.Errorf("a page without text: %v", err)
	}
	a, err = Extract(read(t, "malformed.html"), "text/html", "")
	if err != nil || len(a.Blocks) != 3 {
		t.Errorf("malformed HTML: %q %v", texts(a), err)
	}
	// Ten megabytes in one paragraph: read in one pass, kept whole.
	big := "<html><body><p>" + strings.Repeat("The ministry bought equipment. ", 330_000) + "</p></body></html>"
	a, err = Extract([]byte(big), "text/html", "")
	if err != nil || len(a.Blocks) != 1 || len(a.Blocks[0].Text) < 10_000_000 {
		t.Errorf("a 10 MB paragraph: %d blocks, %v", len(a.Blocks), err)
	}
}

func BenchmarkExtract(b *testing.B) {
	body := read(b, "article.html")
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := Extract(body, "text/html; charset=utf-8", "https://example.org/"); err != nil {
			b.Fatal(err)
		}
	}
}
