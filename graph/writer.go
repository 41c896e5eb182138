package graph

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/exportwatch/exportwatch/records"
)

// Stats counts what one write did: rows that changed the graph and rows that
// found it already as they would leave it.
type Stats struct {
	Written   int
	Unchanged int
}

// Add sums two counts.
func (a *Stats) Add(b Stats) { a.Written += b.Written; a.Unchanged += b.Unchanged }

// Every writer query compares a node's properties before and after its SET,
// so a re-load reports "unchanged" exactly when it changed nothing.

const writeDocuments = `
UNWIND $rows AS row
MERGE (d:Document {id: row.id})
WITH d, row, properties(d) AS before
SET d.url = row.url,
    d.title = coalesce(row.title, d.title),
    d.publisher = coalesce(row.publisher, d.publisher),
    d.published = coalesce(row.published, d.published),
    d.retrieved = coalesce(row.retrieved, d.retrieved),
    d.sha256 = coalesce(row.sha256, d.sha256),
    d.archive = coalesce(row.archive, d.archive),
    d.note = coalesce(row.note, d.note),
    d.origin = CASE WHEN d.origin = 'fetched' THEN 'fetched' ELSE row.origin END
RETURN sum(CASE WHEN before = properties(d) THEN 1 ELSE 0 END) AS unchanged, count(*) AS total`

// WriteDocuments merges documents by id. Fields a row leaves empty keep their
// stored value, so a curated entry and a later fetch of the same URL combine.
func (s *Store) WriteDocuments(ctx context.Context, docs []records.Document) (Stats, error) {
	rows := make([]map[string]any, len(docs))
	for i, d := range docs {
		if d.ID == "" {
			return Stats{}, fmt.Errorf("document %s has no id", d.URL)
		}
		rows[i] = map[string]any{
			"id": d.ID, "url": d.URL, "title": nullable(d.Title), "publisher": nullable(d.Publisher),
			"published": nullable(d.Published), "retrieved": nullable(d.Retrieved), "sha256": nullable(d.SHA256),
			"archive": nullable(d.Archive), "note": nullable(d.Note), "origin": d.Origin,
		}
	}
	return s.writeCounted(ctx, writeDocuments, rows)
}

// entityQuery merges entities of one schema; the label comes from the
// records.Schemas allowlist because Cypher takes no label parameters.
func entityQuery(schema string) string {
	return `
UNWIND $rows AS row
MERGE (e:Entity {id: row.id})
WITH e, row, properties(e) AS before, labels(e) AS beforeLabels
SET e:` + schema + `,
    e.schema = coalesce(e.schema, row.schema),
    e.name = coalesce(e.name, row.name),
    e.aliases = reduce(acc = [], n IN coalesce(e.aliases, []) + row.names | CASE WHEN n IN acc THEN acc ELSE acc + n END),
    e.identifiers = reduce(acc = [], n IN coalesce(e.identifiers, []) + row.identifiers | CASE WHEN n IN acc THEN acc ELSE acc + n END),
    e.capabilities = reduce(acc = [], n IN coalesce(e.capabilities, []) + row.capabilities | CASE WHEN n IN acc THEN acc ELSE acc + n END),
    e.export_control = reduce(acc = [], n IN coalesce(e.export_control, []) + row.export_control | CASE WHEN n IN acc THEN acc ELSE acc + n END),
    e.sources = reduce(acc = [], n IN coalesce(e.sources, []) + row.sources | CASE WHEN n IN acc THEN acc ELSE acc + n END),
    e.country = coalesce(row.country, e.country),
    e.kind = coalesce(row.kind, e.kind),
    e.start = coalesce(row.start, e.start),
    e.end = coalesce(row.end, e.end),
    e.impact = coalesce(row.impact, e.impact),
    e.description = coalesce(row.description, e.description)
SET e += row.identifier_props
WITH e, before, beforeLabels
SET e.aliases_text = reduce(t = '', n IN e.aliases | t + ' | ' + n)
RETURN sum(CASE WHEN before = properties(e) AND beforeLabels = labels(e) THEN 1 ELSE 0 END) AS unchanged, count(*) AS total`
}

// WriteEntities merges entities by id. Names, identifiers and capabilities
// accumulate across sources; the first name seen stays the display name.
func (s *Store) WriteEntities(ctx context.Context, ents []records.Entity) (Stats, error) {
	bySchema := map[string][]map[string]any{}
	for _, e := range ents {
		if e.ID == "" {
			return Stats{}, fmt.Errorf("entity %v has no id", e.Names)
		}
		if !slices.Contains(records.Schemas, e.Schema) {
			return Stats{}, fmt.Errorf("entity %s: schema %q is not allowed", e.ID, e.Schema)
		}
		idents := make([]string, 0, len(e.Identifiers))
		props := map[string]any{}
		for scheme, v := range e.Identifiers {
			if !records.ValidIdentifierScheme(scheme) {
				return Stats{}, fmt.Errorf("entity %s: identifier scheme %q is not allowed", e.ID, scheme)
			}
			idents = append(idents, scheme+":"+v)
			props["id_"+scheme] = v
		}
		sort.Strings(idents)
		var sources []string
		if e.Document != "" {
			sources = []string{e.Document}
		}
		bySchema[e.Schema] = append(bySchema[e.Schema], map[string]any{
			"id": e.ID, "schema": e.Schema, "name": e.Names[0], "names": e.Names,
			"identifiers": idents, "identifier_props": props,
			"capabilities": orEmpty(e.Capabilities), "export_control": orEmpty(e.ExportControl), "sources": orEmpty(sources),
			"country": nullable(e.Country), "kind": nullable(e.Kind), "start": nullable(e.Start), "end": nullable(e.End),
			"impact": nullable(e.Impact), "description": nullable(e.Description),
		})
	}
	var total Stats
	for _, schema := range records.Schemas {
		if rows := bySchema[schema]; len(rows) > 0 {
			st, err := s.writeCounted(ctx, entityQuery(schema), rows)
			if err != nil {
				return total, err
			}
			total.Add(st)
		}
	}
	return total, nil
}

const writeClaims = `
UNWIND $rows AS row
MATCH (s:Entity {id: row.subject})
MATCH (o:Entity {id: row.object})
MERGE (c:Claim {id: row.id})
WITH c, s, o, row, properties(c) AS before
SET c += row.props,
    c.status = CASE WHEN c.reviewed THEN c.status ELSE row.status END
MERGE (c)-[:SUBJECT]->(s)
MERGE (c)-[:OBJECT]->(o)
WITH c, row, before
OPTIONAL MATCH (p:Entity {id: row.product})
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | MERGE (c)-[:PRODUCT]->(p))
RETURN row.id AS id, before = properties(c) AS same`

const writeEvidence = `
UNWIND $rows AS row
MATCH (c:Claim {id: row.id})
OPTIONAL MATCH (c)-[old:EVIDENCED_BY]->()
DELETE old
WITH DISTINCT c, row
UNWIND row.evidence AS ev
MATCH (d:Document {id: ev.document})
CREATE (c)-[:EVIDENCED_BY {quote: ev.quote, paraphrase: ev.paraphrase, locator: ev.locator}]->(d)
RETURN count(*) AS n`

// rankExpr turns a status into its strength inside Cypher, mirroring
// records.StatusRank.
func rankExpr(v string) string {
	var b strings.Builder
	b.WriteString("CASE " + v)
	for _, st := range records.Statuses {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", st, records.StatusRank(st))
	}
	b.WriteString(" ELSE 0 END")
	return b.String()
}

// edgeQuery rebuilds the direct relationship of one type for the given
// (subject, object) pairs from their claims: it exists while any claim that
// is not retracted does, and carries their ids, the strongest status, the
// date span and whether a denial contests it.
func edgeQuery(rel string) string {
	return `
UNWIND $pairs AS p
MATCH (s:Entity {id: p.s})
MATCH (o:Entity {id: p.o})
OPTIONAL MATCH (s)-[r:` + rel + `]->(o)
DELETE r
WITH DISTINCT s, o
MATCH (s)<-[:SUBJECT]-(c:Claim {relation: $rel})-[:OBJECT]->(o)
WHERE c.status <> 'retracted'
WITH s, o, c ORDER BY c.id
WITH s, o, collect(c) AS cs
WITH s, o, cs, [c IN cs WHERE c.stance = 'asserts'] AS pro, [c IN cs WHERE c.stance = 'denies'] AS con
WITH s, o, cs, pro, con, CASE WHEN size(pro) > 0 THEN pro ELSE con END AS lead
CREATE (s)-[r:` + rel + `]->(o)
SET r.claims = [c IN cs | c.id],
    r.status = reduce(best = null, c IN lead | CASE WHEN best IS NULL OR ` + rankExpr("c.status") + ` > ` + rankExpr("best") + ` THEN c.status ELSE best END),
    r.confidence = reduce(m = 0.0, c IN lead | CASE WHEN c.confidence > m THEN c.confidence ELSE m END),
    r.stance = CASE WHEN size(pro) > 0 AND size(con) > 0 THEN 'contested' WHEN size(pro) > 0 THEN 'asserts' ELSE 'denies' END,
    r.contested = size(pro) > 0 AND size(con) > 0,
    r.first = reduce(m = null, c IN cs | CASE WHEN c.start IS NOT NULL AND (m IS NULL OR c.start < m) THEN c.start ELSE m END),
    r.last = reduce(m = null, c IN cs | CASE WHEN coalesce(c.end, c.start) IS NOT NULL AND (m IS NULL OR coalesce(c.end, c.start) > m) THEN coalesce(c.end, c.start) ELSE m END),
    r.stages = reduce(acc = [], c IN pro | CASE WHEN c.stage IS NULL OR c.stage IN acc THEN acc ELSE acc + c.stage END),
    r.products = reduce(acc = [], c IN pro | CASE WHEN c.product IS NULL OR c.product IN acc THEN acc ELSE acc + c.product END)
RETURN count(r) AS n`
}

// WriteClaims merges claims (subject, object and product already resolved to
// graph ids, id set) with their evidence, and in the same transaction
// rebuilds the direct relationships they touch, so an edge is never out of
// step with its claims, even after a crash.
func (s *Store) WriteClaims(ctx context.Context, claims []records.Claim) (Stats, error) {
	rows := make([]map[string]any, len(claims))
	byID := make(map[string]int, len(claims))
	for i, c := range claims {
		if c.ID == "" {
			return Stats{}, fmt.Errorf("claim %s %s %s has no id", c.Subject, c.Relation, c.Object)
		}
		if !slices.Contains(records.Relations, c.Relation) {
			return Stats{}, fmt.Errorf("claim %s: relation %q is not allowed", c.ID, c.Relation)
		}
		ev := make([]map[string]any, len(c.Evidence))
		for j, e := range c.Evidence {
			ev[j] = map[string]any{"document": e.Document, "quote": nullable(e.Quote), "paraphrase": nullable(e.Paraphrase), "locator": nullable(e.Locator)}
		}
		evHash, err := hashJSON(c.Evidence)
		if err != nil {
			return Stats{}, err
		}
		stance := c.Stance
		if stance == "" {
			stance = records.StanceAsserts
		}
		var value any
		if c.Value != nil {
			value = *c.Value
		}
		rows[i] = map[string]any{
			"id": c.ID, "subject": c.Subject, "object": c.Object, "product": nullable(c.Product), "status": c.Status,
			"evidence": ev,
			"props": map[string]any{
				"relation": c.Relation, "subject": c.Subject, "object": c.Object, "stance": stance,
				"confidence": c.Confidence, "start": nullable(c.Start), "end": nullable(c.End), "stage": nullable(c.Stage),
				"product": nullable(c.Product), "quantity": nullable(c.Quantity), "value": value, "currency": nullable(c.Currency),
				"uncertain": nullList(c.Uncertain), "role": nullable(c.Role), "share": nullable(c.Share), "list": nullable(c.List),
				"program": nullable(c.Program), "summary": nullable(c.Summary), "extractor": c.Extractor, "evidence_hash": evHash,
			},
		}
		byID[c.ID] = i
	}
	out, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		recs, err := run(ctx, tx, writeClaims, map[string]any{"rows": rows})
		if err != nil {
			return nil, fmt.Errorf("write claims: %w", err)
		}
		if len(recs) != len(rows) {
			// The loader checks refs before writing; reaching here means an
			// entity vanished under us, and writing part of a batch would
			// leave claims without their subject or object.
			return nil, fmt.Errorf("write claims: %d of %d claims found their subject and object", len(recs), len(rows))
		}
		var st Stats
		var changed []map[string]any
		pairs := map[string][]map[string]any{}
		seen := map[string]bool{}
		for _, r := range recs {
			id, _ := r.Get("id")
			same, _ := r.Get("same")
			if same == true {
				st.Unchanged++
				continue
			}
			st.Written++
			row := rows[byID[id.(string)]]
			changed = append(changed, row)
			c := claims[byID[id.(string)]]
			key := c.Relation + "\x00" + c.Subject + "\x00" + c.Object
			if !seen[key] {
				seen[key] = true
				pairs[c.Relation] = append(pairs[c.Relation], map[string]any{"s": c.Subject, "o": c.Object})
			}
		}
		if len(changed) == 0 {
			return st, nil
		}
		if _, err := run(ctx, tx, writeEvidence, map[string]any{"rows": changed}); err != nil {
			return nil, fmt.Errorf("write evidence: %w", err)
		}
		if err := rebuildEdges(ctx, tx, pairs); err != nil {
			return nil, err
		}
		return st, nil
	})
	if err != nil {
		return Stats{}, err
	}
	return out.(Stats), nil
}

// rebuildEdges rebuilds the direct relationships for pairs grouped by
// relation, in the caller's transaction.
func rebuildEdges(ctx context.Context, tx neo4j.ManagedTransaction, pairs map[string][]map[string]any) error {
	for _, rel := range records.Relations {
		if ps := pairs[rel]; len(ps) > 0 {
			if _, err := run(ctx, tx, edgeQuery(rel), map[string]any{"pairs": ps, "rel": rel}); err != nil {
				return fmt.Errorf("rebuild %s edges: %w", rel, err)
			}
		}
	}
	return nil
}

func (s *Store) writeCounted(ctx context.Context, cypher string, rows []map[string]any) (Stats, error) {
	out, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		recs, err := run(ctx, tx, cypher, map[string]any{"rows": rows})
		if err != nil {
			return nil, err
		}
		unchanged, _ := recs[0].Get("unchanged")
		total, _ := recs[0].Get("total")
		u, t := int(unchanged.(int64)), int(total.(int64))
		return Stats{Written: t - u, Unchanged: u}, nil
	})
	if err != nil {
		return Stats{}, err
	}
	return out.(Stats), nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullList(s []string) any {
	if len(s) == 0 {
		return nil
	}
	return s
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func hashJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("hash evidence: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:12]), nil
}
