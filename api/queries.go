package api

import (
	"context"
	"slices"

	"github.com/exportwatch/exportwatch/api/model"
)

// maxPage bounds every list argument (first, limit).
const maxPage = 100

func (r *Resolver) load(ctx context.Context, id string) (model.Entity, error) {
	e, err := loadersFrom(ctx).entities.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	return entity(e), nil
}

// claimsOf serves Entity.claims for every entity type.
func (r *Resolver) claimsOf(ctx context.Context, id string, relations []model.Relation) ([]model.Claim, error) {
	cs, err := r.Store.ClaimsOf(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]model.Claim, 0, len(cs))
	for _, c := range cs {
		if len(relations) == 0 || slices.Contains(relations, model.Relation(c.Relation)) {
			out = append(out, claim(c))
		}
	}
	return out, nil
}

func typeNames(types []model.EntityType) []string {
	out := make([]string, len(types))
	for i, t := range types {
		out[i] = string(t)
	}
	return out
}
