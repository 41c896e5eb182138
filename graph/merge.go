package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/exportwatch/exportwatch/records"
)

// A merge folds a duplicate entity into the one that stays. The duplicate's
// node is not deleted: it loses its Entity label and becomes a
// MergedEntity pointing at the survivor (merged_into), so its id keeps
// resolving, in the read queries, in the API and in the loader, and a
// source that still names it adds to the survivor instead of recreating it.
// Claims keep their ids (ids are stable names, not a description of the
// claim's ends); their SUBJECT, OBJECT and PRODUCT links, their end
// properties and their pair key move to the survivor, and the direct edges
// are rebuilt from them.

// RefusedError is a change the graph refuses as it stands: the caller can
// fix the request, and Reason says how.
type RefusedError struct{ Reason string }

func (e *RefusedError) Error() string { return e.Reason }

func refused(format string, args ...any) error {
	return &RefusedError{Reason: fmt.Sprintf(format, args...)}
}

// resolveID is Cypher that binds the entity id in expr to name as, after
// following a merge: an id merged into another entity names its survivor.
// Merge chains are flattened when they form, so one hop is enough.
func resolveID(expr, as string) string {
	return fmt.Sprintf(`
OPTIONAL MATCH (merged_%[2]s:MergedEntity {id: %[1]s})
WITH *, coalesce(merged_%[2]s.merged_into, %[1]s) AS %[2]s`, expr, as)
}

// Redirects returns, for the ids among ids that were merged into another
// entity, the survivor's id.
func (s *Store) Redirects(ctx context.Context, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	recs, err := s.read(ctx, `
UNWIND $ids AS id
MATCH (m:MergedEntity {id: id})
RETURN id, m.merged_into AS into`, map[string]any{"ids": ids})
	if err != nil {
		return nil, fmt.Errorf("merged entity ids: %w", err)
	}
	for _, r := range recs {
		id, _ := r.Get("id")
		into, _ := r.Get("into")
		out[id.(string)] = into.(string)
	}
	return out, nil
}

const mergeRead = `
OPTIONAL MATCH (k:Entity {id: $keep})
OPTIONAL MATCH (m:Entity {id: $merge})
OPTIONAL MATCH (km:MergedEntity {id: $keep})
OPTIONAL MATCH (mm:MergedEntity {id: $merge})
RETURN properties(k) AS keep, properties(m) AS merge, km.merged_into AS keepInto, mm.merged_into AS mergeInto,
       CASE WHEN k IS NULL OR m IS NULL THEN []
            ELSE [(k)<-[:SUBJECT|OBJECT|PRODUCT]-(c:Claim)-[:SUBJECT|OBJECT|PRODUCT]->(m) | c.id] END AS linking`

const mergeClaims = `
MATCH (m:Entity {id: $merge})<-[:SUBJECT|OBJECT|PRODUCT]-(c:Claim)
RETURN DISTINCT c.id AS id, c.relation AS rel, c.subject AS s, c.object AS o, c.product AS p`

// mergeMove re-points the claims' links and end properties; the new type
// comes from the old relationship, one of three, so CREATE with a dynamic
// type is safe and needs no lookup.
const mergeMove = `
MATCH (k:Entity {id: $keep})
MATCH (m:Entity {id: $merge})<-[r:SUBJECT|OBJECT|PRODUCT]-(c:Claim)
CREATE (c)-[:$(type(r))]->(k)
DELETE r
WITH DISTINCT c
SET c.subject = CASE c.subject WHEN $merge THEN $keep ELSE c.subject END,
    c.object = CASE c.object WHEN $merge THEN $keep ELSE c.object END,
    c.product = CASE c.product WHEN $merge THEN $keep ELSE c.product END,
    c.pair = $pairs[c.id]`

// mergeEdgesDrop deletes the duplicate's direct edges: they are rebuilt on
// the survivor from the moved claims.
const mergeEdgesDrop = `
MATCH (m:Entity {id: $merge})-[e]-(:Entity)
DELETE e`

func mergeFold(schema string) string {
	return `
MATCH (k:Entity {id: $keep}), (m:Entity {id: $merge})
SET ` + unionSet("k", func(prop string) string { return "coalesce(m." + prop + ", [])" }) + `,
    k.merged = coalesce(k.merged, []) + [$merge] + coalesce(m.merged, []),
    k.country = coalesce(k.country, m.country),
    k.kind = coalesce(k.kind, m.kind),
    k.start = coalesce(k.start, m.start),
    k.end = coalesce(k.end, m.end),
    k.impact = coalesce(k.impact, m.impact),
    k.description = coalesce(k.description, m.description)
SET k += $identifierProps
SET k.aliases_text = ` + aliasesText("k") + `
REMOVE m:Entity:` + schema + `
SET m:MergedEntity, m.merged_into = $keep, m.merged_at = $at, m.merged_by = $who
WITH k
OPTIONAL MATCH (x:MergedEntity {merged_into: $merge})
SET x.merged_into = $keep
RETURN DISTINCT properties(k) AS after`
}

// MergeEntities folds the entity merge into keep, in one transaction with
// its audit event: keep gains merge's names, identifiers and the fields it
// lacks; every claim of merge moves to keep; the direct edges of both are
// rebuilt; and merge's id resolves to keep from then on. It refuses two
// entities of different types, identifiers that name different things
// (two LEIs), and entities that claims link to each other (the claim would
// link keep to itself).
func (s *Store) MergeEntities(ctx context.Context, keep, merge, who string) (Entity, error) {
	if keep == merge {
		return Entity{}, refused("cannot merge %s into itself", keep)
	}
	_, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		params := map[string]any{"keep": keep, "merge": merge}
		recs, err := s.run(ctx, tx, mergeRead, params)
		if err != nil {
			return nil, err
		}
		r := recs[0]
		kp, _ := r.Get("keep")
		mp, _ := r.Get("merge")
		keepInto, _ := r.Get("keepInto")
		mergeInto, _ := r.Get("mergeInto")
		linking, _ := r.Get("linking")
		switch {
		case keepInto != nil:
			return nil, refused("%s was merged into %s; merge into %s instead", keep, keepInto, keepInto)
		case mergeInto != nil:
			return nil, refused("%s is already merged into %s", merge, mergeInto)
		case kp == nil:
			return nil, fmt.Errorf("entity %s: %w", keep, ErrNotFound)
		case mp == nil:
			return nil, fmt.Errorf("entity %s: %w", merge, ErrNotFound)
		}
		kprops, mprops := kp.(map[string]any), mp.(map[string]any)
		schema := str(mprops, "schema")
		if ks := str(kprops, "schema"); ks != schema {
			return nil, refused("cannot merge a %s into a %s", schema, ks)
		}
		if !slices.Contains(records.Schemas, schema) {
			return nil, fmt.Errorf("merge %s: stored schema %q is not allowed", merge, schema)
		}
		if schema == records.SchemaCountry {
			return nil, refused("countries are identified by their ISO code and cannot be merged")
		}
		if l := linking.([]any); len(l) > 0 {
			ids := make([]string, len(l))
			for i, x := range l {
				ids[i] = x.(string)
			}
			return nil, refused("claims link %s and %s to each other (%s): retract them before merging", keep, merge, strings.Join(ids, ", "))
		}
		idProps, err := mergeIdentifiers(kprops, mprops)
		if err != nil {
			return nil, err
		}

		recs, err = s.run(ctx, tx, mergeClaims, params)
		if err != nil {
			return nil, err
		}
		pairs := map[string]any{}
		var keys []edgeKey
		seen := map[string]bool{}
		moved := make([]string, 0, len(recs))
		for _, r := range recs {
			get := func(k string) string { v, _ := r.Get(k); s, _ := v.(string); return s }
			c := records.Claim{Relation: get("rel"), Subject: get("s"), Object: get("o")}
			if c.Subject == merge {
				c.Subject = keep
			}
			if c.Object == merge {
				c.Object = keep
			}
			key := pairKey(c)
			pairs[get("id")] = key
			moved = append(moved, get("id"))
			if !seen[key] {
				seen[key] = true
				keys = append(keys, edgeKey{rel: c.Relation, s: c.Subject, o: c.Object, pair: key})
			}
		}
		if _, err := s.run(ctx, tx, mergeEdgesDrop, params); err != nil {
			return nil, fmt.Errorf("drop edges of %s: %w", merge, err)
		}
		if _, err := s.run(ctx, tx, mergeMove, map[string]any{"keep": keep, "merge": merge, "pairs": pairs}); err != nil {
			return nil, fmt.Errorf("move claims of %s: %w", merge, err)
		}
		recs, err = s.run(ctx, tx, mergeFold(schema), map[string]any{"keep": keep, "merge": merge, "identifierProps": idProps,
			"at": time.Now().UTC().Format(time.RFC3339), "who": who})
		if err != nil {
			return nil, fmt.Errorf("fold %s into %s: %w", merge, keep, err)
		}
		after, _ := recs[0].Get("after")
		if len(keys) > 0 {
			if err := s.rebuildEdges(ctx, tx, keys, nil); err != nil {
				return nil, err
			}
		}
		before := map[string]any{"keep": kprops, "merge": mprops}
		return nil, s.auditTx(ctx, tx, who, "mergeEntities", merge+" → "+keep, before,
			map[string]any{"keep": after, "merged": merge, "claimsMoved": moved})
	})
	if err != nil {
		return Entity{}, err
	}
	return s.Entity(ctx, keep)
}

// mergeIdentifiers returns the identifier properties (id_<scheme>) that
// keep gains from merge, refusing a scheme on which the two disagree: two
// LEIs or two registry numbers are two legal entities, not one.
func mergeIdentifiers(keep, merge map[string]any) (map[string]any, error) {
	have := map[string]string{}
	for _, id := range strs(keep, "identifiers") {
		if scheme, v, ok := strings.Cut(id, ":"); ok {
			have[scheme] = v
		}
	}
	gain := map[string]any{}
	for _, id := range strs(merge, "identifiers") {
		scheme, v, ok := strings.Cut(id, ":")
		if !ok {
			continue
		}
		switch old, ok := have[scheme]; {
		case !ok:
			gain["id_"+scheme] = v
		case old != v:
			return nil, refused("%s and %s have different %s identifiers (%s, %s): they are different entities",
				str(keep, "id"), str(merge, "id"), scheme, old, v)
		}
	}
	return gain, nil
}
