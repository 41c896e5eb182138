package api

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/exportwatch/exportwatch/api/model"
	"github.com/exportwatch/exportwatch/graph"
)

// loaders batch the entity lookups of one request: every Claim.subject,
// object and product asked for while a response is resolved becomes one
// Neo4j query, however many claims the response holds.
type loaders struct {
	entities *dataloadgen.Loader[string, graph.Entity]
	claims   *dataloadgen.Loader[string, graph.Claim]
	// firstClaims reads a page of the claims of every entity a response
	// reaches through another's claims, one statement per page shape.
	firstClaims *dataloadgen.Loader[claimsPage, []graph.Claim]

	mu       sync.Mutex
	claimsOf map[string]stashedClaims // by entity id, read with the entity
	asOf     map[string]graph.Claim   // by moment and claim id (stashAsOf)
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
		firstClaims: dataloadgen.NewLoader(func(ctx context.Context, keys []claimsPage) ([][]graph.Claim, []error) {
			return firstClaimsOf(ctx, store, keys)
		}, dataloadgen.WithWait(time.Millisecond)),
	}
}

// claimsPage asks for an entity's first N claims of some relations
// (joined with spaces; all when empty).
type claimsPage struct {
	ID, Relations string
	N             int
}

// firstClaimsOf reads the pages asked for, one statement for each shape
// of page (relations and size); an entity with no claims gets none.
func firstClaimsOf(ctx context.Context, store *graph.Store, keys []claimsPage) ([][]graph.Claim, []error) {
	type shape struct {
		relations string
		n         int
	}
	byShape := map[shape][]string{}
	for _, k := range keys {
		sh := shape{k.Relations, k.N}
		byShape[sh] = append(byShape[sh], k.ID)
	}
	found := map[shape]map[string][]graph.Claim{}
	failed := map[shape]error{}
	for sh, ids := range byShape {
		if found[sh], failed[sh] = store.FirstClaimsOf(ctx, unique(ids), strings.Fields(sh.relations), sh.n); failed[sh] != nil {
			delete(found, sh)
		}
	}
	out, errs := make([][]graph.Claim, len(keys)), make([]error, len(keys))
	for i, k := range keys {
		sh := shape{k.Relations, k.N}
		out[i], errs[i] = found[sh][k.ID], failed[sh]
	}
	return out, errs
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

// The read queries bring back, in their one statement, what the fields
// below them show: the ends of every edge and path, the claims of edges
// when the request selects them, and the evidence and ends of every claim.
// The resolvers prime the request's loaders with all of it, so the nested
// fields, however many and however scheduled, cost no further statement.

// primeEntities primes the entity loader with entities already read.
func primeEntities(ctx context.Context, es ...graph.Entity) {
	l := loadersFrom(ctx)
	for _, e := range es {
		l.entities.Prime(e.ID, e)
	}
}

// primeClaims primes the claim loader with claims already read, and the
// entity loader with their ends.
func primeClaims(ctx context.Context, cs []graph.Claim) {
	l := loadersFrom(ctx)
	for _, c := range cs {
		l.claims.Prime(c.ID, c)
		primeEntities(ctx, c.Ends...)
	}
}

// primeEdgeClaims loads, in one statement, the claims of edges read without
// them, when the request selects them.
func (r *Resolver) primeEdgeClaims(ctx context.Context, es []graph.Edge) error {
	var ids []string
	for _, e := range es {
		ids = append(ids, e.Claims...)
	}
	if len(ids) == 0 {
		return nil
	}
	found, err := r.Store.ClaimsByID(ctx, unique(ids))
	if err != nil {
		return err
	}
	primeClaims(ctx, slices.Collect(maps.Values(found)))
	return nil
}

// stashClaimsOf keeps an entity's first claims, read with the entity, for
// its claims field; all says whether they are all it has.
func stashClaimsOf(ctx context.Context, id string, cs []graph.Claim, all bool) {
	l := loadersFrom(ctx)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.claimsOf == nil {
		l.claimsOf = map[string]stashedClaims{}
	}
	l.claimsOf[id] = stashedClaims{cs, all}
}

func stashedClaimsOf(ctx context.Context, id string) (stashedClaims, bool) {
	l := loadersFrom(ctx)
	l.mu.Lock()
	defer l.mu.Unlock()
	st, ok := l.claimsOf[id]
	return st, ok
}

// stashedClaims are an entity's first claims, oldest first.
type stashedClaims struct {
	claims []graph.Claim
	all    bool
}

// serves reports whether the stash holds the first n claims of the given
// relations (any when none).
func (st stashedClaims) serves(relations []model.Relation, n int) bool {
	return st.all || len(relations) == 0 && n <= len(st.claims)
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
