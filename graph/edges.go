package graph

import (
	"context"
	"fmt"
	"slices"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/exportwatch/exportwatch/records"
)

// The direct relationships ((a)-[:SUPPLIED]->(b) and the rest) are derived
// state: each is rebuilt from its claims in the transaction that writes them,
// so an edge is never out of step with its evidence, even after a crash.

// edgeKey names one direct relationship: relation, subject, object, and the
// pair key that its claims carry.
type edgeKey struct {
	rel, s, o, pair string
}

// PairKey names the (relation, subject, object) triple of one direct edge;
// every claim of the edge carries it, and the claim_pair index finds them
// all with one seek. The subject is length-prefixed so no two triples
// share a key. The loader uses it too, to know the pairs it has written.
func PairKey(relation, subject, object string) string {
	return fmt.Sprintf("%s|%d:%s|%s", relation, len(subject), subject, object)
}

// pairKey is the pair key of a claim's triple.
func pairKey(c records.Claim) string { return PairKey(c.Relation, c.Subject, c.Object) }

// edgeClaim is what an edge needs to know of each of its claims.
type edgeClaim struct {
	ID, Stance, Status, Start, End, Stage, Product string
	Confidence                                     float64
}

// edgeProps aggregates the live claims of one edge: their ids, the strongest
// status and highest confidence of the asserting claims (of the denials when
// nothing asserts), whether a denial contests an assertion, the date span,
// and the stages and products asserted. ok is false when no claim is live
// and the edge must go.
func edgeProps(claims []edgeClaim) (props map[string]any, ok bool) {
	var live, pro, con []edgeClaim
	for _, c := range claims {
		if c.Status == records.StatusRetracted {
			continue
		}
		live = append(live, c)
		if c.Stance == records.StanceDenies {
			con = append(con, c)
		} else {
			pro = append(pro, c)
		}
	}
	if len(live) == 0 {
		return nil, false
	}
	slices.SortFunc(live, func(a, b edgeClaim) int { return compareStrings(a.ID, b.ID) })
	lead, stance := pro, records.StanceAsserts
	switch {
	case len(pro) > 0 && len(con) > 0:
		stance = "contested"
	case len(pro) == 0:
		lead, stance = con, records.StanceDenies
	}
	ids := make([]string, len(live))
	var first, last string
	for i, c := range live {
		ids[i] = c.ID
		if c.Start != "" && (first == "" || c.Start < first) {
			first = c.Start
		}
		end := c.End
		if end == "" {
			end = c.Start
		}
		if end != "" && end > last {
			last = end
		}
	}
	status, confidence := "", 0.0
	for _, c := range lead {
		if status == "" || records.StatusRank(c.Status) > records.StatusRank(status) {
			status = c.Status
		}
		confidence = max(confidence, c.Confidence)
	}
	stages, products := []string{}, []string{}
	for _, c := range pro {
		if c.Stage != "" && !slices.Contains(stages, c.Stage) {
			stages = append(stages, c.Stage)
		}
		if c.Product != "" && !slices.Contains(products, c.Product) {
			products = append(products, c.Product)
		}
	}
	slices.Sort(stages)
	slices.Sort(products)
	props = map[string]any{
		"claims": ids, "status": status, "confidence": confidence, "stance": stance,
		"contested": stance == "contested", "stages": stages, "products": products,
	}
	if first != "" {
		props["first"] = first
	}
	if last != "" {
		props["last"] = last
	}
	return props, true
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

const edgeClaims = `
UNWIND $pairs AS pair
MATCH (c:Claim {pair: pair})
RETURN pair, collect({id: c.id, stance: c.stance, status: c.status, confidence: c.confidence,
                      start: c.start, end: c.end, stage: c.stage, product: c.product}) AS claims`

// The suppliers of a country are read from an index on the SUPPLIED
// edges, not by gathering every transfer into everything located in the
// country and sorting them all: each SUPPLIED edge carries its buyer's
// country and the key the lists of transfers sort by. Both come from the
// edge's ends, so every statement that writes a SUPPLIED edge sets them
// (supplyIndexSet), every change of an entity's name or country refreshes
// its edges' (refreshSupplyIndex), and Check finds any out of step.

// supplyOrder is the key transfers sort by: the supplier's name, then the
// buyer's, without case. The separator sorts below any character of a
// name, so the one string sorts as the pair of names does.
func supplyOrder(s, b string) string {
	return "toLower(coalesce(" + s + ".name, '')) + '\\u0001' + toLower(coalesce(" + b + ".name, ''))"
}

// supplyIndexSet is the SET items that write the supply index of the
// SUPPLIED edge r from s to b.
func supplyIndexSet(r, s, b string) string {
	return r + ".buyer_country = " + b + ".country, " + r + ".supply_order = " + supplyOrder(s, b)
}

// supplyIndexWhen is supplyIndexSet for a new edge whose relation is the
// value rel: on any other edge than SUPPLIED it sets nothing.
func supplyIndexWhen(rel, r, s, b string) string {
	when := "CASE WHEN " + rel + " = '" + records.RelSupplied + "' THEN "
	return r + ".buyer_country = " + when + b + ".country END, " + r + ".supply_order = " + when + supplyOrder(s, b) + " END"
}

// refreshSupplyIndex rewrites the supply index of every SUPPLIED edge of
// the entities $ids, after their names or countries changed.
var refreshSupplyIndex = `
UNWIND $ids AS id
MATCH (:Entity {id: id})-[r:SUPPLIED]-(:Entity)
WITH DISTINCT r
MATCH (s:Entity)-[r]->(b:Entity)
SET ` + supplyIndexSet("r", "s", "b")

// refreshSupplyIndexOf runs refreshSupplyIndex in tx.
func (s *Store) refreshSupplyIndexOf(ctx context.Context, tx neo4j.ManagedTransaction, ids ...string) error {
	if _, err := s.run(ctx, tx, refreshSupplyIndex, map[string]any{"ids": ids}); err != nil {
		return fmt.Errorf("refresh the supply index of %v: %w", ids, err)
	}
	return nil
}

// createEdges creates new edges of every relation in one statement. CREATE
// needs no lookup, so a dynamic type costs nothing here; the types come from
// records.Relations, checked before the claims were written.
var createEdges = `
UNWIND $edges AS e
MATCH (s:Entity {id: e.s})
MATCH (o:Entity {id: e.o})
CREATE (s)-[r:$(e.rel)]->(o)
SET r = e.props, ` + supplyIndexWhen("e.rel", "r", "s", "o")

// updateEdges updates (or, without props, deletes) existing edges of one
// relation. MERGE between two bound nodes with a static type plans as an
// expand between them whatever the statistics say; an OPTIONAL MATCH or a
// dynamic $(type) there is planned as a scan of every relationship while
// the graph is young, and plans are cached as it grows.
func updateEdges(rel string) string {
	return `
UNWIND $edges AS e
MATCH (s:Entity {id: e.s})
MATCH (o:Entity {id: e.o})
MERGE (s)-[r:` + rel + `]->(o)
SET r = coalesce(e.props, {})` + supplyIndexOf(rel, "r", "s", "o") + `
WITH r, e WHERE e.props IS NULL
DELETE r`
}

// supplyIndexOf sets the supply index after the edge r from s to b, of
// relation rel, is written: a SET clause for SUPPLIED, nothing for the
// others.
func supplyIndexOf(rel, r, s, b string) string {
	if rel != records.RelSupplied {
		return ""
	}
	return "\nSET " + supplyIndexSet(r, s, b)
}

// rebuildEdges locks the ends of every touched edge (lockEnds), so that it
// reads every claim another writer of the pair has committed, then
// rebuilds the edges (rebuildLockedEdges), in the caller's transaction.
func (s *Store) rebuildEdges(ctx context.Context, tx neo4j.ManagedTransaction, keys []edgeKey, fresh map[string]bool) error {
	ends := make([]string, 0, 2*len(keys))
	for _, k := range keys {
		ends = append(ends, k.s, k.o)
	}
	if err := s.lockEnds(ctx, tx, ends); err != nil {
		return err
	}
	return s.rebuildLockedEdges(ctx, tx, keys, fresh)
}

// rebuildLockedEdges reads the claims of every touched edge and writes
// each edge, or deletes it when no live claim is left, in the caller's
// transaction, which holds the locks of the edges' ends.
// fresh holds the ids of claims this transaction created: an edge whose
// claims are all fresh cannot exist yet (an edge exists exactly while a
// live claim of its pair does), so it is created without a lookup.
func (s *Store) rebuildLockedEdges(ctx context.Context, tx neo4j.ManagedTransaction, keys []edgeKey, fresh map[string]bool) error {
	pairs := make([]string, len(keys))
	for i, k := range keys {
		pairs[i] = k.pair
	}
	recs, err := s.run(ctx, tx, edgeClaims, map[string]any{"pairs": pairs})
	if err != nil {
		return fmt.Errorf("read edge claims: %w", err)
	}
	byPair := make(map[string][]edgeClaim, len(recs))
	for _, r := range recs {
		pair, _ := r.Get("pair")
		raw, _ := r.Get("claims")
		list := raw.([]any)
		cs := make([]edgeClaim, len(list))
		for i, x := range list {
			m := x.(map[string]any)
			cs[i] = edgeClaim{ID: str(m, "id"), Stance: str(m, "stance"), Status: str(m, "status"), Start: str(m, "start"),
				End: str(m, "end"), Stage: str(m, "stage"), Product: str(m, "product")}
			cs[i].Confidence, _ = m["confidence"].(float64)
		}
		byPair[pair.(string)] = cs
	}
	var created []map[string]any
	updated := map[string][]map[string]any{}
	for _, k := range keys {
		cs := byPair[k.pair]
		e := map[string]any{"s": k.s, "o": k.o, "rel": k.rel}
		props, live := edgeProps(cs)
		if live {
			e["props"] = props
		}
		allFresh := true
		for _, c := range cs {
			allFresh = allFresh && fresh[c.ID]
		}
		if live && allFresh {
			created = append(created, e)
		} else {
			updated[k.rel] = append(updated[k.rel], e)
		}
	}
	if len(created) > 0 {
		if _, err := s.run(ctx, tx, createEdges, map[string]any{"edges": created}); err != nil {
			return fmt.Errorf("create edges: %w", err)
		}
	}
	for _, rel := range records.Relations {
		if edges := updated[rel]; len(edges) > 0 {
			if _, err := s.run(ctx, tx, updateEdges(rel), map[string]any{"edges": edges}); err != nil {
				return fmt.Errorf("update %s edges: %w", rel, err)
			}
		}
	}
	return nil
}
