package graph

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/exportwatch/exportwatch/records"
)

// The states of a suggestion.
const (
	SuggestionOpen     = "open"
	SuggestionAccepted = "accepted"
	SuggestionRejected = "rejected"
)

// Suggestion is a claim an extractor read but did not assert, as stored:
// with its document, and, once an editor decided, the decision.
type Suggestion struct {
	records.Suggestion
	Document Document
	Status   string
	// DecidedBy, DecidedAt and Note say who decided, when and why;
	// Claim is the claim an accepted suggestion became.
	DecidedBy, Note, Claim string
	DecidedAt              time.Time
}

// ErrDecided is returned for a decision on a suggestion already accepted.
var ErrDecided = errors.New("the suggestion was accepted already")

// writeSuggestions merges suggestions by id. A suggestion met again (its
// page scraped once more) keeps its status and decision: a rejected one
// does not come back.
const writeSuggestions = `
UNWIND $rows AS row
MATCH (d:Document {id: row.doc})
MERGE (s:Suggestion {id: row.id})
ON CREATE SET s.status = 'open', s.created = row.now, s.fresh = true
SET s += row.props
MERGE (s)-[:READ_IN]->(d)
WITH s, coalesce(s.fresh, false) AS fresh
REMOVE s.fresh
RETURN collect(CASE WHEN fresh THEN s.id END) AS created, count(*) AS total`

// WriteSuggestions merges suggestions whose documents are in the graph.
func (s *Store) WriteSuggestions(ctx context.Context, sugs []records.Suggestion) (Stats, error) {
	now := time.Now().UTC().Format(time.RFC3339)
	rows := make([]map[string]any, 0, len(sugs))
	for _, sg := range sugs {
		if !slices.Contains(records.Relations, sg.Relation) {
			return Stats{}, fmt.Errorf("suggestion %s: relation %q is not allowed", sg.ID, sg.Relation)
		}
		rows = append(rows, map[string]any{"id": records.SuggestionID(sg), "doc": sg.Evidence.Document, "now": now, "props": suggestionProps(sg)})
	}
	st, err := s.writeNoted(ctx, func(tx neo4j.ManagedTransaction, ch *changes) (Stats, error) {
		recs, err := s.run(ctx, tx, writeSuggestions, map[string]any{"rows": rows})
		if err != nil {
			return Stats{}, err
		}
		created, _ := recs[0].Get("created")
		total, _ := recs[0].Get("total")
		for _, id := range created.([]any) {
			ch.add(ChangeSuggestion, ChangeCreated, id.(string))
		}
		n := len(created.([]any))
		return Stats{Written: n, Unchanged: int(total.(int64)) - n}, nil
	})
	if err != nil {
		return Stats{}, fmt.Errorf("write suggestions: %w", err)
	}
	return st, nil
}

func suggestionProps(sg records.Suggestion) map[string]any {
	props := map[string]any{"relation": sg.Relation, "quote": sg.Evidence.Quote, "locator": sg.Evidence.Locator,
		"confidence": sg.Confidence, "reasons": orEmpty(sg.Reasons), "extractor": sg.Extractor}
	for side, p := range map[string]records.Party{"subject": sg.Subject, "object": sg.Object} {
		props[side+"_id"], props[side+"_name"], props[side+"_schema"], props[side+"_country"] = p.ID, p.Name, p.Schema, p.Country
	}
	return props
}

func suggestionFrom(p map[string]any, doc map[string]any) Suggestion {
	party := func(side string) records.Party {
		return records.Party{ID: str(p, side+"_id"), Name: str(p, side+"_name"), Schema: str(p, side+"_schema"), Country: str(p, side+"_country")}
	}
	conf, _ := p["confidence"].(float64)
	sg := Suggestion{Suggestion: records.Suggestion{ID: str(p, "id"), Relation: str(p, "relation"), Subject: party("subject"),
		Object: party("object"), Confidence: conf, Reasons: strs(p, "reasons"), Extractor: str(p, "extractor"),
		Evidence: records.Evidence{Document: str(doc, "id"), Quote: str(p, "quote"), Locator: str(p, "locator")}},
		Status: str(p, "status"), DecidedBy: str(p, "decided_by"), Note: str(p, "note"), Claim: str(p, "claim")}
	sg.Document = Document{ID: str(doc, "id"), URL: str(doc, "url"), Title: str(doc, "title"), Publisher: str(doc, "publisher"), Published: str(doc, "published")}
	sg.DecidedAt, _ = time.Parse(time.RFC3339, str(p, "decided_at"))
	return sg
}

// Suggestions returns the suggestions with a status (all when empty),
// newest first, with their total.
func (s *Store) Suggestions(ctx context.Context, status string, skip, limit int) ([]Suggestion, int64, error) {
	params := map[string]any{"status": nullable(status), "skip": max(skip, 0), "limit": clampLimit(limit)}
	total, recs, err := s.countAndPage(ctx,
		"MATCH (s:Suggestion) WHERE $status IS NULL OR s.status = $status RETURN count(s) AS total", `
MATCH (s:Suggestion)-[:READ_IN]->(d:Document)
WHERE $status IS NULL OR s.status = $status
RETURN properties(s) AS s, properties(d) AS d
ORDER BY s.created DESC, s.id SKIP $skip LIMIT $limit`, params)
	if err != nil {
		return nil, 0, fmt.Errorf("suggestions: %w", err)
	}
	out := make([]Suggestion, 0, len(recs))
	for _, r := range recs {
		p, _ := r.Get("s")
		d, _ := r.Get("d")
		out = append(out, suggestionFrom(p.(map[string]any), d.(map[string]any)))
	}
	return out, total, nil
}

// RejectSuggestion marks a suggestion rejected, with the editor's note,
// and records the change. Rejecting it again changes nothing; a suggestion
// already accepted is not rejected (its claim is retracted instead).
func (s *Store) RejectSuggestion(ctx context.Context, id, note, who string) (Suggestion, error) {
	_, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		before, err := s.openSuggestionTx(ctx, tx, id)
		if err != nil || str(before, "status") == SuggestionRejected {
			return nil, err
		}
		recs, err := s.run(ctx, tx, `
MATCH (s:Suggestion {id: $id})
SET s.status = 'rejected', s.decided_by = $who, s.decided_at = $at, s.note = $note
RETURN properties(s) AS after`, map[string]any{"id": id, "who": who, "at": time.Now().UTC().Format(time.RFC3339), "note": nullable(note)})
		if err != nil {
			return nil, err
		}
		after, _ := recs[0].Get("after")
		if err := s.changed(ctx, tx, ChangeSuggestion, ChangeUpdated, id); err != nil {
			return nil, err
		}
		return nil, s.auditTx(ctx, tx, who, "rejectSuggestion", id, before, after)
	})
	if err != nil {
		return Suggestion{}, err
	}
	return s.suggestion(ctx, id)
}

// AcceptSuggestion makes a suggestion a reported claim, quoting its
// sentence, in one transaction: a party the graph does not have yet
// becomes an entity (by the id a record of it would get, so accepting it
// again, or loading the same entity later, finds it), the claim and its
// edge are written, the suggestion is marked accepted with the claim's
// id, and the change is recorded. Accepting it again changes nothing.
func (s *Store) AcceptSuggestion(ctx context.Context, id, note, who string) (Suggestion, error) {
	_, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		before, err := s.openSuggestionTx(ctx, tx, id)
		if errors.Is(err, ErrDecided) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		sg := suggestionFrom(before, map[string]any{"id": str(before, "doc")})
		ends := map[string]string{}
		var fresh []records.Entity
		var ch changes
		for side, p := range map[string]records.Party{"subject": sg.Subject, "object": sg.Object} {
			if p.ID != "" {
				recs, err := s.run(ctx, tx, resolveID("$id", "rid")+"\nMATCH (e:Entity {id: rid}) RETURN e.id AS id", map[string]any{"id": p.ID})
				if err != nil {
					return nil, err
				}
				if len(recs) == 0 {
					return nil, fmt.Errorf("suggestion %s: its %s %s is not in the graph: %w", id, side, p.ID, ErrNotFound)
				}
				got, _ := recs[0].Get("id")
				ends[side] = got.(string)
				continue
			}
			e := records.Entity{Schema: p.Schema, Names: []string{p.Name}, Country: p.Country, Document: sg.Evidence.Document}
			e.ID = records.EntityID(e)
			ends[side] = e.ID
			fresh = append(fresh, e)
		}
		if ends["subject"] == ends["object"] {
			return nil, fmt.Errorf("suggestion %s: subject and object are one entity, %s", id, ends["subject"])
		}
		if len(fresh) > 0 {
			rows, err := entityRows(fresh)
			if err != nil {
				return nil, err
			}
			if _, err := s.writeEntitiesTx(ctx, tx, &ch, rows); err != nil {
				return nil, err
			}
		}
		c := records.Claim{V: records.Version, Relation: sg.Relation, Subject: ends["subject"], Object: ends["object"],
			Stance: records.StanceAsserts, Status: records.StatusReported, Confidence: sg.Confidence,
			Summary:   "Accepted by " + who + " from a suggestion of " + sg.Extractor + ": " + strings.Join(sg.Reasons, "; ") + ".",
			Evidence:  []records.Evidence{{Document: sg.Evidence.Document, Quote: sg.Evidence.Quote, Locator: sg.Evidence.Locator}},
			Extractor: "editor:" + who}
		if err := c.Validate(); err != nil {
			return nil, fmt.Errorf("suggestion %s: %w", id, err)
		}
		c.ID = records.ClaimID(c, c.Subject, c.Object, "")
		batch := []ClaimWrite{{Claim: c}}
		rows, byID, err := claimRows(batch)
		if err != nil {
			return nil, err
		}
		if _, err := s.writeClaimBatch(ctx, tx, &ch, batch, rows, byID); err != nil {
			return nil, err
		}
		recs, err := s.run(ctx, tx, `
MATCH (s:Suggestion {id: $id})
SET s.status = 'accepted', s.decided_by = $who, s.decided_at = $at, s.note = $note, s.claim = $claim
RETURN properties(s) AS after`, map[string]any{"id": id, "who": who, "at": time.Now().UTC().Format(time.RFC3339), "note": nullable(note), "claim": c.ID})
		if err != nil {
			return nil, err
		}
		after, _ := recs[0].Get("after")
		ch.add(ChangeSuggestion, ChangeUpdated, id)
		if err := s.appendChanges(ctx, tx, &ch); err != nil {
			return nil, err
		}
		return nil, s.auditTx(ctx, tx, who, "acceptSuggestion", id, before, after)
	})
	if err != nil {
		return Suggestion{}, err
	}
	return s.suggestion(ctx, id)
}

// openSuggestionTx reads a suggestion's properties, with its document's id
// as doc, for a decision: ErrNotFound when there is none, ErrDecided when
// it was accepted already.
func (s *Store) openSuggestionTx(ctx context.Context, tx neo4j.ManagedTransaction, id string) (map[string]any, error) {
	recs, err := s.run(ctx, tx, `
MATCH (s:Suggestion {id: $id})-[:READ_IN]->(d:Document)
RETURN properties(s) AS s, d.id AS doc`, map[string]any{"id": id})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("suggestion %s: %w", id, ErrNotFound)
	}
	raw, _ := recs[0].Get("s")
	doc, _ := recs[0].Get("doc")
	p := raw.(map[string]any)
	p["doc"] = doc
	if str(p, "status") == SuggestionAccepted {
		return p, fmt.Errorf("suggestion %s, as claim %s: %w", id, str(p, "claim"), ErrDecided)
	}
	return p, nil
}

// suggestion reads one suggestion with its document.
func (s *Store) suggestion(ctx context.Context, id string) (Suggestion, error) {
	recs, err := s.read(ctx, `
MATCH (s:Suggestion {id: $id})-[:READ_IN]->(d:Document)
RETURN properties(s) AS s, properties(d) AS d`, map[string]any{"id": id})
	if err != nil {
		return Suggestion{}, fmt.Errorf("suggestion %s: %w", id, err)
	}
	if len(recs) == 0 {
		return Suggestion{}, fmt.Errorf("suggestion %s: %w", id, ErrNotFound)
	}
	p, _ := recs[0].Get("s")
	d, _ := recs[0].Get("d")
	return suggestionFrom(p.(map[string]any), d.(map[string]any)), nil
}
