package api

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/exportwatch/exportwatch/graph"
)

// loaders batch the entity lookups of one request: every Claim.subject,
// object and product asked for while a response is resolved becomes one
// Neo4j query, however many claims the response holds.
type loaders struct {
	entities *dataloadgen.Loader[string, graph.Entity]
}

type loadersKey struct{}

func newLoaders(store *graph.Store) *loaders {
	return &loaders{
		entities: dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([]graph.Entity, []error) {
			found, err := store.EntitiesByID(ctx, ids)
			out := make([]graph.Entity, len(ids))
			errs := make([]error, len(ids))
			for i, id := range ids {
				switch e, ok := found[id]; {
				case err != nil:
					errs[i] = err
				case !ok:
					errs[i] = fmt.Errorf("entity %s: %w", id, graph.ErrNotFound)
				default:
					out[i] = e
				}
			}
			return out, errs
		}, dataloadgen.WithWait(time.Millisecond)),
	}
}

// withLoaders gives each request its own loaders, so nothing is cached
// across requests.
func withLoaders(store *graph.Store, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), loadersKey{}, newLoaders(store))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func loadersFrom(ctx context.Context) *loaders {
	return ctx.Value(loadersKey{}).(*loaders)
}
