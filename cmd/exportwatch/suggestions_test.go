package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/records"
)

// TestReviewSuggestions: a loaded suggestion is listed, accepted in the
// terminal, and then no longer open.
func TestReviewSuggestions(t *testing.T) {
	env := withNeo4j(t)
	if out, errOut, code := exportwatch(t, env, "seed"); code != 0 {
		t.Fatalf("seed (exit %d):\n%s\n%s", code, out, errOut)
	}
	doc := records.Document{URL: "https://reports.example.org/guess", Origin: records.OriginCurated}
	doc.ID = records.DocumentID(doc.URL)
	path := filepath.Join(t.TempDir(), "guess.jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := records.NewWriter(f)
	sg := records.Suggestion{Relation: records.RelSupplied,
		Subject:    records.Party{ID: "company/sandvine", Name: "Sandvine", Schema: records.SchemaCompany},
		Object:     records.Party{Name: "Ministry of Transport", Schema: records.SchemaPublicBody, Country: "AZ"},
		Evidence:   records.Evidence{Document: doc.ID, Quote: "Sandvine may have equipped the Ministry of Transport as well."},
		Confidence: 0.3, Reasons: []string{"a guess: may equipped"}, Extractor: "report-parsed/1"}
	for _, err := range []error{w.WriteDocument(doc), w.WriteSuggestion(sg), w.Flush(), f.Close()} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if out, errOut, code := exportwatch(t, env, "load", path); code != 0 || !strings.Contains(out, "suggested  written 1") {
		t.Fatalf("load (exit %d):\n%s\n%s", code, out, errOut)
	}
	out, errOut, code := exportwatch(t, env, "review", "--suggestions", "--list")
	if code != 0 || !strings.Contains(out, "1 open suggestions") || !strings.Contains(out, "Ministry of Transport (new)") || !strings.Contains(out, "unsure because: a guess") {
		t.Fatalf("review --suggestions --list (exit %d):\n%s\n%s", code, out, errOut)
	}
	out, errOut, code = exportwatchInput(t, env, "a\n", "review", "--suggestions", "--who", "alice")
	if code != 0 || !regexp.MustCompile(`Accepted, as claim:[0-9a-f]+\.`).MatchString(out) {
		t.Fatalf("review --suggestions, accepting (exit %d):\n%s\n%s", code, out, errOut)
	}
	if out, _, _ := exportwatch(t, env, "review", "--suggestions", "--list"); !strings.Contains(out, "0 open suggestions") {
		t.Fatalf("after accepting:\n%s", out)
	}
}
