package gleif_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/scrapers/gleif"
	"github.com/exportwatch/exportwatch/scrapers/scrapertest"
)

const publisher = "GLEIF (Global Legal Entity Identifier Foundation)"

// The testdata of each kind of document; each target is seeded with its
// own kind and a small document of another.
var (
	leiFiles = []string{"lei-213800WAVVOPS85N2205.json", "lei-254900OPPU84GM83MG36.json", "lei-5493001KJTIIGC8Y1R12.json", "lei-549300GKFG0RYRRQ1K94.json"}
	relFiles = []string{"rel-213800WAVVOPS85N2205-direct.json", "rel-213800WAVVOPS85N2205-ultimate.json", "rel-254900OPPU84GM83MG36-direct.json",
		"rel-254900OPPU84GM83MG36-ultimate.json", "rel-5493001KJTIIGC8Y1R12-direct.json", "rel-5493001KJTIIGC8Y1R12-ultimate.json"}
	excFiles = []string{"exc-549300GKFG0RYRRQ1K94-direct.json", "exc-549300GKFG0RYRRQ1K94-ultimate.json"}
)

// doc wraps attributes in a JSON:API document of a type.
func doc(typ, attributes string) []byte {
	return []byte(`{"data":{"type":"` + typ + `","id":"5493001KJTIIGC8Y1R12","attributes":` + attributes + `}}`)
}

// edgeCases are the hand-written edge cases of every target: nothing, a
// cut-off document, deep nesting, huge numbers, invalid UTF-8.
func edgeCases(f *testing.F, typ string) {
	f.Add([]byte(""))
	f.Add([]byte(`{"data":{"type":"` + typ + `","id":"5493001KJTIIGC8Y1R12","attributes":{"lei":"5493`))
	f.Add(doc(typ, `{"x":`+strings.Repeat("[", 200)+strings.Repeat("]", 200)+`}`))
	f.Add(doc(typ, `{"entity":{"legalName":{"name":1e999}},"relationship":{"periods":[{"startDate":123456789012345678901234567890}]}}`))
	f.Add(doc(typ, "{\"entity\":{\"legalName\":{\"name\":\"Exa\xffmple\"}},\"reason\":\"\xc3\"}"))
}

func valid(t *testing.T, what string, r interface{ Validate() error }) {
	t.Helper()
	if err := r.Validate(); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// FuzzParseLEIRecord reads a lei-records document as Run does:
// ParseLEIRecord gives a record or an error, never both or neither; a
// record has a valid LEI and a legal name; its document and company pass
// records' validation (the output refuses anything else, ending the run);
// the same bytes give the same record and company.
func FuzzParseLEIRecord(f *testing.F) {
	scrapertest.Seeds(f, append(leiFiles, excFiles[0], "search-empty.json")...)
	edgeCases(f, "lei-records")
	f.Add(doc("lei-records", `{"lei":"5493001KJTIIGC8Y1R12","entity":{"legalName":{"name":"`+strings.Repeat("Example ", 130)+`"},`+
		`"otherNames":[{"name":" "},{"name":"`+strings.Repeat("x", 1001)+`"}],"registeredAs":" ","jurisdiction":"zz","creationDate":"2026-02-30"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		rec, err := gleif.ParseLEIRecord(body)
		if (rec == nil) == (err == nil) {
			t.Fatalf("ParseLEIRecord returned %v and %v", rec, err)
		}
		again, err2 := gleif.ParseLEIRecord(body)
		if !reflect.DeepEqual(rec, again) || scrapertest.ErrText(err) != scrapertest.ErrText(err2) {
			t.Fatalf("parsing twice differs: %v / %v\n%s", err, err2, cmp.Diff(rec, again))
		}
		if err != nil {
			return
		}
		if !records.ValidLEI(rec.LEI) || strings.TrimSpace(rec.Entity.LegalName.Name) == "" {
			t.Fatalf("a record without a valid LEI or a legal name: %q %q", rec.LEI, rec.Entity.LegalName.Name)
		}
		d := scrapertest.FetchedAt("https://api.gleif.org/api/v1/lei-records/"+rec.LEI).Document("GLEIF LEI record "+rec.LEI+": "+rec.Entity.LegalName.Name,
			publisher, scrapers.Date(rec.Registration.LastUpdateDate))
		d.V = records.Version
		valid(t, "document", d)
		e := gleif.Company(rec, d.ID)
		if e2 := gleif.Company(again, d.ID); !reflect.DeepEqual(e, e2) {
			t.Fatalf("the company differs:\n%s", cmp.Diff(e, e2))
		}
		if e.Ref == "" || e.Identifiers["lei"] != rec.LEI {
			t.Fatalf("company %q: ref %q, lei %q", e.Names, e.Ref, e.Identifiers["lei"])
		}
		e.V = records.Version
		valid(t, "company", e)
	})
}

// FuzzParseRelationship reads a relationship-records document as Run
// does: ParseRelationship gives one or an error, never both or neither;
// both its nodes are LEIs; a consolidation between two different
// companies becomes a claim that passes records' validation, or an error,
// and any other type is an error; the same bytes give the same claim.
func FuzzParseRelationship(f *testing.F) {
	scrapertest.Seeds(f, append(relFiles, excFiles[0])...)
	edgeCases(f, "relationship-records")
	rel := func(status, periods, update string) []byte {
		return doc("relationship-records", `{"relationship":{"startNode":{"id":"213800WAVVOPS85N2205"},"endNode":{"id":"254900OPPU84GM83MG36"},`+
			`"type":"IS_DIRECTLY_CONSOLIDATED_BY","status":"`+status+`","periods":[`+periods+`]},"registration":{"lastUpdateDate":"`+update+`"}}`)
	}
	f.Add(rel("ACTIVE", `{"startDate":"2024-01-01","endDate":"2020-01-01","type":"RELATIONSHIP_PERIOD"}`, ""))
	f.Add(rel("INACTIVE", `{"startDate":"2024-01-01","type":"RELATIONSHIP_PERIOD"}`, "2019-05-05T00:00:00Z"))
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := gleif.ParseRelationship(body)
		if (r == nil) == (err == nil) {
			t.Fatalf("ParseRelationship returned %v and %v", r, err)
		}
		again, err2 := gleif.ParseRelationship(body)
		if !reflect.DeepEqual(r, again) || scrapertest.ErrText(err) != scrapertest.ErrText(err2) {
			t.Fatalf("parsing twice differs: %v / %v\n%s", err, err2, cmp.Diff(r, again))
		}
		if err != nil {
			return
		}
		start, end := r.Relationship.StartNode.ID, r.Relationship.EndNode.ID
		if !records.ValidLEI(start) || !records.ValidLEI(end) {
			t.Fatalf("nodes %q and %q are not both LEIs", start, end)
		}
		if start == end {
			return // Run reports a company that is its own parent
		}
		company := func(lei, name string) records.Entity {
			rec := &gleif.LEIRecord{LEI: lei}
			rec.Entity.LegalName.Name = name
			return gleif.Company(rec, "doc:lei")
		}
		child, parent := company(start, "Child Ltd"), company(end, "Parent Ltd")
		d := scrapertest.FetchedAt("https://api.gleif.org/api/v1/lei-records/"+start+"/direct-parent-relationship").Document("GLEIF relationship record",
			publisher, scrapers.Date(r.Registration.LastUpdateDate))
		d.V = records.Version
		valid(t, "document", d)
		c, err := gleif.Claim(r, child, parent, d.ID)
		c2, err2 := gleif.Claim(again, child, parent, d.ID)
		if !reflect.DeepEqual(c, c2) || scrapertest.ErrText(err) != scrapertest.ErrText(err2) {
			t.Fatalf("the claim differs: %v / %v\n%s", err, err2, cmp.Diff(c, c2))
		}
		consolidation := r.Relationship.Type == "IS_DIRECTLY_CONSOLIDATED_BY" || r.Relationship.Type == "IS_ULTIMATELY_CONSOLIDATED_BY"
		if err == nil && !consolidation {
			t.Fatalf("relationship type %q became a claim", r.Relationship.Type)
		}
		if err != nil {
			return
		}
		if c.Subject != child.Ref || c.Object != parent.Ref || len(c.Evidence) != 1 || c.Evidence[0].Document != d.ID {
			t.Fatalf("claim %s %s %s cites %v", c.Subject, c.Relation, c.Object, c.Evidence)
		}
		c.V = records.Version
		valid(t, "claim", c)
	})
}

// FuzzParseException reads a reporting-exceptions document:
// ParseException gives one or an error, never both or neither; an
// exception has its reason; the same bytes give the same exception.
func FuzzParseException(f *testing.F) {
	scrapertest.Seeds(f, append(excFiles, relFiles[0])...)
	edgeCases(f, "reporting-exceptions")
	f.Fuzz(func(t *testing.T, body []byte) {
		ex, err := gleif.ParseException(body)
		if (ex == nil) == (err == nil) {
			t.Fatalf("ParseException returned %v and %v", ex, err)
		}
		again, err2 := gleif.ParseException(body)
		if !reflect.DeepEqual(ex, again) || scrapertest.ErrText(err) != scrapertest.ErrText(err2) {
			t.Fatalf("parsing twice differs: %v / %v\n%s", err, err2, cmp.Diff(ex, again))
		}
		if err == nil && ex.Reason == "" {
			t.Fatal("an exception without a reason")
		}
	})
}
