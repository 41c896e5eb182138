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
	claims   *dataloadgen.Loader[string, graph.Claim]
}

type loadersKey struct{}

func newLoaders(store *graph.Store) *loaders {
	return &loaders{
		entities: dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([]graph.Entity, []error) {
			return byID(ids, "entity", func() (map[string]graph.Entity, error) { return store.EntitiesByID(ctx, ids) })
		}, dataloadgen.WithWait(time.Millisecond)),
		claims: dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([]graph.Claim, []error) {
			return byID(ids, "claim", func() (map[string]graph.Claim, error) { return store.ClaimsByID(ctx, ids) })
		}, dataloadgen.WithWait(time.Millisecond)),
	}
}

// byID orders the results of one batched lookup as the keys were asked,
// with a not-found error for each key that found nothing.
func byID[T any](ids []string, what string, fetch func() (map[string]T, error)) ([]T, []error) {
	found, err := fetch()
	out := make([]T, len(ids))
	errs := make([]error, len(ids))
	for i, id := range ids {
		switch v, ok := found[id]; {
		case err != nil:
			errs[i] = err
		case !ok:
			errs[i] = fmt.Errorf("%s %s: %w", what, id, graph.ErrNotFound)
		default:
			out[i] = v
		}
	}
	return out, errs
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

// primeEntities loads entities in one statement and primes the request's
// loader with them, so the fields that resolve them afterwards, however
// many and however scheduled, cost no further statement.
func (r *Resolver) primeEntities(ctx context.Context, ids []string) error {
	l := loadersFrom(ctx)
	if len(ids) == 0 {
		return nil
	}
	found, err := r.Store.EntitiesByID(ctx, unique(ids))
	if err != nil {
		return err
	}
	for id, e := range found {
		l.entities.Prime(id, e)
	}
	return nil
}

// primeClaims primes the entities that claims refer to.
func (r *Resolver) primeClaims(ctx context.Context, cs []graph.Claim) error {
	ids := make([]string, 0, 3*len(cs))
	for _, c := range cs {
		ids = append(ids, c.Subject, c.Object)
		if c.Product != "" {
			ids = append(ids, c.Product)
		}
	}
	return r.primeEntities(ctx, ids)
}

// primeEdges primes the ends and products of edges, their claims, and the
// entities of those claims: three statements for any number of edges.
func (r *Resolver) primeEdges(ctx context.Context, es []graph.Edge) error {
	var claimIDs, ids []string
	for _, e := range es {
		claimIDs = append(claimIDs, e.Claims...)
		ids = append(ids, e.From, e.To)
		ids = append(ids, e.Products...)
	}
	if len(claimIDs) > 0 {
		found, err := r.Store.ClaimsByID(ctx, unique(claimIDs))
		if err != nil {
			return err
		}
		l := loadersFrom(ctx)
		for id, c := range found {
			l.claims.Prime(id, c)
			ids = append(ids, c.Subject, c.Object)
			if c.Product != "" {
				ids = append(ids, c.Product)
			}
		}
	}
	return r.primeEntities(ctx, ids)
}

func unique(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
