package graph

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
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

const writeAudit = `
CREATE (a:AuditEvent {id: $id, at: $at, who: $who, action: $action, target: $target, before: $before, after: $after})`

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
	_, err = s.run(ctx, tx, writeAudit, map[string]any{
		"id": "audit:" + hex.EncodeToString(id[:]), "at": time.Now().UTC().Format(time.RFC3339Nano), "who": who,
		"action": action, "target": target, "before": string(b), "after": string(a),
	})
	return err
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
		// Checked in the transaction that writes the claim.
		exists, err := s.run(ctx, tx, "MATCH (c:Claim {id: $id}) RETURN c.id", map[string]any{"id": c.ID})
		if err != nil {
			return nil, err
		}
		if len(exists) > 0 {
			return nil, fmt.Errorf("%s: %w", c.ID, ErrClaimExists)
		}
		if len(docRows) > 0 {
			if _, err := s.countedTx(ctx, tx, writeDocuments, docRows); err != nil {
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
		if _, err := s.writeClaimBatch(ctx, tx, batch, rows, byID); err != nil {
			return nil, err
		}
		return nil, s.auditTx(ctx, tx, who, "addClaim", c.ID, nil, c)
	})
	if err != nil {
		return Claim{}, err
	}
	added, err := s.ClaimsByID(ctx, []string{c.ID})
	if err != nil {
		return Claim{}, err
	}
	return added[c.ID], nil
}

// ReviewStatuses are the statuses an editor's review may set.
var ReviewStatuses = []string{records.StatusConfirmed, records.StatusDisputed, records.StatusRetracted}

// ReviewClaim sets a claim's status from an editor's review (confirmed,
// disputed or retracted), marks it reviewed so that re-loading its source
// keeps the editor's status, rebuilds its edge and records the change.
func (s *Store) ReviewClaim(ctx context.Context, id, status, note, who string) (Claim, error) {
	if !slices.Contains(ReviewStatuses, status) {
		return Claim{}, fmt.Errorf("review status %q: want confirmed, disputed or retracted", status)
	}
	_, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		recs, err := s.run(ctx, tx, `
MATCH (c:Claim {id: $id})
WITH c, properties(c) AS before
SET c.status = $status, c.reviewed = true, c.review_note = $note, c.reviewed_by = $who, c.reviewed_at = $at
RETURN before, properties(c) AS after`, map[string]any{"id": id, "status": status, "note": nullable(note), "who": who,
			"at": time.Now().UTC().Format(time.RFC3339)})
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, fmt.Errorf("claim %s: %w", id, ErrNotFound)
		}
		before, _ := recs[0].Get("before")
		after, _ := recs[0].Get("after")
		c := claimFromProps(after.(map[string]any))
		key := edgeKey{rel: c.Relation, s: c.Subject, o: c.Object, pair: str(after.(map[string]any), "pair")}
		if err := s.rebuildEdges(ctx, tx, []edgeKey{key}, nil); err != nil {
			return nil, err
		}
		return nil, s.auditTx(ctx, tx, who, "reviewClaim", id, before, after)
	})
	if err != nil {
		return Claim{}, err
	}
	got, err := s.ClaimsByID(ctx, []string{id})
	if err != nil {
		return Claim{}, err
	}
	return got[id], nil
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
// undo is ErrNoReview.
func (s *Store) UndoReview(ctx context.Context, id, who string) (Claim, error) {
	_, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
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
SET c += $restore
WITH c, was
MATCH (a:AuditEvent {id: $event}) SET a.undone = true
RETURN was, properties(c) AS after`, map[string]any{"id": id, "restore": restore, "event": event})
		if err != nil {
			return nil, err
		}
		was, _ := recs[0].Get("was")
		after, _ := recs[0].Get("after")
		c := claimFromProps(after.(map[string]any))
		key := edgeKey{rel: c.Relation, s: c.Subject, o: c.Object, pair: str(after.(map[string]any), "pair")}
		if err := s.rebuildEdges(ctx, tx, []edgeKey{key}, nil); err != nil {
			return nil, err
		}
		return nil, s.auditTx(ctx, tx, who, "undoReview", id, was, after)
	})
	if err != nil {
		return Claim{}, err
	}
	got, err := s.ClaimsByID(ctx, []string{id})
	if err != nil {
		return Claim{}, err
	}
	return got[id], nil
}

// AuditLog returns audit events, newest first, with their total.
func (s *Store) AuditLog(ctx context.Context, skip, limit int) ([]AuditEvent, int64, error) {
	total, recs, err := s.countAndPage(ctx, "MATCH (a:AuditEvent) RETURN count(a) AS total",
		"MATCH (a:AuditEvent) RETURN properties(a) AS a ORDER BY a.at DESC, a.id SKIP $skip LIMIT $limit",
		map[string]any{"skip": max(skip, 0), "limit": clampLimit(limit)})
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
