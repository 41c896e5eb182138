package export

import (
	"bufio"
	"cmp"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/records"
)

// FollowTheMoney (FtM) is the entity model of Aleph and OpenSanctions: each
// line an entity {id, schema, properties}, every property a list of
// strings, links between entities as entities of their own (Ownership,
// Directorship, ContractAward, …). The mapping:
//
//   - Company, PublicBody and Person keep their schema; a Product becomes an
//     Asset and an Incident an Event. Countries are not FtM entities: they
//     are the country property of what lies in them.
//   - SUPPLIED is a Contract (the buyer its authority) with a ContractAward
//     to the vendor; OWNS, SUBSIDIARY_OF and ACQUIRED_BY are Ownership;
//     OFFICER_OF a Directorship; DESIGNATED a Sanction; RENAMED_TO a
//     Succession; every other relation an UnknownLink whose role names it.
//   - A claim whose object is a country (LOCATED_IN, PART_OF, OCCURRED_IN)
//     is a fragment of its subject carrying the country: FtM tools merge
//     fragments that share an id.
//   - Each document is a Document. A link entity is not a Thing, so it
//     cannot be documented itself: it carries its documents' URLs as
//     sourceUrl, and each piece of evidence is a Documentation linking the
//     document to the claim's subject (a supply's Contract), with the quote
//     as its summary and the claim id as its recordId. An entity's own
//     sources are Documentation too.
//
// The claim id is each link's recordId, and its status and confidence are
// in status and summary, so nothing of a claim's standing is lost.

// idKeyword prefixes the exportwatch id an entity or document carries in
// its keywords (and a Sanction in its authorityId), so an import of this
// export lands on the same graph entities.
const idKeyword = "exportwatch:"

// ftmLine is one FtM entity.
type ftmLine struct {
	ID         string              `json:"id"`
	Schema     string              `json:"schema"`
	Properties map[string][]string `json:"properties"`
}

// ftmPrefix starts every id exportwatch writes, so ids never collide with
// another dataset's in a shared Aleph or OpenSanctions index.
const ftmPrefix = "ew-"

// ftmID turns a graph id into an FtM id: readable, limited to the letters
// FtM tools expect, and unique through a hash of the original.
func ftmID(id string) string {
	sum := sha1.Sum([]byte(id))
	slug := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.':
			return r
		}
		return '-'
	}, id)
	if len(slug) > 60 {
		slug = slug[:60]
	}
	return ftmPrefix + slug + "-" + hex.EncodeToString(sum[:5])
}

// ftmSchemas maps entity types to FtM schemata; Country has none.
var ftmSchemas = map[string]string{
	records.SchemaCompany: "Company", records.SchemaPublicBody: "PublicBody", records.SchemaPerson: "Person",
	records.SchemaProduct: "Asset", records.SchemaIncident: "Event",
}

// ftmIdentifiers maps identifier schemes to FtM properties; others go to
// idNumber as "scheme:value".
var ftmIdentifiers = map[string]string{
	"lei": "leiCode", "cik": "cikCode", "ticker": "ticker", "registry": "registrationNumber", "uei": "uniqueEntityId",
	"duns": "dunsCode", "inn": "innCode", "ogrn": "ogrnCode", "wikidata": "wikidataId",
}

// companyOnly are FtM properties only a Company has.
var companyOnly = map[string]bool{"cikCode": true, "ticker": true}

type props map[string][]string

func (p props) add(key string, values ...string) {
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			p[key] = append(p[key], v)
		}
	}
}

type ftmWriter struct {
	bw    *bufio.Writer
	enc   *json.Encoder
	stats Stats
}

func (w *ftmWriter) emit(id, schema string, p props) error {
	return w.enc.Encode(ftmLine{ID: id, Schema: schema, Properties: p})
}

func writeFTM(ctx context.Context, src Source, out io.Writer) (Stats, error) {
	w := &ftmWriter{bw: bufio.NewWriterSize(out, 64<<10)}
	w.enc = json.NewEncoder(w.bw)
	w.enc.SetEscapeHTML(false)
	err := src.EachDocument(ctx, func(d graph.Document) error {
		w.stats.Documents++
		return w.emit(ftmID(d.ID), "Document", ftmDocument(d))
	})
	if err != nil {
		return w.stats, err
	}
	err = src.EachEntity(ctx, func(e graph.Entity) error {
		schema, ok := ftmSchemas[e.Schema]
		if !ok {
			return nil
		}
		w.stats.Entities++
		if err := w.emit(ftmID(e.ID), schema, ftmEntity(e, schema)); err != nil {
			return err
		}
		for _, doc := range e.Sources {
			p := props{"document": {ftmID(doc)}, "entity": {ftmID(e.ID)}, "role": {"source of the entity record"}}
			if err := w.emit(ftmID(e.ID+"#source#"+doc), "Documentation", p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return w.stats, err
	}
	err = src.EachClaim(ctx, func(c graph.Claim) error {
		w.stats.Claims++
		return w.claim(c)
	})
	if err != nil {
		return w.stats, err
	}
	if err := w.bw.Flush(); err != nil {
		return w.stats, fmt.Errorf("write ftm: %w", err)
	}
	return w.stats, nil
}

func ftmDocument(d graph.Document) props {
	p := props{}
	p.add("title", d.Title)
	p.add("publisher", d.Publisher)
	p.add("sourceUrl", d.URL)
	p.add("publishedAt", d.Published)
	p.add("retrievedAt", d.Retrieved)
	name := path.Base(strings.TrimRight(d.URL, "/"))
	if name == "." || name == "/" || strings.HasPrefix(d.URL, name) {
		name = d.ID
	}
	p.add("fileName", name)
	if d.SHA256 != "" {
		p.add("notes", "sha256:"+d.SHA256)
	}
	if d.Archive != "" {
		p.add("notes", "archived copy: "+d.Archive)
	}
	p.add("notes", d.Note)
	p.add("keywords", idKeyword+d.ID)
	return p
}

func ftmEntity(e graph.Entity, schema string) props {
	p := props{}
	p.add("name", e.Name)
	for _, a := range e.Aliases {
		if a != e.Name {
			p.add("alias", a)
		}
	}
	if e.Country != "" {
		p.add("country", strings.ToLower(e.Country))
	}
	p.add("description", e.Description)
	p.add("keywords", e.Capabilities...)
	p.add("keywords", e.ExportControl...)
	if schema == "Company" || schema == "PublicBody" {
		for _, scheme := range slices.Sorted(maps.Keys(e.Identifiers)) {
			prop, ok := ftmIdentifiers[scheme]
			if !ok || (companyOnly[prop] && schema != "Company") {
				p.add("idNumber", scheme+":"+e.Identifiers[scheme])
				continue
			}
			p.add(prop, e.Identifiers[scheme])
		}
	}
	if schema == "PublicBody" && e.Kind != "" {
		p.add("classification", e.Kind)
	}
	if schema == "Event" {
		p.add("startDate", e.Start)
		p.add("endDate", e.End)
		p.add("summary", e.Impact)
		p.add("keywords", e.Kind)
	}
	p.add("keywords", idKeyword+e.ID)
	return p
}

// claimProps are what every link entity carries of its claim.
func claimProps(c graph.Claim) props {
	p := props{}
	p.add("recordId", c.ID)
	status := c.Status
	if c.Stance == records.StanceDenies {
		status += " (denial)"
	}
	p.add("status", status)
	p.add("startDate", c.Start)
	p.add("endDate", c.End)
	p.add("description", c.Summary)
	p.add("summary", fmt.Sprintf("%s claim, confidence %s, extractor %s",
		c.Relation, strconv.FormatFloat(c.Confidence, 'f', -1, 64), cmp.Or(c.Extractor, "unknown")))
	return p
}

// end finds one of a claim's ends by id.
func end(c graph.Claim, id string) graph.Entity {
	for _, e := range c.Ends {
		if e.ID == id {
			return e
		}
	}
	return graph.Entity{ID: id}
}

func (w *ftmWriter) claim(c graph.Claim) error {
	subj, obj := ftmID(c.Subject), ftmID(c.Object)
	linkID := ftmID(c.ID)
	p := claimProps(c)
	var schema string
	// The Thing the evidence documents: the claim's subject, or a supply's
	// Contract.
	documented := subj
	switch {
	case end(c, c.Object).Schema == records.SchemaCountry:
		subjSchema, ok := ftmSchemas[end(c, c.Subject).Schema]
		if !ok {
			return nil // a country in a country: nothing FtM can hold
		}
		if err := w.emit(subj, subjSchema, props{"country": {strings.ToLower(strings.TrimPrefix(c.Object, "country:"))}}); err != nil {
			return err
		}
	case end(c, c.Subject).Schema == records.SchemaCountry:
		// A country as a claim's subject has no FtM form either; its
		// evidence still documents the object.
		documented = obj
	case c.Relation == records.RelSupplied:
		contract := ftmID(c.ID + "#contract")
		documented = contract
		cp := props{"authority": {obj}}
		title := "Supply of surveillance technology"
		if c.Product != "" {
			title = "Supply of " + cmp.Or(end(c, c.Product).Name, c.Product)
		}
		cp.add("title", title)
		cp.add("contractDate", c.Start)
		if c.Value != nil {
			cp.add("amount", strconv.FormatFloat(*c.Value, 'f', -1, 64))
			cp.add("currency", c.Currency)
		}
		cp.add("keywords", idKeyword+c.ID)
		if err := w.emit(contract, "Contract", cp); err != nil {
			return err
		}
		schema = "ContractAward"
		p.add("contract", contract)
		p.add("supplier", subj)
		p.add("role", c.Stage)
		if c.Value != nil {
			p.add("amount", strconv.FormatFloat(*c.Value, 'f', -1, 64))
			p.add("currency", c.Currency)
		}
	case c.Relation == records.RelOwns:
		schema = "Ownership"
		p.add("owner", subj)
		p.add("asset", obj)
		p.add("percentage", c.Share)
	case c.Relation == records.RelSubsidiaryOf, c.Relation == records.RelAcquiredBy:
		schema = "Ownership"
		p.add("owner", obj)
		p.add("asset", subj)
		p.add("ownershipType", map[string]string{records.RelSubsidiaryOf: "parent company", records.RelAcquiredBy: "acquisition"}[c.Relation])
		p.add("percentage", c.Share)
	case c.Relation == records.RelOfficerOf:
		schema = "Directorship"
		p.add("director", subj)
		p.add("organization", obj)
		p.add("role", c.Role)
	case c.Relation == records.RelDesignated:
		schema = "Sanction"
		p.add("entity", subj)
		p.add("authority", cmp.Or(end(c, c.Object).Name, c.Object))
		p.add("authorityId", idKeyword+c.Object)
		p.add("program", cmp.Or(c.Program, c.List))
		p.add("provisions", c.List)
		p.add("listingDate", c.Start)
		p.add("reason", c.Summary)
	case c.Relation == records.RelRenamedTo:
		schema = "Succession"
		p.add("predecessor", subj)
		p.add("successor", obj)
		p.add("role", "renamed")
	default:
		schema = "UnknownLink"
		p.add("subject", subj)
		p.add("object", obj)
		role := strings.ToLower(strings.ReplaceAll(c.Relation, "_", " "))
		if c.Role != "" {
			role += " (" + c.Role + ")"
		}
		p.add("role", role)
	}
	for _, ev := range c.Evidence {
		if ev.Document.URL != "" && !slices.Contains(p["sourceUrl"], ev.Document.URL) {
			p.add("sourceUrl", ev.Document.URL)
		}
	}
	if schema != "" {
		if err := w.emit(linkID, schema, p); err != nil {
			return err
		}
	}
	for i, ev := range c.Evidence {
		dp := props{"document": {ftmID(ev.Document.ID)}, "entity": {documented}}
		role := "evidence of " + c.ID
		if ev.Locator != "" {
			role += " at " + ev.Locator
		}
		dp.add("role", role)
		dp.add("summary", ev.Quote)
		dp.add("description", ev.Paraphrase)
		dp.add("recordId", c.ID)
		if err := w.emit(ftmID(fmt.Sprintf("%s#evidence#%d#%s", c.ID, i, ev.Document.ID)), "Documentation", dp); err != nil {
			return err
		}
	}
	return nil
}
