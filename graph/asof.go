package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"
)

// Reading the graph as it stood at a moment ("as of") rests on three
// records the graph keeps:
//
//   - each claim's load time (loaded, set when it is first written): a
//     claim loaded after the moment is left out;
//   - the audit events of reviews and of their undoing, each with the
//     status the claim had before it (status_before): a claim's status at
//     the moment is the one before the first such event after it, else its
//     status now;
//   - names: an editor's renaming is an audit event with the name before
//     it (name_before), and a source's rename is a RENAMED_TO edge dated
//     when it happened: an entity's name at the moment is its
//     predecessor's when the rename came later, else the name before the
//     first renaming by an editor after the moment, else its name now.
//
// Claims written before load times were recorded have none and count as
// held from the start. The structure a query walks to find its claims (the
// bodies PART_OF a buyer, the entities in a country) is today's.

// ParseAsOf reads an as-of argument: a date, whole or partial, as
// --since takes it (the end of that day, month or year, UTC), or an RFC
// 3339 time. It returns the moment in the audit events' format, so it
// compares with their times and with load times as strings.
func ParseAsOf(s string) (string, error) {
	s = strings.TrimSpace(s)
	for _, p := range []struct {
		layout string
		next   func(time.Time) time.Time
	}{
		{time.DateOnly, func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
		{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }},
		{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }},
	} {
		if d, err := time.Parse(p.layout, s); err == nil {
			return p.next(d).Add(-time.Nanosecond).Format(auditTime), nil
		}
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC().Format(auditTime), nil
	}
	return "", fmt.Errorf("asOf %q: give a date (2024-05-31, 2024-05 or 2024) or an RFC 3339 time (2024-05-31T12:00:00Z)", s)
}

// asOfDate is the day part of an as-of moment, which dated renames are
// compared with ("2018" is in force from 2018-01-01).
func asOfDate(at string) string { return at[:len(time.DateOnly)] }

// loadTime is the time a claim written now is stamped with.
func loadTime() string { return time.Now().UTC().Format(auditTime) }

// loadedBy is Cypher that holds when claim c was loaded by $asOf.
const loadedBy = `coalesce(c.loaded, '') <= $asOf`

// reviewAfter is Cypher for the first review of claim c (or its undoing)
// after $asOf, as a list of one audit event or none.
const reviewAfter = `COLLECT { MATCH (a:AuditEvent {target: c.id}) WHERE a.at > $asOf AND a.status_before IS NOT NULL
  RETURN a ORDER BY a.at LIMIT 1 }`

// statusAsOf is Cypher for claim c's status at $asOf.
const statusAsOf = `coalesce(head(` + reviewAfter + `).status_before, c.status)`

// nameAsOf is Cypher for entity e's name at $asOf (and $asOfDate): its
// predecessor's over renames dated after the day, else the name an
// editor's later renaming replaced, else its name now.
const nameAsOf = `coalesce(
  head(COLLECT { MATCH p = (x:Entity)-[:RENAMED_TO*1..5]->(e) WHERE all(r IN relationships(p) WHERE r.first > $asOfDate)
    RETURN x.name ORDER BY length(p) DESC LIMIT 1 }),
  head(COLLECT { MATCH (a:AuditEvent {target: e.id}) WHERE a.at > $asOf AND a.name_before IS NOT NULL
    RETURN a.name_before ORDER BY a.at LIMIT 1 }),
  e.name)`

// asOfView is what a moment changes in claims and entities read now:
// which claims were loaded by then, the review each had then (its status
// and reviewer, from the audit event that came after), and each entity's
// name then.
type asOfView struct {
	loaded map[string]bool
	review map[string]map[string]any // claim id → its properties before the first later review
	names  map[string]string
}

// asOf reads the view of the moment at for the claims and entities given.
func (s *Store) asOf(ctx context.Context, at string, claimIDs, entityIDs []string) (asOfView, error) {
	v := asOfView{loaded: map[string]bool{}, review: map[string]map[string]any{}, names: map[string]string{}}
	params := map[string]any{"claims": sortedSet(claimIDs), "entities": sortedSet(entityIDs), "asOf": at, "asOfDate": asOfDate(at)}
	recs, err := s.read(ctx, `
CALL () {
  UNWIND $claims AS id
  MATCH (c:Claim {id: id}) WHERE `+loadedBy+`
  RETURN collect([id, head(`+reviewAfter+`).before]) AS claims
}
CALL () {
  UNWIND $entities AS id
  MATCH (e:Entity {id: id})
  RETURN collect([id, `+nameAsOf+`]) AS names
}
RETURN claims, names`, params)
	if err != nil {
		return v, fmt.Errorf("as of %s: %w", at, err)
	}
	claims, _ := recs[0].Get("claims")
	for _, x := range claims.([]any) {
		pair := x.([]any)
		id := pair[0].(string)
		v.loaded[id] = true
		if before, ok := pair[1].(string); ok {
			var m map[string]any
			if err := json.Unmarshal([]byte(before), &m); err != nil {
				return v, fmt.Errorf("as of %s: claim %s's review event: %w", at, id, err)
			}
			v.review[id] = m
		}
	}
	names, _ := recs[0].Get("names")
	for _, x := range names.([]any) {
		pair := x.([]any)
		v.names[pair[0].(string)], _ = pair[1].(string)
	}
	return v, nil
}

// claims keeps the claims loaded by the moment, each with its review and
// its ends' names then.
func (v asOfView) claims(cs []Claim) []Claim {
	out := make([]Claim, 0, len(cs))
	for _, c := range cs {
		if !v.loaded[c.ID] {
			continue
		}
		if before, ok := v.review[c.ID]; ok {
			c.setReview(before)
		}
		c.Ends = slices.Clone(c.Ends)
		for i := range c.Ends {
			c.Ends[i] = v.entity(c.Ends[i])
		}
		out = append(out, c)
	}
	return out
}

// entity is e with its name at the moment; the name it has now becomes an
// alias, so a search of the answer still finds it.
func (v asOfView) entity(e Entity) Entity {
	if then, ok := v.names[e.ID]; ok && then != "" && then != e.Name {
		e.Aliases = append(slices.DeleteFunc(slices.Clone(e.Aliases), func(a string) bool { return a == then || a == e.Name }), e.Name)
		e.Name = then
	}
	return e
}

func sortedSet(ids []string) []string { return slices.Compact(slices.Sorted(slices.Values(ids))) }

// claimAndEndIDs lists the claims' ids and their ends'.
func claimAndEndIDs(cs []Claim) (claims, ends []string) {
	for _, c := range cs {
		claims = append(claims, c.ID)
		for _, e := range c.Ends {
			ends = append(ends, e.ID)
		}
	}
	return claims, ends
}

// claimsAsOf is the claims as the graph held them at the moment at:
// those loaded by then, with their reviews and their ends' names then.
func (s *Store) claimsAsOf(ctx context.Context, at string, cs []Claim) ([]Claim, error) {
	ids, ends := claimAndEndIDs(cs)
	v, err := s.asOf(ctx, at, ids, ends)
	if err != nil {
		return nil, err
	}
	return v.claims(cs), nil
}

// EntityAsOf is Entity with the name it had at the moment at (ParseAsOf's).
func (s *Store) EntityAsOf(ctx context.Context, id, at string) (Entity, error) {
	e, err := s.Entity(ctx, id)
	if err != nil {
		return e, err
	}
	v, err := s.asOf(ctx, at, nil, []string{e.ID})
	return v.entity(e), err
}

// ClaimsOfAsOf is ClaimsOf as the graph held it at the moment at.
func (s *Store) ClaimsOfAsOf(ctx context.Context, entityID, at string) ([]Claim, error) {
	cs, err := s.ClaimsOf(ctx, entityID)
	if err != nil {
		return nil, err
	}
	return s.claimsAsOf(ctx, at, cs)
}

// EntitiesWithClaimsAsOf is EntitiesWithClaims as the graph held them at
// the moment at: what a brief as of a date is composed from.
func (s *Store) EntitiesWithClaimsAsOf(ctx context.Context, ids []string, at string) (map[string]Entity, map[string][]Claim, error) {
	ents, claims, err := s.EntitiesWithClaims(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	var cids, eids []string
	for id, cs := range claims {
		c, e := claimAndEndIDs(cs)
		cids, eids = append(cids, c...), append(append(eids, e...), ents[id].ID)
	}
	v, err := s.asOf(ctx, at, cids, eids)
	if err != nil {
		return nil, nil, err
	}
	for id, cs := range claims {
		ents[id], claims[id] = v.entity(ents[id]), v.claims(cs)
	}
	return ents, claims, nil
}

// SuppliersAsOf is Suppliers as the graph held them at the moment at.
// The transfers are drawn from the claims, not the direct edges, since an
// edge holds only the claims live now: a supply retracted since still
// stood then.
func (s *Store) SuppliersAsOf(ctx context.Context, buyerID, at string, withClaims bool, limit int) ([]Transfer, error) {
	q := resolveID("$id", "rid") + `
MATCH (target:Entity {id: rid})
CALL (target) {
  ` + targetAndBodies + `
  RETURN b
  UNION
  MATCH (b:Entity) WHERE target:Country AND b.country = target.country RETURN b
}
MATCH (b)<-[:OBJECT]-(c:Claim {relation: 'SUPPLIED'})`
	ts, err := s.transfersAsOf(ctx, q, map[string]any{"id": buyerID}, at, withClaims, limit, func(a, b Transfer) int {
		return compareStrings(supplyOrder(a.Supplier.Name, a.Buyer.Name), supplyOrder(b.Supplier.Name, b.Buyer.Name))
	})
	if err != nil {
		return nil, fmt.Errorf("suppliers of %s as of %s: %w", buyerID, at, err)
	}
	return ts, nil
}

// BuyersAsOf is Buyers as the graph held them at the moment at.
func (s *Store) BuyersAsOf(ctx context.Context, vendorID, at string, withClaims bool, limit int) ([]Transfer, error) {
	q := resolveID("$id", "rid") + `
MATCH (:Entity {id: rid})<-[:SUBJECT]-(c:Claim {relation: 'SUPPLIED'})`
	ts, err := s.transfersAsOf(ctx, q, map[string]any{"id": vendorID}, at, withClaims, limit, func(a, b Transfer) int {
		return compareStrings(strings.ToLower(a.Buyer.Name), strings.ToLower(b.Buyer.Name))
	})
	if err != nil {
		return nil, fmt.Errorf("buyers of %s as of %s: %w", vendorID, at, err)
	}
	return ts, nil
}

// transfersAsOf reads the SUPPLIED claims match binds to c (loaded by the
// moment), gives each its review then, and gathers them by supplier and
// buyer into transfers whose edges are made as the writer makes the
// direct edges (edgeProps); a pair with no claim live then is left out.
// The first limit of them in order are kept, and only their claims are
// read whole (evidence and products) when withClaims is set.
func (s *Store) transfersAsOf(ctx context.Context, match string, params map[string]any, at string, withClaims bool,
	limit int, order func(a, b Transfer) int) ([]Transfer, error) {
	params["asOf"] = at
	recs, err := s.read(ctx, match+`
WITH DISTINCT c WHERE `+loadedBy+`
MATCH (c)-[:SUBJECT]->(s:Entity), (c)-[:OBJECT]->(b:Entity)
RETURN s, b, collect({claim: properties(c), evidence: [], ends: []}) AS claims`, params)
	if err != nil {
		return nil, err
	}
	type pair struct {
		s, b   Entity
		claims []Claim
	}
	pairs := make([]pair, len(recs))
	var all []Claim
	var ends []string
	for i, r := range recs {
		sn, _ := r.Get("s")
		bn, _ := r.Get("b")
		raw, _ := r.Get("claims")
		p := pair{s: entityFromNode(sn.(dbtype.Node)), b: entityFromNode(bn.(dbtype.Node)), claims: claimsFromList(raw)}
		pairs[i], all, ends = p, append(all, p.claims...), append(ends, p.s.ID, p.b.ID)
	}
	ids, _ := claimAndEndIDs(all)
	v, err := s.asOf(ctx, at, ids, ends)
	if err != nil {
		return nil, err
	}
	out := make([]Transfer, 0, len(pairs))
	for _, p := range pairs {
		t := Transfer{Supplier: v.entity(p.s), Buyer: v.entity(p.b)}
		cs := v.claims(p.claims)
		ec := make([]edgeClaim, len(cs))
		for i, c := range cs {
			ec[i] = edgeClaim{ID: c.ID, Stance: c.Stance, Status: c.Status, Start: c.Start, End: c.End, Stage: c.Stage,
				Product: c.Product, Confidence: c.Confidence}
		}
		props, live := edgeProps(ec)
		if !live {
			continue
		}
		t.Edge = edgeFromProps("SUPPLIED", t.Supplier.ID, t.Buyer.ID, props)
		out = append(out, t)
	}
	slices.SortFunc(out, order)
	out = out[:min(len(out), resultLimit(limit))]
	if !withClaims {
		return out, nil
	}
	var keep []string
	for _, t := range out {
		keep = append(keep, t.Edge.Claims...)
	}
	found, err := s.ClaimsByID(ctx, keep)
	if err != nil {
		return nil, err
	}
	for i, t := range out {
		for _, id := range t.Edge.Claims {
			then := v.claims([]Claim{found[id]})
			if len(then) == 0 {
				continue
			}
			// Its review then; its parties are the transfer's (named as
			// then), its product as it is named now.
			c := then[0]
			c.Ends = append(slices.DeleteFunc(c.Ends, func(e Entity) bool { return e.ID == t.Supplier.ID || e.ID == t.Buyer.ID }),
				t.Supplier, t.Buyer)
			out[i].Claims = append(out[i].Claims, c)
		}
	}
	return out, nil
}

// backfillHistory gives the audit events written before they carried it
// what reading as of a moment needs of them (historyOf), a batch at a
// time. On a store that has it, it reads nothing.
func (s *Store) backfillHistory(ctx context.Context) error {
	for {
		recs, err := s.read(ctx, `MATCH (a:AuditEvent) WHERE a.history IS NULL
RETURN a.id AS id, a.before AS before, a.after AS after LIMIT 1000`, nil)
		if err != nil || len(recs) == 0 {
			return err
		}
		rows := make([]map[string]any, len(recs))
		for i, r := range recs {
			id, _ := r.Get("id")
			var before, after any
			for _, x := range []struct {
				key string
				to  *any
			}{{"before", &before}, {"after", &after}} {
				if raw, ok := r.Get(x.key); ok && raw != nil {
					// An event whose state is not JSON has no history to give.
					text, _ := raw.(string)
					_ = json.Unmarshal([]byte(text), x.to)
				}
			}
			st, name := historyOf(before, after)
			rows[i] = map[string]any{"id": id, "status": st, "name": name}
		}
		if _, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			return s.run(ctx, tx, `UNWIND $rows AS r MATCH (a:AuditEvent {id: r.id})
SET a.status_before = r.status, a.name_before = r.name, a.history = true`, map[string]any{"rows": rows})
		}); err != nil {
			return fmt.Errorf("audit events' history: %w", err)
		}
	}
}
