package api

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/exportwatch/exportwatch/api/model"
	"github.com/exportwatch/exportwatch/country"
	"github.com/exportwatch/exportwatch/graph"
)

// pageSize reads a list argument (first, limit), bounded by Limits.MaxPage;
// def stands in for an explicit null (an omitted argument takes the
// schema's default).
func (r *Resolver) pageSize(arg string, n *int, def int) (int, error) {
	if n == nil {
		return def, nil
	}
	if *n < 1 || *n > r.MaxPage {
		return 0, badInput("%s must be between 1 and %d", arg, r.MaxPage)
	}
	return *n, nil
}

func (r *Resolver) load(ctx context.Context, id string) (model.Entity, error) {
	e, err := loadersFrom(ctx).entities.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	return entity(e), nil
}

// entity reads an entity, with its first claims (the largest page) in the
// same statement when the request selects them.
func (r *Resolver) entity(ctx context.Context, id string, asOf *string) (graph.Entity, error) {
	at, err := asOfArg(asOf)
	if err != nil {
		return graph.Entity{}, err
	}
	if at != "" {
		// Its claims field reads them as of the moment (claimsOf).
		return r.Store.EntityAsOf(ctx, entityRef(id), at)
	}
	if !selected(ctx, "claims") {
		return r.Store.Entity(ctx, entityRef(id))
	}
	// One more than a page tells whether there are more.
	e, cs, err := r.Store.EntityWithFirstClaims(ctx, entityRef(id), r.MaxPage+1)
	if err != nil {
		return graph.Entity{}, err
	}
	all := len(cs) <= r.MaxPage
	stashClaimsOf(ctx, e.ID, cs[:min(len(cs), r.MaxPage)], all)
	return e, nil
}

// primedClaimsOf returns all of an entity's claims, with the entities they
// name primed in the request's loader.
func (r *Resolver) primedClaimsOf(ctx context.Context, id string) ([]graph.Claim, error) {
	st, ok := stashedClaimsOf(ctx, id)
	cs := st.claims
	if !ok || !st.all {
		var err error
		if cs, err = r.Store.ClaimsOf(ctx, id); err != nil {
			return nil, err
		}
	}
	primeClaims(ctx, cs)
	return cs, nil
}

// claimsOf serves Entity.claims for every entity type: from the claims read
// with the entity when there are some, else by reading only the first few
// (an entity reached through another's claims may have thousands).
func (r *Resolver) claimsOf(ctx context.Context, id string, relations []model.Relation, first *int) ([]model.Claim, error) {
	n, err := r.pageSize("first", first, r.MaxPage)
	if err != nil {
		return nil, err
	}
	at, err := asOfIn(ctx)
	if err != nil {
		return nil, err
	}
	if at != "" {
		cs, err := r.Store.ClaimsOfAsOf(ctx, id, at)
		if err != nil {
			return nil, err
		}
		return claimPage(cs, relations, n), nil
	}
	st, ok := stashedClaimsOf(ctx, id)
	cs := st.claims
	if !ok || !st.serves(relations, n) {
		page := claimsPage{ID: id, Relations: strings.Join(relationNames(relations), " "), N: n}
		if cs, err = loadersFrom(ctx).firstClaims.Load(ctx, page); err != nil {
			return nil, err
		}
	}
	primeClaims(ctx, cs)
	return claimPage(cs, relations, n), nil
}

// claimPage is the first n of the claims of the relations given (any when
// none).
func claimPage(cs []graph.Claim, relations []model.Relation, n int) []model.Claim {
	out := make([]model.Claim, 0, min(n, len(cs)))
	for _, c := range cs {
		if len(out) == n {
			break
		}
		if len(relations) == 0 || slices.Contains(relations, model.Relation(c.Relation)) {
			out = append(out, claim(c))
		}
	}
	return out
}

func typeNames(types []model.EntityType) []string {
	out := make([]string, len(types))
	for i, t := range types {
		out[i] = string(t)
	}
	return out
}

// entityRef lets a country be named by its code: "AZ" means country:AZ.
// entityID is the id of the entity an argument names: an id (a merged
// one resolves to its survivor), a country's code, or, when no id
// matches, a name or alias that only one entity has. An unknown one is
// NOT_FOUND, so that an empty answer always means "none" and never "no
// such entity"; an ambiguous name is BAD_INPUT listing the candidates.
func (r *Resolver) entityID(ctx context.Context, arg, field string) (string, error) {
	ref := entityRef(strings.TrimSpace(arg))
	e, err := r.Store.Entity(ctx, ref)
	if err == nil {
		return e.ID, nil
	}
	if !errors.Is(err, graph.ErrNotFound) {
		return "", err
	}
	named, err := r.Store.EntitiesNamed(ctx, arg, maxCandidates+1)
	if err != nil {
		return "", err
	}
	switch len(named) {
	case 0:
		return "", codedError{CodeNotFound, fmt.Sprintf("%s: no entity has the id or name %q (search finds names by their beginning)", field, arg)}
	case 1:
		return named[0].ID, nil
	}
	var cands []string
	for _, n := range named[:min(len(named), maxCandidates)] {
		c := n.ID + " (" + n.Name + ", " + n.Schema
		if n.Country != "" {
			c += ", " + n.Country
		}
		cands = append(cands, c+")")
	}
	more := ""
	if len(named) > maxCandidates {
		more = ", …"
	}
	return "", badInput("%s: %q names more than one entity; give one of their ids: %s%s", field, arg, strings.Join(cands, "; "), more)
}

// orNamed reads a list for an entity argument in one statement when the
// argument is an id that has entries (the common case). Only an empty
// answer costs a lookup: of the entity, to tell "none" from "no such
// entity", and of its name, to read again for the entity it names.
func orNamed[T any](ctx context.Context, r *Resolver, arg, field string, read func(id string) ([]T, error)) ([]T, error) {
	id := entityRef(strings.TrimSpace(arg))
	out, err := read(id)
	if err == nil && len(out) > 0 || err != nil && !errors.Is(err, graph.ErrNotFound) {
		return out, err
	}
	rid, lookupErr := r.entityID(ctx, arg, field)
	if lookupErr != nil {
		return nil, lookupErr
	}
	if rid == id && err == nil {
		return out, nil
	}
	return read(rid)
}

// maxCandidates is how many entities an ambiguous name's error lists.
const maxCandidates = 10

func entityRef(id string) string {
	if len(id) == 2 && strings.ToUpper(id) == id {
		if _, ok := country.Lookup(id); ok {
			return "country:" + id
		}
	}
	return id
}

func relationNames(rels []model.Relation) []string {
	out := make([]string, len(rels))
	for i, r := range rels {
		out[i] = string(r)
	}
	return out
}

// subgraph converts nodes and the edges among them, each node once.
func subgraph(nodes []graph.Entity, es []graph.Edge) ([]model.Entity, []model.Edge) {
	ends := make(map[string]model.Entity, len(nodes))
	out := make([]model.Entity, len(nodes))
	for i, n := range nodes {
		out[i] = entity(n)
		ends[n.ID] = out[i]
	}
	edges := make([]model.Edge, len(es))
	for i, e := range es {
		edges[i] = edge(e, ends)
	}
	return out, edges
}

// transfers converts SUPPLIED edges; the claims read with them serve the
// edges' claims field: primed in the claims loader, or, read as of a
// moment at, kept in the stash of that moment.
func transfers(ctx context.Context, ts []graph.Transfer, at string) []model.Edge {
	ends := map[string]model.Entity{}
	out := make([]model.Edge, len(ts))
	for i, t := range ts {
		for _, e := range []graph.Entity{t.Supplier, t.Buyer} {
			if _, ok := ends[e.ID]; !ok {
				ends[e.ID] = entity(e)
			}
		}
		out[i] = edge(t.Edge, ends)
		if at != "" {
			stashAsOf(ctx, at, t.Claims)
		} else {
			primeClaims(ctx, t.Claims)
		}
	}
	return out
}

// deref reads an optional argument, the zero value when absent.
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
