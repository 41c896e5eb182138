package api

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/exportwatch/exportwatch/graph"
)

// asOfArg reads an asOf argument as a moment (graph.ParseAsOf); empty
// when it is not set.
func asOfArg(asOf *string) (string, error) {
	if asOf == nil || *asOf == "" {
		return "", nil
	}
	at, err := graph.ParseAsOf(*asOf)
	if err != nil {
		return "", inputError{msg: err.Error(), field: "asOf"}
	}
	return at, nil
}

// asOfIn is the moment of the asOf argument of the nearest field, from
// the one being resolved up, that has one: entity(asOf) reaches its
// claims field, suppliers(asOf) its edges' claims.
func asOfIn(ctx context.Context) (string, error) {
	for fc := graphql.GetFieldContext(ctx); fc != nil; fc = fc.Parent {
		if v, ok := fc.Args["asOf"].(*string); ok && v != nil {
			return asOfArg(v)
		}
	}
	return "", nil
}

// stashAsOf keeps claims read as of a moment for the fields under the one
// that read them (Edge.claims). They are kept apart from the claims
// loader, whose claims are as they are now, so that one request may ask
// both.
func stashAsOf(ctx context.Context, at string, cs []graph.Claim) {
	l := loadersFrom(ctx)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.asOf == nil {
		l.asOf = map[string]graph.Claim{}
	}
	for _, c := range cs {
		l.asOf[at+" "+c.ID] = c
	}
}

// stashedAsOf is the claims among ids that stashAsOf kept for the moment.
func stashedAsOf(ctx context.Context, at string, ids []string) []graph.Claim {
	l := loadersFrom(ctx)
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]graph.Claim, 0, len(ids))
	for _, id := range ids {
		if c, ok := l.asOf[at+" "+id]; ok {
			out = append(out, c)
		}
	}
	return out
}
