package api

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/exportwatch/exportwatch/api/model"
	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/records"
)

// suggestions lists suggestions for an editor: they are not facts until
// one accepts them, so readers do not see them.
func (r *Resolver) suggestions(ctx context.Context, status *model.SuggestionStatus, first *int, after *string) (*model.SuggestionConnection, error) {
	if _, err := requireEditor(ctx); err != nil {
		return nil, err
	}
	skip, limit, err := r.page(first, after)
	if err != nil {
		return nil, err
	}
	st := ""
	if status != nil {
		st = strings.ToLower(string(*status))
	}
	sgs, total, err := r.Store.Suggestions(ctx, st, skip, limit)
	if err != nil {
		return nil, err
	}
	conn := &model.SuggestionConnection{TotalCount: int(total), PageInfo: pageInfo(skip, len(sgs), total), Nodes: make([]model.Suggestion, len(sgs))}
	for i, sg := range sgs {
		conn.Nodes[i] = *suggestion(sg)
	}
	return conn, nil
}

// decideSuggestion accepts or rejects a suggestion as the editor asking.
func (r *Resolver) decideSuggestion(ctx context.Context, id string, note *string, accept bool) (*model.Suggestion, error) {
	p, err := requireEditor(ctx)
	if err != nil {
		return nil, err
	}
	var sg graph.Suggestion
	if accept {
		sg, err = r.Store.AcceptSuggestion(ctx, id, deref(note), p.Name)
	} else {
		sg, err = r.Store.RejectSuggestion(ctx, id, deref(note), p.Name)
	}
	if errors.Is(err, graph.ErrDecided) {
		return nil, badInput("suggestion %s was accepted already; retract its claim with reviewClaim instead", id)
	}
	if err != nil {
		return nil, err
	}
	return suggestion(sg), nil
}

func suggestion(sg graph.Suggestion) *model.Suggestion {
	party := func(p records.Party) *model.SuggestedParty {
		return &model.SuggestedParty{EntityID: p.ID, Name: p.Name, Type: model.EntityType(p.Schema), Country: optional(p.Country)}
	}
	out := &model.Suggestion{ID: sg.ID, Relation: model.Relation(sg.Relation), Subject: party(sg.Subject),
		Object: party(sg.Object), Quote: sg.Evidence.Quote, Locator: optional(sg.Evidence.Locator),
		Document: document(sg.Document), Confidence: sg.Confidence, Reasons: sg.Reasons, Extractor: sg.Extractor,
		Status: model.SuggestionStatus(strings.ToUpper(sg.Status)), DecidedBy: optional(sg.DecidedBy),
		Note: optional(sg.Note), ClaimID: sg.Claim}
	if !sg.DecidedAt.IsZero() {
		at := sg.DecidedAt.Format(time.RFC3339)
		out.DecidedAt = &at
	}
	return out
}
