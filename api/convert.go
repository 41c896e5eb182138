package api

import (
	"sort"

	"github.com/exportwatch/exportwatch/api/model"
	"github.com/exportwatch/exportwatch/graph"
)

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func identifiers(m map[string]string) []model.Identifier {
	out := make([]model.Identifier, 0, len(m))
	for k, v := range m {
		out = append(out, model.Identifier{Scheme: k, Value: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Scheme < out[j].Scheme })
	return out
}

// entity converts a graph entity to its GraphQL type.
func entity(e graph.Entity) model.Entity {
	id, name, aliases, country := e.ID, e.Name, orEmpty(e.Aliases), optional(e.Country)
	idents, desc, merged, version := identifiers(e.Identifiers), optional(e.Description), orEmpty(e.Merged), int(e.Version)
	switch e.Schema {
	case "Company":
		return &model.Company{ID: id, Name: name, Aliases: aliases, Type: model.EntityTypeCompany, Country: country,
			Identifiers: idents, MergedIds: merged, Version: version, Description: desc, Capabilities: orEmpty(e.Capabilities)}
	case "PublicBody":
		return &model.PublicBody{ID: id, Name: name, Aliases: aliases, Type: model.EntityTypePublicBody, Country: country,
			Identifiers: idents, MergedIds: merged, Version: version, Description: desc, Kind: optional(e.Kind)}
	case "Person":
		return &model.Person{ID: id, Name: name, Aliases: aliases, Type: model.EntityTypePerson, Country: country,
			Identifiers: idents, MergedIds: merged, Version: version, Description: desc}
	case "Product":
		return &model.Product{ID: id, Name: name, Aliases: aliases, Type: model.EntityTypeProduct, Country: country,
			Identifiers: idents, MergedIds: merged, Version: version, Description: desc, Capabilities: orEmpty(e.Capabilities), ExportControl: orEmpty(e.ExportControl)}
	case "Incident":
		return &model.Incident{ID: id, Name: name, Aliases: aliases, Type: model.EntityTypeIncident, Country: country,
			Identifiers: idents, MergedIds: merged, Version: version, Description: desc, Kind: optional(e.Kind), Start: optional(e.Start), End: optional(e.End),
			Impact: optional(e.Impact)}
	default:
		return &model.Country{ID: id, Name: name, Aliases: aliases, Type: model.EntityTypeCountry, Country: country,
			Identifiers: idents, MergedIds: merged, Version: version, Description: desc}
	}
}

func document(d graph.Document) *model.Document {
	return &model.Document{ID: d.ID, URL: d.URL, Title: optional(d.Title), Publisher: optional(d.Publisher),
		Published: optional(d.Published), Retrieved: optional(d.Retrieved), Sha256: optional(d.SHA256),
		Archive: optional(d.Archive), Origin: d.Origin, Note: optional(d.Note)}
}

// claim converts a claim read with its ends (graph.Claim.Ends).
func claim(c graph.Claim) model.Claim {
	ev := make([]model.Evidence, len(c.Evidence))
	for i, e := range c.Evidence {
		ev[i] = model.Evidence{Quote: optional(e.Quote), Paraphrase: optional(e.Paraphrase), Locator: optional(e.Locator),
			Unchecked: optional(e.Unchecked), Document: document(e.Document)}
	}
	mc := model.Claim{
		ID: c.ID, Relation: model.Relation(c.Relation),
		Stance: model.Stance(c.Stance), Status: model.Status(c.Status), Confidence: c.Confidence,
		Start: optional(c.Start), End: optional(c.End), Stage: optional(c.Stage), Quantity: optional(c.Quantity),
		Value: c.Value, Currency: optional(c.Currency), Uncertain: orEmpty(c.Uncertain), Role: optional(c.Role),
		Share: optional(c.Share), List: optional(c.List), Program: optional(c.Program), Summary: optional(c.Summary),
		Extractor: c.Extractor, Evidence: ev, Version: int(c.Version), Loaded: optional(c.Loaded),
	}
	if c.Reviewed {
		mc.Review = &model.Review{By: c.ReviewedBy, At: c.ReviewedAt, Note: optional(c.ReviewNote)}
	}
	for _, e := range c.Ends {
		// One entity may be two ends (a product made by its subject).
		if e.ID == c.Subject {
			mc.Subject = entity(e)
		}
		if e.ID == c.Object {
			mc.Object = entity(e)
		}
		if e.ID == c.Product {
			mc.Product = entity(e)
		}
	}
	return mc
}

// edge converts an edge whose ends are among ends, by id.
func edge(e graph.Edge, ends map[string]model.Entity) model.Edge {
	return model.Edge{Relation: model.Relation(e.Type), From: ends[e.From], To: ends[e.To], Status: model.Status(e.Status),
		Stance: e.Stance, Contested: e.Contested, Confidence: e.Confidence, First: optional(e.First), Last: optional(e.Last),
		Stages: orEmpty(e.Stages), ProductIDs: orEmpty(e.Products), ClaimIDs: orEmpty(e.Claims)}
}
