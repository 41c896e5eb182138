// Package synthetic generates large, valid record files with a realistic
// shape (many vendors and buyers, several claims per pair, evidence spread
// over shared documents), for benchmarks and for the kill-and-resume test.
// Output is a pure function of the size and seed, so runs compare.
package synthetic

import (
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/exportwatch/exportwatch/records"
)

// Size says how much to generate.
type Size struct {
	Claims    int
	Entities  int // defaults to Claims/5
	Documents int // defaults to Claims/4
	Seed      uint64
}

var relations = []string{records.RelSupplied, records.RelSupplied, records.RelSupplied, records.RelOwns,
	records.RelSubsidiaryOf, records.RelLocatedIn, records.RelPartOf, records.RelDesignated, records.RelInvolvedIn}

var countries = []string{"AZ", "BY", "EG", "TR", "RU", "IL", "US", "CA", "GB", "DE", "FR", "IT", "AE", "SA", "MX", "IN", "KZ", "HU", "GR", "MK"}

// EntityRef is the ref of the i-th generated entity.
func EntityRef(i int) string { return fmt.Sprintf("e%d", i) }

// EntityOf is the i-th generated entity: every third a ministry, the rest
// vendors, spread over twenty countries.
func EntityOf(i int) records.Entity {
	e := records.Entity{Ref: EntityRef(i), Country: countries[i%len(countries)]}
	if i%3 == 0 {
		e.Schema, e.Kind = records.SchemaPublicBody, "ministry"
		e.Names = []string{fmt.Sprintf("Ministry of Interior Unit %d", i)}
	} else {
		e.Schema = records.SchemaCompany
		e.Names = []string{fmt.Sprintf("Vendor %d Ltd.", i), fmt.Sprintf("Vendor %d", i)}
		e.Capabilities = []string{records.Capabilities[i%len(records.Capabilities)]}
	}
	return e
}

// WriteFile writes a generated record file at path.
func WriteFile(path string, s Size) error {
	return records.WriteFile(path, func(w io.Writer) error { return Write(w, s) })
}

// Write writes documents, then entities, then claims.
func Write(w io.Writer, s Size) error {
	if s.Entities <= 0 {
		s.Entities = max(s.Claims/5, 10)
	}
	if s.Documents <= 0 {
		s.Documents = max(s.Claims/4, 1)
	}
	rng := rand.New(rand.NewPCG(s.Seed, 0x5eed))
	out := records.NewWriter(w)
	docURL := func(i int) string { return fmt.Sprintf("https://reports.example.org/%d/report-%d.html", 2000+i%25, i) }
	for i := range s.Documents {
		d := records.Document{URL: docURL(i), Title: fmt.Sprintf("Report %d on surveillance exports", i),
			Publisher: fmt.Sprintf("Publisher %d", i%50), Published: fmt.Sprintf("%d-%02d-%02d", 2005+i%20, 1+i%12, 1+i%28),
			Origin: records.OriginCurated}
		if err := out.WriteDocument(d); err != nil {
			return err
		}
	}
	for i := range s.Entities {
		if err := out.WriteEntity(EntityOf(i)); err != nil {
			return err
		}
	}
	// A claim's id leaves its quote out, so two draws can give one id with
	// two quotes, which a loader refuses; such a draw is made again.
	ids := make(map[string]bool, s.Claims)
	for i := 0; i < s.Claims; {
		a := rng.IntN(s.Entities)
		b := rng.IntN(s.Entities - 1)
		if b >= a {
			b++
		}
		c := records.Claim{Relation: relations[rng.IntN(len(relations))], Subject: EntityRef(a), Object: EntityRef(b),
			Status: records.StatusReported, Confidence: 0.6, Start: fmt.Sprintf("%d", 2000+rng.IntN(25)),
			Extractor: "synthetic/1"}
		if c.Relation == records.RelSupplied {
			c.Stage = records.Stages[rng.IntN(len(records.Stages))]
		}
		if rng.IntN(10) == 0 {
			c.Status = records.StatusDocumented
		}
		if rng.IntN(20) == 0 {
			c.Stance = records.StanceDenies
		}
		doc := rng.IntN(s.Documents)
		c.Evidence = []records.Evidence{{Document: records.DocumentID(docURL(doc)),
			Quote: fmt.Sprintf("Claim %d: vendor %d and body %d, as set out in paragraph %d.", i, a, b, 1+rng.IntN(40)), Locator: fmt.Sprintf("¶%d", 1+i%40)}}
		id := records.ClaimID(c, c.Subject, c.Object, c.Product)
		if ids[id] {
			continue
		}
		ids[id] = true
		if err := out.WriteClaim(c); err != nil {
			return err
		}
		i++
	}
	return out.Flush()
}
