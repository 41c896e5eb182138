package usaspending_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
	"github.com/exportwatch/exportwatch/scrapers/usaspending"
)

// award is a minimal award page; fields is spliced into its top level.
func award(recipient, agency, fields string) []byte {
	return []byte(`{"generated_unique_award_id":"CONT_AWD_1","description":"LAWFUL INTERCEPTION",` +
		`"recipient":{"recipient_name":"` + recipient + `","recipient_uei":"ZX9Y8W7V6U5T"},` +
		`"awarding_agency":{"toptier_agency":{"name":"` + agency + `"}}` + fields + `}`)
}

// FuzzParseAward reads an award page as Run does: ParseAward gives an
// award or an error, never both or neither; an award has what a claim
// needs (its id, a recipient's name, a toptier agency); its document and
// what Extract makes of it pass records' validation (the output refuses
// anything else, ending the run), and its claims name the page's
// entities; the same bytes give the same award and records.
func FuzzParseAward(f *testing.F) {
	for _, name := range []string{"award-verint.json", "award-janitorial.json", "search-page-1.json", "search-page-2.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	// The mirror's cut-off page (scrapertest.USAspending), and edge cases:
	// nothing, deep nesting, huge and negative amounts, invalid UTF-8,
	// blank and repeated agency names, a long name.
	f.Add([]byte(`{"generated_unique_award_id": "CONT_AWD_HSCEMD15C00012`))
	f.Add([]byte(""))
	f.Add(award("ACME", "DHS", `,"x":`+strings.Repeat("[", 200)+strings.Repeat("]", 200)))
	f.Add(award("ACME", "DHS", `,"total_obligation":1e308`))
	f.Add(award("ACME", "DHS", `,"total_obligation":-2500.5`))
	f.Add(award("ACME", "DHS", `,"total_obligation":1e999`))
	f.Add(award("AC\xffME", "D\xc3", ""))
	f.Add(award("ACME", " ", `,"awarding_agency":{"toptier_agency":{"name":"Army"},"subtier_agency":{"name":"ARMY"},"office_agency_name":" "}`))
	f.Add(award("ACME", "DHS", `,"period_of_performance":{"start_date":"2024-01-01","end_date":"2023-01-01"}`))
	f.Add([]byte(`{"generated_unique_award_id":"X","recipient":{"recipient_name":"ACME  Inc","recipient_unique_id":"1","parent_recipient_name":"Acme Inc","parent_recipient_unique_id":"1"},` +
		`"awarding_agency":{"toptier_agency":{"name":"DHS"}}}`))
	f.Add(award(strings.Repeat("ACME ", 201), "DHS", ""))
	f.Add([]byte(`{"generated_unique_award_id":"X","recipient":{"recipient_name":"ACME","recipient_uei":" ","recipient_unique_id":"","parent_recipient_name":" "},` +
		`"awarding_agency":{"toptier_agency":{"name":"DHS"}}}`))

	docID := records.DocumentID("https://api.usaspending.gov/api/v2/awards/CONT_AWD_1/")
	f.Fuzz(func(t *testing.T, body []byte) {
		a, err := usaspending.ParseAward(body)
		if (a == nil) == (err == nil) {
			t.Fatalf("ParseAward returned %v and %v", a, err)
		}
		again, err2 := usaspending.ParseAward(body)
		if !reflect.DeepEqual(a, again) || scrapertest.ErrText(err) != scrapertest.ErrText(err2) {
			t.Fatalf("parsing twice differs: %v / %v\n%s", err, err2, cmp.Diff(a, again))
		}
		if err != nil {
			return
		}
		if a.GeneratedUniqueAwardID == "" || a.Recipient == nil || strings.TrimSpace(a.Recipient.Name) == "" ||
			a.AwardingAgency == nil || a.AwardingAgency.ToptierAgency == nil || a.AwardingAgency.ToptierAgency.Name == "" {
			t.Fatalf("an award without what a claim needs: %+v", a)
		}
		// The award's document, as Run makes it.
		resp := &scrapers.Response{URL: "https://api.usaspending.gov/api/v2/awards/CONT_AWD_1/", Retrieved: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
			SHA256: strings.Repeat("0", 64), Archive: "run.warc.gz#urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e"}
		doc := resp.Document("USAspending award "+a.GeneratedUniqueAwardID, "USAspending.gov", scrapers.Date(a.DateSigned))
		doc.V = records.Version
		if err := doc.Validate(); err != nil {
			t.Fatalf("document: %v", err)
		}
		all := scrapers.Filter{All: true}
		ents, claims, ok := usaspending.Extract(a, docID, all)
		ents2, claims2, _ := usaspending.Extract(again, docID, all)
		if !reflect.DeepEqual(ents, ents2) || !reflect.DeepEqual(claims, claims2) {
			t.Fatalf("extracting twice differs:\n%s%s", cmp.Diff(ents, ents2), cmp.Diff(claims, claims2))
		}
		if !ok {
			t.Fatal("the filter that keeps everything dropped the award")
		}
		scrapertest.CheckPage(t, docID, ents, claims)
	})
}
