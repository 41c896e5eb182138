package api

import (
	"context"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Limits bound what one request may ask of the database.
type Limits struct {
	// MaxDepth is the deepest nesting of fields an operation may have.
	MaxDepth int
	// MaxComplexity bounds gqlgen's complexity score (one per field by
	// default, list fields multiplied by their page size).
	MaxComplexity int
	// MaxAliases bounds aliased fields, the usual way to ask for the same
	// expensive field many times in one request.
	MaxAliases int
	// MaxBodyBytes bounds a request body.
	MaxBodyBytes int64
	// MaxPage bounds every list argument (first, limit).
	MaxPage int
	// Timeout bounds a request, Neo4j queries included.
	Timeout time.Duration
	// RatePerSecond and RateBurst are each key's (or anonymous client
	// address's) token bucket; zero turns rate limiting off.
	RatePerSecond float64
	RateBurst     int
}

// shapeLimit refuses operations nested too deep or with too many aliases,
// before any resolver runs.
type shapeLimit struct{ limits Limits }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = shapeLimit{}

func (shapeLimit) ExtensionName() string                   { return "ShapeLimit" }
func (shapeLimit) Validate(graphql.ExecutableSchema) error { return nil }
func (l shapeLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	op := oc.Doc.Operations.ForName(oc.OperationName)
	if op == nil {
		return nil
	}
	aliases := 0
	depth := measure(op.SelectionSet, 1, &aliases, map[string]bool{})
	if depth > l.limits.MaxDepth {
		return limitError("the operation is %d levels deep; the limit is %d", depth, l.limits.MaxDepth)
	}
	if aliases > l.limits.MaxAliases {
		return limitError("the operation uses %d aliases; the limit is %d", aliases, l.limits.MaxAliases)
	}
	return nil
}

// measure returns the depth of a selection set and counts its aliases.
// Fragments are followed once per path, so a fragment cycle (which
// validation refuses anyway) cannot loop.
func measure(set ast.SelectionSet, level int, aliases *int, seen map[string]bool) int {
	deepest := level - 1
	for _, sel := range set {
		var d int
		switch s := sel.(type) {
		case *ast.Field:
			if strings.HasPrefix(s.Name, "__") {
				// Introspection (GraphiQL asks 15 levels deep on load) is
				// bounded by the schema itself and never reaches Neo4j.
				continue
			}
			if s.Alias != "" && s.Alias != s.Name {
				*aliases++
			}
			d = level
			if len(s.SelectionSet) > 0 {
				d = measure(s.SelectionSet, level+1, aliases, seen)
			}
		case *ast.InlineFragment:
			d = measure(s.SelectionSet, level, aliases, seen)
		case *ast.FragmentSpread:
			if s.Definition == nil || seen[s.Name] {
				continue
			}
			seen[s.Name] = true
			d = measure(s.Definition.SelectionSet, level, aliases, seen)
			delete(seen, s.Name)
		}
		deepest = max(deepest, d)
	}
	return deepest
}

func limitError(format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	err.Extensions = map[string]any{"code": CodeLimitExceeded}
	return err
}

// timeout bounds the execution of each operation. It wraps the resolvers
// rather than the HTTP request, so that a request that runs out of time
// still gets an answer saying so; the deadline reaches the Neo4j driver,
// which cancels the running query.
func timeout(d time.Duration) graphql.ResponseMiddleware {
	return func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		if d <= 0 {
			return next(ctx)
		}
		ctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		return next(ctx)
	}
}
