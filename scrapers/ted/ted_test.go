package ted_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
	"github.com/exportwatch/exportwatch/scrapers/ted"
)

func scrape(t *testing.T, base, out string, notices ...string) (ted.Summary, []string) {
	t.Helper()
	return scrapeWith(t, base, out, ted.Options{Notices: notices})
}

func scrapeWith(t *testing.T, base, out string, opt ted.Options) (ted.Summary, []string) {
	t.Helper()
	var sum ted.Summary
	problems := scrapertest.Run(t, "ted", out, base, func(env *scrapers.Env) (err error) {
		sum, err = ted.Run(context.Background(), env, opt)
		return err
	})
	return sum, problems
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

// TestRunReportsBadNotices reads good and bad notices; loading what it
// wrote is in package roundtrip (TestTED).
func TestRunReportsBadNotices(t *testing.T) {
	srv := scrapertest.TED(t)
	out := filepath.Join(t.TempDir(), "r.jsonl")
	sum, list := scrape(t, srv.URL, out, "301234-2019", "654321-2024", "111111-2019", "999999-2024", "888888-2024", "777777-2024", "000000-2020")
	if sum.Notices != 2 || sum.NotAwards != 1 || sum.Claims != 2 {
		t.Fatalf("summary: %+v", sum)
	}
	problems := strings.Join(list, "\n")
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
	srv := scrapertest.TED(t)
	out := filepath.Join(t.TempDir(), "r.jsonl")
	sum, _ := scrapeWith(t, srv.URL, out, ted.Options{Queries: []string{"classification-cpv IN (48730000 38430000) AND notice-type=can-standard"}})
	if sum.SearchPages != 1 || sum.Notices != 2 || sum.Claims != 2 {
		t.Fatalf("summary: %+v", sum)
	}
}

// TestRegistration runs the source as the scrape command does: a --url of
// TED's own host is fetched from the mirror, and the flags are checked.
func TestRegistration(t *testing.T) {
	srv := scrapertest.TED(t)
	out := filepath.Join(t.TempDir(), "r.jsonl")
	line, problems := scrapertest.RunSource(t, ted.Source, out, srv.URL,
		"--url", "https://ted.europa.eu/en/notice/301234-2019/xml", "--notice", "654321-2024")
	if want := "0 search pages, 2 award notices, 0 other notices, 2 claims, 0 awards skipped by the filter"; line != want ||
		len(problems) != 1 || problems[0] != srv.URL+`/en/notice/654321-2024/xml: LotResult RES-0003: currency "XYZ" is not an ISO 4217 code` {
		t.Fatalf("summary %q, problems %v", line, problems)
	}
	docs := 0
	for _, l := range scrapertest.Records(t, out) {
		if d := l.Document; d != nil {
			docs++
			if !strings.HasPrefix(d.URL, srv.URL+"/en/notice/") {
				t.Errorf("document not from the mirror: %s", d.URL)
			}
		}
	}
	if docs != 2 {
		t.Fatalf("%d documents", docs)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "give a --notice, a --url or a --query"},
		{[]string{"--url", "ted.europa.eu/en/notice/301234-2019/xml"}, `"ted.europa.eu/en/notice/301234-2019/xml" is not an http(s) URL`},
	} {
		src := ted.Source.New()
		fs := flag.NewFlagSet("ted", flag.ContinueOnError)
		src.Flags(fs)
		if err := fs.Parse(tc.args); err != nil {
			t.Fatal(err)
		}
		if err := src.Check(&scrapers.Env{}); err == nil || err.Error() != tc.want {
			t.Errorf("%v: %v, want %q", tc.args, err, tc.want)
		}
	}
}
