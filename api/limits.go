package api

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/exportwatch/exportwatch/api/generated"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Limits bound what one request may ask of the database.
type Limits struct {
	// MaxDepth is the deepest nesting of fields an operation may have.
	MaxDepth int
	// MaxComplexity bounds an operation's cost: one per field, a list's
	// selection counted as many times as its page (see costLimit).
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
	// ReadTimeout bounds the arrival of a whole request, body included.
	ReadTimeout time.Duration
	// RatePerSecond and RateBurst are each key's (or anonymous client
	// address's) token bucket; zero turns rate limiting off.
	RatePerSecond float64
	RateBurst     int
}

// shapeLimit refuses operations nested too deep, with too many aliases or
// with too much introspection, before any resolver runs.
type shapeLimit struct {
	limits        Limits
	introspection bool
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = shapeLimit{}

// introspectionMaxWhole is how many times one operation may ask for the
// whole schema: a body of aliased __schema blocks otherwise grows the answer
// by a schema each. Introspection's depth is not counted against MaxDepth
// (GraphiQL's schema query is 15 levels deep, but its ofType chain ends
// with the schema's types); lists within lists (types → fields → type →
// fields …) are refused by the validator.
const introspectionMaxWhole = 1

func (shapeLimit) ExtensionName() string                   { return "ShapeLimit" }
func (shapeLimit) Validate(graphql.ExecutableSchema) error { return nil }
func (l shapeLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	op := oc.Doc.Operations.ForName(oc.OperationName)
	if op == nil {
		return nil
	}
	var sh shape
	sh.walk(op.SelectionSet, 1, false, map[string]bool{})
	switch {
	case sh.introspects > 0 && !l.introspection:
		err := gqlerror.Errorf("introspection (__schema, __type) is turned off on this server")
		err.Extensions = map[string]any{"code": CodeForbidden}
		return err
	case sh.depth > l.limits.MaxDepth:
		return limitError("the operation is %d levels deep; the limit is %d", sh.depth, l.limits.MaxDepth)
	case sh.aliases > l.limits.MaxAliases:
		return limitError("the operation uses %d aliases; the limit is %d", sh.aliases, l.limits.MaxAliases)
	case sh.schemas > introspectionMaxWhole:
		return limitError("the operation asks for __schema %d times; the limit is %d", sh.schemas, introspectionMaxWhole)
	}
	return nil
}

// shape is what shapeLimit measures of an operation.
type shape struct {
	// depth is the deepest field outside introspection.
	depth, aliases int
	// schemas counts __schema fields, introspects them and __type fields.
	schemas, introspects int
}

// walk measures a selection set at the given level. Fragments are followed
// once per path, so a fragment cycle (which validation refuses anyway)
// cannot loop.
func (sh *shape) walk(set ast.SelectionSet, level int, intro bool, seen map[string]bool) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Alias != "" && s.Alias != s.Name {
				sh.aliases++
			}
			in := intro
			switch s.Name {
			case "__schema":
				sh.schemas++
				sh.introspects++
				in = true
			case "__type":
				sh.introspects++
				in = true
			}
			if !in {
				sh.depth = max(sh.depth, level)
			}
			sh.walk(s.SelectionSet, level+1, in, seen)
		case *ast.InlineFragment:
			sh.walk(s.SelectionSet, level, intro, seen)
		case *ast.FragmentSpread:
			if s.Definition == nil || seen[s.Name] {
				continue
			}
			seen[s.Name] = true
			sh.walk(s.Definition.SelectionSet, level, intro, seen)
			delete(seen, s.Name)
		}
	}
}

// costLimit refuses operations whose cost is over Limits.MaxComplexity.
// A field costs one plus what its selection costs, and a list field with a
// bound (first or limit, its default when not given) costs its selection
// that many times: the cost is an upper bound on the fields an answer can
// hold, so nested lists (an entity's claims' subjects' claims …) multiply.
// Lists without a bound are short by nature (a claim's evidence, an edge's
// products); TestEveryLongListHasABound keeps it so.
type costLimit struct{ limits Limits }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = costLimit{}

func (costLimit) ExtensionName() string                   { return "CostLimit" }
func (costLimit) Validate(graphql.ExecutableSchema) error { return nil }
func (l costLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	op := oc.Doc.Operations.ForName(oc.OperationName)
	if op == nil {
		return nil
	}
	if c := cost(op.SelectionSet, oc.Variables, map[string]bool{}); c > l.limits.MaxComplexity {
		return limitError("the operation may return %d fields; the limit is %d (ask for smaller pages with first, or fewer nested lists)", c, l.limits.MaxComplexity)
	}
	return nil
}

// cost sums the cost of a selection set, saturating rather than
// overflowing on absurd bounds.
func cost(set ast.SelectionSet, vars map[string]any, seen map[string]bool) int {
	total := 0
	for _, sel := range set {
		var c int
		switch s := sel.(type) {
		case *ast.Field:
			if strings.HasPrefix(s.Name, "__") && s.Name != "__typename" {
				continue // bounded by shapeLimit's introspection rules
			}
			if s.ObjectDefinition != nil && s.ObjectDefinition.Name == "Query" && s.Name == "brief" {
				c = briefComplexity
			}
			c = saturatingAdd(c, 1+saturatingMul(bound(s, vars), cost(s.SelectionSet, vars, seen)))
		case *ast.InlineFragment:
			c = cost(s.SelectionSet, vars, seen)
		case *ast.FragmentSpread:
			if s.Definition == nil || seen[s.Name] {
				continue
			}
			seen[s.Name] = true
			c = cost(s.Definition.SelectionSet, vars, seen)
			delete(seen, s.Name)
		}
		total = saturatingAdd(total, c)
	}
	return total
}

// bound is how many times a field's selection may be repeated: its first
// or limit argument (its default when not given), one for a field without.
// A bound that is not a positive number counts as one; the resolver
// refuses it.
func bound(f *ast.Field, vars map[string]any) int {
	args := f.ArgumentMap(vars)
	for _, name := range pageArguments {
		if n, ok := whole(args[name]); ok && n > 1 {
			return int(min(n, maxCost))
		}
	}
	return 1
}

// whole reads an integer argument, as a literal (int64) or a variable.
func whole(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int:
		return int64(n), true
	case float64:
		return int64(n), n == math.Trunc(n)
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	}
	return 0, false
}

// pageArguments are the arguments that bound a list.
var pageArguments = []string{"first", "limit"}

// largestDefaultPage is the largest default of a page argument in the
// schema: a server whose MaxPage is below it would refuse a client that
// leaves the argument out.
var largestDefaultPage = sync.OnceValue(func() int {
	largest := 0
	for _, t := range generated.NewExecutableSchema(generated.Config{}).Schema().Types {
		for _, f := range t.Fields {
			for _, a := range f.Arguments {
				if a.DefaultValue != nil && slices.Contains(pageArguments, a.Name) {
					if n, err := strconv.Atoi(a.DefaultValue.Raw); err == nil {
						largest = max(largest, n)
					}
				}
			}
		}
	}
	return largest
})

const maxCost = math.MaxInt32

func saturatingAdd(a, b int) int { return min(a+b, maxCost) }

func saturatingMul(a, b int) int {
	if a != 0 && b > maxCost/a {
		return maxCost
	}
	return a * b
}

func limitError(format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	err.Extensions = map[string]any{"code": CodeLimitExceeded}
	return err
}

// timeout bounds the execution of each operation. It wraps the resolvers
// rather than the HTTP request, so that a request that runs out of time
// still gets an answer saying so; the deadline reaches the Neo4j driver,
// which cancels the running query. An operation that ran out of time gets
// that one error and no data, however many of its fields failed on the
// way (each one's error would say the same, and some would blame the
// database for a connection the deadline closed).
func timeout(d time.Duration) graphql.ResponseMiddleware {
	return func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		if d <= 0 {
			return next(ctx)
		}
		ctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		resp := next(ctx)
		if resp != nil && len(resp.Errors) > 0 && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			resp.Data = nil
			resp.Errors = gqlerror.List{limitError("%s", tooLong)}
		}
		return resp
	}
}
