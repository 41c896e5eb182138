package load

import (
	"context"
	"fmt"
	"slices"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/resolve"
)

// Resolver is who the loader's own judgements are attributed to.
const Resolver = "resolve/1"

// candidatesPerName is how many entities the full-text index offers for
// each name; the scorer then decides among them.
const candidatesPerName = 10

// maxQueued is how many review judgements one record may queue: beyond
// a few, a reviewer learns nothing from more.
const maxQueued = 3

// resolveOnLoad decides, for each entity record the graph does not hold
// yet, whether it is an entity already there (in the graph or earlier in
// this file): by a shared identifier, then by name. A record that scores
// resolve.Same is taken as that entity (its id is redirected there, so its
// names and claims add to it); one in the grey band becomes an entity of
// its own with a judgement queued for review. Records with an explicit id
// name their entity already, and countries are their codes. A judgement
// of "not the same" is never overridden.
func resolveOnLoad(ctx context.Context, store *graph.Store, p *loadPlan, ents []resolvable) ([]graph.Resolution, error) {
	var ids []string
	for _, e := range ents {
		if !e.Explicit && e.Schema != records.SchemaCountry {
			ids = append(ids, e.ID)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	have, err := store.ExistingIDs(ctx, "Entity", ids)
	if err != nil {
		return nil, fmt.Errorf("resolve: %w", err)
	}
	var fresh []records.Entity
	var probes []resolve.Candidate
	seen := map[string]bool{}
	for _, e := range ents {
		if e.Explicit || e.Schema == records.SchemaCountry || have[e.ID] || p.redirect[e.ID] != "" || seen[e.ID] {
			continue
		}
		seen[e.ID] = true
		fresh = append(fresh, e.Entity)
		probes = append(probes, candidateOf(e.Entity))
	}
	if len(fresh) == 0 {
		return nil, nil
	}
	known, err := store.ResolutionCandidates(ctx, probes, candidatesPerName)
	if err != nil {
		return nil, fmt.Errorf("resolve: %w", err)
	}
	idx := resolve.NewIndex()
	names := map[string]resolve.Candidate{}
	for _, c := range known {
		idx.Add(c)
		names[c.ID] = c
	}
	for _, e := range ents {
		c := candidateOf(e.Entity)
		idx.Add(c)
		if prev, ok := names[c.ID]; ok {
			c.Names = append(prev.Names, c.Names...)
		}
		names[c.ID] = c
	}
	freshIDs := make([]string, len(fresh))
	for i, e := range fresh {
		freshIDs[i] = e.ID
	}
	apart, err := store.NotSame(ctx, freshIDs)
	if err != nil {
		return nil, fmt.Errorf("resolve: %w", err)
	}
	// First every record that is certainly an entity already there is
	// taken as it; an entity taken as one that was itself taken as
	// another leads to the last.
	var out []graph.Resolution
	matches := make([][]resolve.Match, len(fresh))
	for i, e := range fresh {
		matches[i] = idx.Match(candidateOf(e))
		for _, m := range matches[i] {
			target := p.survivor(m.ID)
			if m.Decision != resolve.DecideSame || target == e.ID || slices.Contains(apart[e.ID], target) {
				continue
			}
			r := graph.Resolution{Entity: e, Candidate: m.ID, Score: m.Value, Explanation: m.Explanation, Who: Resolver,
				Same: true, Into: target}
			r.Brought, r.BroughtIdentifiers = brought(e, names[m.ID])
			p.redirect[e.ID] = target
			out = append(out, r)
			break
		}
	}
	for i, r := range out {
		into := r.Into
		for range out {
			into = p.survivor(into)
		}
		p.redirect[r.Entity.ID], out[i].Into = into, into
	}
	// Then the rest are queued for review against the entities they
	// would join: a reviewer decides between the record and that entity,
	// not a record that already joined it.
	p.created = map[string]bool{}
	for _, e := range fresh {
		if p.redirect[e.ID] == "" {
			p.created[e.ID] = true
		}
	}
	queuedPairs := map[string]bool{}
	for i, e := range fresh {
		if p.redirect[e.ID] != "" {
			continue
		}
		queued, done := 0, map[string]bool{}
		for _, m := range matches[i] {
			target := p.survivor(m.ID)
			pair := graph.JudgementID(target, e.ID)
			if target == e.ID || done[target] || queuedPairs[pair] || slices.Contains(apart[e.ID], target) {
				continue
			}
			done[target], queuedPairs[pair] = true, true
			out = append(out, graph.Resolution{Entity: e, Candidate: target, Score: m.Value, Explanation: m.Explanation, Who: Resolver})
			if queued++; queued == maxQueued {
				break
			}
		}
	}
	return out, nil
}

// resolvable is an entity record as resolution needs it: Explicit when
// the source gave its graph id.
type resolvable struct {
	records.Entity
	Explicit bool
	line     int
}

func candidateOf(e records.Entity) resolve.Candidate {
	return resolve.Candidate{ID: e.ID, Schema: e.Schema, Country: e.Country, Names: e.Names, Identifiers: e.Identifiers}
}

// brought are the names and identifiers of e that c lacks: what taking e
// as c adds to it, and what undoing that takes away.
func brought(e records.Entity, c resolve.Candidate) (names, identifiers []string) {
	for _, n := range e.Names {
		if !slices.Contains(c.Names, n) && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	for _, i := range records.IdentifierList(e.Identifiers) {
		if !slices.Contains(records.IdentifierList(c.Identifiers), i) {
			identifiers = append(identifiers, i)
		}
	}
	return names, identifiers
}
