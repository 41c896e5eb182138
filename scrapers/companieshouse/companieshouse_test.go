package companieshouse_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/scrapers/companieshouse"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
)

func TestMain(m *testing.M) { os.Exit(graphtest.Main(m)) }

const (
	number = "01234567"
	key    = "ch-test-key-0001"
)

// mirror answers like the Companies House API: HTTP Basic with the key as
// user name, officers paged by start_index (two per page, whatever is
// asked), 404 for an unknown company, and (when busy) one 429 whose
// X-Ratelimit-Reset says when the window opens again.
func mirror(t *testing.T, busy bool) *httptest.Server {
	t.Helper()
	mux, srv := scrapertest.Mirror(t)
	var refused atomic.Bool
	serve := func(w http.ResponseWriter, r *http.Request, name string) {
		if u, _, ok := r.BasicAuth(); !ok || u != key {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if busy && refused.CompareAndSwap(false, true) {
			w.Header().Set("X-Ratelimit-Reset", fmt.Sprint(time.Now().Add(time.Second).Unix()))
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"errors":[{"error":"company-profile-not-found","type":"ch:service"}]}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
	}
	mux.HandleFunc("GET /company/{n}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("n") == "02222222" {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"company_name": "CUT OFF LIMITED", "company_num`)
			return
		}
		serve(w, r, "company-"+r.PathValue("n")+".json")
	})
	mux.HandleFunc("GET /company/{n}/officers", func(w http.ResponseWriter, r *http.Request) {
		serve(w, r, "officers-"+r.PathValue("n")+"-"+cmpOr(r.URL.Query().Get("start_index"), "0")+".json")
	})
	mux.HandleFunc("GET /company/{n}/persons-with-significant-control", func(w http.ResponseWriter, r *http.Request) {
		serve(w, r, "psc-"+r.PathValue("n")+"-"+cmpOr(r.URL.Query().Get("start_index"), "0")+".json")
	})
	return srv
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func scrape(t *testing.T, base, out, apiKey string, companies ...string) (companieshouse.Summary, error) {
	t.Helper()
	var sum companieshouse.Summary
	var runErr error
	scrapertest.Run(t, "companieshouse", out, func(c *scrapers.Collector, o *scrapers.Output, _ scrapers.Filter) error {
		sum, runErr = companieshouse.Run(context.Background(), c, o, companieshouse.Options{BaseURL: base, APIKey: apiKey, Companies: companies})
		return nil
	})
	return sum, runErr
}

func TestCompanyOfficersAndPSCs(t *testing.T) {
	srv := mirror(t, true)
	out := filepath.Join(t.TempDir(), "ch.jsonl")
	sum, err := scrape(t, srv.URL, out, key, "1234567", "09999999", "02222222", "not-a-number")
	if err != nil {
		t.Fatal(err)
	}
	if sum.Companies != 1 || sum.Officers != 3 || sum.PSCs != 3 || sum.Skipped != 1 || sum.Claims != 6 || len(sum.Problems) != 3 {
		t.Fatalf("summary: %+v", sum)
	}
	problems := strings.Join(sum.Problems, "\n")
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

	ctx := context.Background()
	s := graphtest.Store(t)
	if _, err := load.File(ctx, s, out, load.Options{}); err != nil {
		t.Fatal(err)
	}
	id := records.EntityID(records.Entity{Schema: "Company", Identifiers: map[string]string{"registry": companieshouse.Register + "/" + number}})
	e, cs, err := s.EntityWithClaims(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if e.Name != "EXAMPLE INTERCEPT SYSTEMS LIMITED" || e.Country != "GB" || !strings.Contains(strings.Join(e.Aliases, "|"), "EXAMPLE MONITORING SOLUTIONS LIMITED") || len(cs) != 6 {
		t.Errorf("company %+v with %d claims", e, len(cs))
	}
	for _, c := range cs {
		if c.Relation == "OFFICER_OF" && c.Role == "director" && c.End == "" {
			for _, end := range c.Ends {
				if end.ID == c.Subject && end.Name != "Jane Alison Doe" {
					t.Errorf("the director is named %q", end.Name)
				}
			}
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
	srv := mirror(t, false)
	out := filepath.Join(t.TempDir(), "ch.jsonl")
	if _, err := scrape(t, srv.URL, out, "", number); !errors.Is(err, companieshouse.ErrNoKey) {
		t.Errorf("no key: %v", err)
	}
	if _, err := scrape(t, srv.URL, out, "wrong-key", number, "07777777"); !errors.Is(err, companieshouse.ErrKeyRefused) {
		t.Errorf("a refused key should end the run: %v", err)
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
