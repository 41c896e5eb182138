package graph

import (
	"context"
	"fmt"
	"maps"
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
WITH k, m, [n IN coalesce(m.aliases, []) WHERE NOT n IN coalesce(k.aliases, []) AND n <> k.name] AS brought,
     [i IN coalesce(m.identifiers, []) WHERE NOT i IN coalesce(k.identifiers, [])] AS broughtIdentifiers
SET m.brought = brought, m.brought_identifiers = broughtIdentifiers, m.judged_into = $judged
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
	return s.mergeEntities(ctx, keep, merge, who, nil)
}

// mergeEntities is MergeEntities deciding judgement j (nil: an editor's
// merge, recorded as a judgement of its own).
func (s *Store) mergeEntities(ctx context.Context, keep, merge, who string, j *Judgement) (Entity, error) {
	if j == nil {
		j = &Judgement{A: keep, B: merge, Explanation: "merged by " + who}
	}
	if keep == merge {
		return Entity{}, refused("cannot merge %s into itself", keep)
	}
	if err := s.checkNotJudgedApart(ctx, keep, merge, JudgementID(j.A, j.B)); err != nil {
		return Entity{}, err
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
			"at": time.Now().UTC().Format(time.RFC3339), "who": who, "judged": j.A})
		if err != nil {
			return nil, fmt.Errorf("fold %s into %s: %w", merge, keep, err)
		}
		after, _ := recs[0].Get("after")
		if len(keys) > 0 {
			if err := s.rebuildEdges(ctx, tx, keys, nil); err != nil {
				return nil, err
			}
		}
		// keep may have taken merge's country.
		if err := s.refreshSupplyIndexOf(ctx, tx, keep); err != nil {
			return nil, err
		}
		if err := s.setDecision(ctx, tx, *j, JudgeSame, merge, who); err != nil {
			return nil, err
		}
		var ch changes
		ch.add(ChangeEntity, ChangeMerged, merge)
		ch.add(ChangeEntity, ChangeUpdated, keep)
		ch.add(ChangeClaim, ChangeUpdated, moved...)
		if err := s.appendChanges(ctx, tx, &ch); err != nil {
			return nil, err
		}
		before := map[string]any{"keep": kprops, "merge": mprops}
		return nil, s.auditTx(ctx, tx, who, "mergeEntities", merge+" → "+keep, before,
			map[string]any{"keep": after, "merged": merge, "claimsMoved": moved, "judgement": JudgementID(j.A, j.B), "note": nullable(j.Note)})
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

const unmergeRead = `
MATCH (m:MergedEntity {id: $id})
OPTIONAL MATCH (x:MergedEntity {merged_into: m.merged_into})
RETURN properties(m) AS m, collect({id: x.id, judged: x.judged_into, brought: x.brought, ids: x.brought_identifiers}) AS cluster`

// leavingLinks binds r to the links from the survivor's claims whose
// source named one of the ids leaving it.
const leavingLinks = `
MATCH (s:Entity {id: $survivor})<-[r:SUBJECT|OBJECT|PRODUCT]-(c:Claim)
WHERE (type(r) = 'SUBJECT' AND c.named_subject IN $leaving) OR (type(r) = 'OBJECT' AND c.named_object IN $leaving)
   OR (type(r) = 'PRODUCT' AND c.named_product IN $leaving)`

// unmergeClaims are the claims those links belong to.
const unmergeClaims = leavingLinks + `
RETURN DISTINCT c.id AS id, c.relation AS rel, c.subject AS s, c.object AS o, c.pair AS pair,
       c.named_subject IN $leaving AS movesSubject, c.named_object IN $leaving AS movesObject`

func unmergeRestore(schema string) string {
	return `
MATCH (m:MergedEntity {id: $id})
REMOVE m:MergedEntity, m.merged_into, m.merged_at, m.merged_by, m.judged_into, m.brought, m.brought_identifiers
SET m:Entity:` + schema + `, m += $identifierProps, m.merged = $members
SET m.aliases_text = ` + aliasesText("m") + `
WITH m
MATCH (x:MergedEntity) WHERE x.id IN $members
SET x.merged_into = $id`
}

const unmergeMove = leavingLinks + `
MATCH (m:Entity {id: $id})
CREATE (c)-[:$(type(r))]->(m)
DELETE r
WITH DISTINCT c
SET c.subject = CASE WHEN c.named_subject IN $leaving THEN $id ELSE c.subject END,
    c.object = CASE WHEN c.named_object IN $leaving THEN $id ELSE c.object END,
    c.product = CASE WHEN c.named_product IN $leaving THEN $id ELSE c.product END,
    c.pair = $pairs[c.id]`

const unmergeSurvivor = `
MATCH (s:Entity {id: $survivor})
SET s.aliases = [a IN s.aliases WHERE a = s.name OR NOT a IN $brought],
    s.identifiers = [i IN s.identifiers WHERE NOT i IN $broughtIdentifiers],
    s.merged = [x IN coalesce(s.merged, []) WHERE NOT x IN $leaving]
SET s += $dropIdentifiers
SET s.aliases_text = ` + "reduce(t = '', n IN s.aliases | t + ' | ' + n)"

// unmergeTx undoes the merge of id for a judgement's new decision, in the
// caller's transaction, with its audit event: id is an
// entity again, with the entities that were judged the same as it (and
// so followed it into the survivor); the claims whose source named any
// of them move back, the names and identifiers they brought leave the
// survivor, and the direct edges of both are rebuilt. Claims written
// before sources' ids were kept (no named_subject) stay where they are.
func (s *Store) unmergeTx(ctx context.Context, tx neo4j.ManagedTransaction, id, judgement, decision, note, who string) error {
	recs, err := s.run(ctx, tx, unmergeRead, map[string]any{"id": id})
	if err != nil {
		return fmt.Errorf("unmerge %s: %w", id, err)
	}
	if len(recs) == 0 {
		return refused("%s is not a merged entity", id)
	}
	mv, _ := recs[0].Get("m")
	mprops := mv.(map[string]any)
	survivor, schema := str(mprops, "merged_into"), str(mprops, "schema")
	if !slices.Contains(records.Schemas, schema) {
		return fmt.Errorf("unmerge %s: stored schema %q is not allowed", id, schema)
	}
	// Who leaves with id: the merged entities whose judgement leads to
	// it, however indirectly.
	type member struct {
		judged      string
		brought     []string
		identifiers []string
	}
	cluster := map[string]member{}
	cv, _ := recs[0].Get("cluster")
	for _, x := range cv.([]any) {
		m := x.(map[string]any)
		cluster[str(m, "id")] = member{judged: str(m, "judged"), brought: strs(m, "brought"), identifiers: strs(m, "ids")}
	}
	leaving := map[string]bool{id: true}
	for grew := true; grew; {
		grew = false
		for x, m := range cluster {
			if !leaving[x] && leaving[m.judged] {
				leaving[x], grew = true, true
			}
		}
	}
	var brought, broughtIDs, members []string
	for x := range leaving {
		brought = append(brought, cluster[x].brought...)
		broughtIDs = append(broughtIDs, cluster[x].identifiers...)
		if x != id {
			members = append(members, x)
		}
	}
	slices.Sort(members)
	leavingIDs := slices.Sorted(maps.Keys(leaving))
	idProps, dropIDs := map[string]any{}, map[string]any{}
	for _, i := range strs(mprops, "identifiers") {
		if scheme, v, ok := strings.Cut(i, ":"); ok && records.ValidIdentifierScheme(scheme) {
			idProps["id_"+scheme] = v
		}
	}
	for _, i := range broughtIDs {
		if scheme, _, ok := strings.Cut(i, ":"); ok && records.ValidIdentifierScheme(scheme) {
			dropIDs["id_"+scheme] = nil
		}
	}

	params := map[string]any{"id": id, "survivor": survivor, "leaving": leavingIDs}
	recs, err = s.run(ctx, tx, unmergeClaims, params)
	if err != nil {
		return fmt.Errorf("claims leaving %s: %w", survivor, err)
	}
	pairs := map[string]any{}
	var keys []edgeKey
	seen := map[string]bool{}
	addKey := func(c records.Claim, pair string) {
		if !seen[pair] {
			seen[pair] = true
			keys = append(keys, edgeKey{rel: c.Relation, s: c.Subject, o: c.Object, pair: pair})
		}
	}
	for _, r := range recs {
		get := func(k string) string { v, _ := r.Get(k); s, _ := v.(string); return s }
		flag := func(k string) bool { v, _ := r.Get(k); b, _ := v.(bool); return b }
		c := records.Claim{Relation: get("rel"), Subject: get("s"), Object: get("o")}
		addKey(c, get("pair"))
		if flag("movesSubject") {
			c.Subject = id
		}
		if flag("movesObject") {
			c.Object = id
		}
		pair := pairKey(c)
		pairs[get("id")] = pair
		addKey(c, pair)
	}
	if _, err := s.run(ctx, tx, unmergeRestore(schema), map[string]any{"id": id, "identifierProps": idProps, "members": orEmpty(members)}); err != nil {
		return fmt.Errorf("restore %s: %w", id, err)
	}
	if _, err := s.run(ctx, tx, unmergeMove, map[string]any{"id": id, "survivor": survivor, "leaving": leavingIDs, "pairs": pairs}); err != nil {
		return fmt.Errorf("move claims back to %s: %w", id, err)
	}
	if _, err := s.run(ctx, tx, unmergeSurvivor, map[string]any{"survivor": survivor, "brought": orEmpty(brought),
		"broughtIdentifiers": orEmpty(broughtIDs), "leaving": leavingIDs, "dropIdentifiers": dropIDs}); err != nil {
		return fmt.Errorf("take %s's names from %s: %w", id, survivor, err)
	}
	if len(keys) > 0 {
		if err := s.rebuildEdges(ctx, tx, keys, nil); err != nil {
			return err
		}
	}
	if err := s.refreshSupplyIndexOf(ctx, tx, append([]string{survivor}, leavingIDs...)...); err != nil {
		return err
	}
	// The entities that leave are entities again: created, for a reader of
	// the feed; the claims that go with them moved.
	var ch changes
	ch.add(ChangeEntity, ChangeCreated, leavingIDs...)
	ch.add(ChangeEntity, ChangeUpdated, survivor)
	ch.add(ChangeClaim, ChangeUpdated, slices.Sorted(maps.Keys(pairs))...)
	if err := s.appendChanges(ctx, tx, &ch); err != nil {
		return err
	}
	return s.auditTx(ctx, tx, who, "unmergeEntity", id+" ← "+survivor, map[string]any{"merged": mprops},
		map[string]any{"entity": id, "survivor": survivor, "alsoLeaving": members, "claimsMoved": len(pairs),
			"judgement": judgement, "decision": decision, "note": nullable(note)})
}
