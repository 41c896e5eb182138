package ted_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/exportwatch/exportwatch/country"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
	"github.com/exportwatch/exportwatch/scrapers/ted"
)

// legacyNotice is a minimal TED_EXPORT F03 notice with one award.
func legacyNotice(datePub, buyer, contractor, amount, currency string) []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<TED_EXPORT xmlns="http://publications.europa.eu/resource/schema/ted/R2.0.9/publication" DOC_ID="123-2019">
<CODED_DATA_SECTION><REF_OJS><DATE_PUB>` + datePub + `</DATE_PUB></REF_OJS></CODED_DATA_SECTION>
<FORM_SECTION><F03_2014 CATEGORY="ORIGINAL">
<CONTRACTING_BODY><ADDRESS_CONTRACTING_BODY><OFFICIALNAME>` + buyer + `</OFFICIALNAME><COUNTRY VALUE="DE"/></ADDRESS_CONTRACTING_BODY></CONTRACTING_BODY>
<OBJECT_CONTRACT><TITLE><P>Lawful interception system</P></TITLE></OBJECT_CONTRACT>
<AWARD_CONTRACT ITEM="1"><AWARDED_CONTRACT><DATE_CONCLUSION_CONTRACT>2019-02-03</DATE_CONCLUSION_CONTRACT>
<CONTRACTORS><CONTRACTOR><ADDRESS_CONTRACTOR><OFFICIALNAME>` + contractor + `</OFFICIALNAME><NATIONALID>HRB 1</NATIONALID><COUNTRY VALUE="UK"/></ADDRESS_CONTRACTOR></CONTRACTOR></CONTRACTORS>
<VALUES><VAL_TOTAL CURRENCY="` + currency + `">` + amount + `</VAL_TOTAL></VALUES></AWARDED_CONTRACT></AWARD_CONTRACT>
</F03_2014></FORM_SECTION></TED_EXPORT>`)
}

// FuzzParse reads a notice as Run does: Parse gives a notice or an error,
// never both or neither; a notice's countries are ISO codes; its document
// and what Extract makes of it pass records' validation (the output
// refuses anything else, ending the run), and its claims name the page's
// entities; the same bytes give the same notice and records.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"111111-2019.xml", "301234-2019.xml", "654321-2024.xml", "search-page-1.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	// The mirror's bad notices (scrapertest.TED), and edge cases: nothing,
	// deep nesting, huge and odd numbers, bad dates, invalid UTF-8, a long
	// name.
	f.Add([]byte(`<?xml version="1.0"?><ContractAwardNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:ContractAwardNotice-2"><cbc:ID`))
	f.Add([]byte("<html><body>Notice not available</body></html>"))
	f.Add([]byte(`<?xml version="1.0"?><rss version="2.0"><channel/></rss>`))
	f.Add([]byte(""))
	f.Add([]byte(`<TED_EXPORT xmlns="http://publications.europa.eu/resource/schema/ted/R2.0.9/publication">` + strings.Repeat("<a>", 1000) + strings.Repeat("</a>", 1000) + `</TED_EXPORT>`))
	f.Add(legacyNotice("20190205", "Ministry", "Vendor Ltd", "1e308", "EUR"))
	f.Add(legacyNotice("20190205", "Ministry", "Vendor Ltd", "NaN", "eur"))
	f.Add(legacyNotice("20190205", "Ministry", "Vendor Ltd", "-12.5", "EUR"))
	f.Add(legacyNotice("2019ab05", "Ministry", "Vendor Ltd", "", ""))
	f.Add(legacyNotice("20190205", "Minist\xffry", "\xc3", "5", "EUR"))
	f.Add(legacyNotice("20190205", "Ministry", strings.Repeat("Vendor ", 150), "", ""))

	docID := records.DocumentID("https://ted.europa.eu/en/notice/1-2019/xml")
	f.Fuzz(func(t *testing.T, body []byte) {
		n, err := ted.Parse(body)
		if (n == nil) == (err == nil) {
			t.Fatalf("Parse returned %v and %v", n, err)
		}
		again, err2 := ted.Parse(body)
		if !reflect.DeepEqual(n, again) || scrapertest.ErrText(err) != scrapertest.ErrText(err2) {
			t.Fatalf("parsing twice differs: %v / %v\n%s", err, err2, cmp.Diff(n, again))
		}
		if err != nil {
			return
		}
		for _, o := range append([]ted.Org{n.Buyer}, contractors(n)...) {
			if o.Country != "" && !country.Valid(o.Country) {
				t.Fatalf("organisation %q: country %q is not an ISO code", o.Name, o.Country)
			}
		}
		// The notice's document, as Run makes it.
		resp := &scrapers.Response{URL: "https://ted.europa.eu/en/notice/1-2019/xml", Retrieved: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
			SHA256: strings.Repeat("0", 64), Archive: "run.warc.gz#urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e"}
		doc := resp.Document(scrapers.FirstText(n.Title, "TED notice "+n.Number), "Publications Office of the European Union (TED)", n.Published)
		doc.V = records.Version
		if err := doc.Validate(); err != nil {
			t.Fatalf("document: %v", err)
		}
		all := scrapers.Filter{All: true}
		ents, claims, _, _ := ted.Extract(n, docID, all)
		ents2, claims2, _, _ := ted.Extract(again, docID, all)
		if !reflect.DeepEqual(ents, ents2) || !reflect.DeepEqual(claims, claims2) {
			t.Fatalf("extracting twice differs:\n%s%s", cmp.Diff(ents, ents2), cmp.Diff(claims, claims2))
		}
		refs := map[string]bool{}
		for _, e := range ents {
			if e.Ref == "" || refs[e.Ref] {
				t.Fatalf("entity %.80q: empty or repeated ref %q", e.Names, e.Ref)
			}
			refs[e.Ref] = true
		}
		scrapertest.CheckPage(t, docID, ents, claims)
	})
}

func contractors(n *ted.Notice) []ted.Org {
	var out []ted.Org
	for _, a := range n.Awards {
		out = append(out, a.Contractors...)
	}
	return out
}
