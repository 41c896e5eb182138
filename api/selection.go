package api

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"

	"github.com/exportwatch/exportwatch/api/generated"
)

// allTypeNames lists every type of the schema: a selection may reach a field
// through a fragment on any of them (… on Company { claims }), and
// gqlgen collects a fragment's fields only for the types it is told of.
var allTypeNames = sync.OnceValue(func() []string {
	var names []string
	for name := range generated.NewExecutableSchema(generated.Config{}).Schema().Types {
		names = append(names, name)
	}
	return names
})

// selected reports whether the request selects, below the field being
// resolved, the field at path (each name one level down), directly or
// through fragments. Resolvers use it to read in one statement what the
// nested fields will show, and only that.
func selected(ctx context.Context, path ...string) bool {
	if graphql.GetFieldContext(ctx) == nil {
		return false
	}
	return selectedIn(graphql.GetOperationContext(ctx), graphql.CollectFieldsCtx(ctx, allTypeNames()), path)
}

func selectedIn(op *graphql.OperationContext, fields []graphql.CollectedField, path []string) bool {
	for _, f := range fields {
		if f.Name != path[0] {
			continue
		}
		if len(path) == 1 || selectedIn(op, graphql.CollectFields(op, f.Selections, allTypeNames()), path[1:]) {
			return true
		}
	}
	return false
}
