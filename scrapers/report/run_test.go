package report

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
	"github.com/google/go-cmp/cmp"
)

// TestRunReadsFeedsPagesAndPDFs: an Atom feed's items (an HTML report and
// a PDF), a scanned PDF and a page without text, from a mirror; each page
// read gets its document record, the others are reported. Loading the
// records is in package roundtrip (TestReport).
func TestRunReadsFeedsPagesAndPDFs(t *testing.T) {
	srv := scrapertest.Report(t)
	out := filepath.Join(t.TempDir(), "reports.jsonl")
	var sum Summary
	list := scrapertest.Run(t, "report", out, srv.URL, func(env *scrapers.Env) (err error) {
		sum, err = Run(context.Background(), env, Options{Feeds: []string{"https://www.example-watch.org/feed.atom"},
			URLs: []string{"https://www.example-watch.org/files/scan.pdf", "https://www.example-watch.org/empty", "https://www.example-watch.org/reports/1"}})
		return err
	})
	if sum.Feeds != 1 || sum.Pages != 2 || sum.PDFs != 1 || sum.Sentences < 5 || len(list) != 2 {
		t.Fatalf("summary: %+v, problems %q", sum, list)
	}
	problems := strings.Join(list, "\n")
	if !strings.Contains(problems, "scan.pdf: the PDF holds no text") || !strings.Contains(problems, "empty: no main text") {
		t.Errorf("problems: %s", problems)
	}
	var titles []string
	for _, l := range scrapertest.Records(t, out) {
		if l.Document != nil {
			titles = append(titles, l.Document.Title+" | "+l.Document.Publisher+" | "+l.Document.Published)
			if l.Document.SHA256 == "" || l.Document.Archive == "" {
				t.Errorf("document without hash or archive: %+v", l.Document)
			}
		}
	}
	if len(titles) != 2 || !strings.Contains(strings.Join(titles, "\n"), "Surveillance exports to Example Republic (test fixture) | Example Watch | 2021-09-20") {
		t.Errorf("documents: %q", titles)
	}
	// One sentence of the report makes a supply claim, quoted at its
	// paragraph, and one reports a shutdown; the sentence about the
	// researchers and the newspaper makes none.
	claims := scrapertest.Claims(t, out)
	if sum.Claims != 2 || sum.Incidents != 1 || len(claims) != 2 {
		t.Fatalf("claims: %d in the summary (%d incidents), %+v", sum.Claims, sum.Incidents, claims)
	}
	if o := claims[1]; o.Relation != "OCCURRED_IN" || o.Object != "country:BY" || o.Start != "2020-08-09" || o.End != "2020-08-12" || o.Evidence[0].Locator != "¶5" {
		t.Errorf("incident claim: %+v", o)
	}
	c := claims[0]
	if c.Relation != "SUPPLIED" || c.Subject != "company/sandvine" || c.Object != "body/by-ntec" || c.Status != "reported" ||
		c.Start != "2020" || c.Evidence[0].Locator != "¶3" || !strings.HasPrefix(c.Evidence[0].Quote, "According to documents seen by Example Watch") ||
		c.Extractor != "report/2" || !strings.Contains(c.Summary, "buyer obtained from the vendor") {
		t.Errorf("claim: %+v", c)
	}
}

// TestGuessesAreSuggested: with the parser, a sentence that only guesses
// at a sale ("may have sold") gives a suggestion for an editor, not a
// claim; a sentence that reports one gives a claim.
func TestGuessesAreSuggested(t *testing.T) {
	w := parser(t)
	dir := t.TempDir()
	page := `<html><head><title>Two sales</title></head><body><article><h1>Two sales</h1>
<p>Sandvine sold its traffic management equipment to the Egyptian authorities in 2019, according to the contract.</p>
<p>Orrin Networks Ltd. may have sold similar equipment to the Sudanese government, one former employee said.</p>
</article></body></html>`
	if err := os.WriteFile(filepath.Join(dir, "two.html"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	out := filepath.Join(t.TempDir(), "out.jsonl")
	scrapertest.Run(t, "report", out, srv.URL, func(env *scrapers.Env) error {
		_, err := Run(context.Background(), env, Options{URLs: []string{"https://reports.example.org/two.html"}, Parser: w})
		return err
	})
	var claims, suggestions []string
	for _, l := range scrapertest.Records(t, out) {
		switch {
		case l.Claim != nil:
			claims = append(claims, l.Claim.Relation+" "+l.Claim.Subject+" > "+l.Claim.Object)
		case l.Suggestion != nil:
			sg := l.Suggestion
			suggestions = append(suggestions, sg.Relation+" "+sg.Subject.Name+" > "+sg.Object.Key()+": "+strings.Join(sg.Reasons, "; "))
		}
	}
	if len(claims) != 1 || claims[0] != "SUPPLIED company/sandvine > body/eg-government" {
		t.Errorf("claims: %q", claims)
	}
	if len(suggestions) != 1 || !strings.HasPrefix(suggestions[0], "SUPPLIED Orrin Networks Ltd. > body/sd-government: ") || !strings.Contains(suggestions[0], "a guess") {
		t.Errorf("suggestions: %q", suggestions)
	}
}

// TestOneIncidentPerEvent: one shutdown named three ways on a page is one
// incident, with the start and the end the page gives; another year's
// shutdown in the same country is another.
func TestOneIncidentPerEvent(t *testing.T) {
	dir := t.TempDir()
	page := `<html><head><title>Blackout</title></head><body><article><h1>Blackout</h1>
<p>The authorities shut down mobile internet in Azerbaijan from 27 September 2020, as fighting began.</p>
<p>The shutdown in Azerbaijan went on for weeks, the operators said.</p>
<p>During the 46-day shutdown, Azerbaijan's government also blocked social media.</p>
<p>A separate internet shutdown in Azerbaijan in July 2024 lasted two days.</p>
</article></body></html>`
	if err := os.WriteFile(filepath.Join(dir, "blackout.html"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	out := filepath.Join(t.TempDir(), "out.jsonl")
	scrapertest.Run(t, "report", out, srv.URL, func(env *scrapers.Env) error {
		_, err := Run(context.Background(), env, Options{URLs: []string{"https://reports.example.org/blackout.html"}})
		return err
	})
	var got []string
	refs := map[string]bool{}
	for _, l := range scrapertest.Records(t, out) {
		if e := l.Entity; e != nil && e.Schema == records.SchemaIncident {
			got = append(got, e.Names[0]+" until "+e.End)
			refs[e.Ref] = true
		}
		if c := l.Claim; c != nil && c.Relation == records.RelOccurredIn && !refs[c.Subject] {
			t.Errorf("a claim of an incident the page does not define: %+v", c)
		}
	}
	want := []string{"Internet shutdown in Azerbaijan, from 2020-09-27 until 2020-11-12", "Internet shutdown in Azerbaijan, from 2024-07 until "}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("incidents (-want +got):\n%s", diff)
	}
}

// TestAnEndJoinsTheOpenIncident: a sentence that only says how an
// incident ended closes the one still open, in that one's year, not the
// page's latest, which had closed already.
func TestAnEndJoinsTheOpenIncident(t *testing.T) {
	dir := t.TempDir()
	page := `<html><head><title>Sudan offline</title></head><body><article><h1>Sudan offline</h1>
<p>Mobile internet was shut down in Sudan from 25 October 2021 after the coup.</p>
<p>Sudan shut down the internet again from 3 to 5 June 2022 during exams.</p>
<p>The disruption ended on 18 November.</p>
</article></body></html>`
	if err := os.WriteFile(filepath.Join(dir, "sudan.html"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	out := filepath.Join(t.TempDir(), "out.jsonl")
	scrapertest.Run(t, "report", out, srv.URL, func(env *scrapers.Env) error {
		_, err := Run(context.Background(), env, Options{URLs: []string{"https://reports.example.org/sudan.html"}})
		return err
	})
	var got []string
	for _, l := range scrapertest.Records(t, out) {
		if e := l.Entity; e != nil && e.Schema == records.SchemaIncident {
			got = append(got, e.Names[0]+" until "+e.End)
		}
	}
	want := []string{"Internet shutdown in Sudan, from 2021-10-25 until 2021-11-18", "Internet shutdown in Sudan, from 2022-06-03 until 2022-06-05"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("incidents (-want +got):\n%s", diff)
	}
}

// TestInYearOf holds the year an end without one takes from its
// incident's start: the same year, or the next when it would fall before.
func TestInYearOf(t *testing.T) {
	for _, tc := range []struct{ date, start, want string }{
		{"2018-11-18", "2021-10-25", "2021-11-18"},
		{"2019-01-10", "2018-12-30", "2019-01-10"},
		{"2021-01-10", "2018-12-30", "2019-01-10"},
		{"2021-03", "2021-02-15", "2021-03"},
		{"2021-10", "2021-10-25", "2021-10"},
	} {
		if got := inYearOf(tc.date, tc.start); got != tc.want {
			t.Errorf("inYearOf(%s, %s) = %s, want %s", tc.date, tc.start, got, tc.want)
		}
	}
}
