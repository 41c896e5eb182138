package graph

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/resolve"
)

// A judgement says whether two entities are one: the resolver proposes
// them while loading (same above resolve.Same, pending in the grey band)
// and people decide them with `exportwatch review`. "Same" is a merge (the
// newcomer becomes a MergedEntity pointing at the survivor), so it is
// transitive the way merges are; every other decision undoes a merge the
// judgement had made. A merged node keeps its own properties, the entity
// it was judged the same as (judged_into), and the names and identifiers
// it brought the survivor, and every claim keeps the ids its source
// named, so an undo puts back exactly what the merge took.

// The decisions of a judgement.
const (
	JudgePending = "pending"
	JudgeSame    = "same"
	JudgeNotSame = "not_same"
	JudgeUnsure  = "unsure"
)

// Decisions lists the decisions a judgement can have.
var Decisions = []string{JudgeSame, JudgeNotSame, JudgeUnsure, JudgePending}

// Judgement is a decision on whether entities A and B are one. A is the
// entity that was there first (the survivor of a merge), B the newcomer.
type Judgement struct {
	ID          string
	A, B        string
	Decision    string
	Score       float64
	Explanation string
	ProposedBy  string
	ProposedAt  string
	DecidedBy   string
	DecidedAt   string
	// Note is what the person who decided wrote about it.
	Note string
	// Merged is the entity a same decision merged (B, unless B had been
	// merged elsewhere before and its survivor was merged instead).
	Merged string
	// Entities are A and B as they stand; a merged one is shown with its
	// own names, MergedInto saying where it went.
	Entities [2]JudgedEntity
}

// JudgedEntity is one side of a judgement.
type JudgedEntity struct {
	Entity
	MergedInto string
	Claims     int
}

// JudgementID is the id of the judgement on two entities, whichever is
// named first.
func JudgementID(a, b string) string {
	if b < a {
		a, b = b, a
	}
	return "judgement:" + records.HashOf(a, b)
}

// Resolution is what the resolver decided for one entity record while
// loading: taken as Candidate (Same), or written as an entity of its own
// with a judgement queued for review.
type Resolution struct {
	// Entity is the record, ID set to the id it derives.
	Entity      records.Entity
	Candidate   string
	Same        bool
	Score       float64
	Explanation string
	// Into is where a Same record's id leads: Candidate, or the entity
	// Candidate was itself taken as.
	Into string
	// Brought are the names and identifiers ("scheme:value") the record
	// gives the entity it is taken as that it did not have.
	Brought, BroughtIdentifiers []string
	Who                         string
}

const writeResolutions = `
UNWIND $rows AS row
MERGE (j:Judgement {id: row.jid})
ON CREATE SET j.a = row.a, j.b = row.b, j.decision = row.decision, j.score = row.score,
              j.explanation = row.explanation, j.proposed_by = row.who, j.proposed_at = row.at,
              j.decided_by = CASE WHEN row.same THEN row.who END, j.decided_at = CASE WHEN row.same THEN row.at END
WITH row WHERE row.same
MERGE (m:MergedEntity {id: row.b})
ON CREATE SET m += row.props, m.merged_into = row.into, m.judged_into = row.a, m.merged_by = row.who,
              m.merged_at = row.at, m.brought = row.brought, m.brought_identifiers = row.brought_identifiers, m.fresh = true
WITH m, coalesce(m.fresh, false) AS fresh
REMOVE m.fresh
RETURN collect(CASE WHEN fresh THEN m.id END) AS merged`

// WriteResolutions stores the resolver's decisions: a judgement for each,
// and for each Same one the merged node its id resolves through. It runs
// before the entities are written, so a load killed in between finds the
// merge on its next run instead of deciding again on a changed graph.
// Writing twice changes nothing: a judgement someone has decided since
// keeps their decision.
func (s *Store) WriteResolutions(ctx context.Context, rs []Resolution) error {
	if len(rs) == 0 {
		return nil
	}
	at := time.Now().UTC().Format(time.RFC3339)
	rows := make([]map[string]any, len(rs))
	for i, r := range rs {
		e := r.Entity
		decision := JudgePending
		if r.Same {
			decision = JudgeSame
		}
		rows[i] = map[string]any{
			"jid": JudgementID(r.Candidate, e.ID), "a": r.Candidate, "b": e.ID, "decision": decision, "same": r.Same,
			"score": r.Score, "explanation": r.Explanation, "who": r.Who, "at": at, "into": r.Into,
			"brought": orEmpty(r.Brought), "brought_identifiers": orEmpty(r.BroughtIdentifiers),
			"props": map[string]any{
				"schema": e.Schema, "name": e.Names[0], "aliases": e.Names, "country": nullable(e.Country),
				"identifiers": records.IdentifierList(e.Identifiers), "kind": nullable(e.Kind),
			},
		}
	}
	_, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		recs, err := s.run(ctx, tx, writeResolutions, map[string]any{"rows": rows})
		if err != nil || len(recs) == 0 {
			return nil, err
		}
		// A record's entity taken as one already there: its id now names
		// the survivor.
		merged, _ := recs[0].Get("merged")
		var ch changes
		for _, id := range merged.([]any) {
			ch.add(ChangeEntity, ChangeMerged, id.(string))
		}
		return nil, s.appendChanges(ctx, tx, &ch)
	})
	if err != nil {
		return fmt.Errorf("write resolutions: %w", err)
	}
	return nil
}

// candidatesByName finds, for each probe, the entities of its schema the
// full-text index ranks highest for its words.
const candidatesByName = `
UNWIND $probes AS p
CALL db.index.fulltext.queryNodes('entity_search', p.query, {limit: $limit}) YIELD node
WITH p, node WHERE node.schema = p.schema
RETURN DISTINCT node`

// ResolutionCandidates returns the graph entities that the probes may
// name: those sharing an identifier, those whose names the full-text
// index ranks highest for each probe's words (limit per probe), and, for
// a probe that names a state body, its country's bodies.
func (s *Store) ResolutionCandidates(ctx context.Context, probes []resolve.Candidate, limit int) ([]resolve.Candidate, error) {
	var out []resolve.Candidate
	seen := map[string]bool{}
	add := func(recs []*neo4j.Record) {
		for _, r := range recs {
			n, _ := r.Get("node")
			e := entityFromNode(n.(dbtype.Node))
			if !seen[e.ID] {
				seen[e.ID] = true
				out = append(out, candidateOf(e))
			}
		}
	}
	byScheme := map[string][]string{}
	var rows []map[string]any
	var bodiesOf []string // countries whose state bodies a probe may be
	for _, p := range probes {
		if p.Country != "" && resolve.NamesABody(p) && !slices.Contains(bodiesOf, p.Country) {
			bodiesOf = append(bodiesOf, p.Country)
		}
		for scheme, v := range p.Identifiers {
			if records.ValidIdentifierScheme(scheme) {
				byScheme[scheme] = append(byScheme[scheme], v)
			}
		}
		if q := fullTextQuery(p.Names); q != "" {
			rows = append(rows, map[string]any{"schema": p.Schema, "query": q})
		}
	}
	for _, scheme := range slices.Sorted(maps.Keys(byScheme)) {
		// The scheme is a checked lower-case word, so it can name the
		// property; the values stay parameters.
		recs, err := s.read(ctx, "UNWIND $values AS v MATCH (node:Entity {id_"+scheme+": v}) RETURN DISTINCT node",
			map[string]any{"values": byScheme[scheme]})
		if err != nil {
			return nil, fmt.Errorf("resolution candidates by %s: %w", scheme, err)
		}
		add(recs)
	}
	if len(bodiesOf) > 0 {
		recs, err := s.read(ctx, `UNWIND $countries AS cc
CALL (cc) { MATCH (node:PublicBody {country: cc}) RETURN node ORDER BY node.id LIMIT $limit }
RETURN node`, map[string]any{"countries": bodiesOf, "limit": maxBodiesOfACountry})
		if err != nil {
			return nil, fmt.Errorf("resolution candidates among state bodies: %w", err)
		}
		add(recs)
	}
	for chunk := range slices.Chunk(rows, 500) {
		recs, err := s.read(ctx, candidatesByName, map[string]any{"probes": chunk, "limit": limit})
		if err != nil {
			return nil, fmt.Errorf("resolution candidates by name: %w", err)
		}
		add(recs)
	}
	return out, nil
}

// maxBodiesOfACountry bounds the public bodies of one country read as the
// candidates of a body's name in another language: a country's state
// bodies are tens, but procurement sources bring thousands of buyers.
const maxBodiesOfACountry = 500

// candidateOf is a graph entity as resolution sees it.
func candidateOf(e Entity) resolve.Candidate {
	return resolve.Candidate{ID: e.ID, Schema: e.Schema, Country: e.Country,
		Names: append([]string{e.Name}, e.Aliases...), Identifiers: e.Identifiers}
}

// fullTextQuery is a Lucene query for names: their words as written
// (letters and digits) and as normalised, since the index holds names in
// their own script.
func fullTextQuery(names []string) string {
	seen := map[string]bool{}
	var terms []string
	add := func(w string) {
		if w != "" && !seen[w] && len(terms) < 32 {
			seen[w] = true
			terms = append(terms, w)
		}
	}
	for _, n := range names {
		for _, w := range strings.FieldsFunc(strings.ToLower(n), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			add(w)
		}
		for _, w := range resolve.Normalise(n) {
			add(w)
		}
	}
	return luceneQuery(terms)
}

// NotSame returns, for each of ids, the entities judged not the same as
// it, each followed to where it was merged: a newcomer must not be taken
// as an entity one of whose parts was judged different from it.
func (s *Store) NotSame(ctx context.Context, ids []string) (map[string][]string, error) {
	recs, err := s.read(ctx, `
UNWIND $ids AS id
CALL (id) {
  MATCH (j:Judgement {a: id, decision: 'not_same'}) RETURN j.b AS other
  UNION
  MATCH (j:Judgement {b: id, decision: 'not_same'}) RETURN j.a AS other
}
OPTIONAL MATCH (m:MergedEntity {id: other})
RETURN id, coalesce(m.merged_into, other) AS other`, map[string]any{"ids": ids})
	if err != nil {
		return nil, fmt.Errorf("judgements of not the same: %w", err)
	}
	out := map[string][]string{}
	for _, r := range recs {
		id, _ := r.Get("id")
		other, _ := r.Get("other")
		out[id.(string)] = append(out[id.(string)], other.(string))
	}
	return out, nil
}

// readJudgements reads the judgements match selects, with both sides.
func readJudgements(match string) string {
	return match + `
WITH j ORDER BY j.score DESC, j.id SKIP $skip LIMIT $limit
CALL (j) {
  UNWIND [j.a, j.b] AS id
  OPTIONAL MATCH (e:Entity {id: id})
  OPTIONAL MATCH (m:MergedEntity {id: id})
  RETURN collect({id: id, node: coalesce(e, m), into: m.merged_into,
                  claims: CASE WHEN e IS NULL THEN 0 ELSE COUNT { (e)<-[:SUBJECT|OBJECT|PRODUCT]-(:Claim) } END}) AS sides
}
RETURN j, sides`
}

// ListJudgements returns the judgements with one of decisions, the
// highest scores first, with both entities and the total.
func (s *Store) ListJudgements(ctx context.Context, decisions []string, skip, limit int) ([]Judgement, int64, error) {
	recs, err := s.read(ctx, readJudgements("MATCH (j:Judgement) WHERE j.decision IN $decisions"),
		map[string]any{"decisions": decisions, "skip": skip, "limit": limit})
	if err != nil {
		return nil, 0, fmt.Errorf("list judgements: %w", err)
	}
	out := make([]Judgement, 0, len(recs))
	for _, r := range recs {
		out = append(out, judgementFromRecord(r))
	}
	total, err := s.read(ctx, "MATCH (j:Judgement) WHERE j.decision IN $decisions RETURN count(j) AS n", map[string]any{"decisions": decisions})
	if err != nil {
		return nil, 0, fmt.Errorf("count judgements: %w", err)
	}
	n, _ := total[0].Get("n")
	return out, n.(int64), nil
}

// Judgement returns one judgement with both entities.
func (s *Store) Judgement(ctx context.Context, id string) (Judgement, error) {
	recs, err := s.read(ctx, readJudgements("MATCH (j:Judgement {id: $id})"), map[string]any{"id": id, "skip": 0, "limit": 1})
	if err != nil {
		return Judgement{}, fmt.Errorf("judgement %s: %w", id, err)
	}
	if len(recs) == 0 {
		return Judgement{}, fmt.Errorf("judgement %s: %w", id, ErrNotFound)
	}
	return judgementFromRecord(recs[0]), nil
}

func judgementFromRecord(r *neo4j.Record) Judgement {
	jn, _ := r.Get("j")
	p := jn.(dbtype.Node).Props
	j := Judgement{ID: str(p, "id"), A: str(p, "a"), B: str(p, "b"), Decision: str(p, "decision"),
		Explanation: str(p, "explanation"), ProposedBy: str(p, "proposed_by"), ProposedAt: str(p, "proposed_at"),
		DecidedBy: str(p, "decided_by"), DecidedAt: str(p, "decided_at"), Note: str(p, "note"), Merged: str(p, "merged")}
	j.Score, _ = p["score"].(float64)
	sides, _ := r.Get("sides")
	for _, x := range sides.([]any) {
		m := x.(map[string]any)
		var side JudgedEntity
		if n, ok := m["node"].(dbtype.Node); ok {
			side.Entity = entityFromNode(n)
		} else {
			side.ID = str(m, "id")
		}
		side.MergedInto = str(m, "into")
		if c, ok := m["claims"].(int64); ok {
			side.Claims = int(c)
		}
		switch str(m, "id") {
		case j.A:
			j.Entities[0] = side
		case j.B:
			j.Entities[1] = side
		}
	}
	return j
}

// Decide records a person's decision on a judgement. Same merges the two
// (the entity that was there first survives); any other decision on a
// judgement that had merged them undoes that merge first. Same is refused
// when a part of one was judged not the same as a part of the other. The
// note, when given, is kept with the decision.
func (s *Store) Decide(ctx context.Context, id, decision, note, who string) (Judgement, error) {
	if !slices.Contains(Decisions, decision) {
		return Judgement{}, refused("decision %q is not one of %s", decision, strings.Join(Decisions, ", "))
	}
	j, err := s.Judgement(ctx, id)
	if err != nil {
		return Judgement{}, err
	}
	if j.Decision == decision && j.Note == note {
		return j, nil
	}
	j.Note = note
	if decision == JudgeSame {
		err = s.judgeSame(ctx, j, who)
	} else {
		err = s.judgeApart(ctx, j, decision, who)
	}
	if err != nil {
		return Judgement{}, err
	}
	return s.Judgement(ctx, id)
}

func (s *Store) judgeSame(ctx context.Context, j Judgement, who string) error {
	to, err := s.Redirects(ctx, []string{j.A, j.B})
	if err != nil {
		return err
	}
	keep, merge := cmp.Or(to[j.A], j.A), cmp.Or(to[j.B], j.B)
	if keep != merge {
		_, err := s.mergeEntities(ctx, keep, merge, who, &j)
		return err
	}
	// Already one entity, through other judgements.
	_, err = s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		if err := s.setDecision(ctx, tx, j, JudgeSame, "", who); err != nil {
			return nil, err
		}
		return nil, s.auditTx(ctx, tx, who, "judge", j.ID, map[string]any{"decision": j.Decision}, map[string]any{"decision": JudgeSame, "note": nullable(j.Note)})
	})
	return err
}

// checkNotJudgedApart refuses to merge two entities when anything merged
// into one was judged not the same as anything merged into the other by
// a judgement other than except, the one being changed.
func (s *Store) checkNotJudgedApart(ctx context.Context, a, b, except string) error {
	recs, err := s.read(ctx, `
UNWIND [$a, $b] AS survivor
OPTIONAL MATCH (m:MergedEntity {merged_into: survivor})
WITH survivor, [survivor] + collect(m.id) AS members
UNWIND members AS id
CALL (id) {
  MATCH (j:Judgement {a: id, decision: 'not_same'}) RETURN j.b AS other, j.id AS jid
  UNION
  MATCH (j:Judgement {b: id, decision: 'not_same'}) RETURN j.a AS other, j.id AS jid
}
OPTIONAL MATCH (o:MergedEntity {id: other})
WITH survivor, jid, coalesce(o.merged_into, other) AS otherSurvivor
WHERE otherSurvivor IN [$a, $b] AND otherSurvivor <> survivor AND jid <> $except
RETURN jid LIMIT 1`, map[string]any{"a": a, "b": b, "except": except})
	if err != nil {
		return fmt.Errorf("judgements between %s and %s: %w", a, b, err)
	}
	if len(recs) > 0 {
		jid, _ := recs[0].Get("jid")
		return refused("%s and %s cannot be one entity: judgement %s says a part of one is not the same as a part of the other; change it first", a, b, jid)
	}
	return nil
}

// setDecision sets a judgement's decision, creating the judgement for a
// merge an editor made without one. The caller writes the audit event.
func (s *Store) setDecision(ctx context.Context, tx neo4j.ManagedTransaction, j Judgement, decision, merged, who string) error {
	at := time.Now().UTC().Format(time.RFC3339)
	_, err := s.run(ctx, tx, `
MERGE (j:Judgement {id: $id})
ON CREATE SET j.a = $a, j.b = $b, j.score = $score, j.explanation = $explanation, j.proposed_by = $who, j.proposed_at = $at
SET j.decision = $decision, j.decided_by = $who, j.decided_at = $at, j.note = $note,
    j.merged = CASE $decision WHEN 'same' THEN $merged END`,
		map[string]any{"id": JudgementID(j.A, j.B), "a": j.A, "b": j.B, "score": j.Score, "explanation": j.Explanation,
			"decision": decision, "merged": nullable(merged), "who": who, "at": at, "note": nullable(j.Note)})
	if err != nil {
		return fmt.Errorf("record judgement: %w", err)
	}
	return nil
}

// judgeApart records a decision other than same, undoing the merge the
// judgement had made, if it still stands.
func (s *Store) judgeApart(ctx context.Context, j Judgement, decision, who string) error {
	_, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		if err := s.setDecision(ctx, tx, j, decision, "", who); err != nil {
			return nil, err
		}
		if j.Decision == JudgeSame {
			// Undone already when another judgement took it apart.
			recs, err := s.run(ctx, tx, "MATCH (m:MergedEntity {id: $id}) RETURN m.id AS id", map[string]any{"id": cmp.Or(j.Merged, j.B)})
			if err != nil {
				return nil, fmt.Errorf("judgement %s: %w", j.ID, err)
			}
			if len(recs) > 0 {
				return nil, s.unmergeTx(ctx, tx, cmp.Or(j.Merged, j.B), j.ID, decision, j.Note, who)
			}
		}
		return nil, s.auditTx(ctx, tx, who, "judge", j.ID, map[string]any{"decision": j.Decision}, map[string]any{"decision": decision, "note": nullable(j.Note)})
	})
	return err
}
