package graphbench

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/exportwatch/exportwatch/records"
)

// Query is one of the API benchmark's hand-written baselines: the answer a
// GraphQL query gives, fetched with one Cypher statement through the driver.
type Query struct {
	Name   string
	Cypher string
	Params map[string]any
}

// SearchBaseline is the bare index call behind a search: q is the
// full-text query the API builds (graph.TypeAheadQuery).
func SearchBaseline(name, q string) Query {
	return Query{name, `CALL db.index.fulltext.queryNodes('entity_search', $q, {limit: 10}) YIELD node, score
RETURN node.id, node.name, node.aliases, score`, map[string]any{"q": q}}
}

// APIBaselines returns hand-written Cypher for the six representative
// queries of the API benchmark, each asking for what its GraphQL twin asks
// (with the API's default pages: an entity's first 100 claims, 100 edges,
// an edge's first 20 claims).
// search is the full-text query the API builds for what was typed.
func APIBaselines(search, entity, country, vendor, ministry string) []Query {
	rels := strings.Join(records.Relations, "|")
	return []Query{
		SearchBaseline("search", search),
		{"entity with claims and evidence", `MATCH (e:Entity {id: $id})
OPTIONAL MATCH (e)<-[:SUBJECT|OBJECT]-(c:Claim)
WITH e, c ORDER BY coalesce(c.start, ''), c.relation, c.id LIMIT 100
OPTIONAL MATCH (c)-[ev:EVIDENCED_BY]->(d:Document)
OPTIONAL MATCH (c)-[:SUBJECT]->(s:Entity)
OPTIONAL MATCH (c)-[:OBJECT]->(o:Entity)
RETURN e.name, c.relation, c.status, s.name, o.name, ev.quote, d.url, d.publisher`, map[string]any{"id": entity}},
		// Read from the supply index in its order, as a person who knows
		// the schema would write it (without: every transfer into the
		// country sorted, three times slower at 100k entities).
		{"suppliers of a country", `MATCH (s:Entity)-[r:SUPPLIED]->(b:Entity)
WHERE r.buyer_country = $c AND r.supply_order >= ''
WITH s, b, r ORDER BY r.buyer_country, r.supply_order LIMIT 100
UNWIND r.claims[..20] AS cid
MATCH (c:Claim {id: cid})-[ev:EVIDENCED_BY]->(d:Document)
RETURN s.name, b.name, r.status, c.id, ev.quote, d.url`, map[string]any{"c": country}},
		{"buyers of a vendor", `MATCH (s:Entity {id: $id})-[r:SUPPLIED]->(b:Entity)
WITH b, r ORDER BY toLower(b.name) LIMIT 100
UNWIND r.claims[..20] AS cid
MATCH (c:Claim {id: cid})-[ev:EVIDENCED_BY]->(d:Document)
RETURN b.name, r.status, c.id, ev.quote, d.url`, map[string]any{"id": vendor}},
		{"paths vendor to ministry (4 hops)", `MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
MATCH p = SHORTEST 10 (a)-[:` + rels + `]-{1,4}(b)
WITH p WHERE all(i IN range(0, size(nodes(p)) - 2) WHERE NOT nodes(p)[i] IN nodes(p)[i+1..])
WITH p ORDER BY length(p) LIMIT 5
UNWIND relationships(p) AS r
UNWIND r.claims[..20] AS cid
MATCH (c:Claim {id: cid})-[ev:EVIDENCED_BY]->(d:Document)
RETURN [n IN nodes(p) | n.name], type(r), c.id, ev.quote, d.url`, map[string]any{"from": vendor, "to": ministry}},
		NeighbourhoodBaseline(vendor, 2),
	}
}

// SuppliersOfBaseline is the Cypher twin of SuppliersQuery for an entity
// (not a country): the transfers into it and into every body under it
// (PART_OF, up to five levels, as the API walks), the first 100 by
// supplier and buyer name, each with its first 20 claims.
func SuppliersOfBaseline(buyer string) Query {
	return Query{"suppliers of a buyer", `MATCH (t:Entity {id: $id})
CALL (t) {
  RETURN t AS b
  UNION
  MATCH (b:Entity)-[:PART_OF*1..5]->(t) RETURN b
}
MATCH (s:Entity)-[r:SUPPLIED]->(b)
WITH s, b, r ORDER BY toLower(s.name), toLower(b.name) LIMIT 100
UNWIND r.claims[..20] AS cid
MATCH (c:Claim {id: cid})-[ev:EVIDENCED_BY]->(d:Document)
RETURN s.name, b.name, r.status, c.id, ev.quote, d.url`, map[string]any{"id": buyer}}
}

// NeighbourhoodBaseline is the Cypher twin of NeighbourhoodQuery. It
// follows the direct edges only, as the API does, not the links from
// claims to their entities.
func NeighbourhoodBaseline(id string, depth int) Query {
	rels := strings.Join(records.Relations, "|")
	// depth is an int: Cypher takes no parameter for a path's length.
	return Query{fmt.Sprintf("neighbourhood depth %d", depth), fmt.Sprintf(`MATCH (start:Entity {id: $id})
OPTIONAL MATCH p = (start)-[:%[1]s*1..%[2]d]-(n:Entity)
WITH start, n, min(length(p)) AS hops ORDER BY hops, n.name LIMIT 50
WITH start, collect(n) AS near
WITH [start] + near AS nodes
UNWIND nodes AS a
OPTIONAL MATCH (a)-[r:%[1]s]->(b:Entity) WHERE b IN nodes
RETURN a.id, a.name, type(r), b.id, r.status`, rels, depth), map[string]any{"id": id}}
}

// Run runs a baseline in a read transaction and reads every record.
func Run(ctx context.Context, driver neo4j.DriverWithContext, q Query) ([]*neo4j.Record, error) {
	sess := driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: neo4j.AccessModeRead})
	defer sess.Close(ctx)
	recs, err := neo4j.ExecuteRead(ctx, sess, func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		res, err := tx.Run(ctx, q.Cypher, q.Params)
		if err != nil {
			return nil, err
		}
		return res.Collect(ctx)
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", q.Name, err)
	}
	return recs, nil
}

// FarEntity returns an entity of the given schema that is exactly hops
// direct edges away from the entity from (and no nearer), the first by id,
// so the paths benchmark measures a route that exists.
func FarEntity(ctx context.Context, driver neo4j.DriverWithContext, from, schema string, hops int) (string, error) {
	if !slices.Contains(records.Schemas, schema) || hops < 2 || hops > 4 {
		return "", fmt.Errorf("far entity: schema %q, hops %d", schema, hops)
	}
	rels := strings.Join(records.Relations, "|")
	q := fmt.Sprintf(`
MATCH (a:Entity {id: $from})-[:%[1]s*%[2]d]-(m:%[3]s)
WHERE NOT EXISTS { (a)-[:%[1]s*..%[4]d]-(m) }
RETURN m.id AS id ORDER BY id LIMIT 1`, rels, hops, schema, hops-1)
	out, err := Run(ctx, driver, Query{Name: "far entity", Cypher: q, Params: map[string]any{"from": from}})
	if err != nil {
		return "", err
	}
	if len(out) == 0 {
		return "", fmt.Errorf("no %s %d hops from %s", schema, hops, from)
	}
	return out[0].Values[0].(string), nil
}
