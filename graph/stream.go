package graph

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/exportwatch/exportwatch/records"
)

// The Each… functions stream the graph, or the part of it a Region names,
// one record at a time to a callback: an export of a million claims holds
// one claim in memory, not a million. They run as auto-commit queries,
// never retried: a retry would hand the callback records it has already
// written. A callback's error stops the stream and is returned.

// MaxRegionDepth bounds Region: four hops from a busy vendor already reach
// most of a graph.
const MaxRegionDepth = 4

// Region returns the ids of the entities within depth hops of id over the
// direct edges, in either direction, id (resolved through merges) first.
func (s *Store) Region(ctx context.Context, id string, depth int) ([]string, error) {
	if depth < 0 || depth > MaxRegionDepth {
		return nil, fmt.Errorf("depth %d: want 0 to %d", depth, MaxRegionDepth)
	}
	types, err := relTypes(nil)
	if err != nil {
		return nil, err
	}
	q := resolveID("$id", "rid") + `
MATCH (start:Entity {id: rid})
RETURN start.id AS id, [] AS near`
	if depth > 0 {
		// depth is a checked integer; Cypher takes no parameter for it.
		q = resolveID("$id", "rid") + fmt.Sprintf(`
MATCH (start:Entity {id: rid})
OPTIONAL MATCH (start)-[:%s*1..%d]-(n:Entity)
RETURN start.id AS id, collect(DISTINCT n.id) AS near`, types, depth)
	}
	recs, err := s.read(ctx, q, map[string]any{"id": id})
	if err != nil {
		return nil, fmt.Errorf("region of %s: %w", id, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("region of %s: %w", id, ErrNotFound)
	}
	start, _ := recs[0].Get("id")
	out := []string{start.(string)}
	near, _ := recs[0].Get("near")
	for _, n := range near.([]any) {
		if n != start {
			out = append(out, n.(string))
		}
	}
	return out, nil
}

// stream runs one auto-commit query and hands each record to fn as the
// driver fetches them.
func (s *Store) stream(ctx context.Context, cypher string, params map[string]any, fn func(*neo4j.Record) error) error {
	_, err := guarded(s, ctx, func(ctx context.Context) (struct{}, error) {
		sess := s.session(ctx, neo4j.AccessModeRead)
		defer sess.Close(context.Background())
		start := time.Now()
		s.queries.Add(1)
		res, err := sess.Run(ctx, cypher, params)
		if err == nil {
			for res.Next(ctx) {
				if err = fn(res.Record()); err != nil {
					return struct{}{}, consumerError{err}
				}
			}
			err = res.Err()
		}
		if s.observe != nil {
			s.observe(time.Since(start), err)
		}
		return struct{}{}, err
	})
	var ce consumerError
	if errors.As(err, &ce) {
		return ce.err
	}
	return err
}

// consumerError carries a stream consumer's own error past guarded
// unchanged: it says nothing about the database.
type consumerError struct{ err error }

func (e consumerError) Error() string { return e.err.Error() }

// scoped returns the MATCH that binds e to the entities of a region, or
// to every entity of a schema when ids is nil.
func scoped(ids []string, schema string) (string, map[string]any) {
	if ids == nil {
		return "MATCH (e:" + schema + ")", map[string]any{}
	}
	return "UNWIND $ids AS id MATCH (e:" + schema + " {id: id})", map[string]any{"ids": ids}
}

// EachEntity streams the entities of a region (nil: of the graph), one
// schema after another, so a consumer that groups by type can.
func (s *Store) EachEntity(ctx context.Context, ids []string, fn func(Entity) error) error {
	for _, schema := range records.Schemas {
		match, params := scoped(ids, schema)
		err := s.stream(ctx, match+" RETURN e", params, func(r *neo4j.Record) error {
			n, _ := r.Get("e")
			return fn(entityFromNode(n.(dbtype.Node)))
		})
		if err != nil {
			return fmt.Errorf("stream %s entities: %w", schema, err)
		}
	}
	return nil
}

// claimOfRegion binds c to each claim whose subject and object both lie in
// the region ($ids, with $set the same ids as a map for lookups), or to
// every claim when ids is nil.
func claimOfRegion(ids []string) (string, map[string]any) {
	if ids == nil {
		return "MATCH (c:Claim)", map[string]any{}
	}
	return `UNWIND $ids AS id
MATCH (:Entity {id: id})<-[:SUBJECT]-(c:Claim)-[:OBJECT]->(o:Entity)
WHERE $set[o.id] IS NOT NULL`, regionParams(ids)
}

// regionParams passes a region both as a list, to walk, and as a map, to
// test membership in constant time.
func regionParams(ids []string) map[string]any {
	set := make(map[string]any, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	return map[string]any{"ids": ids, "set": set}
}

// EachClaim streams the claims of a region (both ends in it; nil: every
// claim) with their evidence and ends; each evidence carries its
// document's id and URL only, since EachDocument streams the documents,
// and each end its id, schema and name only.
func (s *Store) EachClaim(ctx context.Context, ids []string, fn func(Claim) error) error {
	match, params := claimOfRegion(ids)
	err := s.stream(ctx, match+`
RETURN properties(c) AS claim,
  [(c)-[ev:EVIDENCED_BY]->(d:Document) | {quote: ev.quote, paraphrase: ev.paraphrase, locator: ev.locator, unchecked: ev.unchecked, doc: d.id, url: d.url}] AS evidence,
  [(c)-[:SUBJECT|OBJECT|PRODUCT]->(x:Entity) | {id: x.id, schema: x.schema, name: x.name}] AS ends`,
		params, func(r *neo4j.Record) error {
			p, _ := r.Get("claim")
			c := claimFromProps(p.(map[string]any))
			evs, _ := r.Get("evidence")
			for _, raw := range evs.([]any) {
				ev := raw.(map[string]any)
				c.Evidence = append(c.Evidence, Evidence{Quote: str(ev, "quote"), Paraphrase: str(ev, "paraphrase"),
					Locator: str(ev, "locator"), Unchecked: str(ev, "unchecked"), Document: Document{ID: str(ev, "doc"), URL: str(ev, "url")}})
			}
			ends, _ := r.Get("ends")
			for _, raw := range ends.([]any) {
				x := raw.(map[string]any)
				c.Ends = append(c.Ends, Entity{ID: str(x, "id"), Schema: str(x, "schema"), Name: str(x, "name")})
			}
			slices.SortFunc(c.Evidence, func(a, b Evidence) int {
				return cmp.Or(cmp.Compare(a.Document.ID, b.Document.ID), cmp.Compare(a.Locator, b.Locator), cmp.Compare(a.Quote, b.Quote))
			})
			return fn(c)
		})
	if err != nil {
		return fmt.Errorf("stream claims: %w", err)
	}
	return nil
}

// EachDocument streams the documents that evidence the claims of a region
// or are the sources of its entities (nil: every document), each once.
func (s *Store) EachDocument(ctx context.Context, ids []string, fn func(Document) error) error {
	q, params := "MATCH (d:Document) RETURN properties(d) AS d", map[string]any{}
	if ids != nil {
		match, p := claimOfRegion(ids)
		q, params = match+`
MATCH (c)-[:EVIDENCED_BY]->(d:Document)
RETURN DISTINCT d.id AS id
UNION
UNWIND $ids AS id
MATCH (e:Entity {id: id})
UNWIND e.sources AS src
RETURN DISTINCT src AS id`, p
		// The UNION dedupes ids; the documents are read after.
		q = "CALL () {" + q + "} WITH DISTINCT id MATCH (d:Document {id: id}) RETURN properties(d) AS d"
	}
	err := s.stream(ctx, q, params, func(r *neo4j.Record) error {
		p, _ := r.Get("d")
		return fn(documentFromProps(p.(map[string]any)))
	})
	if err != nil {
		return fmt.Errorf("stream documents: %w", err)
	}
	return nil
}

// EachEdge streams the direct edges of a region (both ends in it; nil:
// every edge), one relation after another.
func (s *Store) EachEdge(ctx context.Context, ids []string, fn func(Edge) error) error {
	for _, rel := range records.Relations {
		q, params := "MATCH (a:Entity)-[r:"+rel+"]->(b:Entity) RETURN r, a.id AS from, b.id AS to", map[string]any{}
		if ids != nil {
			q = "UNWIND $ids AS id MATCH (a:Entity {id: id})-[r:" + rel + "]->(b:Entity) WHERE $set[b.id] IS NOT NULL RETURN r, a.id AS from, b.id AS to"
			params = regionParams(ids)
		}
		err := s.stream(ctx, q, params, func(r *neo4j.Record) error {
			rv, _ := r.Get("r")
			from, _ := r.Get("from")
			to, _ := r.Get("to")
			return fn(edgeFromRel(rv.(dbtype.Relationship), from.(string), to.(string)))
		})
		if err != nil {
			return fmt.Errorf("stream %s edges: %w", rel, err)
		}
	}
	return nil
}
