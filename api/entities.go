package api

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/exportwatch/exportwatch/api/model"
	"github.com/exportwatch/exportwatch/country"
	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/resolve"
)

// Editors make and change entities here; each change is audited by the
// store, and each input is checked field by field so a form can show the
// reason beside the field.

// duplicatesShown bounds likelyDuplicates' answer: an editor reads them.
const duplicatesShown = 8

func (r *Resolver) likelyDuplicates(ctx context.Context, typ model.EntityType, name string, cc *string) ([]model.LikelyDuplicate, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, badField("name", nil, "a name is needed to look for duplicates")
	}
	if len(name) > 1000 {
		return nil, badField("name", nil, "the name is %d bytes long, over 1000", len(name))
	}
	probe := resolve.Candidate{Schema: string(typ), Names: []string{name}, Country: strings.ToUpper(deref(cc))}
	known, err := r.Store.ResolutionCandidates(ctx, []resolve.Candidate{probe}, 50)
	if err != nil {
		return nil, err
	}
	idx := resolve.NewIndex()
	for _, c := range known {
		idx.Add(c)
	}
	matches := idx.Match(probe)
	if len(matches) > duplicatesShown {
		matches = matches[:duplicatesShown]
	}
	ids := make([]string, len(matches))
	for i, m := range matches {
		ids[i] = m.ID
	}
	ents, err := r.Store.EntitiesByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]model.LikelyDuplicate, 0, len(matches))
	for _, m := range matches {
		if e, ok := ents[m.ID]; ok {
			out = append(out, model.LikelyDuplicate{Entity: entity(e), Score: m.Value, Decision: string(m.Decision), Explanation: m.Explanation})
		}
	}
	return out, nil
}

// checkIdentifiers checks identifiers an editor typed; field prefixes the
// field name of each ("input.identifiers.2").
func checkIdentifiers(in []model.IdentifierInput, field string) (map[string]string, error) {
	out := map[string]string{}
	for i, id := range in {
		scheme, value := strings.ToLower(strings.TrimSpace(id.Scheme)), strings.TrimSpace(id.Value)
		if err := records.CheckIdentifier(scheme, value); err != nil {
			return nil, badField(fmt.Sprintf("%s.%d", field, i), nil, "%v", err)
		}
		if _, dup := out[scheme]; dup {
			return nil, badField(fmt.Sprintf("%s.%d", field, i), nil, "two %s identifiers: give one", scheme)
		}
		out[scheme] = value
	}
	return out, nil
}

func checkCountry(cc *string, field string) (*string, error) {
	if cc == nil {
		return nil, nil
	}
	c := strings.ToUpper(strings.TrimSpace(*cc))
	if c != "" && !country.Valid(c) {
		return nil, badField(field, nil, "country %q is not an ISO 3166-1 alpha-2 code (AZ, BY, EG, …)", *cc)
	}
	return &c, nil
}

func (r *Resolver) createEntity(ctx context.Context, in model.NewEntityInput) (model.Entity, error) {
	p, err := requireEditor(ctx)
	if err != nil {
		return nil, err
	}
	if in.Type == model.EntityTypeCountry {
		return nil, badField("input.type", nil, "countries are all in the graph already; choose one")
	}
	cc, err := checkCountry(in.Country, "input.country")
	if err != nil {
		return nil, err
	}
	idents, err := checkIdentifiers(in.Identifiers, "input.identifiers")
	if err != nil {
		return nil, err
	}
	e := records.Entity{V: records.Version, Schema: string(in.Type), Names: []string{strings.TrimSpace(in.Name)},
		Country: deref(cc), Identifiers: idents, Description: strings.TrimSpace(deref(in.Description))}
	for _, a := range in.Aliases {
		if a = strings.TrimSpace(a); a != "" {
			e.Names = append(e.Names, a)
		}
	}
	if len(e.Identifiers) == 0 {
		e.Identifiers = nil
	}
	if err := e.Validate(); err != nil {
		field := "input.name"
		if strings.HasPrefix(err.Error(), "names[") && !strings.HasPrefix(err.Error(), "names[0]") {
			field = "input.aliases"
		}
		return nil, badField(field, nil, "%v", err)
	}
	got, err := r.Store.CreateEntity(ctx, e, p.Name)
	if errors.Is(err, graph.ErrEntityExists) {
		id := records.EntityID(e)
		return nil, badField("input.name", map[string]any{"entity": id}, "%s is already in the graph as %s; choose it instead", e.Names[0], id)
	}
	if err != nil {
		return nil, err
	}
	return entity(got), nil
}

func (r *Resolver) editEntity(ctx context.Context, id string, in model.EntityEditInput, version *int) (model.Entity, error) {
	p, err := requireEditor(ctx)
	if err != nil {
		return nil, err
	}
	id = entityRef(id)
	found, err := r.Store.EntitiesByID(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	e, ok := found[id]
	if !ok {
		return nil, codedError{CodeNotFound, fmt.Sprintf("no entity %q", id)}
	}
	edit := graph.EntityEdit{Name: strings.TrimSpace(deref(in.Name)), RemoveIdentifiers: in.RemoveIdentifiers}
	if in.Name != nil && edit.Name == "" {
		return nil, badField("edit.name", nil, "the name cannot be empty")
	}
	for field, names := range map[string][]string{"edit.addAliases": in.AddAliases, "edit.removeAliases": in.RemoveAliases} {
		for i, n := range names {
			n = strings.TrimSpace(n)
			if n == "" || len(n) > 1000 {
				return nil, badField(fmt.Sprintf("%s.%d", field, i), nil, "a name is 1 to 1000 bytes")
			}
			if field == "edit.addAliases" {
				edit.AddAliases = append(edit.AddAliases, n)
			} else {
				edit.RemoveAliases = append(edit.RemoveAliases, n)
			}
		}
	}
	if edit.AddIdentifiers, err = checkIdentifiers(in.AddIdentifiers, "edit.addIdentifiers"); err != nil {
		return nil, err
	}
	if edit.Country, err = checkCountry(in.Country, "edit.country"); err != nil {
		return nil, err
	}
	if e.Schema == records.SchemaCountry && edit.Country != nil {
		return nil, badField("edit.country", nil, "a country's code is its identity")
	}
	if in.Description != nil {
		d := strings.TrimSpace(*in.Description)
		edit.Description = &d
	}
	got, err := r.Store.EditEntity(ctx, e.ID, edit, p.Name, version64(version))
	var refused *graph.RefusedEditError
	switch {
	case errors.As(err, &refused):
		return nil, badField("edit."+refused.Field, nil, "%s", refused.Reason)
	case errors.Is(err, graph.ErrNotFound):
		return nil, codedError{CodeNotFound, fmt.Sprintf("no entity %q", id)}
	case err != nil:
		return nil, err
	}
	return entity(got), nil
}
