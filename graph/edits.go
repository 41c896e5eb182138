package graph

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/exportwatch/exportwatch/records"
)

// Editors change the graph through the API; every change writes an audit
// event in the same transaction, so there is no change without its record
// and no record of a change that did not happen.

// AuditEvent records one editor's change: who, when, what, and the state
// before and after as JSON.
type AuditEvent struct {
	ID     string
	At     time.Time
	Who    string
	Action string
	Target string
	Before string
	After  string
}

// auditTime is an audit event's time: fixed width, so that the times
// sort as strings in the order they happened (RFC 3339 with nanoseconds
// drops trailing zeros, and ".1Z" would sort after ".12Z").
const auditTime = "2006-01-02T15:04:05.000000000Z"

const writeAudit = `
CREATE (a:AuditEvent {id: $id, at: $at, who: $who, action: $action, target: $target, before: $before, after: $after,
  status_before: $statusBefore, name_before: $nameBefore, history: true})`

// historyOf is what reading the graph as of a moment needs of a change,
// kept beside its JSON so Cypher can read it: the status its target had
// before (a claim's review), and the name before a change of name.
func historyOf(before, after any) (statusBefore, nameBefore any) {
	b, _ := before.(map[string]any)
	a, _ := after.(map[string]any)
	if st, ok := b["status"].(string); ok {
		statusBefore = st
	}
	if n, ok := b["name"].(string); ok && n != a["name"] {
		nameBefore = n
	}
	return statusBefore, nameBefore
}

func (s *Store) auditTx(ctx context.Context, tx neo4j.ManagedTransaction, who, action, target string, before, after any) error {
	b, err := json.Marshal(before)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	a, err := json.Marshal(after)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	var id [10]byte
	if _, err := rand.Read(id[:]); err != nil {
		return fmt.Errorf("audit id: %w", err)
	}
	statusBefore, nameBefore := historyOf(before, after)
	_, err = s.run(ctx, tx, writeAudit, map[string]any{
		"id": "audit:" + hex.EncodeToString(id[:]), "at": time.Now().UTC().Format(auditTime), "who": who,
		"action": action, "target": target, "before": string(b), "after": string(a),
		"statusBefore": statusBefore, "nameBefore": nameBefore,
	})
	return err
}

// refuseExisting is exists, wrapped with the id, when a node of label
// (Claim or Entity, from this package) has the id: an editor's new claim
// or entity must not overwrite one the graph holds.
func (s *Store) refuseExisting(ctx context.Context, tx neo4j.ManagedTransaction, label, id string, exists error) error {
	recs, err := s.run(ctx, tx, "MATCH (n:"+label+" {id: $id}) RETURN n.id", map[string]any{"id": id})
	if err != nil {
		return err
	}
	if len(recs) > 0 {
		return fmt.Errorf("%s: %w", id, exists)
	}
	return nil
}

// ErrClaimExists is AddClaim's answer for a claim the graph already holds
// from the same documents: adding it again would replace its evidence.
var ErrClaimExists = errors.New("the claim is already recorded from these documents")

// AddClaim writes an editor's claim with its documents, rebuilds its edge
// and records the change, in one transaction. The claim's subject, object
// and product must be graph ids of existing entities, and every evidence
// document must be among docs or already in the graph. A claim already in
// the graph is ErrClaimExists, wrapped with its id.
func (s *Store) AddClaim(ctx context.Context, docs []records.Document, c records.Claim, who string) (Claim, error) {
	docRows, err := documentRows(docs)
	if err != nil {
		return Claim{}, err
	}
	c.ID = records.ClaimID(c, c.Subject, c.Object, c.Product)
	batch := []ClaimWrite{{Claim: c}}
	rows, byID, err := claimRows(batch)
	if err != nil {
		return Claim{}, err
	}
	_, err = s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		// Two editors adding the same claim at once: locking its ends
		// (as every claim write does) makes the second wait for the first
		// to commit, and then see its claim.
		if err := s.lockEnds(ctx, tx, []string{c.Subject, c.Object}); err != nil {
			return nil, err
		}
		if err := s.refuseExisting(ctx, tx, "Claim", c.ID, ErrClaimExists); err != nil {
			return nil, err
		}
		// A page cited again replaces its document's copy, hash and
		// retrieval time, as a scrape of it would; the audit event keeps
		// what they were.
		docIDs := make([]string, len(docs))
		for i, d := range docs {
			docIDs[i] = d.ID
		}
		prior, err := s.run(ctx, tx, "UNWIND $ids AS id MATCH (d:Document {id: id}) RETURN collect(properties(d)) AS docs", map[string]any{"ids": docIDs})
		if err != nil {
			return nil, err
		}
		priorDocs, _ := prior[0].Get("docs")
		var ch changes
		if len(docRows) > 0 {
			if _, err := s.createOrMergeTx(ctx, tx, &ch, ChangeDocument, docRows, createDocuments, writeDocuments); err != nil {
				return nil, fmt.Errorf("write documents: %w", err)
			}
		}
		// Checked inside the transaction, so a document cannot vanish
		// between the check and the write.
		ids := make([]string, 0, len(c.Evidence))
		for _, ev := range c.Evidence {
			ids = append(ids, ev.Document)
		}
		recs, err := s.run(ctx, tx, "UNWIND $ids AS id MATCH (d:Document {id: id}) RETURN count(DISTINCT d) AS n", map[string]any{"ids": ids})
		if err != nil {
			return nil, err
		}
		if n, _ := recs[0].Get("n"); int(n.(int64)) != len(slices.Compact(slices.Sorted(slices.Values(ids)))) {
			return nil, fmt.Errorf("add claim: an evidence document is not in the graph: %w", ErrNotFound)
		}
		if _, err := s.writeClaimBatch(ctx, tx, &ch, batch, rows, byID); err != nil {
			return nil, err
		}
		if err := s.appendChanges(ctx, tx, &ch); err != nil {
			return nil, err
		}
		var before any
		if len(priorDocs.([]any)) > 0 {
			before = map[string]any{"documents": priorDocs}
		}
		return nil, s.auditTx(ctx, tx, who, "addClaim", c.ID, before, map[string]any{"claim": c, "documents": docs})
	})
	if err != nil {
		return Claim{}, err
	}
	return s.claimByID(ctx, c.ID)
}

// claimByID reads one claim with its ends and evidence, as an editor's
// change answers.
func (s *Store) claimByID(ctx context.Context, id string) (Claim, error) {
	got, err := s.ClaimsByID(ctx, []string{id})
	if err != nil {
		return Claim{}, err
	}
	return got[id], nil
}

// rebuildClaimEdge rebuilds the direct edge a claim (its properties after
// a change) counts towards, in the change's transaction.
func (s *Store) rebuildClaimEdge(ctx context.Context, tx neo4j.ManagedTransaction, props map[string]any) error {
	c := claimFromProps(props)
	return s.rebuildEdges(ctx, tx, []edgeKey{{rel: c.Relation, s: c.Subject, o: c.Object, pair: str(props, "pair")}}, nil)
}

// ReviewStatuses are the statuses an editor's review may set.
var ReviewStatuses = []string{records.StatusConfirmed, records.StatusDisputed, records.StatusRetracted}

// ConflictError is an editor's change to a claim or an entity that
// another change reached first: the version the editor read is no longer
// the current one.
type ConflictError struct {
	What          string // "claim claim:…", "entity company/…"
	Read, Current int64
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s was changed by someone else since you read it (you read version %d, it is now at %d)", e.What, e.Read, e.Current)
}

// lockVersion locks a claim or an entity for the rest of the
// transaction (by writing to it), compares its version with the one the
// editor read (a nil version is not compared) and returns its
// properties. Versions start at 0 and each editor's change adds one.
func (s *Store) lockVersion(ctx context.Context, tx neo4j.ManagedTransaction, label, id string, version *int64) (map[string]any, error) {
	// Label is Claim or Entity, from this package.
	recs, err := s.run(ctx, tx, "MATCH (n:"+label+" {id: $id}) SET n.version = coalesce(n.version, 0) RETURN properties(n) AS props", map[string]any{"id": id})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s %s: %w", strings.ToLower(label), id, ErrNotFound)
	}
	raw, _ := recs[0].Get("props")
	props := raw.(map[string]any)
	if v := props["version"].(int64); version != nil && v != *version {
		return nil, &ConflictError{What: strings.ToLower(label) + " " + id, Read: *version, Current: v}
	}
	return props, nil
}

// ReviewClaim sets a claim's status from an editor's review (confirmed,
// disputed or retracted), marks it reviewed so that re-loading its source
// keeps the editor's status, rebuilds its edge and records the change.
// With version set, a claim changed since that version is a
// *ConflictError and nothing is written.
func (s *Store) ReviewClaim(ctx context.Context, id, status, note, who string, version *int64) (Claim, error) {
	if !slices.Contains(ReviewStatuses, status) {
		return Claim{}, fmt.Errorf("review status %q: want confirmed, disputed or retracted", status)
	}
	_, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		if _, err := s.lockVersion(ctx, tx, "Claim", id, version); err != nil {
			return nil, err
		}
		recs, err := s.run(ctx, tx, `
MATCH (c:Claim {id: $id})
WITH c, properties(c) AS before
SET c.status = $status, c.reviewed = true, c.review_note = $note, c.reviewed_by = $who, c.reviewed_at = $at,
    c.version = c.version + 1
RETURN before, properties(c) AS after`, map[string]any{"id": id, "status": status, "note": nullable(note), "who": who,
			"at": time.Now().UTC().Format(time.RFC3339)})
		if err != nil {
			return nil, err
		}
		before, _ := recs[0].Get("before")
		after, _ := recs[0].Get("after")
		if err := s.rebuildClaimEdge(ctx, tx, after.(map[string]any)); err != nil {
			return nil, err
		}
		if err := s.changed(ctx, tx, ChangeClaim, claimChange(after.(map[string]any)), id); err != nil {
			return nil, err
		}
		return nil, s.auditTx(ctx, tx, who, "reviewClaim", id, before, after)
	})
	if err != nil {
		return Claim{}, err
	}
	return s.claimByID(ctx, id)
}

// ErrNoReview is returned when a claim has no review left to undo.
var ErrNoReview = errors.New("the claim has no review to undo")

// reviewFields are the properties a review sets on a claim, which undoing
// it puts back as they were.
var reviewFields = []string{"status", "reviewed", "review_note", "reviewed_by", "reviewed_at"}

// UndoReview undoes the latest review of a claim not undone yet: the
// claim's status and review return to what they were before it, the edge
// is rebuilt, the review's audit event is marked undone, and the undoing
// is audited itself, all in one transaction. A claim with no review to
// undo is ErrNoReview; one changed since version (when set) is a
// *ConflictError.
func (s *Store) UndoReview(ctx context.Context, id, who string, version *int64) (Claim, error) {
	_, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		if _, err := s.lockVersion(ctx, tx, "Claim", id, version); err != nil {
			return nil, err
		}
		recs, err := s.run(ctx, tx, `
MATCH (c:Claim {id: $id})
OPTIONAL MATCH (a:AuditEvent {action: 'reviewClaim', target: $id}) WHERE a.undone IS NULL
WITH c, a ORDER BY a.at DESC LIMIT 1
RETURN properties(c) AS current, a.id AS event, a.before AS before`, map[string]any{"id": id})
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, fmt.Errorf("claim %s: %w", id, ErrNotFound)
		}
		event, _ := recs[0].Get("event")
		raw, _ := recs[0].Get("before")
		if event == nil {
			return nil, fmt.Errorf("claim %s: %w", id, ErrNoReview)
		}
		var before map[string]any
		if err := json.Unmarshal([]byte(raw.(string)), &before); err != nil {
			return nil, fmt.Errorf("claim %s: the review's audit event holds no state: %w", id, err)
		}
		restore := map[string]any{}
		for _, f := range reviewFields {
			restore[f] = before[f] // absent before: removed (SET to null)
		}
		recs, err = s.run(ctx, tx, `
MATCH (c:Claim {id: $id})
WITH c, properties(c) AS was
SET c += $restore, c.version = c.version + 1,
    // The next load of the source sets the claim's status again (it may
    // have changed while the review stood): a hash no row has.
    c.rowhash = 'undone'
WITH c, was
MATCH (a:AuditEvent {id: $event}) SET a.undone = true
RETURN was, properties(c) AS after`, map[string]any{"id": id, "restore": restore, "event": event})
		if err != nil {
			return nil, err
		}
		was, _ := recs[0].Get("was")
		after, _ := recs[0].Get("after")
		if err := s.rebuildClaimEdge(ctx, tx, after.(map[string]any)); err != nil {
			return nil, err
		}
		if err := s.changed(ctx, tx, ChangeClaim, claimChange(after.(map[string]any)), id); err != nil {
			return nil, err
		}
		return nil, s.auditTx(ctx, tx, who, "undoReview", id, was, after)
	})
	if err != nil {
		return Claim{}, err
	}
	return s.claimByID(ctx, id)
}

// AuditFilter narrows the audit log; empty fields do not.
type AuditFilter struct {
	Who    string // the editor's key name
	Action string // addClaim, reviewClaim, editEntity, …
	// Target is a claim's or an entity's id, matched whole; an entity's
	// takes in the changes to its claims and the merges that name it.
	Target string
}

// AuditLog returns audit events, newest first, with their total.
func (s *Store) AuditLog(ctx context.Context, f AuditFilter, skip, limit int) ([]AuditEvent, int64, error) {
	const match = `
MATCH (a:AuditEvent)
WHERE ($who = '' OR a.who = $who) AND ($action = '' OR a.action = $action)
  AND ($target = '' OR $target IN split(replace(a.target, ' ← ', ' → '), ' → ')
       OR EXISTS { MATCH (:Claim {id: a.target})-[:SUBJECT|OBJECT|PRODUCT]->(:Entity {id: $target}) })`
	total, recs, err := s.countAndPage(ctx, match+" RETURN count(a) AS total",
		match+" RETURN properties(a) AS a ORDER BY a.at DESC, a.id SKIP $skip LIMIT $limit",
		map[string]any{"skip": max(skip, 0), "limit": clampLimit(limit), "who": f.Who, "action": f.Action, "target": f.Target})
	if err != nil {
		return nil, 0, fmt.Errorf("audit log: %w", err)
	}
	out := make([]AuditEvent, 0, len(recs))
	for _, r := range recs {
		raw, _ := r.Get("a")
		p := raw.(map[string]any)
		at, _ := time.Parse(time.RFC3339Nano, str(p, "at"))
		out = append(out, AuditEvent{ID: str(p, "id"), At: at, Who: str(p, "who"), Action: str(p, "action"),
			Target: str(p, "target"), Before: str(p, "before"), After: str(p, "after")})
	}
	return out, total, nil
}

// EntityEdit is an editor's change to an entity. Empty fields change
// nothing; Country and Description, when set, replace the stored value
// ("" removes it).
type EntityEdit struct {
	// Name becomes the display name; the old one stays an alias.
	Name          string
	AddAliases    []string
	RemoveAliases []string
	// AddIdentifiers are checked by the caller (records.CheckIdentifier);
	// RemoveIdentifiers are "scheme:value" as the entity lists them.
	AddIdentifiers    map[string]string
	RemoveIdentifiers []string
	Country           *string
	Description       *string
}

// RefusedEditError is an edit that cannot apply as asked (removing the
// display name, or a name or identifier the entity does not have), with
// the EntityEdit field it is about.
type RefusedEditError struct {
	Field  string // removeAliases, removeIdentifiers
	Reason string
}

func (e *RefusedEditError) Error() string { return e.Reason }

// EditEntity applies an editor's edit to an entity and records it with
// the state before and after, in one transaction. What an editor removes
// stays removed and what an editor sets stays set when a source is loaded
// again (the entity keeps removed_aliases, removed_identifiers and the
// list of edited fields, which the loader's merge respects). With version
// set, an entity changed since that version is a *ConflictError.
func (s *Store) EditEntity(ctx context.Context, id string, edit EntityEdit, who string, version *int64) (Entity, error) {
	_, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		props, err := s.lockVersion(ctx, tx, "Entity", id, version)
		if err != nil {
			return nil, err
		}
		name := str(props, "name")
		aliases := strs(props, "aliases")
		identifiers := strs(props, "identifiers")
		removedAliases := strs(props, "removed_aliases")
		removedIdentifiers := strs(props, "removed_identifiers")
		edited := strs(props, "edited")

		if edit.Name != "" && edit.Name != name {
			if !slices.Contains(aliases, name) && name != "" {
				aliases = append(aliases, name)
			}
			name = edit.Name
			edited = appendNew(edited, "name")
		}
		for _, a := range append(slices.Clone(edit.AddAliases), name) {
			aliases = appendNew(aliases, a)
			removedAliases = slices.DeleteFunc(removedAliases, func(r string) bool { return r == a })
		}
		for _, a := range edit.RemoveAliases {
			switch {
			case a == name:
				return nil, &RefusedEditError{Field: "removeAliases", Reason: fmt.Sprintf("%q is the display name; give another name first", a)}
			case !slices.Contains(aliases, a):
				return nil, &RefusedEditError{Field: "removeAliases", Reason: fmt.Sprintf("%q is not a name of %s", a, id)}
			}
			aliases = slices.DeleteFunc(aliases, func(x string) bool { return x == a })
			removedAliases = appendNew(removedAliases, a)
		}
		// The schemes whose lookup property (id_lei, …) the statement
		// sets again from the identifiers list.
		var schemes []string
		for _, i := range edit.RemoveIdentifiers {
			if !slices.Contains(identifiers, i) {
				return nil, &RefusedEditError{Field: "removeIdentifiers", Reason: fmt.Sprintf("%s has no identifier %q", id, i)}
			}
			identifiers = slices.DeleteFunc(identifiers, func(x string) bool { return x == i })
			removedIdentifiers = appendNew(removedIdentifiers, i)
			scheme, _, _ := strings.Cut(i, ":")
			schemes = appendNew(schemes, scheme)
		}
		for _, scheme := range slices.Sorted(maps.Keys(edit.AddIdentifiers)) {
			i := scheme + ":" + edit.AddIdentifiers[scheme]
			// One value per scheme: a new one replaces the old, which
			// stays removed.
			for _, old := range identifiers {
				if strings.HasPrefix(old, scheme+":") && old != i {
					removedIdentifiers = appendNew(removedIdentifiers, old)
				}
			}
			identifiers = slices.DeleteFunc(identifiers, func(x string) bool { return strings.HasPrefix(x, scheme+":") })
			identifiers = appendNew(identifiers, i)
			removedIdentifiers = slices.DeleteFunc(removedIdentifiers, func(x string) bool { return x == i })
			schemes = appendNew(schemes, scheme)
		}
		country, description := props["country"], props["description"]
		if edit.Country != nil {
			country = nullable(*edit.Country)
			edited = appendNew(edited, "country")
		}
		if edit.Description != nil {
			description = nullable(*edit.Description)
			edited = appendNew(edited, "description")
		}
		recs, err := s.run(ctx, tx, `
MATCH (e:Entity {id: $id})
SET e.name = $name, e.aliases = $aliases, e.identifiers = $identifiers, e.country = $country, e.description = $description,
    e.removed_aliases = $removedAliases, e.removed_identifiers = $removedIdentifiers, e.edited = $edited,
    e.version = e.version + 1
WITH e
`+syncLookups("e", "$schemes")+`
SET e.aliases_text = `+aliasesText("e")+`
RETURN properties(e) AS after`, map[string]any{"id": id, "name": name, "aliases": aliases, "identifiers": identifiers,
			"country": country, "description": description, "removedAliases": orNull(removedAliases),
			"removedIdentifiers": orNull(removedIdentifiers), "edited": orNull(edited), "schemes": schemes})
		if err != nil {
			return nil, err
		}
		after, _ := recs[0].Get("after")
		if err := s.refreshSupplyIndexOf(ctx, tx, id); err != nil {
			return nil, err
		}
		if err := s.changed(ctx, tx, ChangeEntity, ChangeUpdated, id); err != nil {
			return nil, err
		}
		return nil, s.auditTx(ctx, tx, who, "editEntity", id, props, after)
	})
	if err != nil {
		return Entity{}, err
	}
	return s.entityByID(ctx, id)
}

// entityByID reads one entity, as an editor's change answers.
func (s *Store) entityByID(ctx context.Context, id string) (Entity, error) {
	got, err := s.EntitiesByID(ctx, []string{id})
	if err != nil {
		return Entity{}, err
	}
	return got[id], nil
}

// orNull is a list to store, or nil for an empty one, which removes the
// property rather than keep an empty list on every edited entity.
func orNull(list []string) any {
	if len(list) == 0 {
		return nil
	}
	return list
}

// appendNew appends v unless the list holds it.
func appendNew(list []string, v string) []string {
	if slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}

// CreateEntity writes an entity an editor makes (for a claim whose party
// the graph does not know yet) and records it, in one transaction. An
// entity with the same id (same schema, name and country, or the same
// strongest identifier) is ErrEntityExists, wrapped with its id.
func (s *Store) CreateEntity(ctx context.Context, e records.Entity, who string) (Entity, error) {
	e.ID = records.EntityID(e)
	rows, err := entityRows([]records.Entity{e})
	if err != nil {
		return Entity{}, err
	}
	_, err = s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		if err := s.refuseExisting(ctx, tx, "Entity", e.ID, ErrEntityExists); err != nil {
			return nil, err
		}
		var ch changes
		if _, err := s.writeEntitiesTx(ctx, tx, &ch, rows); err != nil {
			return nil, err
		}
		if err := s.appendChanges(ctx, tx, &ch); err != nil {
			return nil, err
		}
		return nil, s.auditTx(ctx, tx, who, "createEntity", e.ID, nil, e)
	})
	// Another editor created the same entity between the check and the
	// write: the unique constraint refused this one.
	var nerr *neo4j.Neo4jError
	if errors.As(err, &nerr) && nerr.Code == "Neo.ClientError.Schema.ConstraintValidationFailed" {
		return Entity{}, fmt.Errorf("%s: %w", e.ID, ErrEntityExists)
	}
	if err != nil {
		return Entity{}, err
	}
	return s.entityByID(ctx, e.ID)
}

// ErrEntityExists is CreateEntity's answer for an entity already in the
// graph.
var ErrEntityExists = errors.New("the entity is already in the graph")
