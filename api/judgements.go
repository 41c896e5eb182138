package api

import (
	"context"
	"errors"
	"fmt"

	"github.com/exportwatch/exportwatch/api/model"
	"github.com/exportwatch/exportwatch/graph"
)

// judgement converts a judgement with both its sides.
func judgement(j graph.Judgement) *model.Judgement {
	side := func(e graph.JudgedEntity) *model.JudgedEntity {
		out := &model.JudgedEntity{ID: e.ID, Name: e.Name, Aliases: orEmpty(e.Aliases), Country: optional(e.Country),
			Identifiers: identifiers(e.Identifiers), ClaimCount: e.Claims, MergedInto: optional(e.MergedInto), EntityID: e.ID}
		if e.Schema != "" {
			t := model.EntityType(e.Schema)
			out.Type = &t
		}
		if e.MergedInto != "" {
			out.EntityID = e.MergedInto
		}
		return out
	}
	return &model.Judgement{ID: j.ID, A: side(j.Entities[0]), B: side(j.Entities[1]), Decision: model.JudgementDecision(j.Decision),
		Score: j.Score, Explanation: j.Explanation, ProposedBy: optional(j.ProposedBy), ProposedAt: optional(j.ProposedAt),
		DecidedBy: optional(j.DecidedBy), DecidedAt: optional(j.DecidedAt), Note: optional(j.Note)}
}

func (r *Resolver) judgements(ctx context.Context, status []model.JudgementDecision, first *int, after *string) (*model.JudgementConnection, error) {
	if _, err := requireEditor(ctx); err != nil {
		return nil, err
	}
	skip, limit, err := r.page(first, after)
	if err != nil {
		return nil, err
	}
	decisions := []string{graph.JudgePending, graph.JudgeUnsure}
	if len(status) > 0 {
		decisions = decisions[:0]
		for _, s := range status {
			decisions = append(decisions, string(s))
		}
	}
	js, total, err := r.Store.ListJudgements(ctx, decisions, skip, limit)
	if err != nil {
		return nil, err
	}
	conn := &model.JudgementConnection{TotalCount: int(total), PageInfo: pageInfo(skip, len(js), total), Nodes: make([]model.Judgement, len(js))}
	for i, j := range js {
		conn.Nodes[i] = *judgement(j)
	}
	return conn, nil
}

func (r *Resolver) decideJudgement(ctx context.Context, id string, decision model.JudgementDecision, note *string) (*model.Judgement, error) {
	p, err := requireEditor(ctx)
	if err != nil {
		return nil, err
	}
	j, err := r.Store.Decide(ctx, id, string(decision), deref(note), p.Name)
	var refused *graph.RefusedError
	switch {
	case errors.Is(err, graph.ErrNotFound):
		return nil, codedError{CodeNotFound, fmt.Sprintf("no judgement %q", id)}
	case errors.As(err, &refused):
		return nil, badInput("%s", refused.Reason)
	case err != nil:
		return nil, err
	}
	return judgement(j), nil
}
