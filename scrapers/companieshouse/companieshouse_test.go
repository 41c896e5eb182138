package companieshouse_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/scrapers/companieshouse"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
)

const (
	number = "01234567"
	key    = scrapertest.CompaniesHouseKey
)

// scrape runs the source against the mirror at base; a run's error is
// returned, not a failure, for the tests of the key.
func scrape(t *testing.T, base, out, apiKey string, companies ...string) (companieshouse.Summary, []string, error) {
	t.Helper()
	var sum companieshouse.Summary
	var runErr error
	problems := scrapertest.Run(t, "companieshouse", out, base, func(env *scrapers.Env) error {
		sum, runErr = companieshouse.Run(context.Background(), env, companieshouse.Options{APIKey: apiKey, Companies: companies})
		return nil
	})
	return sum, problems, runErr
}

// TestCompanyOfficersAndPSCs reads a company with its officers and PSCs;
// loading what it wrote is in package roundtrip.
func TestCompanyOfficersAndPSCs(t *testing.T) {
	srv := scrapertest.CompaniesHouse(t, true)
	out := filepath.Join(t.TempDir(), "ch.jsonl")
	sum, list, err := scrape(t, srv.URL, out, key, "1234567", "09999999", "02222222", "not-a-number")
	if err != nil {
		t.Fatal(err)
	}
	if sum.Companies != 1 || sum.Officers != 3 || sum.PSCs != 3 || sum.Skipped != 1 || sum.Claims != 6 || len(list) != 3 {
		t.Fatalf("summary: %+v, problems %q", sum, list)
	}
	problems := strings.Join(list, "\n")
	for _, want := range []string{"09999999", "02222222: not a company profile", `"not-a-number" is not one`} {
		if !strings.Contains(problems, want) {
			t.Errorf("problems lack %q:\n%s", want, problems)
		}
	}

	byRelation := map[string][]records.Claim{}
	for _, c := range scrapertest.Claims(t, out) {
		byRelation[c.Relation+" "+c.Role+c.Share] = append(byRelation[c.Relation+" "+c.Role+c.Share], c)
	}
	for key, n := range map[string]int{"OFFICER_OF director": 2, "OFFICER_OF corporate secretary": 1, "OWNS 75–100%": 1, "OWNS 25–50%": 1,
		"OFFICER_OF person with significant control: right-to-appoint-and-remove-directors": 1} {
		if len(byRelation[key]) != n {
			t.Errorf("%d claims %q, want %d (have %v)", len(byRelation[key]), key, n, keys(byRelation))
		}
	}
	if c := byRelation["OWNS 25–50%"]; len(c) == 1 && (c[0].Start != "2016-04-06" || c[0].End != "2019-11-30" || c[0].Status != "documented") {
		t.Errorf("ceased PSC: %+v", c[0])
	}
	// No birth dates or addresses of people anywhere in the records.
	raw, _ := os.ReadFile(out)
	for _, leak := range []string{"1968", "Private Road", "GU1 1AA", "date_of_birth"} {
		if bytes.Contains(raw, []byte(leak)) {
			t.Errorf("the records carry %q", leak)
		}
	}
	// Nor the API key in the archive.
	warcs, _ := filepath.Glob(filepath.Join(filepath.Dir(out), "archive", "*.warc.gz"))
	for _, w := range warcs {
		if containsGzipped(t, w, base64Key()) || containsGzipped(t, w, key) {
			t.Errorf("%s holds the API key", w)
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func base64Key() string { return "Y2gtdGVzdC1rZXktMDAwMTo=" } // base64 of key + ":"

func containsGzipped(t *testing.T, path, s string) bool {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Contains(b, []byte(s))
}

func TestKeyProblems(t *testing.T) {
	srv := scrapertest.CompaniesHouse(t, false)
	out := filepath.Join(t.TempDir(), "ch.jsonl")
	if _, _, err := scrape(t, srv.URL, out, "", number); !errors.Is(err, companieshouse.ErrNoKey) {
		t.Errorf("no key: %v", err)
	}
	if _, _, err := scrape(t, srv.URL, out, "wrong-key", number, "07777777"); !errors.Is(err, companieshouse.ErrKeyRefused) {
		t.Errorf("a refused key should end the run: %v", err)
	}
}

// TestCheck: the command refuses a run without a company or without a
// key before it opens anything.
func TestCheck(t *testing.T) {
	check := func(key string, args ...string) error {
		src := companieshouse.Source.New()
		fs := flag.NewFlagSet("companieshouse", flag.ContinueOnError)
		src.Flags(fs)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		env := &scrapers.Env{}
		env.Config.CompaniesHouseKey = key
		return src.Check(env)
	}
	if err := check(key); err == nil || err.Error() != "give a --company" {
		t.Errorf("no company: %v", err)
	}
	if err := check("", "--company", number); !errors.Is(err, companieshouse.ErrNoKey) {
		t.Errorf("no key: %v", err)
	}
	if err := check(key, "--company", number, "--company", "SC123456"); err != nil {
		t.Errorf("a company and a key: %v", err)
	}
}

// TestSourceRun runs the registered source with the key in its settings,
// as the scrape command does, and reads its summary line.
func TestSourceRun(t *testing.T) {
	srv := scrapertest.CompaniesHouse(t, false)
	out := filepath.Join(t.TempDir(), "ch.jsonl")
	summary, problems := scrapertest.RunSource(t, companieshouse.Source, out, srv.URL, "--company", number)
	want := "1 companies, 3 officers, 3 persons with significant control, 1 skipped, 6 claims"
	if summary != want || len(problems) != 0 {
		t.Errorf("summary %q, problems %q; want %q", summary, problems, want)
	}
}

func TestNumbersAndBands(t *testing.T) {
	for in, want := range map[string]string{"1234567": "01234567", "sc123456": "SC123456", " 01234567 ": "01234567", "123456789": "", "AB12": ""} {
		got, ok := companieshouse.Number(in)
		if (want == "") == ok || (ok && got != want) {
			t.Errorf("Number(%q) = %q, %v", in, got, ok)
		}
	}
	for _, tc := range []struct {
		natures []string
		want    string
	}{
		{[]string{"ownership-of-shares-75-to-100-percent", "voting-rights-75-to-100-percent"}, "75–100%"},
		{[]string{"voting-rights-50-to-75-percent"}, "50–75% of voting rights"},
		{[]string{"ownership-of-shares-more-than-25-percent-registered-overseas-entity"}, "more than 25%"},
		{[]string{"significant-influence-or-control"}, "significant-influence-or-control"},
	} {
		if got := companieshouse.Band(tc.natures); got != tc.want {
			t.Errorf("Band(%v) = %q, want %q", tc.natures, got, tc.want)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	bodies, size := scrapertest.Fixtures(b, "company-"+number+".json", "psc-"+number+"-0.json")
	b.SetBytes(size)
	n := 0
	for b.Loop() {
		p, err := companieshouse.ParseProfile(bodies[0])
		if err != nil {
			b.Fatal(err)
		}
		company := companieshouse.Company(p, "doc:x")
		var l struct {
			Items []companieshouse.PSC `json:"items"`
		}
		if err := json.Unmarshal(bodies[1], &l); err != nil {
			b.Fatal(err)
		}
		for _, psc := range l.Items {
			if _, _, ok := companieshouse.PSCClaim(psc, company, "doc:x"); ok {
				n++
			}
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "claims/s")
}
