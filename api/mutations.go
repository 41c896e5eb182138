package api

import (
	"context"
	"errors"
	"fmt"

	"github.com/exportwatch/exportwatch/api/model"
	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/records"
)

// claimRecords turns an editor's input into records, validated by the same
// rules as any record file, with the editor's key name as extractor.
func claimRecords(in model.ClaimInput, who string) ([]records.Document, records.Claim, error) {
	status := string(deref(in.Status))
	if status == "" {
		status = records.StatusReported
	}
	if status != records.StatusReported && status != records.StatusDocumented {
		return nil, records.Claim{}, badInput("status: a new claim is reported or documented; confirming, disputing and retracting are reviews")
	}
	c := records.Claim{
		V: records.Version, Relation: string(in.Relation), Subject: entityRef(in.Subject), Object: entityRef(in.Object),
		Stance: string(deref(in.Stance)), Status: status, Confidence: in.Confidence, Start: deref(in.Start), End: deref(in.End),
		Stage: deref(in.Stage), Product: deref(in.Product), Quantity: deref(in.Quantity), Value: in.Value,
		Currency: deref(in.Currency), Role: deref(in.Role), Share: deref(in.Share), List: deref(in.List),
		Program: deref(in.Program), Summary: deref(in.Summary), Extractor: "api:" + who,
	}
	if c.Stance == "" {
		c.Stance = records.StanceAsserts
	}
	var docs []records.Document
	for i, ev := range in.Evidence {
		d := records.Document{V: records.Version, URL: ev.Document.URL, Title: deref(ev.Document.Title),
			Publisher: deref(ev.Document.Publisher), Published: deref(ev.Document.Published), Origin: records.OriginCurated}
		if err := d.Validate(); err != nil {
			return nil, records.Claim{}, badInput("evidence[%d].document: %v", i, err)
		}
		d.ID = records.DocumentID(d.URL)
		docs = append(docs, d)
		c.Evidence = append(c.Evidence, records.Evidence{Document: d.ID, Quote: deref(ev.Quote),
			Paraphrase: deref(ev.Paraphrase), Locator: deref(ev.Locator)})
	}
	if err := c.Validate(); err != nil {
		return nil, records.Claim{}, badInput("%v", err)
	}
	return docs, c, nil
}

func (r *Resolver) addClaim(ctx context.Context, in model.ClaimInput) (*model.Claim, error) {
	p, err := requireEditor(ctx)
	if err != nil {
		return nil, err
	}
	docs, c, err := claimRecords(in, p.Name)
	if err != nil {
		return nil, err
	}
	ids := []string{c.Subject, c.Object}
	if c.Product != "" {
		ids = append(ids, c.Product)
	}
	found, err := r.Store.EntitiesByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if _, ok := found[id]; !ok {
			return nil, badInput("no entity %q", id)
		}
	}
	// A merged id names its survivor.
	c.Subject, c.Object = found[c.Subject].ID, found[c.Object].ID
	if c.Product != "" {
		c.Product = found[c.Product].ID
	}
	if c.Subject == c.Object {
		return nil, badInput("subject and object are the same entity, %s", c.Subject)
	}
	added, err := r.Store.AddClaim(ctx, docs, c, p.Name)
	if err != nil {
		return nil, err
	}
	mc := claim(added)
	return &mc, nil
}

func (r *Resolver) reviewClaim(ctx context.Context, id string, status model.ReviewStatus, note *string) (*model.Claim, error) {
	p, err := requireEditor(ctx)
	if err != nil {
		return nil, err
	}
	c, err := r.Store.ReviewClaim(ctx, id, string(status), deref(note), p.Name)
	if errors.Is(err, graph.ErrNotFound) {
		return nil, codedError{CodeNotFound, fmt.Sprintf("no claim %q", id)}
	}
	if err != nil {
		return nil, err
	}
	mc := claim(c)
	return &mc, nil
}

func (r *Resolver) undoReview(ctx context.Context, id string) (*model.Claim, error) {
	p, err := requireEditor(ctx)
	if err != nil {
		return nil, err
	}
	c, err := r.Store.UndoReview(ctx, id, p.Name)
	switch {
	case errors.Is(err, graph.ErrNotFound):
		return nil, codedError{CodeNotFound, fmt.Sprintf("no claim %q", id)}
	case errors.Is(err, graph.ErrNoReview):
		return nil, badInput("claim %s has no review to undo", id)
	case err != nil:
		return nil, err
	}
	mc := claim(c)
	return &mc, nil
}

func (r *Resolver) mergeEntities(ctx context.Context, keep, merge string) (model.Entity, error) {
	p, err := requireEditor(ctx)
	if err != nil {
		return nil, err
	}
	e, err := r.Store.MergeEntities(ctx, entityRef(keep), entityRef(merge), p.Name)
	var refused *graph.RefusedError
	switch {
	case errors.As(err, &refused):
		return nil, badInput("%s", refused.Reason)
	case errors.Is(err, graph.ErrNotFound):
		return nil, codedError{CodeNotFound, err.Error()}
	case err != nil:
		return nil, err
	}
	return entity(e), nil
}

func (r *Resolver) auditLog(ctx context.Context, first *int, after *string) (*model.AuditConnection, error) {
	if _, err := requireEditor(ctx); err != nil {
		return nil, err
	}
	skip, limit, err := r.page(first, after)
	if err != nil {
		return nil, err
	}
	events, total, err := r.Store.AuditLog(ctx, skip, limit)
	if err != nil {
		return nil, err
	}
	conn := &model.AuditConnection{TotalCount: int(total), PageInfo: pageInfo(skip, len(events), total), Nodes: make([]model.AuditEvent, len(events))}
	for i, e := range events {
		conn.Nodes[i] = model.AuditEvent{ID: e.ID, At: e.At.Format("2006-01-02T15:04:05.000Z07:00"), Who: e.Who,
			Action: e.Action, Target: e.Target, Before: optional(e.Before), After: optional(e.After)}
	}
	return conn, nil
}
