package graph

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
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

// The document and entity statements compare a node's properties before and
// after their SET, and the claim statement compares a hash of the claim's
// line, so a re-load reports "unchanged" exactly when it changed nothing.

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
RETURN collect(CASE WHEN before = properties(d) THEN null ELSE d.id END) AS changed, count(*) AS total`

// createDocuments creates documents known to be new: no lookup, no
// comparison. SET skips the null fields, as the merge does for a new node.
const createDocuments = `
UNWIND $rows AS row
CREATE (d:Document)
SET d.id = row.id, d.url = row.url, d.title = row.title, d.publisher = row.publisher, d.published = row.published,
    d.retrieved = row.retrieved, d.sha256 = row.sha256, d.archive = row.archive, d.note = row.note, d.origin = row.origin`

// WriteDocuments merges documents by id. Fields a row leaves empty keep their
// stored value, so a curated entry and a later fetch of the same URL combine.
func (s *Store) WriteDocuments(ctx context.Context, docs []records.Document) (Stats, error) {
	rows, err := documentRows(docs)
	if err != nil {
		return Stats{}, err
	}
	return s.writeNoted(ctx, func(tx neo4j.ManagedTransaction, ch *changes) (Stats, error) {
		return s.createOrMergeTx(ctx, tx, ch, ChangeDocument, rows, createDocuments, writeDocuments)
	})
}

// createOrMergeTx writes rows of documents or entities (typ, a change
// type): those whose node does not exist yet with create, outright; the
// others with merge, which compares each node before and after. It notes
// the created and the changed in ch.
func (s *Store) createOrMergeTx(ctx context.Context, tx neo4j.ManagedTransaction, ch *changes, typ string, rows []map[string]any, create, merge string) (Stats, error) {
	label := labelOf[typ]
	fresh, known, err := s.splitNew(ctx, tx, label, rows)
	if err != nil {
		return Stats{}, err
	}
	st := Stats{Written: len(fresh)}
	if len(fresh) > 0 {
		if _, err := s.run(ctx, tx, create, map[string]any{"rows": fresh}); err != nil {
			return Stats{}, fmt.Errorf("create %s nodes: %w", typ, err)
		}
		for _, r := range fresh {
			ch.add(typ, ChangeCreated, r["id"].(string))
		}
	}
	if len(known) > 0 {
		kst, err := s.countedTx(ctx, tx, ch, typ, merge, known)
		if err != nil {
			return Stats{}, err
		}
		st.Add(kst)
	}
	return st, nil
}

// labelOf is the node label of the change types createOrMergeTx writes.
var labelOf = map[string]string{ChangeDocument: "Document", ChangeEntity: "Entity"}

// writeNoted runs a load's write (writeRacing) that notes what it changed
// in ch, and appends that as the transaction's change set.
func (s *Store) writeNoted(ctx context.Context, write func(tx neo4j.ManagedTransaction, ch *changes) (Stats, error)) (Stats, error) {
	out, err := s.writeRacing(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		var ch changes
		st, err := write(tx, &ch)
		if err != nil {
			return nil, err
		}
		return st, s.appendChanges(ctx, tx, &ch)
	})
	if err != nil {
		return Stats{}, err
	}
	return out.(Stats), nil
}

// writeRacing runs a write that creates the nodes it read as missing,
// and runs it once more if another load created one of them in between:
// the unique constraint kept the node single and refused the whole
// transaction, and the second attempt reads the node and merges into it.
func (s *Store) writeRacing(ctx context.Context, write func(tx neo4j.ManagedTransaction) (any, error)) (any, error) {
	out, err := s.write(ctx, write)
	var nerr *neo4j.Neo4jError
	if errors.As(err, &nerr) && nerr.Code == "Neo.ClientError.Schema.ConstraintValidationFailed" {
		out, err = s.write(ctx, write)
	}
	return out, err
}

// beforeCreate, when set, runs between a write's read of which nodes
// exist and its create; tests use it to create one of them from another
// transaction.
var beforeCreate func()

// splitNew splits rows (each with an "id") into those whose node of label
// does not exist yet and those whose does, in the caller's transaction.
// New nodes are created outright, which costs a fraction of a merge that
// compares a node before and after; the common first load is all new.
func (s *Store) splitNew(ctx context.Context, tx neo4j.ManagedTransaction, label string, rows []map[string]any) (fresh, known []map[string]any, err error) {
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r["id"].(string)
	}
	recs, err := s.run(ctx, tx, "UNWIND $ids AS id MATCH (n:"+label+" {id: id}) RETURN id", map[string]any{"ids": ids})
	if err != nil {
		return nil, nil, fmt.Errorf("existing %s ids: %w", strings.ToLower(label), err)
	}
	have := make(map[string]bool, len(recs))
	for _, r := range recs {
		id, _ := r.Get("id")
		have[id.(string)] = true
	}
	for _, r := range rows {
		if have[r["id"].(string)] {
			known = append(known, r)
		} else {
			fresh = append(fresh, r)
		}
	}
	if beforeCreate != nil {
		beforeCreate()
	}
	return fresh, known, nil
}

func documentRows(docs []records.Document) ([]map[string]any, error) {
	rows := make([]map[string]any, len(docs))
	for i, d := range docs {
		if d.ID == "" {
			return nil, fmt.Errorf("document %s has no id", d.URL)
		}
		rows[i] = map[string]any{
			"id": d.ID, "url": d.URL, "title": nullable(d.Title), "publisher": nullable(d.Publisher),
			"published": nullable(d.Published), "retrieved": nullable(d.Retrieved), "sha256": nullable(d.SHA256),
			"archive": nullable(d.Archive), "note": nullable(d.Note), "origin": d.Origin,
		}
	}
	return rows, nil
}

// listProps accumulate across sources (and merges): each keeps every value
// it was ever given, once.
var listProps = []string{"aliases", "identifiers", "capabilities", "export_control", "sources"}

// unionSet is Cypher that sets each of listProps on node to its union with
// the list from(prop) names.
func unionSet(node string, from func(prop string) string) string {
	parts := make([]string, len(listProps))
	for i, p := range listProps {
		parts[i] = fmt.Sprintf("%[1]s.%[2]s = reduce(acc = [], n IN coalesce(%[1]s.%[2]s, []) + %[3]s | CASE WHEN n IN acc THEN acc ELSE acc + n END)",
			node, p, from(p))
	}
	return strings.Join(parts, ",\n    ")
}

// syncLookups is Cypher that sets the lookup property (id_lei, …) of each
// identifier scheme in the list expression schemes to the first value of
// that scheme the node's identifiers still hold, or removes it: the
// lookup properties follow the identifiers list, whoever changed it.
func syncLookups(node, schemes string) string {
	return fmt.Sprintf("FOREACH (sc IN %[2]s | SET %[1]s['id_' + sc] = head([k IN %[1]s.identifiers WHERE k STARTS WITH sc + ':' | substring(k, size(sc) + 1)]))", node, schemes)
}

// aliasesText is Cypher for the node's aliases joined in one string: the
// full-text index takes strings only.
func aliasesText(node string) string {
	return "reduce(t = '', n IN " + node + ".aliases | t + ' | ' + n)"
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
    ` + unionSet("e", func(prop string) string {
		if prop == "aliases" {
			return "row.names"
		}
		return "row." + prop
	}) + `,
    e.country = CASE WHEN 'country' IN coalesce(e.edited, []) THEN e.country ELSE coalesce(row.country, e.country) END,
    e.kind = coalesce(row.kind, e.kind),
    e.start = coalesce(row.start, e.start),
    e.end = coalesce(row.end, e.end),
    e.impact = coalesce(row.impact, e.impact),
    e.description = CASE WHEN 'description' IN coalesce(e.edited, []) THEN e.description ELSE coalesce(row.description, e.description) END
SET e += row.identifier_props
WITH e, before, beforeLabels
// What an editor removed stays removed (EditEntity).
FOREACH (_ IN CASE WHEN e.removed_aliases IS NULL AND e.removed_identifiers IS NULL THEN [] ELSE [1] END |
  SET e.aliases = [n IN e.aliases WHERE NOT n IN coalesce(e.removed_aliases, [])],
      e.identifiers = [i IN e.identifiers WHERE NOT i IN coalesce(e.removed_identifiers, [])]
  ` + syncLookups("e", "[i IN coalesce(e.removed_identifiers, []) | split(i, ':')[0]]") + `)
SET e.aliases_text = ` + aliasesText("e") + `
// A buyer that moved country moves its transfers in the supply index.
FOREACH (r IN CASE WHEN before.id IS NOT NULL AND coalesce(before.country, '') <> coalesce(e.country, '')
                   THEN [(:Entity)-[x:SUPPLIED]->(e) | x] ELSE [] END |
  SET r.buyer_country = e.country)
RETURN collect(CASE WHEN before = properties(e) AND beforeLabels = labels(e) THEN null ELSE e.id END) AS changed, count(*) AS total`
}

// createEntities creates entities of one schema known to be new, with
// the properties the merge would give them (lists without repeats, the
// aliases' text for the full-text index, computed by the caller).
func createEntities(schema string) string {
	return `
UNWIND $rows AS row
CREATE (e:Entity:` + schema + `)
SET e = row.props
SET e += row.identifier_props`
}

// WriteEntities merges entities by id. Names, identifiers and capabilities
// accumulate across sources; the first name seen stays the display name.
func (s *Store) WriteEntities(ctx context.Context, ents []records.Entity) (Stats, error) {
	bySchema, err := entityRows(ents)
	if err != nil {
		return Stats{}, err
	}
	return s.writeNoted(ctx, func(tx neo4j.ManagedTransaction, ch *changes) (Stats, error) {
		return s.writeEntitiesTx(ctx, tx, ch, bySchema)
	})
}

// writeEntitiesTx writes entity rows, by schema, in tx, and notes what
// changed in ch.
func (s *Store) writeEntitiesTx(ctx context.Context, tx neo4j.ManagedTransaction, ch *changes, bySchema map[string][]map[string]any) (Stats, error) {
	var total Stats
	for _, schema := range records.Schemas {
		if rows := bySchema[schema]; len(rows) > 0 {
			st, err := s.createOrMergeTx(ctx, tx, ch, ChangeEntity, rows, createEntities(schema), entityQuery(schema))
			if err != nil {
				return Stats{}, err
			}
			total.Add(st)
		}
	}
	return total, nil
}

// entityRows are the rows the entity statements take, by schema.
func entityRows(ents []records.Entity) (map[string][]map[string]any, error) {
	bySchema := map[string][]map[string]any{}
	for _, e := range ents {
		if e.ID == "" {
			return nil, fmt.Errorf("entity %v has no id", e.Names)
		}
		if !slices.Contains(records.Schemas, e.Schema) {
			return nil, fmt.Errorf("entity %s: schema %q is not allowed", e.ID, e.Schema)
		}
		props := map[string]any{}
		for scheme, v := range e.Identifiers {
			if !records.ValidIdentifierScheme(scheme) {
				return nil, fmt.Errorf("entity %s: identifier scheme %q is not allowed", e.ID, scheme)
			}
			props["id_"+scheme] = v
		}
		idents := records.IdentifierList(e.Identifiers)
		var sources []string
		if e.Document != "" {
			sources = []string{e.Document}
		}
		row := map[string]any{
			"id": e.ID, "schema": e.Schema, "name": e.Names[0], "names": e.Names,
			"identifiers": idents, "identifier_props": props,
			"capabilities": orEmpty(e.Capabilities), "export_control": orEmpty(e.ExportControl), "sources": orEmpty(sources),
			"country": nullable(e.Country), "kind": nullable(e.Kind), "start": nullable(e.Start), "end": nullable(e.End),
			"impact": nullable(e.Impact), "description": nullable(e.Description),
		}
		// What createEntities sets; entityQuery reads the fields above.
		row["props"] = newEntityProps(row)
		bySchema[e.Schema] = append(bySchema[e.Schema], row)
	}
	return bySchema, nil
}

// newEntityProps are the properties entityQuery gives a node it creates
// from row: each list prop without repeats, in order; the null fields
// left out; the aliases joined as aliasesText joins them.
func newEntityProps(row map[string]any) map[string]any {
	props := map[string]any{"id": row["id"], "schema": row["schema"], "name": row["name"]}
	for _, p := range listProps {
		from := p
		if p == "aliases" {
			from = "names"
		}
		var list []string
		for _, v := range row[from].([]string) {
			if !slices.Contains(list, v) {
				list = append(list, v)
			}
		}
		props[p] = orEmpty(list)
	}
	for _, p := range []string{"country", "kind", "start", "end", "impact", "description"} {
		if v := row[p]; v != nil {
			props[p] = v
		}
	}
	var text strings.Builder
	for _, a := range props["aliases"].([]string) {
		text.WriteString(" | " + a)
	}
	props["aliases_text"] = text.String()
	return props
}

// mergeChangedClaims merges claims whose stored hash differs from their row's
// (writeClaimBatch sends only those; createClaims takes the new ones). Each
// row carries a hash of everything the file says about the claim
// (properties, status, evidence): a claim whose stored hash matches is
// left untouched and a new one gets its relationships created outright,
// so the statement stays right even for a claim another load wrote since
// the hashes were read; a changed one has its evidence replaced. Its
// subject, object and product links are not touched: they change only
// when a merge moves them. An editor's review (reviewed = true) keeps its
// status over a re-load.
const mergeChangedClaims = `
UNWIND $rows AS row
MATCH (s:Entity {id: row.subject})
MATCH (o:Entity {id: row.object})
MERGE (c:Claim {id: row.id})
WITH c, s, o, row, c.rowhash IS NULL AS fresh, coalesce(c.rowhash = row.hash, false) AS same
FOREACH (_ IN CASE WHEN same THEN [] ELSE [1] END |
  SET c += row.props, c.rowhash = row.hash, c.status = CASE WHEN c.reviewed THEN c.status ELSE row.status END)
FOREACH (_ IN CASE WHEN fresh THEN [1] ELSE [] END |
  SET c.loaded = $now
  CREATE (c)-[:SUBJECT]->(s)
  CREATE (c)-[:OBJECT]->(o))
WITH c, row, fresh, same
CALL (c, row, fresh) {
  WITH c, row WHERE fresh AND row.product IS NOT NULL
  MATCH (p:Entity {id: row.product})
  CREATE (c)-[:PRODUCT]->(p)
}
CALL (c, row, fresh, same) {
  WITH c, row, fresh WHERE NOT same
  CALL (c, fresh) {
    WITH c WHERE NOT fresh
    MATCH (c)-[old:EVIDENCED_BY]->()
    DELETE old
  }
  UNWIND row.evidence AS ev
  MATCH (d:Document {id: ev.document})
  CREATE (c)-[:EVIDENCED_BY {quote: ev.quote, paraphrase: ev.paraphrase, locator: ev.locator, unchecked: ev.unchecked}]->(d)
}
RETURN row.id AS id`

// ClaimWrite is a claim as the writer takes it: the record with its id set
// and its ends resolved to graph ids, and what the loader knows of it that
// the record format does not say.
type ClaimWrite struct {
	records.Claim
	// Named holds the graph ids the source named for subject, object and
	// product, before resolution and merges led them elsewhere; the graph
	// keeps them, so a merge can be undone. Empty ones are the claim's own.
	Named Ends
	// NewPair says no claim of this subject, relation and object can be
	// in the graph yet (an end was created by this load and no earlier
	// batch wrote the pair), so the writer makes their edge without
	// reading the graph.
	NewPair bool
}

// Ends are a claim's subject, object and product.
type Ends struct{ Subject, Object, Product string }

// WriteClaims merges claims with their evidence, and in the same
// transaction rebuilds the direct relationships they touch, so an edge is
// never out of step with its claims, even after a crash.
func (s *Store) WriteClaims(ctx context.Context, claims []ClaimWrite) (Stats, error) {
	rows, byID, err := claimRows(claims)
	if err != nil {
		return Stats{}, err
	}
	return s.writeNoted(ctx, func(tx neo4j.ManagedTransaction, ch *changes) (Stats, error) {
		return s.writeClaimBatch(ctx, tx, ch, claims, rows, byID)
	})
}

// claimRows turns claims into the parameters of createClaims and
// mergeChangedClaims.
func claimRows(claims []ClaimWrite) ([]map[string]any, map[string]int, error) {
	rows := make([]map[string]any, len(claims))
	byID := make(map[string]int, len(claims))
	for i, c := range claims {
		if c.ID == "" {
			return nil, nil, fmt.Errorf("claim %s %s %s has no id", c.Subject, c.Relation, c.Object)
		}
		if !slices.Contains(records.Relations, c.Relation) {
			return nil, nil, fmt.Errorf("claim %s: relation %q is not allowed", c.ID, c.Relation)
		}
		ev := make([]map[string]any, len(c.Evidence))
		for j, e := range c.Evidence {
			ev[j] = map[string]any{"document": e.Document, "quote": nullable(e.Quote), "paraphrase": nullable(e.Paraphrase), "locator": nullable(e.Locator), "unchecked": nullable(e.Unchecked)}
		}
		stance := c.Stance
		if stance == "" {
			stance = records.StanceAsserts
		}
		var value any
		if c.Value != nil {
			value = *c.Value
		}
		props := map[string]any{
			"relation": c.Relation, "stance": stance,
			"confidence": c.Confidence, "start": nullable(c.Start), "end": nullable(c.End), "stage": nullable(c.Stage),
			"quantity": nullable(c.Quantity), "value": value, "currency": nullable(c.Currency),
			"uncertain": nullList(c.Uncertain), "role": nullable(c.Role), "share": nullable(c.Share), "list": nullable(c.List),
			"program": nullable(c.Program), "summary": nullable(c.Summary), "extractor": c.Extractor,
		}
		// The hash leaves the claim's ends out: its id already names them,
		// and a merge re-points them, so a source re-loaded after a merge
		// still finds its claims unchanged.
		hash, err := hashJSON([]any{props, c.Status, c.Evidence})
		if err != nil {
			return nil, nil, err
		}
		props["subject"], props["object"], props["product"], props["pair"] = c.Subject, c.Object, nullable(c.Product), pairKey(c.Claim)
		props["named_subject"], props["named_object"] = cmp.Or(c.Named.Subject, c.Subject), cmp.Or(c.Named.Object, c.Object)
		props["named_product"] = nullable(cmp.Or(c.Named.Product, c.Product))
		rows[i] = map[string]any{
			"id": c.ID, "relation": c.Relation, "subject": c.Subject, "object": c.Object, "product": nullable(c.Product), "status": c.Status,
			"evidence": ev, "props": props, "hash": hash,
		}
		byID[c.ID] = i
	}
	return rows, byID, nil
}

// storedHashes reads the row hash of each claim among ids that exists.
const storedHashes = `
UNWIND $ids AS id
MATCH (c:Claim {id: id})
RETURN id, c.rowhash AS hash`

// createClaims creates claims known to be new, with their links and
// evidence: no lookup of the claim, no branches for the cases that
// cannot arise. Its result counts the claims that found their subject and
// object.
var createClaims = `
UNWIND $rows AS row
MATCH (s:Entity {id: row.subject})
MATCH (o:Entity {id: row.object})
CREATE (c:Claim)
SET c = row.props, c.id = row.id, c.rowhash = row.hash, c.status = row.status, c.loaded = $now
CREATE (c)-[:SUBJECT]->(s)
CREATE (c)-[:OBJECT]->(o)
FOREACH (_ IN CASE WHEN row.edge IS NULL THEN [] ELSE [1] END |
  CREATE (s)-[e:$(row.relation)]->(o) SET e = row.edge, ` + supplyIndexWhen("row.relation", "e", "s", "o") + `)
WITH c, row
CALL (c, row) {
  WITH c, row WHERE row.product IS NOT NULL
  MATCH (p:Entity {id: row.product})
  CREATE (c)-[:PRODUCT]->(p)
}
CALL (c, row) {
  UNWIND row.evidence AS ev
  MATCH (d:Document {id: ev.document})
  CREATE (c)-[:EVIDENCED_BY {quote: ev.quote, paraphrase: ev.paraphrase, locator: ev.locator, unchecked: ev.unchecked}]->(d)
}
RETURN count(*) AS n`

// lockEnds takes the write lock of each entity among ids, in sorted order
// (so two writers never wait on each other in a circle), for the rest of
// the caller's transaction. A writer of a pair's claims or edge locks the
// pair's two ends before it reads either, so writers of one pair take
// turns and each rebuilds the edge from every committed claim: without
// it, two loads at once each saw only their own claims and wrote an edge
// each.
func (s *Store) lockEnds(ctx context.Context, tx neo4j.ManagedTransaction, ids []string) error {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	if _, err := s.run(ctx, tx, lockEntities, map[string]any{"ids": ids}); err != nil {
		return fmt.Errorf("lock entities: %w", err)
	}
	return nil
}

// lockEntities writes and removes a property, which takes each node's
// write lock and changes nothing; UNWIND keeps the list's order.
const lockEntities = `
UNWIND $ids AS id
MATCH (e:Entity {id: id})
SET e._lock = true
REMOVE e._lock`

// writeClaimBatch writes prepared claim rows and rebuilds the edges they
// touch, in the caller's transaction, with their ends locked (lockEnds).
// It reads the stored hashes first:
// an unchanged claim is not sent again, a new one is created outright
// (the common case of a first load), and only a changed one goes through
// mergeChangedClaims.
func (s *Store) writeClaimBatch(ctx context.Context, tx neo4j.ManagedTransaction, ch *changes, claims []ClaimWrite, rows []map[string]any, byID map[string]int) (Stats, error) {
	ends := make([]string, 0, 2*len(claims))
	for _, c := range claims {
		ends = append(ends, c.Subject, c.Object)
	}
	if err := s.lockEnds(ctx, tx, ends); err != nil {
		return Stats{}, err
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r["id"].(string)
	}
	recs, err := s.run(ctx, tx, storedHashes, map[string]any{"ids": ids})
	if err != nil {
		return Stats{}, fmt.Errorf("read claim hashes: %w", err)
	}
	stored := make(map[string]any, len(recs))
	for _, r := range recs {
		id, _ := r.Get("id")
		stored[id.(string)], _ = r.Get("hash")
	}
	var st Stats
	var fresh, changed []map[string]any
	freshIDs := map[string]bool{}
	for _, r := range rows {
		id := r["id"].(string)
		switch hash, ok := stored[id]; {
		case !ok:
			fresh = append(fresh, r)
			freshIDs[id] = true
		case hash == r["hash"]:
			st.Unchanged++
		default:
			changed = append(changed, r)
		}
	}
	newPairs := edgesOfNewPairs(claims, rows, byID, freshIDs)
	if err := s.keepNewPairsNew(ctx, tx, newPairs, rows); err != nil {
		return Stats{}, err
	}
	if len(fresh) > 0 {
		recs, err := s.run(ctx, tx, createClaims, map[string]any{"rows": fresh, "now": loadTime()})
		if err != nil {
			return Stats{}, fmt.Errorf("create claims: %w", err)
		}
		if n, _ := recs[0].Get("n"); int(n.(int64)) != len(fresh) {
			return Stats{}, missingEnds(int(n.(int64)), len(fresh))
		}
	}
	if len(changed) > 0 {
		recs, err := s.run(ctx, tx, mergeChangedClaims, map[string]any{"rows": changed, "now": loadTime()})
		if err != nil {
			return Stats{}, fmt.Errorf("write claims: %w", err)
		}
		if len(recs) != len(changed) {
			return Stats{}, missingEnds(len(recs), len(changed))
		}
	}
	st.Written = len(fresh) + len(changed)
	for _, r := range fresh {
		ch.add(ChangeClaim, ChangeCreated, r["id"].(string))
	}
	for _, r := range changed {
		kind := ChangeUpdated
		if r["status"] == records.StatusRetracted {
			kind = ChangeRetracted
		}
		ch.add(ChangeClaim, kind, r["id"].(string))
	}
	var pairs []edgeKey
	// The new pairs' edges were made with their claims.
	seen := maps.Clone(newPairs)
	for _, group := range [][]map[string]any{fresh, changed} {
		for _, r := range group {
			c := claims[byID[r["id"].(string)]]
			if key := pairKey(c.Claim); !seen[key] {
				seen[key] = true
				pairs = append(pairs, edgeKey{rel: c.Relation, s: c.Subject, o: c.Object, pair: key})
			}
		}
	}
	if len(pairs) > 0 {
		// The batch locked every end it touches at the start.
		if err := s.rebuildLockedEdges(ctx, tx, pairs, freshIDs); err != nil {
			return Stats{}, err
		}
	}
	return st, nil
}

// edgesOfNewPairs finds the pairs whose claims here are all new and
// marked NewPair by the loader: no claim of theirs is in the graph, so
// neither is their edge, and its properties are those of these claims
// alone. It puts each such edge on its first claim's row (row.edge), for
// createClaims to create with the claim, and returns the pairs.
func edgesOfNewPairs(claims []ClaimWrite, rows []map[string]any, byID map[string]int, fresh map[string]bool) map[string]bool {
	eligible := map[string]bool{}
	of := map[string][]edgeClaim{}
	first := map[string]map[string]any{}
	for _, r := range rows {
		r["edge"] = nil
		id := r["id"].(string)
		c := claims[byID[id]]
		key := pairKey(c.Claim)
		if ok, seen := eligible[key]; !seen || ok {
			eligible[key] = c.NewPair && fresh[id]
		}
		if first[key] == nil {
			first[key] = r
		}
		of[key] = append(of[key], edgeClaim{ID: id, Stance: cmp.Or(c.Stance, records.StanceAsserts), Status: c.Status,
			Start: c.Start, End: c.End, Stage: c.Stage, Product: c.Product, Confidence: c.Confidence})
	}
	out := map[string]bool{}
	for key, ok := range eligible {
		if !ok {
			continue
		}
		out[key] = true
		if props, live := edgeProps(of[key]); live {
			first[key]["edge"] = props
		}
	}
	return out
}

// pairsWithClaims finds which of the pairs have a claim in the graph.
const pairsWithClaims = `
UNWIND $pairs AS pair
MATCH (c:Claim {pair: pair})
RETURN DISTINCT pair`

// keepNewPairsNew checks, with the pairs' ends locked, that the pairs the
// loader took for new have no claim in the graph yet: another load may
// have created the same entity and written claims of the pair since this
// load planned. Those are taken out of newPairs, and their first row
// loses its edge, so their edges are rebuilt from every claim.
func (s *Store) keepNewPairsNew(ctx context.Context, tx neo4j.ManagedTransaction, newPairs map[string]bool, rows []map[string]any) error {
	if len(newPairs) == 0 {
		return nil
	}
	recs, err := s.run(ctx, tx, pairsWithClaims, map[string]any{"pairs": slices.Collect(maps.Keys(newPairs))})
	if err != nil {
		return fmt.Errorf("read pairs: %w", err)
	}
	if len(recs) == 0 {
		return nil
	}
	for _, r := range recs {
		pair, _ := r.Get("pair")
		delete(newPairs, pair.(string))
	}
	for _, r := range rows {
		if r["edge"] != nil && !newPairs[r["props"].(map[string]any)["pair"].(string)] {
			r["edge"] = nil
		}
	}
	return nil
}

// missingEnds reports claims that did not find their subject or object.
// The loader checks refs before writing; reaching here means an entity
// vanished under us, and writing part of a batch would leave claims
// without their subject or object.
func missingEnds(found, want int) error {
	return fmt.Errorf("write claims: %d of %d claims found their subject and object", found, want)
}

// countedTx runs a writer statement of documents or entities (typ) that
// returns the ids it changed, in the caller's transaction, and notes them
// in ch.
func (s *Store) countedTx(ctx context.Context, tx neo4j.ManagedTransaction, ch *changes, typ, cypher string, rows []map[string]any) (Stats, error) {
	recs, err := s.run(ctx, tx, cypher, map[string]any{"rows": rows})
	if err != nil {
		return Stats{}, err
	}
	changed, _ := recs[0].Get("changed")
	total, _ := recs[0].Get("total")
	ids := changed.([]any)
	for _, id := range ids {
		ch.add(typ, ChangeUpdated, id.(string))
	}
	return Stats{Written: len(ids), Unchanged: int(total.(int64)) - len(ids)}, nil
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
		return "", fmt.Errorf("hash claim: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:12]), nil
}
