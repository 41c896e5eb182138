package export

import (
	"bufio"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/exportwatch/exportwatch/country"
	"github.com/exportwatch/exportwatch/records"
)

// FTMImport says where an FtM file comes from: the dataset becomes the one
// document every imported claim cites.
type FTMImport struct {
	Dataset   string // its name, e.g. "OpenSanctions: US BIS Entity List"
	URL       string // where it is published
	Publisher string // default: the dataset name
	// Status of the claims: documented for official lists, reported for
	// anything a third party compiled (the default).
	Status     string
	Confidence float64
	Now        time.Time
}

// ImportStats counts what an import read and made.
type ImportStats struct {
	Lines, Entities, Claims int
	// Skipped counts lines by schema that have no exportwatch form
	// (Document, Documentation, Address, …) or could not be read.
	Skipped map[string]int
	// Problems are lines that could not become valid records, each with
	// its line number and reason; the rest of the file still imports.
	Problems []string
}

// maxFTMLine bounds one FtM line; an entity with its full text can be
// large, but not this large.
const maxFTMLine = 16 << 20

// ftmEntitySchemas map FtM schemata onto entity types.
var ftmEntitySchemas = map[string]string{
	"Company": records.SchemaCompany, "Organization": records.SchemaCompany, "LegalEntity": records.SchemaCompany,
	"PublicBody": records.SchemaPublicBody, "Person": records.SchemaPerson,
	"Asset": records.SchemaProduct, "Event": records.SchemaIncident,
}

// unknownLinkRelations read the role of an UnknownLink this package wrote.
var unknownLinkRelations = map[string]string{
	"offers": records.RelOffers, "located in": records.RelLocatedIn, "part of": records.RelPartOf,
	"involved in": records.RelInvolvedIn, "occurred in": records.RelOccurredIn,
}

func (l ftmLine) first(key string) string {
	if vs := l.Properties[key]; len(vs) > 0 {
		return strings.TrimSpace(vs[0])
	}
	return ""
}

// ftmDate keeps the date part of an FtM date ("2021-11-04T00:00:00").
func ftmDate(s string) string {
	if len(s) > 10 {
		s = s[:10]
	}
	if records.ValidDate(s) {
		return s
	}
	return ""
}

// ImportFTM reads an FtM entity file (JSON lines) and writes records for
// what exportwatch can hold: entities (a Company, PublicBody, Person,
// Asset or Event, with fragments of one id merged) and, from the link
// schemata, claims citing the dataset. It reads the file twice: first the
// entities, merged in memory by id, then the links, streamed; a link is
// written only when both its ends are known entities.
func ImportFTM(path string, opt FTMImport, w *records.Writer) (ImportStats, error) {
	st := ImportStats{Skipped: map[string]int{}}
	if opt.Dataset == "" || opt.URL == "" {
		return st, fmt.Errorf("import ftm: the dataset needs a name and the URL it is published at")
	}
	opt.Status = cmp.Or(opt.Status, records.StatusReported)
	if !slices.Contains(records.Statuses, opt.Status) {
		return st, fmt.Errorf("import ftm: status %q: want one of %s", opt.Status, strings.Join(records.Statuses, ", "))
	}
	if opt.Confidence == 0 {
		opt.Confidence = 0.7
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now().UTC()
	}
	sum, err := fileSHA256(path)
	if err != nil {
		return st, err
	}
	doc := records.Document{Type: "document", V: records.Version, URL: opt.URL, Title: opt.Dataset,
		Publisher: cmp.Or(opt.Publisher, opt.Dataset), Retrieved: opt.Now.Format(time.RFC3339), SHA256: sum, Origin: records.OriginImported,
		Note: "FollowTheMoney entities imported by exportwatch"}
	if err := w.WriteDocument(doc); err != nil {
		return st, fmt.Errorf("import ftm: dataset document: %w", err)
	}
	docID := records.DocumentID(opt.URL)

	entities := map[string]*ftmLine{}
	var order []string
	contracts := map[string]ftmLine{}
	err = eachFTM(path, func(n int, l ftmLine) {
		st.Lines++
		switch {
		case ftmEntitySchemas[l.Schema] != "":
			if prev, ok := entities[l.ID]; ok {
				if prev.Properties == nil {
					prev.Properties = map[string][]string{} // the first fragment had no properties: merging into nil panics
				}
				for k, vs := range l.Properties {
					prev.Properties[k] = append(prev.Properties[k], vs...)
				}
				return
			}
			cp := l
			entities[l.ID] = &cp
			order = append(order, l.ID)
		case l.Schema == "Contract":
			contracts[l.ID] = l
		}
	}, &st)
	if err != nil {
		return st, err
	}
	refs := map[string]bool{}
	for _, id := range order {
		e, ok := ftmRecordEntity(*entities[id], docID)
		if !ok {
			st.Problems = append(st.Problems, fmt.Sprintf("entity %s: no name", id))
			continue
		}
		if err := w.WriteEntity(e); err != nil {
			st.Problems = append(st.Problems, fmt.Sprintf("entity %s: %v", id, err))
			continue
		}
		refs[id] = true
		st.Entities++
	}
	// Authorities of sanctions are names, not entities: each becomes a
	// PublicBody the first time it is seen.
	authorities := map[string]string{}
	err = eachFTM(path, func(n int, l ftmLine) {
		claims, skip := ftmClaims(l, contracts, refs)
		if skip != "" {
			if _, isEntity := ftmEntitySchemas[l.Schema]; !isEntity && l.Schema != "Contract" {
				st.Skipped[skip]++
			}
			return
		}
		for _, c := range claims {
			if c.Relation == records.RelDesignated {
				ref, err := authority(w, l, authorities, docID)
				if err != nil {
					st.Problems = append(st.Problems, fmt.Sprintf("line %d: authority: %v", n, err))
					continue
				}
				c.Object = ref
			}
			c.Type, c.V, c.Status, c.Confidence, c.Extractor = "claim", records.Version, opt.Status, opt.Confidence, "ftm/1"
			c.Evidence = []records.Evidence{{Document: docID, Locator: "FtM " + l.Schema + " " + l.ID,
				Paraphrase: fmt.Sprintf("The dataset's %s entity %s links these two entities.", l.Schema, l.ID)}}
			if err := w.WriteClaim(c); err != nil {
				st.Problems = append(st.Problems, fmt.Sprintf("line %d (%s %s): %v", n, l.Schema, l.ID, err))
				continue
			}
			st.Claims++
		}
	}, nil)
	if err != nil {
		return st, err
	}
	return st, w.Flush()
}

// eachFTM reads an FtM file line by line; a line that is not an FtM entity
// is a problem noted in st (when given), not a reason to stop.
func eachFTM(path string, fn func(int, ftmLine), st *ImportStats) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("import ftm: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), maxFTMLine)
	n := 0
	for sc.Scan() {
		n++
		raw := strings.TrimSpace(sc.Text())
		if raw == "" {
			continue
		}
		var l ftmLine
		err := json.Unmarshal([]byte(raw), &l)
		// A NUL ("\u0000" in the JSON) would make a record line the records reader refuses.
		l.ID, l.Schema = strings.ReplaceAll(l.ID, "\x00", ""), strings.ReplaceAll(l.Schema, "\x00", "")
		for _, vs := range l.Properties {
			for i, v := range vs {
				vs[i] = strings.ReplaceAll(v, "\x00", "")
			}
		}
		if err == nil && (l.ID == "" || l.Schema == "") {
			err = fmt.Errorf("no id or no schema")
		}
		if err != nil {
			if st != nil {
				st.Problems = append(st.Problems, fmt.Sprintf("%s:%d: not an FtM entity: %v", path, n, err))
			}
			continue
		}
		fn(n, l)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("import ftm: %s:%d: %w", path, n+1, err)
	}
	return nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("import ftm: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("import ftm: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ftmRecordEntity turns a merged FtM entity into an entity record. One that
// this package exported carries its exportwatch id and gets it back.
func ftmRecordEntity(l ftmLine, docID string) (records.Entity, bool) {
	e := records.Entity{Type: "entity", V: records.Version, Schema: ftmEntitySchemas[l.Schema], Ref: l.ID,
		Description: l.first("description"), Document: docID, Identifiers: map[string]string{}}
	for _, n := range append(slices.Clone(l.Properties["name"]), l.Properties["alias"]...) {
		if n = strings.TrimSpace(n); n != "" && !slices.Contains(e.Names, n) {
			e.Names = append(e.Names, n)
		}
	}
	if len(e.Names) == 0 {
		return e, false
	}
	for _, c := range append(slices.Clone(l.Properties["country"]), l.Properties["jurisdiction"]...) {
		if code := strings.ToUpper(strings.TrimSpace(c)); country.Valid(code) {
			e.Country = code
			break
		}
	}
	for scheme, prop := range ftmIdentifiers {
		if v := l.first(prop); v != "" {
			e.Identifiers[scheme] = v
		}
	}
	for _, k := range l.Properties["keywords"] {
		if id, ok := strings.CutPrefix(k, idKeyword); ok {
			e.ID = id
		}
	}
	if e.Schema == records.SchemaIncident {
		e.Start, e.End = ftmDate(l.first("startDate")), ftmDate(l.first("endDate"))
		e.Impact = l.first("summary")
	}
	if k := l.first("classification"); e.Schema == records.SchemaPublicBody && slices.Contains(records.PublicBodyKinds, k) {
		e.Kind = k
	}
	return e, true
}

// ftmClaims reads a link entity as claims (without status, evidence and
// the rest ImportFTM adds). skip names why a line gives none.
func ftmClaims(l ftmLine, contracts map[string]ftmLine, refs map[string]bool) ([]records.Claim, string) {
	c := records.Claim{Start: ftmDate(l.first("startDate")), End: ftmDate(l.first("endDate")), Summary: l.first("description")}
	if strings.Contains(l.first("status"), "denial") {
		c.Stance = records.StanceDenies
	}
	link := func(rel, subj, obj string) ([]records.Claim, string) {
		if !refs[subj] || !refs[obj] {
			return nil, l.Schema + " with an end that is not an imported entity"
		}
		c.Relation, c.Subject, c.Object = rel, subj, obj
		return []records.Claim{c}, ""
	}
	switch l.Schema {
	case "Ownership":
		owner, asset := l.first("owner"), l.first("asset")
		c.Share = l.first("percentage")
		switch l.first("ownershipType") {
		case "parent company":
			return link(records.RelSubsidiaryOf, asset, owner)
		case "acquisition":
			return link(records.RelAcquiredBy, asset, owner)
		}
		return link(records.RelOwns, owner, asset)
	case "Directorship":
		c.Role = l.first("role")
		return link(records.RelOfficerOf, l.first("director"), l.first("organization"))
	case "Succession":
		return link(records.RelRenamedTo, l.first("predecessor"), l.first("successor"))
	case "Sanction":
		if !refs[l.first("entity")] {
			return nil, "Sanction of an entity that is not imported"
		}
		c.Relation, c.Subject = records.RelDesignated, l.first("entity")
		c.Program, c.List = l.first("program"), l.first("provisions")
		c.Start = cmp.Or(c.Start, ftmDate(l.first("listingDate")))
		c.Summary = cmp.Or(l.first("reason"), c.Summary)
		return []records.Claim{c}, ""
	case "ContractAward":
		contract, ok := contracts[l.first("contract")]
		if !ok {
			return nil, "ContractAward without its Contract"
		}
		if stage := l.first("role"); slices.Contains(records.Stages, stage) {
			c.Stage = stage
		}
		amount, currency := cmp.Or(l.first("amount"), contract.first("amount")), cmp.Or(l.first("currency"), contract.first("currency"))
		if v, err := strconv.ParseFloat(amount, 64); err == nil && currency != "" {
			c.Value, c.Currency = &v, strings.ToUpper(currency)
		}
		c.Start = cmp.Or(c.Start, ftmDate(contract.first("contractDate")))
		return link(records.RelSupplied, l.first("supplier"), contract.first("authority"))
	case "UnknownLink":
		role, detail, _ := strings.Cut(l.first("role"), " (")
		rel, ok := unknownLinkRelations[role]
		if !ok {
			return nil, "UnknownLink with a role exportwatch has no relation for"
		}
		c.Role = strings.TrimSuffix(detail, ")")
		return link(rel, l.first("subject"), l.first("object"))
	}
	return nil, l.Schema
}

// authority returns the ref of a sanction's authority, writing its entity
// the first time: the exportwatch id when the export carried one, else a
// PublicBody named after it.
func authority(w *records.Writer, l ftmLine, seen map[string]string, docID string) (string, error) {
	name := cmp.Or(l.first("authority"), "unnamed authority")
	key := cmp.Or(l.first("authorityId"), name)
	if ref, ok := seen[key]; ok {
		return ref, nil
	}
	e := records.Entity{Type: "entity", V: records.Version, Schema: records.SchemaPublicBody, Ref: "authority:" + key,
		Names: []string{name}, Kind: "regulator", Document: docID}
	if id, ok := strings.CutPrefix(l.first("authorityId"), idKeyword); ok {
		e.ID = id
	}
	if code := strings.ToUpper(l.first("country")); country.Valid(code) {
		e.Country = code
	}
	if err := w.WriteEntity(e); err != nil {
		return "", err
	}
	seen[key] = e.Ref
	return e.Ref, nil
}
