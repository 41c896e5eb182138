package brief

import (
	"bytes"
	"context"
	"flag"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func TestMain(m *testing.M) { os.Exit(graphtest.Main(m)) }

// seeded is a store holding the seed; the tests here only read it.
func seeded(t *testing.T) *graph.Store {
	t.Helper()
	s := graphtest.Seeded(t)
	return s
}

var fixedNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./brief -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; if the change is intended, run go test ./brief -update and review the diff", name)
	}
}

func TestGoldenBriefs(t *testing.T) {
	ctx := context.Background()
	s := seeded(t)
	for _, tc := range []struct{ subject, file string }{
		{"Sandvine", "sandvine"},
		{"body/by-ntec", "by-ntec"},
		{"AZ", "azerbaijan"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			b, err := Compose(ctx, s, tc.subject, Options{Now: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			var md, html bytes.Buffer
			if err := Markdown(&md, b, tc.file+".svg"); err != nil {
				t.Fatal(err)
			}
			if err := HTML(&html, b); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.file+".md", md.Bytes())
			golden(t, tc.file+".html", html.Bytes())
		})
	}
}

// TestPDFOpensAndRenders renders the Sandvine brief as PDF and reads it
// back with poppler: pdftotext must find the brief's text in it and
// pdftoppm must draw its pages.
func TestPDFOpensAndRenders(t *testing.T) {
	for _, tool := range []string{"pdftotext", "pdftoppm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not found: install poppler-utils (.ci/run does)", tool)
		}
	}
	ctx := context.Background()
	s := seeded(t)
	b, err := Compose(ctx, s, "company/sandvine", Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "sandvine.pdf")
	var buf bytes.Buffer
	if err := PDF(&buf, b); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"Accountability brief: Sandvine", "Francisco Partners", "Jet Infosystems",
		"15 September 2020", "Entity List", "Türk Telekom", "Method and limits", "Sources", "Network"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	if out, err := exec.Command("pdftoppm", "-r", "30", "-png", path, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "page*.png"))
	if len(pages) < 3 {
		t.Fatalf("pdftoppm drew %d pages, want the whole brief", len(pages))
	}
	// The diagram page must not be blank: count the non-white pixels.
	for _, p := range pages {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		ink := 0
		bounds := img.Bounds()
		for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
			for x := bounds.Min.X; x < bounds.Max.X; x++ {
				if r, g, bl, _ := img.At(x, y).RGBA(); r+g+bl < 3*0xf000 {
					ink++
				}
			}
		}
		if ink == 0 {
			t.Errorf("%s is blank", filepath.Base(p))
		}
	}

}
