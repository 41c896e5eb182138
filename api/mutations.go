package api

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/exportwatch/exportwatch/api/model"
	"github.com/exportwatch/exportwatch/evidence"
	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/records"
)

// claimRecords turns an editor's input into records, validated by the same
// rules as any record file, with the editor's key name as extractor. The
// i-th document is the i-th evidence's.
func claimRecords(in model.ClaimInput, who string) ([]records.Document, records.Claim, error) {
	status := string(deref(in.Status))
	if status == "" {
		status = records.StatusReported
	}
	if status != records.StatusReported && status != records.StatusDocumented {
		return nil, records.Claim{}, badField("input.status", nil, "status: a new claim is reported or documented; confirming, disputing and retracting are reviews")
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
	if len(in.Evidence) == 0 {
		return nil, records.Claim{}, badField("input.evidence", nil, "a claim needs evidence: a document's URL and a quote from it")
	}
	var docs []records.Document
	for i, ev := range in.Evidence {
		field := fmt.Sprintf("input.evidence.%d.", i)
		d := records.Document{V: records.Version, URL: strings.TrimSpace(ev.Document.URL), Title: deref(ev.Document.Title),
			Publisher: deref(ev.Document.Publisher), Published: deref(ev.Document.Published), Origin: records.OriginCurated}
		if err := d.Validate(); err != nil {
			return nil, records.Claim{}, badField(field+"document.url", nil, "evidence %d: %v", i+1, err)
		}
		d.ID = records.DocumentID(d.URL)
		quote, paraphrase, reason := strings.TrimSpace(deref(ev.Quote)), strings.TrimSpace(deref(ev.Paraphrase)), strings.TrimSpace(deref(ev.Reason))
		switch {
		case quote == "" && paraphrase == "":
			return nil, records.Claim{}, badField(field+"quote", nil, "evidence %d needs a quote from the page, or a paraphrase with a reason where it cannot be quoted", i+1)
		case quote == "" && reason == "":
			return nil, records.Claim{}, badField(field+"reason", nil, "evidence %d: a paraphrase is saved unchecked, so say why the page cannot be quoted", i+1)
		case quote != "":
			// A quote is checked by the server, so it has no reason to
			// be unchecked.
			reason = ""
		}
		docs = append(docs, d)
		c.Evidence = append(c.Evidence, records.Evidence{Document: d.ID, Quote: quote,
			Paraphrase: paraphrase, Locator: deref(ev.Locator), Unchecked: reason})
	}
	if err := c.Validate(); err != nil {
		return nil, records.Claim{}, claimProblems(err)
	}
	return docs, c, nil
}

// claimFields are the ClaimInput fields a record's validation names at the
// start of a problem ("start 2020-13 is not a date").
var claimFields = []string{"relation", "subject", "object", "stance", "status", "confidence", "start", "end", "stage",
	"product", "quantity", "value", "currency", "role", "share", "list", "program", "summary"}

// claimProblems is a record validation error as a field error: the first
// problem's field in "field", and every problem by its field in "fields",
// so a form shows each beside its field.
func claimProblems(err error) error {
	fields := map[string]any{}
	first := ""
	for _, p := range strings.Split(err.Error(), "; ") {
		word, _, _ := strings.Cut(p, " ")
		if strings.HasPrefix(p, "a value needs its currency") {
			word = "currency"
		}
		if !slices.Contains(claimFields, word) {
			continue
		}
		if _, seen := fields["input."+word]; !seen {
			fields["input."+word] = p
		}
		first = cmp.Or(first, "input."+word)
	}
	return badField(first, map[string]any{"fields": fields}, "%v", err)
}

// checkEvidence fetches each page the claim cites (once, whatever the
// number of quotes from it) through the evidence checker and checks every
// quote against the page's text. A quote not found is refused with the
// closest passage; a page that cannot be fetched is refused for a quote
// and said in a paraphrase's reason. The documents returned carry what the
// fetch learnt (hash, archived copy, retrieval time, and title, publisher
// and date unless the editor gave them).
func (r *Resolver) checkEvidence(ctx context.Context, docs []records.Document, c *records.Claim) ([]records.Document, error) {
	if r.Evidence == nil {
		return nil, codedError{CodeUnavailable, "this server is not set up to fetch cited pages, so it cannot check a quote"}
	}
	type fetch struct {
		page *evidence.Fetched
		err  error
	}
	fetched := map[string]fetch{}
	out := make([]records.Document, len(docs))
	for i, d := range docs {
		f, done := fetched[d.URL]
		if !done {
			f.page, f.err = r.Evidence.Fetch(ctx, d.URL)
			fetched[d.URL] = f
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		ev := &c.Evidence[i]
		field := fmt.Sprintf("input.evidence.%d.", i)
		if f.err != nil {
			if ev.Quote != "" {
				return nil, badField(field+"document.url", map[string]any{"reason": "unfetchable"},
					"evidence %d: the page could not be fetched, so the quote cannot be checked (%v); cite it with a paraphrase and a reason instead, and it is saved as unchecked", i+1, f.err)
			}
			ev.Unchecked += " (the page could not be fetched: " + evidence.Problem(f.err) + ")"
			out[i] = d
			continue
		}
		if ev.Quote != "" {
			m := evidence.Find(f.page.Page.Passages, ev.Quote)
			if !m.Found {
				extra := map[string]any{"reason": "quote not found", "closest": m.Closest.Text, "closestLocator": m.Closest.Locator, "closestScore": m.Score}
				if m.Closest.Text == "" {
					return nil, badField(field+"quote", extra, "evidence %d: the quote is not in the page's text, and no passage of the page is close to it", i+1)
				}
				where := ""
				if m.Closest.Locator != "" {
					where = " (" + m.Closest.Locator + ")"
				}
				return nil, badField(field+"quote", extra, "evidence %d: the quote is not in the page's text; the closest passage%s is: %q",
					i+1, where, m.Closest.Text)
			}
			ev.Locator = cmp.Or(ev.Locator, m.Locator)
		}
		got := f.page.Document
		got.V = records.Version
		got.Title, got.Publisher, got.Published = cmp.Or(d.Title, got.Title), cmp.Or(d.Publisher, got.Publisher), cmp.Or(d.Published, got.Published)
		ev.Document = got.ID
		out[i] = got
	}
	return out, nil
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
	for i, id := range ids {
		if _, ok := found[id]; !ok {
			return nil, badField("input."+[]string{"subject", "object", "product"}[i], nil, "no entity %q", id)
		}
	}
	// A merged id names its survivor.
	c.Subject, c.Object = found[c.Subject].ID, found[c.Object].ID
	if c.Product != "" {
		c.Product = found[c.Product].ID
	}
	if c.Subject == c.Object {
		return nil, badField("input.object", nil, "subject and object are the same entity, %s", c.Subject)
	}
	// The pages are fetched last: a claim refused for its entities costs
	// no request to anyone's server.
	if docs, err = r.checkEvidence(ctx, docs, &c); err != nil {
		return nil, err
	}
	c.ID = records.ClaimID(c, c.Subject, c.Object, c.Product)
	added, err := r.Store.AddClaim(ctx, docs, c, p.Name)
	if errors.Is(err, graph.ErrClaimExists) {
		return nil, badField("input.evidence", map[string]any{"claim": c.ID},
			"this claim is already recorded from the same documents (%s); review it there, or cite another document", c.ID)
	}
	if err != nil {
		return nil, err
	}
	mc := claim(added)
	return &mc, nil
}

// version64 is a version argument as the store takes it.
func version64(v *int) *int64 {
	if v == nil {
		return nil
	}
	n := int64(*v)
	return &n
}

func (r *Resolver) reviewClaim(ctx context.Context, id string, status model.ReviewStatus, note *string, version *int) (*model.Claim, error) {
	p, err := requireEditor(ctx)
	if err != nil {
		return nil, err
	}
	c, err := r.Store.ReviewClaim(ctx, id, string(status), deref(note), p.Name, version64(version))
	if errors.Is(err, graph.ErrNotFound) {
		return nil, codedError{CodeNotFound, fmt.Sprintf("no claim %q", id)}
	}
	if err != nil {
		return nil, err
	}
	mc := claim(c)
	return &mc, nil
}

func (r *Resolver) undoReview(ctx context.Context, id string, version *int) (*model.Claim, error) {
	p, err := requireEditor(ctx)
	if err != nil {
		return nil, err
	}
	c, err := r.Store.UndoReview(ctx, id, p.Name, version64(version))
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

func (r *Resolver) auditLog(ctx context.Context, first *int, after, who, action, target *string) (*model.AuditConnection, error) {
	if _, err := requireEditor(ctx); err != nil {
		return nil, err
	}
	skip, limit, err := r.page(first, after)
	if err != nil {
		return nil, err
	}
	events, total, err := r.Store.AuditLog(ctx, graph.AuditFilter{Who: deref(who), Action: deref(action), Target: deref(target)}, skip, limit)
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
