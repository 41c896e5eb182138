package graph

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/resolve"
)

// ErrNotFound is returned when an id names nothing in the graph.
var ErrNotFound = errors.New("not found")

// Limits on traversals, so no single query can walk the whole graph.
const (
	MaxNeighbourhoodDepth = 3
	// MaxNeighbourhoodNodes bounds a neighbourhood: a graph view stays
	// readable, and responsive, up to about this many nodes.
	MaxNeighbourhoodNodes = 500
	MaxPathHops           = 6
	// MaxPaths bounds how many routes one paths query returns.
	MaxPaths   = 25
	MaxResults = 1000
)

// Entity returns the entity with this id, or the survivor of a merge that
// folded it into another.
func (s *Store) Entity(ctx context.Context, id string) (Entity, error) {
	recs, err := s.read(ctx, resolveID("$id", "rid")+" MATCH (e:Entity {id: rid}) RETURN e", map[string]any{"id": id})
	if err != nil {
		return Entity{}, fmt.Errorf("entity %s: %w", id, err)
	}
	if len(recs) == 0 {
		return Entity{}, fmt.Errorf("entity %s: %w", id, ErrNotFound)
	}
	n, _ := recs[0].Get("e")
	return entityFromNode(n.(dbtype.Node)), nil
}

// EntitiesNamed returns the entities one of whose names is name, written
// the same once case, marks and script are set aside ("sandvine inc." is
// "Sandvine Inc."); at most limit of them. It reads the full-text index,
// so it costs what a search does.
func (s *Store) EntitiesNamed(ctx context.Context, name string, limit int) ([]Entity, error) {
	want := strings.Join(resolve.Words(name), " ")
	q := luceneQuery(resolve.Words(name))
	if want == "" || q == "" {
		return nil, nil
	}
	recs, err := s.read(ctx, `CALL db.index.fulltext.queryNodes('entity_search', $q, {limit: 200}) YIELD node RETURN node`, map[string]any{"q": q})
	if err != nil {
		return nil, fmt.Errorf("entities named %q: %w", name, err)
	}
	var out []Entity
	for _, r := range recs {
		n, _ := r.Get("node")
		e := entityFromNode(n.(dbtype.Node))
		if slices.ContainsFunc(append([]string{e.Name}, e.Aliases...), func(a string) bool { return strings.Join(resolve.Words(a), " ") == want }) {
			out = append(out, e)
			if len(out) == limit {
				break
			}
		}
	}
	return out, nil
}

// EntitiesByID returns the entities among ids that exist, keyed by the id
// asked for (a merged id maps to its survivor), in one round trip (for the
// API's dataloaders).
func (s *Store) EntitiesByID(ctx context.Context, ids []string) (map[string]Entity, error) {
	recs, err := s.read(ctx, "UNWIND $ids AS id"+resolveID("id", "rid")+" MATCH (e:Entity {id: rid}) RETURN id, e", map[string]any{"ids": ids})
	if err != nil {
		return nil, fmt.Errorf("entities by id: %w", err)
	}
	out := make(map[string]Entity, len(recs))
	for _, r := range recs {
		id, _ := r.Get("id")
		n, _ := r.Get("e")
		out[id.(string)] = entityFromNode(n.(dbtype.Node))
	}
	return out, nil
}

// ExistingIDs returns which of ids exist as nodes of label (Entity or
// Document); the loader uses it to check references before writing.
func (s *Store) ExistingIDs(ctx context.Context, label string, ids []string) (map[string]bool, error) {
	if label != "Entity" && label != "Document" {
		return nil, fmt.Errorf("existing ids: label %q not allowed", label)
	}
	recs, err := s.read(ctx, "UNWIND $ids AS id MATCH (n:"+label+" {id: id}) RETURN n.id AS id", map[string]any{"ids": ids})
	if err != nil {
		return nil, fmt.Errorf("existing %s ids: %w", strings.ToLower(label), err)
	}
	out := make(map[string]bool, len(recs))
	for _, r := range recs {
		id, _ := r.Get("id")
		out[id.(string)] = true
	}
	return out, nil
}

// EntityFilter selects entities; empty fields select everything.
type EntityFilter struct {
	Schemas []string
	Country string
	// Name matches, case-insensitively, any part of the name or an alias.
	Name  string
	Skip  int
	Limit int
}

func checkSchemas(schemas []string) error {
	for _, sc := range schemas {
		if !slices.Contains(records.Schemas, sc) {
			return fmt.Errorf("unknown entity type %q (want one of %s)", sc, strings.Join(records.Schemas, ", "))
		}
	}
	return nil
}

func clampLimit(n int) int {
	if n <= 0 || n > MaxResults {
		return MaxResults
	}
	return n
}

// Entities lists entities by type, country and name, ordered by name, with
// the total number that match.
func (s *Store) Entities(ctx context.Context, f EntityFilter) ([]Entity, int64, error) {
	if err := checkSchemas(f.Schemas); err != nil {
		return nil, 0, err
	}
	const where = `
MATCH (e:Entity)
WHERE (size($schemas) = 0 OR e.schema IN $schemas)
  AND ($country IS NULL OR e.country = $country)
  AND ($name IS NULL OR any(a IN e.aliases WHERE toLower(a) CONTAINS $name))`
	var name any
	if f.Name != "" {
		name = strings.ToLower(f.Name)
	}
	params := map[string]any{
		"schemas": orEmpty(f.Schemas), "country": nullable(f.Country), "name": name,
		"skip": max(f.Skip, 0), "limit": clampLimit(f.Limit),
	}
	total, recs, err := s.countAndPage(ctx, where+" RETURN count(e) AS total",
		where+" RETURN e ORDER BY toLower(e.name), e.id SKIP $skip LIMIT $limit", params)
	if err != nil {
		return nil, 0, fmt.Errorf("entities: %w", err)
	}
	var out []Entity
	for _, r := range recs {
		n, _ := r.Get("e")
		out = append(out, entityFromNode(n.(dbtype.Node)))
	}
	return out, total, nil
}

// SearchHit is one full-text match with its score.
type SearchHit struct {
	Entity Entity
	Score  float64
	// Matched is the name or alias the query matched best, for showing
	// why a hit came up ("Сандвайн" matched "Sandvine").
	Matched string
}

// luceneSpecial are the characters Lucene's query parser gives meaning to.
const luceneSpecial = `+-&|!(){}[]^"~*?:\/`

// luceneQuery makes words a literal full-text query: the characters
// Lucene's parser gives meaning to are escaped and the operators AND, OR
// and NOT left out, so nothing in a user's or a source's text becomes
// syntax. Terms match as the index's analyser splits them; nothing is
// fuzzy-matched.
func luceneQuery(words []string) string {
	var terms []string
	for _, w := range words {
		var b strings.Builder
		for _, r := range w {
			if strings.ContainsRune(luceneSpecial, r) {
				b.WriteRune('\\')
			}
			b.WriteRune(r)
		}
		if lower := strings.ToLower(b.String()); lower != "and" && lower != "or" && lower != "not" {
			terms = append(terms, b.String())
		}
	}
	return strings.Join(terms, " ")
}

// searchStopWords are the words the index's analyser (standard-folding)
// leaves out of names; a query word among them would only ever match as a
// prefix of other words.
var searchStopWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields("a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with") {
		searchStopWords[w] = true
	}
}

// TypeAheadQuery is the full-text query Search runs for what a person
// typed: for benchmarks that compare Search with the bare index call.
func TypeAheadQuery(query string) string { return typeAheadQuery(query) }

// typeAheadQuery makes what a person is typing a full-text query that
// forgives what type-ahead must: each word matches itself (weighted
// highest), as a prefix ("sandv"), and, from five letters on, with one
// typo ("sandvne"). A word with letters outside ASCII (Cyrillic, Greek,
// Azerbaijani's ə) is also tried transliterated to Latin with up to two
// edits, since transliterations of one name differ ("Сандвайн" is
// "sandvain", two edits from "sandvine"; "Azərbaycan" is "azerbaycan",
// two from "azerbaijan"). Every word is escaped, so nothing typed becomes
// syntax.
func typeAheadQuery(query string) string {
	var groups []string
	seen := map[string]bool{}
	add := func(w string, edits int) {
		if w == "" || seen[w] || searchStopWords[w] {
			return
		}
		seen[w] = true
		e := luceneQuery([]string{w})
		if e == "" {
			return
		}
		terms := []string{e + "^3"}
		if len([]rune(w)) >= 2 {
			terms = append(terms, e+"*")
		}
		if len([]rune(w)) >= 5 {
			terms = append(terms, fmt.Sprintf("%s~%d", e, edits))
		}
		groups = append(groups, "("+strings.Join(terms, " OR ")+")")
	}
	for _, w := range strings.Fields(strings.ToLower(query)) {
		latin := resolve.Words(w)
		edits := 1
		if strings.ContainsFunc(w, func(r rune) bool { return r > unicode.MaxASCII && unicode.IsLetter(r) }) {
			edits = 2
		}
		if isLatin(w) || len(latin) == 0 {
			for _, part := range strings.FieldsFunc(w, func(r rune) bool { return strings.ContainsRune(luceneSpecial+`'’.,;`, r) }) {
				add(part, 1)
			}
		} else {
			add(w, 1) // as written, for names the index holds in that script
		}
		for _, l := range latin {
			add(l, edits)
			if !isLatin(w) {
				// Transliterations write й and ы as y or as i: "Сандвайн"
				// is "sandvayn" by the table, "sandvain" nearer Sandvine.
				add(strings.ReplaceAll(l, "y", "i"), edits)
			}
		}
	}
	return strings.Join(groups, " OR ")
}

// isLatin says whether a word has no letter outside the Latin script.
func isLatin(w string) bool {
	for _, r := range w {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return false
		}
	}
	return true
}

// Search finds entities by their names and aliases as type-ahead needs:
// whole words, prefixes, one typo, other scripts (typeAheadQuery); best
// first, exact matches ahead.
func (s *Store) Search(ctx context.Context, query string, schemas []string, limit int) ([]SearchHit, error) {
	if err := checkSchemas(schemas); err != nil {
		return nil, err
	}
	q := typeAheadQuery(query)
	if q == "" {
		return nil, nil
	}
	// Without a type filter the index itself returns only the best
	// hits, rather than every entity that shares a word with the query
	// ("Ministry …"); ties at the cut are then broken by the index.
	call, params := "CALL db.index.fulltext.queryNodes('entity_search', $q, {limit: $limit}) YIELD node, score", map[string]any{"q": q, "limit": clampLimit(limit)}
	if len(schemas) > 0 {
		call = "CALL db.index.fulltext.queryNodes('entity_search', $q, {limit: 1000}) YIELD node, score WHERE node.schema IN $schemas"
		params["schemas"] = schemas
	}
	recs, err := s.read(ctx, call+`
RETURN node, score ORDER BY score DESC, node.name LIMIT $limit`, params)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", query, err)
	}
	out := make([]SearchHit, 0, len(recs))
	for _, r := range recs {
		n, _ := r.Get("node")
		sc, _ := r.Get("score")
		e := entityFromNode(n.(dbtype.Node))
		out = append(out, SearchHit{Entity: e, Score: sc.(float64), Matched: bestName(append([]string{e.Name}, e.Aliases...), query)})
	}
	return out, nil
}

// bestName is the name, of an entity's names, whose words are closest to
// the query's: for each query word, the best Jaro-Winkler similarity to a
// word of the name (a prefix of it counting as equal), summed. The
// display name wins ties.
func bestName(names []string, query string) string {
	q := resolve.Words(query)
	best, bestScore := "", -1.0
	for _, n := range names {
		words := resolve.Words(n)
		score := 0.0
		for _, qw := range q {
			top := 0.0
			for _, w := range words {
				sim := resolve.JaroWinkler(qw, w)
				if strings.HasPrefix(w, qw) {
					sim = 1
				}
				top = max(top, sim)
			}
			score += top
		}
		if score > bestScore {
			best, bestScore = n, score
		}
	}
	return best
}

// claimProjection is Cypher that turns the claim c into a map with its
// evidence (each with its document) and its ends (subject, object and
// product), so whoever shows a claim has all of it from one statement.
// Pattern comprehensions expand from c only, never scan.
var claimProjection = claimProjectionWithout()

// claimProjectionWithout leaves the entities in the variables known out of
// the ends: the caller has them already, and a busy entity's claims would
// otherwise carry it once each.
func claimProjectionWithout(known ...string) string {
	where := ""
	if len(known) > 0 {
		where = " WHERE NOT x IN [" + strings.Join(known, ", ") + "]"
	}
	return `{claim: properties(c),
  evidence: [(c)-[ev:EVIDENCED_BY]->(d:Document) | {quote: ev.quote, paraphrase: ev.paraphrase, locator: ev.locator, unchecked: ev.unchecked, doc: properties(d)}],
  ends: [(c)-[:SUBJECT|OBJECT|PRODUCT]->(x:Entity)` + where + ` | x]}`
}

// entityClaims binds claims to the claims of the entity e, oldest first,
// their ends without e: those of a relation in $relations (any when it is
// empty), at most $limit of them. Only the claims kept are projected, so a
// busy entity asked for its first few costs a sort, not its evidence.
var entityClaims = `
CALL (e) {
  MATCH (e)<-[:SUBJECT|OBJECT|PRODUCT]-(c:Claim)
  WHERE size($relations) = 0 OR c.relation IN $relations
  WITH DISTINCT c ORDER BY coalesce(c.start, ''), c.relation, c.id
  LIMIT $limit
  RETURN collect(` + claimProjectionWithout("e") + `) AS claims
}`

// allClaims is entityClaims' $limit for every claim.
const allClaims = math.MaxInt32

// claimsOfEdges binds claims to the claims of the edges in the list rels,
// each once, when $withClaims is set, and to an empty list otherwise. The
// entities in the variables known are left out of the claims' ends.
func claimsOfEdges(rels string, known ...string) string {
	return `
CALL (` + strings.Join(append([]string{rels}, known...), ", ") + `) {
  WITH ` + rels + ` WHERE $withClaims
  UNWIND ` + rels + ` AS r
  UNWIND r.claims AS cid
  WITH DISTINCT cid
  MATCH (c:Claim {id: cid})
  RETURN collect(` + claimProjectionWithout(known...) + `) AS claims
}`
}

// ClaimsOf returns every claim in which the entity is subject, object or
// product, each with its evidence, documents and ends, oldest first.
func (s *Store) ClaimsOf(ctx context.Context, entityID string) ([]Claim, error) {
	_, cs, err := s.entityWithClaims(ctx, entityID, nil, allClaims)
	return cs, err
}

// FirstClaimsOf is ClaimsOf for each of many entities, in one statement:
// the claims of the given relations (any when there are none), at most n
// of each entity's, keyed by the ids asked for.
func (s *Store) FirstClaimsOf(ctx context.Context, ids, relations []string, n int) (map[string][]Claim, error) {
	_, claims, err := s.entitiesWithClaims(ctx, ids, relations, n)
	return claims, err
}

// EntityWithClaims returns an entity and what ClaimsOf returns for it, in
// one statement.
func (s *Store) EntityWithClaims(ctx context.Context, id string) (Entity, []Claim, error) {
	return s.entityWithClaims(ctx, id, nil, allClaims)
}

// EntityWithFirstClaims is EntityWithClaims with at most n claims.
func (s *Store) EntityWithFirstClaims(ctx context.Context, id string, n int) (Entity, []Claim, error) {
	return s.entityWithClaims(ctx, id, nil, n)
}

func (s *Store) entityWithClaims(ctx context.Context, id string, relations []string, limit int) (Entity, []Claim, error) {
	if relations == nil {
		relations = []string{}
	}
	recs, err := s.read(ctx, resolveID("$id", "rid")+`
MATCH (e:Entity {id: rid})`+entityClaims+`
RETURN e, claims`, map[string]any{"id": id, "relations": relations, "limit": limit})
	if err != nil {
		return Entity{}, nil, fmt.Errorf("claims of %s: %w", id, err)
	}
	if len(recs) == 0 {
		return Entity{}, nil, fmt.Errorf("entity %s: %w", id, ErrNotFound)
	}
	n, _ := recs[0].Get("e")
	raw, _ := recs[0].Get("claims")
	e := entityFromNode(n.(dbtype.Node))
	cs := claimsFromList(raw)
	for i := range cs {
		cs[i].Ends = append(cs[i].Ends, e)
	}
	return e, cs, nil
}

// EntitiesWithClaims is EntityWithClaims for many entities in one
// statement, keyed by the ids asked for (merged ids resolve); ids with no
// entity are absent.
func (s *Store) EntitiesWithClaims(ctx context.Context, ids []string) (map[string]Entity, map[string][]Claim, error) {
	return s.entitiesWithClaims(ctx, ids, nil, allClaims)
}

func (s *Store) entitiesWithClaims(ctx context.Context, ids, relations []string, limit int) (map[string]Entity, map[string][]Claim, error) {
	if relations == nil {
		relations = []string{}
	}
	recs, err := s.read(ctx, `
UNWIND $ids AS id
CALL (id) {`+resolveID("id", "rid")+`
  MATCH (e:Entity {id: rid})
  RETURN e
}`+entityClaims+`
RETURN id, e, claims`, map[string]any{"ids": ids, "relations": relations, "limit": limit})
	if err != nil {
		return nil, nil, fmt.Errorf("claims of %d entities: %w", len(ids), err)
	}
	ents, claims := make(map[string]Entity, len(recs)), make(map[string][]Claim, len(recs))
	for _, r := range recs {
		id, _ := r.Get("id")
		n, _ := r.Get("e")
		raw, _ := r.Get("claims")
		e := entityFromNode(n.(dbtype.Node))
		cs := claimsFromList(raw)
		for i := range cs {
			cs[i].Ends = append(cs[i].Ends, e)
		}
		ents[id.(string)], claims[id.(string)] = e, cs
	}
	return ents, claims, nil
}

// ClaimsByID returns claims with their evidence and ends, keyed by id.
func (s *Store) ClaimsByID(ctx context.Context, ids []string) (map[string]Claim, error) {
	recs, err := s.read(ctx, `
UNWIND $ids AS id
MATCH (c:Claim {id: id})
RETURN `+claimProjection+` AS c`, map[string]any{"ids": ids})
	if err != nil {
		return nil, fmt.Errorf("claims by id: %w", err)
	}
	out := map[string]Claim{}
	for _, c := range claimsFromRecords(recs) {
		out[c.ID] = c
	}
	return out, nil
}

func claimsFromRecords(recs []*neo4j.Record) []Claim {
	out := make([]Claim, 0, len(recs))
	for _, r := range recs {
		m, _ := r.Get("c")
		out = append(out, claimFromProjection(m.(map[string]any)))
	}
	return out
}

// claimsFromList reads a list of claimProjection maps.
func claimsFromList(raw any) []Claim {
	list, _ := raw.([]any)
	out := make([]Claim, 0, len(list))
	for _, m := range list {
		out = append(out, claimFromProjection(m.(map[string]any)))
	}
	return out
}

func claimFromProjection(m map[string]any) Claim {
	c := claimFromProps(m["claim"].(map[string]any))
	evs, _ := m["evidence"].([]any)
	for _, raw := range evs {
		ev := raw.(map[string]any)
		doc, _ := ev["doc"].(map[string]any)
		if doc == nil {
			continue
		}
		c.Evidence = append(c.Evidence, Evidence{
			Quote: str(ev, "quote"), Paraphrase: str(ev, "paraphrase"), Locator: str(ev, "locator"), Unchecked: str(ev, "unchecked"),
			Document: documentFromProps(doc),
		})
	}
	sortEvidence(c.Evidence)
	ends, _ := m["ends"].([]any)
	for _, n := range ends {
		c.Ends = append(c.Ends, entityFromNode(n.(dbtype.Node)))
	}
	return c
}

// relTypes turns relation names into a Cypher relationship-type alternation,
// refusing any name not on the allowlist; empty means every relation.
func relTypes(rels []string) (string, error) {
	if len(rels) == 0 {
		rels = records.Relations
	}
	for _, r := range rels {
		if !slices.Contains(records.Relations, r) {
			return "", fmt.Errorf("unknown relation %q (want one of %s)", r, strings.Join(records.Relations, ", "))
		}
	}
	return strings.Join(rels, "|"), nil
}

// Neighbourhood returns the entities within depth hops of id over the direct
// edges (either direction), at most limit of them nearest first, and the
// edges among them.
func (s *Store) Neighbourhood(ctx context.Context, id string, depth, limit int, relations []string) (Subgraph, error) {
	if depth < 1 || depth > MaxNeighbourhoodDepth {
		return Subgraph{}, fmt.Errorf("depth %d: want 1 to %d", depth, MaxNeighbourhoodDepth)
	}
	types, err := relTypes(relations)
	if err != nil {
		return Subgraph{}, err
	}
	// depth is a checked integer; Cypher takes no parameter for it.
	q := resolveID("$id", "rid") + fmt.Sprintf(`
MATCH (start:Entity {id: rid})
OPTIONAL MATCH p = (start)-[:%s*1..%d]-(n:Entity)
WITH start, n, min(length(p)) AS hops
ORDER BY hops, n.name
WITH start, [x IN collect(n) WHERE x IS NOT NULL][0..$limit] AS near
WITH [start] + near AS nodes
UNWIND nodes AS a
OPTIONAL MATCH (a)-[r:%s]->(b:Entity) WHERE b IN nodes
RETURN nodes, collect(DISTINCT {r: r, from: a.id, to: b.id}) AS edges`, types, depth, types)
	recs, err := s.read(ctx, q, map[string]any{"id": id, "limit": clampLimit(limit)})
	if err != nil {
		return Subgraph{}, fmt.Errorf("neighbourhood of %s: %w", id, err)
	}
	if len(recs) == 0 {
		return Subgraph{}, fmt.Errorf("neighbourhood of %s: %w", id, ErrNotFound)
	}
	return subgraphFromRecord(recs[0]), nil
}

func subgraphFromRecord(r *neo4j.Record) Subgraph {
	var g Subgraph
	nodes, _ := r.Get("nodes")
	for _, n := range nodes.([]any) {
		g.Nodes = append(g.Nodes, entityFromNode(n.(dbtype.Node)))
	}
	edges, _ := r.Get("edges")
	for _, raw := range edges.([]any) {
		m := raw.(map[string]any)
		rel, ok := m["r"].(dbtype.Relationship)
		if !ok {
			continue
		}
		g.Edges = append(g.Edges, edgeFromRel(rel, m["from"].(string), m["to"].(string)))
	}
	return g
}

// Path is one route between two entities: its nodes in order, the edge of
// each hop, in the hop's own direction, and the edges' claims when they
// were asked for.
type Path struct {
	Nodes  []Entity
	Edges  []Edge
	Claims []Claim
}

// ShortestPaths returns the first shortest routes (no node twice) of at
// most maxHops between two entities, shortest first, over the given
// relations (either direction), and only over edges at least as strong as
// minStatus when it is set; with the edges' claims when withClaims is set.
// A direct link does not hide a route through an intermediary: Sandvine
// supplied Belarus's NTEC, and also through Jet Infosystems.
func (s *Store) ShortestPaths(ctx context.Context, from, to string, relations []string, maxHops int, minStatus string, withClaims bool, first int) ([]Path, error) {
	if maxHops < 1 || maxHops > MaxPathHops {
		return nil, fmt.Errorf("maxHops %d: want 1 to %d", maxHops, MaxPathHops)
	}
	if first < 1 || first > MaxPaths {
		return nil, fmt.Errorf("first %d: want 1 to %d", first, MaxPaths)
	}
	if minStatus != "" && !slices.Contains(records.Statuses, minStatus) {
		return nil, fmt.Errorf("unknown status %q", minStatus)
	}
	if from == to {
		return nil, fmt.Errorf("paths: from and to are the same entity")
	}
	types, err := relTypes(relations)
	if err != nil {
		return nil, err
	}
	// The status filter is written only when asked for, inside the
	// pattern, so the search itself skips weaker links.
	params := map[string]any{"from": from, "to": to, "withClaims": withClaims, "first": first}
	allowed := ""
	if minStatus != "" {
		allowed = " WHERE r.status IN $allowed"
		params["allowed"] = statusesFrom(minStatus)
	}
	// SHORTEST k finds the k shortest walks, shortest first; a walk that
	// passes a node twice (over two relations between the same pair) is
	// no route, so twice as many are asked for and those dropped. k is a
	// checked integer: Cypher takes no parameter for it.
	q := resolveID("$from", "fromID") + resolveID("$to", "toID") + fmt.Sprintf(`
MATCH (a:Entity {id: fromID}), (b:Entity {id: toID})
WHERE a <> b
MATCH p = SHORTEST %d (a)-[r:%s%s]-{1,%d}(b)
WITH p WHERE all(i IN range(0, size(nodes(p)) - 2) WHERE NOT nodes(p)[i] IN nodes(p)[i+1..])
WITH p ORDER BY length(p) LIMIT $first
WITH p, relationships(p) AS rels`, 2*first, types, allowed, maxHops) + claimsOfEdges("rels") + `
RETURN nodes(p) AS nodes, [r IN rels | {r: r, from: startNode(r).id, to: endNode(r).id}] AS edges, claims`
	recs, err := s.read(ctx, q, params)
	if err != nil {
		return nil, fmt.Errorf("paths %s → %s: %w", from, to, err)
	}
	out := make([]Path, 0, len(recs))
	for _, r := range recs {
		g := subgraphFromRecord(r)
		claims, _ := r.Get("claims")
		out = append(out, Path{Nodes: g.Nodes, Edges: g.Edges, Claims: claimsFromList(claims)})
	}
	return out, nil
}

// Counts returns node counts by label and relationship counts by type.
func (s *Store) Counts(ctx context.Context) (Counts, error) {
	c := Counts{Nodes: map[string]int64{}, Relationships: map[string]int64{}}
	recs, err := s.read(ctx, `
MATCH (n) UNWIND labels(n) AS label RETURN 'node' AS kind, label AS name, count(*) AS n
UNION ALL
MATCH ()-[r]->() RETURN 'rel' AS kind, type(r) AS name, count(*) AS n`, nil)
	if err != nil {
		return c, fmt.Errorf("counts: %w", err)
	}
	for _, r := range recs {
		kind, _ := r.Get("kind")
		name, _ := r.Get("name")
		n, _ := r.Get("n")
		if kind == "node" {
			c.Nodes[name.(string)] = n.(int64)
		} else {
			c.Relationships[name.(string)] = n.(int64)
		}
	}
	return c, nil
}

// VendorsByCountry counts, for each country (ISO code), the vendors a
// source says supplied an entity in it (the country itself, its bodies,
// its companies); a link only denied does not count. For the map of who
// supplied where.
func (s *Store) VendorsByCountry(ctx context.Context) (map[string]int64, error) {
	recs, err := s.read(ctx, `
MATCH (v:Entity)-[r:SUPPLIED]->(b:Entity)
WHERE b.country IS NOT NULL AND r.stance <> 'denies'
RETURN b.country AS country, count(DISTINCT v) AS n`, nil)
	if err != nil {
		return nil, fmt.Errorf("vendors by country: %w", err)
	}
	out := make(map[string]int64, len(recs))
	for _, r := range recs {
		c, _ := r.Get("country")
		n, _ := r.Get("n")
		out[c.(string)] = n.(int64)
	}
	return out, nil
}

// Documents lists documents newest first (by publication date, else
// retrieval), with the total; a page of limit after skip.
func (s *Store) Documents(ctx context.Context, skip, limit int) ([]Document, int64, error) {
	total, recs, err := s.countAndPage(ctx, `MATCH (d:Document) RETURN count(d) AS total`, `
MATCH (d:Document)
WITH d ORDER BY coalesce(d.published, left(d.retrieved, 10), '') DESC, d.id
SKIP $skip LIMIT $limit
RETURN d`, map[string]any{"skip": max(skip, 0), "limit": clampLimit(limit)})
	if err != nil {
		return nil, 0, fmt.Errorf("documents: %w", err)
	}
	out := make([]Document, 0, len(recs))
	for _, r := range recs {
		n, _ := r.Get("d")
		out = append(out, documentFromProps(n.(dbtype.Node).Props))
	}
	return out, total, nil
}

// Transfer is a SUPPLIED edge with both its ends, and its claims when they
// were asked for.
type Transfer struct {
	Supplier Entity
	Buyer    Entity
	Edge     Edge
	Claims   []Claim
}

func transfersFrom(recs []*neo4j.Record) []Transfer {
	out := make([]Transfer, 0, len(recs))
	for _, r := range recs {
		s, _ := r.Get("s")
		b, _ := r.Get("b")
		rel, _ := r.Get("r")
		claims, _ := r.Get("claims")
		t := Transfer{Supplier: entityFromNode(s.(dbtype.Node)), Buyer: entityFromNode(b.(dbtype.Node)), Claims: claimsFromList(claims)}
		t.Edge = edgeFromRel(rel.(dbtype.Relationship), t.Supplier.ID, t.Buyer.ID)
		// The claims' ends leave out the supplier and the buyer, which
		// are every claim's subject and object: read once, not per claim.
		for i := range t.Claims {
			t.Claims[i].Ends = append(t.Claims[i].Ends, t.Supplier, t.Buyer)
		}
		out = append(out, t)
	}
	return out
}

// maxBodyDepth bounds the PART_OF chain walked from a buyer up to the body
// or country asked about (unit → agency → ministry → government → country).
const maxBodyDepth = 5

// targetAndBodies is a subquery yielding as b the buyer target and every
// body PART_OF it, up to maxBodyDepth levels: the buyers whose suppliers
// are the target's.
var targetAndBodies = fmt.Sprintf(`CALL (target) {
    RETURN target AS b
    UNION
    MATCH (b:Entity)-[:PART_OF*1..%d]->(target) RETURN b
  }`, maxBodyDepth)

// Suppliers returns the transfers into a buyer: into the entity itself, into
// every body PART_OF it (up to five levels), and, for a country, into every
// entity located in it; with their claims when withClaims is set. At most
// limit of them, by supplier and buyer name; MaxResults when limit is 0.
//
// A country's transfers come from the supply index in its order, so only
// the first limit of them are read; the bodies under the country that are
// located elsewhere (or nowhere) are added, and the union is cut again.
func (s *Store) Suppliers(ctx context.Context, buyerID string, withClaims bool, limit int) ([]Transfer, error) {
	q := resolveID("$id", "rid") + `
MATCH (target:Entity {id: rid})
CALL (target) {
  MATCH (s:Entity)-[r:SUPPLIED]->(b:Entity)
  WHERE target:Country AND r.buyer_country = target.country AND r.supply_order >= ''
  // Both keys, so the index gives the order and nothing is sorted.
  WITH s, b, r ORDER BY r.buyer_country, r.supply_order LIMIT $limit
  RETURN s, b, r
  UNION
  ` + targetAndBodies + `
  WITH b WHERE NOT (target:Country AND coalesce(b.country, '') = target.country)
  MATCH (s:Entity)-[r:SUPPLIED]->(b)
  RETURN s, b, r
}
WITH s, b, r
ORDER BY r.supply_order
LIMIT $limit
WITH s, b, r, [r] AS rels` + claimsOfEdges("rels", "s", "b") + `
RETURN s, b, r, claims`
	recs, err := s.read(ctx, q, map[string]any{"id": buyerID, "limit": resultLimit(limit), "withClaims": withClaims})
	if err != nil {
		return nil, fmt.Errorf("suppliers of %s: %w", buyerID, err)
	}
	return transfersFrom(recs), nil
}

// Buyers returns the transfers from a vendor, with their claims when
// withClaims is set; at most limit of them, by buyer name (MaxResults when
// limit is 0).
func (s *Store) Buyers(ctx context.Context, vendorID string, withClaims bool, limit int) ([]Transfer, error) {
	recs, err := s.read(ctx, resolveID("$id", "rid")+`
MATCH (s:Entity {id: rid})-[r:SUPPLIED]->(b:Entity)
WITH s, b, r
ORDER BY toLower(b.name)
LIMIT $limit
WITH s, b, r, [r] AS rels`+claimsOfEdges("rels", "s", "b")+`
RETURN s, b, r, claims`, map[string]any{"id": vendorID, "limit": resultLimit(limit), "withClaims": withClaims})
	if err != nil {
		return nil, fmt.Errorf("buyers of %s: %w", vendorID, err)
	}
	return transfersFrom(recs), nil
}

// resultLimit is limit within 1 to MaxResults, MaxResults when unset.
func resultLimit(limit int) int {
	if limit <= 0 || limit > MaxResults {
		return MaxResults
	}
	return limit
}

// countAndPage runs a count and a page of the same selection in one read
// transaction, so the total and the page agree.
func (s *Store) countAndPage(ctx context.Context, countQ, pageQ string, params map[string]any) (int64, []*neo4j.Record, error) {
	type result struct {
		total int64
		recs  []*neo4j.Record
	}
	out, err := guarded(s, ctx, func(ctx context.Context) (result, error) {
		sess := s.session(ctx, neo4j.AccessModeRead)
		defer sess.Close(context.Background())
		return neo4j.ExecuteRead(ctx, sess, func(tx neo4j.ManagedTransaction) (result, error) {
			c, err := s.run(ctx, tx, countQ, params)
			if err != nil {
				return result{}, err
			}
			total, _ := c[0].Get("total")
			recs, err := s.run(ctx, tx, pageQ, params)
			return result{total.(int64), recs}, err
		})
	})
	return out.total, out.recs, err
}

// ClaimFilter selects claims; empty fields select everything.
type ClaimFilter struct {
	Relations []string
	// MinStatus keeps claims at least this strong (records.StatusRank).
	MinStatus string
	Stance    string
	Subject   string
	Object    string
	// Country keeps claims whose subject or object is in this country.
	Country string
	// From and To keep claims whose dates overlap [From, To]; a claim
	// without dates is kept only when neither is set.
	From, To      string
	MinConfidence float64
	// Publisher matches, case-insensitively, part of an evidence
	// document's publisher.
	Publisher string
	// Contested keeps claims that are disputed, or whose link sources
	// both assert and deny (its edge is contested): an editor's queue.
	Contested bool
	// AsOf, a moment from ParseAsOf, reads the claims as the graph held
	// them then: those loaded by then, each with the review in force
	// then (which MinStatus applies to) and its parties' names then.
	AsOf string
	// Order is "start" (default), "start_desc" or "confidence_desc".
	Order string
	Skip  int
	Limit int
}

var claimOrders = map[string]string{
	"":                "coalesce(c.start, '') ASC, c.id",
	"start":           "coalesce(c.start, '') ASC, c.id",
	"start_desc":      "coalesce(c.start, '') DESC, c.id",
	"confidence_desc": "c.confidence DESC, c.id",
}

// Claims lists claims with their evidence by filter, with the total that
// match.
func (s *Store) Claims(ctx context.Context, f ClaimFilter) ([]Claim, int64, error) {
	order, ok := claimOrders[f.Order]
	if !ok {
		return nil, 0, fmt.Errorf("unknown claim order %q", f.Order)
	}
	if _, err := relTypes(f.Relations); err != nil {
		return nil, 0, err
	}
	var statuses any
	if f.MinStatus != "" {
		if !slices.Contains(records.Statuses, f.MinStatus) {
			return nil, 0, fmt.Errorf("unknown status %q", f.MinStatus)
		}
		statuses = statusesFrom(f.MinStatus)
	}
	var publisher any
	if f.Publisher != "" {
		publisher = strings.ToLower(f.Publisher)
	}
	// Read as of a moment, a claim must have been loaded by then, and its
	// status is the one then; the predicates are written only when asked
	// for, so an ordinary list pays for no subquery.
	status, asOfOnly := "c.status", ""
	if f.AsOf != "" {
		status, asOfOnly = statusAsOf, "\n  AND "+loadedBy
	}
	where := resolveID("$subject", "subject") + resolveID("$object", "object") + `
MATCH (c:Claim)
WHERE (size($relations) = 0 OR c.relation IN $relations)
  AND ($statuses IS NULL OR ` + status + ` IN $statuses)` + asOfOnly + `
  AND ($stance IS NULL OR c.stance = $stance)
  AND (subject IS NULL OR c.subject = subject)
  AND (object IS NULL OR c.object = object)
  AND c.confidence >= $minConfidence
  AND ($from IS NULL OR coalesce(c.end, c.start) >= $from)
  AND ($to IS NULL OR c.start <= $to)
  AND ($country IS NULL OR EXISTS { (c)-[:SUBJECT|OBJECT]->(e:Entity) WHERE e.country = $country OR e.id = 'country:' + $country })
  AND ($publisher IS NULL OR EXISTS { (c)-[:EVIDENCED_BY]->(d:Document) WHERE toLower(d.publisher) CONTAINS $publisher })
  AND (NOT $contested OR c.status = 'disputed' OR
       EXISTS { MATCH (c)-[:SUBJECT]->(:Entity)-[e]->(:Entity)<-[:OBJECT]-(c) WHERE type(e) = c.relation AND e.contested })`
	params := map[string]any{
		"relations": orEmpty(f.Relations), "statuses": statuses, "stance": nullable(f.Stance),
		"subject": nullable(f.Subject), "object": nullable(f.Object), "minConfidence": f.MinConfidence,
		"from": nullable(f.From), "to": nullable(f.To), "country": nullable(f.Country), "publisher": publisher,
		"contested": f.Contested, "skip": max(f.Skip, 0), "limit": clampLimit(f.Limit),
		"asOf": nullable(f.AsOf),
	}
	total, recs, err := s.countAndPage(ctx, where+" RETURN count(c) AS total", where+`
WITH c ORDER BY `+order+` SKIP $skip LIMIT $limit
RETURN `+claimProjection+` AS c`, params)
	if err != nil {
		return nil, 0, fmt.Errorf("claims: %w", err)
	}
	cs := claimsFromRecords(recs)
	if f.AsOf != "" {
		if cs, err = s.claimsAsOf(ctx, f.AsOf, cs); err != nil {
			return nil, 0, err
		}
	}
	return cs, total, nil
}

// statusesFrom lists the statuses at least as strong as min, so the rank
// order lives in records.StatusRank only.
func statusesFrom(min string) []string {
	var ok []string
	for _, st := range records.Statuses {
		if records.StatusRank(st) >= records.StatusRank(min) {
			ok = append(ok, st)
		}
	}
	return ok
}

// DocumentsByID returns documents keyed by id; ids with no document are
// absent from the map.
func (s *Store) DocumentsByID(ctx context.Context, ids []string) (map[string]Document, error) {
	recs, err := s.read(ctx, `
UNWIND $ids AS id
MATCH (d:Document {id: id})
RETURN properties(d) AS d`, map[string]any{"ids": ids})
	if err != nil {
		return nil, fmt.Errorf("documents by id: %w", err)
	}
	out := make(map[string]Document, len(recs))
	for _, r := range recs {
		m, _ := r.Get("d")
		d := documentFromProps(m.(map[string]any))
		out[d.ID] = d
	}
	return out, nil
}
