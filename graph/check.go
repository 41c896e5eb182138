package graph

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/exportwatch/exportwatch/records"
)

// Problem is one broken invariant of the graph, as Check finds it.
type Problem struct {
	// Kind names the invariant: "duplicate edges", "edge out of step",
	// "missing edge", "edge without live claims", "supply index out of
	// step", "claim without ends", "claim without evidence" or "claim with
	// a wrong pair".
	Kind   string
	Detail string
	// edge is the direct edge to rebuild, when Repair can mend it.
	edge *edgeKey
}

func (p Problem) String() string { return p.Kind + ": " + p.Detail }

// Repairable says whether Repair mends the problem: edges are rebuilt from
// their claims; a claim without its ends or evidence, or with a pair key
// that is not its ends', needs a person.
func (p Problem) Repairable() bool { return p.edge != nil }

// pairClaims reads every claim with its ends, as the edges are derived
// from: the ends by their links, not by the properties that copy them.
const pairClaims = `
MATCH (c:Claim)-[:SUBJECT]->(s:Entity)
MATCH (c)-[:OBJECT]->(o:Entity)
RETURN c.id AS id, c.pair AS pair, c.relation AS rel, s.id AS s, o.id AS o, c.stance AS stance, c.status AS status,
       c.confidence AS confidence, c.start AS start, c.end AS end, c.stage AS stage, c.product AS product`

// directEdges reads every direct edge, and whether a SUPPLIED edge's
// supply index agrees with its ends.
var directEdges = `
MATCH (s:Entity)-[r]->(o:Entity)
WHERE type(r) IN $relations
RETURN s.id AS s, type(r) AS rel, o.id AS o, properties(r) AS props,
       type(r) <> '` + records.RelSupplied + `' OR r.supply_order = ` + supplyOrder("s", "o") + ` AND coalesce(r.buyer_country, '') = coalesce(o.country, '') AS indexed`

// incompleteClaims finds claims that lack a subject, an object or
// evidence.
const incompleteClaims = `
MATCH (c:Claim)
WITH c, EXISTS { (c)-[:SUBJECT]->(:Entity) } AS hasSubject, EXISTS { (c)-[:OBJECT]->(:Entity) } AS hasObject,
     EXISTS { (c)-[:EVIDENCED_BY]->(:Document) } AS hasEvidence
WHERE NOT (hasSubject AND hasObject AND hasEvidence)
RETURN c.id AS id, hasSubject, hasObject, hasEvidence
ORDER BY id`

// Check verifies the graph's invariants: one direct edge per (relation,
// subject, object) with a live claim and none without; each edge's claim
// list, status, confidence, stance, dates, stages and products derived
// from the live claims of its pair; every claim with a subject, an object
// and evidence, and the pair key of its ends. It reads the whole graph in
// one read transaction, so it sees one consistent state.
func (s *Store) Check(ctx context.Context) ([]Problem, error) {
	sess := s.session(ctx, neo4j.AccessModeRead)
	defer sess.Close(context.Background())
	out, err := neo4j.ExecuteRead(ctx, sess, func(tx neo4j.ManagedTransaction) ([]Problem, error) {
		return s.checkTx(ctx, tx)
	})
	if err != nil {
		return nil, s.wrap(fmt.Errorf("check: %w", err))
	}
	return out, nil
}

func (s *Store) checkTx(ctx context.Context, tx neo4j.ManagedTransaction) ([]Problem, error) {
	var problems []Problem
	recs, err := s.run(ctx, tx, incompleteClaims, nil)
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		id, _ := r.Get("id")
		hasS, _ := r.Get("hasSubject")
		hasO, _ := r.Get("hasObject")
		hasE, _ := r.Get("hasEvidence")
		if !hasS.(bool) || !hasO.(bool) {
			problems = append(problems, Problem{Kind: "claim without ends", Detail: fmt.Sprintf("claim %v has no subject or no object", id)})
		}
		if !hasE.(bool) {
			problems = append(problems, Problem{Kind: "claim without evidence", Detail: fmt.Sprintf("claim %v cites no document", id)})
		}
	}

	recs, err = s.run(ctx, tx, pairClaims, nil)
	if err != nil {
		return nil, err
	}
	claims := map[edgeKey][]edgeClaim{}
	for _, r := range recs {
		m := r.AsMap()
		k := edgeKey{rel: str(m, "rel"), s: str(m, "s"), o: str(m, "o")}
		k.pair = PairKey(k.rel, k.s, k.o)
		if got := str(m, "pair"); got != k.pair {
			problems = append(problems, Problem{Kind: "claim with a wrong pair", Detail: fmt.Sprintf("claim %s links %s -%s-> %s but carries the pair %q",
				str(m, "id"), k.s, k.rel, k.o, got)})
		}
		c := edgeClaim{ID: str(m, "id"), Stance: str(m, "stance"), Status: str(m, "status"), Start: str(m, "start"),
			End: str(m, "end"), Stage: str(m, "stage"), Product: str(m, "product")}
		c.Confidence, _ = m["confidence"].(float64)
		claims[k] = append(claims[k], c)
	}

	recs, err = s.run(ctx, tx, directEdges, map[string]any{"relations": records.Relations})
	if err != nil {
		return nil, err
	}
	edges := map[edgeKey][]map[string]any{}
	for _, r := range recs {
		m := r.AsMap()
		k := edgeKey{rel: str(m, "rel"), s: str(m, "s"), o: str(m, "o")}
		k.pair = PairKey(k.rel, k.s, k.o)
		props, _ := m["props"].(map[string]any)
		if indexed, _ := m["indexed"].(bool); !indexed {
			problems = append(problems, Problem{Kind: "supply index out of step", Detail: fmt.Sprintf("%s -%s-> %s carries the buyer country %q and the order %q, which its ends do not give",
				k.s, k.rel, k.o, str(props, "buyer_country"), str(props, "supply_order")), edge: &k})
		}
		if k.rel == records.RelSupplied {
			// The supply index comes from the ends, not the claims.
			delete(props, "buyer_country")
			delete(props, "supply_order")
		}
		edges[k] = append(edges[k], props)
	}

	keys := make([]edgeKey, 0, len(claims)+len(edges))
	for k := range claims {
		keys = append(keys, k)
	}
	for k := range edges {
		if _, ok := claims[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b edgeKey) int { return cmp.Compare(a.pair, b.pair) })
	for _, k := range keys {
		want, live := edgeProps(claims[k])
		have := edges[k]
		where := fmt.Sprintf("%s -%s-> %s", k.s, k.rel, k.o)
		switch {
		case len(have) > 1:
			problems = append(problems, Problem{Kind: "duplicate edges", Detail: fmt.Sprintf("%s has %d edges", where, len(have)), edge: &k})
		case live && len(have) == 0:
			problems = append(problems, Problem{Kind: "missing edge", Detail: where + " has live claims and no edge", edge: &k})
		case !live && len(have) == 1:
			problems = append(problems, Problem{Kind: "edge without live claims", Detail: where + " has an edge and no live claim", edge: &k})
		case live && !sameProps(want, have[0]):
			problems = append(problems, Problem{Kind: "edge out of step", Detail: fmt.Sprintf("%s carries %s; its claims give %s",
				where, propsText(have[0]), propsText(want)), edge: &k})
		}
	}
	return problems, nil
}

// sameProps compares an edge's stored properties with those derived from
// its claims, as JSON: lists come back from Neo4j as []any.
func sameProps(want, have map[string]any) bool { return propsText(want) == propsText(have) }

func propsText(props map[string]any) string {
	b, err := json.Marshal(props) // map keys are sorted
	if err != nil {
		return fmt.Sprint(props)
	}
	return string(b)
}

// deleteEdges deletes every direct edge of one relation between two
// entities, before Repair rebuilds the one that should be there.
const deleteEdges = `
UNWIND $edges AS e
MATCH (s:Entity {id: e.s})-[r]->(o:Entity {id: e.o})
WHERE type(r) = e.rel
DELETE r`

// Repair rebuilds, from their claims, the edges of the problems it can
// mend (those Repairable says so of), each pair with its ends locked as a
// writer locks them (rebuildEdges); it returns how many pairs it rebuilt.
// Claims are never changed.
func (s *Store) Repair(ctx context.Context, problems []Problem) (int, error) {
	seen := map[edgeKey]bool{}
	var keys []edgeKey
	for _, p := range problems {
		if p.edge != nil && !seen[*p.edge] {
			seen[*p.edge] = true
			keys = append(keys, *p.edge)
		}
	}
	for batch := range slices.Chunk(keys, 500) {
		_, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			rows := make([]map[string]any, len(batch))
			for i, k := range batch {
				rows[i] = map[string]any{"s": k.s, "o": k.o, "rel": k.rel}
			}
			if _, err := s.run(ctx, tx, deleteEdges, map[string]any{"edges": rows}); err != nil {
				return nil, fmt.Errorf("delete edges: %w", err)
			}
			if err := s.rebuildEdges(ctx, tx, batch, nil); err != nil {
				return nil, err
			}
			return nil, s.upkept(ctx, tx)
		})
		if err != nil {
			return 0, fmt.Errorf("repair: %w", err)
		}
	}
	return len(keys), nil
}
