package ted_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
	"github.com/exportwatch/exportwatch/scrapers/ted"
)

func TestMain(m *testing.M) { os.Exit(graphtest.Main(m)) }

// mirror serves notices at TED's path, /en/notice/{number}/xml.
func mirror(t *testing.T) *httptest.Server {
	t.Helper()
	mux, srv := scrapertest.Mirror(t)
	mux.HandleFunc("POST /v3/notices/search", func(w http.ResponseWriter, r *http.Request) {
		var req map[string]any
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req["query"] == "" || req["paginationMode"] != "PAGE_NUMBER" {
			http.Error(w, `{"message": "bad query"}`, http.StatusBadRequest)
			return
		}
		b, _ := os.ReadFile(filepath.Join("testdata", "search-page-1.json"))
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
	})
	mux.HandleFunc("GET /en/notice/{id}/xml", func(w http.ResponseWriter, r *http.Request) {
		switch id := r.PathValue("id"); id {
		case "999999-2024":
			w.Header().Set("Content-Type", "application/xml")
			io.WriteString(w, `<?xml version="1.0"?><ContractAwardNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:ContractAwardNotice-2"><cbc:ID`)
		case "888888-2024":
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<html><body>Notice not available</body></html>")
		case "777777-2024":
			w.Header().Set("Content-Type", "application/xml")
			io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel/></rss>`)
		default:
			b, err := os.ReadFile(filepath.Join("testdata", id+".xml"))
			if err != nil {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "application/xml; charset=UTF-8")
			w.Write(b)
		}
	})
	return srv
}

func scrape(t *testing.T, base, out string, notices ...string) ted.Summary {
	return scrapeWith(t, out, ted.Options{BaseURL: base, Notices: notices})
}

func scrapeWith(t *testing.T, out string, opt ted.Options) ted.Summary {
	t.Helper()
	var sum ted.Summary
	scrapertest.Run(t, "ted", out, func(c *scrapers.Collector, o *scrapers.Output, filter scrapers.Filter) (err error) {
		opt.Filter = filter
		sum, err = ted.Run(context.Background(), c, o, opt)
		return err
	})
	return sum
}

func TestLegacyAndEforms(t *testing.T) {
	for _, tc := range []struct {
		file, buyer, buyerCountry, contractor, start, currency string
		value                                                  float64
	}{
		{"301234-2019.xml", "Ministero dell'Interno — Dipartimento della Pubblica Sicurezza (test fixture)", "IT", "Hacking Team S.r.l.", "2019-05-20", "EUR", 480000},
		{"654321-2024.xml", "National Police Directorate (test fixture)", "HU", "Example Forensics Kft.", "2024-03-12", "EUR", 2150000},
	} {
		t.Run(tc.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			n, err := ted.Parse(b)
			if err != nil {
				t.Fatal(err)
			}
			if n.Buyer.Name != tc.buyer || n.Buyer.Country != tc.buyerCountry {
				t.Fatalf("buyer: %+v", n.Buyer)
			}
			filter, _ := scrapers.DefaultFilter()
			ents, claims, _, _ := ted.Extract(n, "doc:0123456789abcdef0123", filter)
			if len(claims) != 1 {
				t.Fatalf("claims: %+v", claims)
			}
			c := claims[0]
			if c.Relation != records.RelSupplied || c.Status != records.StatusDocumented || c.Start != tc.start ||
				c.Currency != tc.currency || *c.Value != tc.value || c.Evidence[0].Quote == "" {
				t.Fatalf("claim: %+v", c)
			}
			var contractor *records.Entity
			for i, e := range ents {
				if e.Ref == c.Subject {
					contractor = &ents[i]
				}
			}
			if contractor == nil || contractor.Names[0] != tc.contractor || contractor.Country != tc.buyerCountry ||
				!strings.HasPrefix(contractor.Identifiers["registry"], tc.buyerCountry+"-") {
				t.Fatalf("contractor: %+v", contractor)
			}
		})
	}
}

func TestRunLoadsAndReportsBadNotices(t *testing.T) {
	srv := mirror(t)
	out := filepath.Join(t.TempDir(), "r.jsonl")
	sum := scrape(t, srv.URL, out, "301234-2019", "654321-2024", "111111-2019", "999999-2024", "888888-2024", "777777-2024", "000000-2020")
	if sum.Notices != 2 || sum.NotAwards != 1 || sum.Claims != 2 {
		t.Fatalf("summary: %+v", sum)
	}
	problems := strings.Join(sum.Problems, "\n")
	for _, want := range []string{
		`LotResult RES-0003: currency "XYZ" is not an ISO 4217 code`,
		"999999-2024/xml: ContractAwardNotice: XML syntax error",
		"888888-2024/xml: unexpected content type",
		"777777-2024/xml: not a TED notice: root element rss",
		"000000-2020/xml: unexpected status (HTTP 404)",
	} {
		if !strings.Contains(problems, want) {
			t.Errorf("problems lack %q:\n%s", want, problems)
		}
	}
	if cs := scrapertest.Claims(t, out); len(cs) != 2 {
		t.Fatalf("%d claims written", len(cs))
	}
	s := graphtest.Store(t)
	if ls, err := load.File(context.Background(), s, out, load.Options{}); err != nil || ls.Claims.Written != 2 {
		t.Fatalf("load: %v %v", ls, err)
	}
	scrape(t, srv.URL, out, "301234-2019", "654321-2024")
	if cs := scrapertest.Claims(t, out); len(cs) != 2 {
		t.Fatalf("a second run added claims: %d", len(cs))
	}
}

// BenchmarkParse reports parse throughput (MB/s) and claims/s over the
// two formats' fixtures.
func BenchmarkParse(b *testing.B) {
	bodies, size := scrapertest.Fixtures(b, "301234-2019.xml", "654321-2024.xml")
	filter, err := scrapers.DefaultFilter()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	claims := 0
	for b.Loop() {
		for _, body := range bodies {
			n, err := ted.Parse(body)
			if err != nil {
				b.Fatal(err)
			}
			_, cs, _, _ := ted.Extract(n, "doc:0123456789abcdef0123", filter)
			claims += len(cs)
		}
	}
	b.ReportMetric(float64(claims)/b.Elapsed().Seconds(), "claims/s")
}

func TestSearchAPI(t *testing.T) {
	srv := mirror(t)
	out := filepath.Join(t.TempDir(), "r.jsonl")
	sum := scrapeWith(t, out, ted.Options{BaseURL: srv.URL, Queries: []string{"classification-cpv IN (48730000 38430000) AND notice-type=can-standard"}})
	if sum.SearchPages != 1 || sum.Notices != 2 || sum.Claims != 2 {
		t.Fatalf("summary: %+v", sum)
	}
}
