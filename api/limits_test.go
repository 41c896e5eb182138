package api

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/exportwatch/exportwatch/api/generated"
)

// shortLists are the list fields of objects without a page argument: each
// is short by nature, or bounded by the page of the field above it. A new
// list field must take first (and so count in the cost) or be added here
// with its reason.
var shortLists = []string{
	"AuditConnection.nodes",      // the connection's page
	"ChangePage.changes",         // the page's first
	"Query.schedule",             // the jobs of one schedule file
	"Query.watches",              // a key keeps at most graph.MaxWatches
	"Claim.evidence",             // the documents quoted for one claim
	"ClaimConnection.edges",      // the connection's page
	"ClaimConnection.nodes",      // the connection's page
	"Company.identifiers",        // an entity's registry numbers
	"Country.identifiers",        //
	"Edge.products",              // the products one supply names
	"EntityConnection.edges",     // the connection's page
	"EntityConnection.nodes",     // the connection's page
	"DocumentConnection.nodes",   // the connection's page
	"Incident.identifiers",       //
	"JudgedEntity.identifiers",   //
	"JudgementConnection.nodes",  // the connection's page
	"Path.hops",                  // at most MaxPathHops
	"Path.nodes",                 // at most MaxPathHops + 1
	"Person.identifiers",         //
	"Product.identifiers",        //
	"PublicBody.identifiers",     //
	"Entity.identifiers",         //
	"Query.designations",         // one entity's listings
	"Query.likelyDuplicates",     // at most duplicatesShown (8)
	"Stats.byRelation",           // one per relation
	"Stats.byType",               // one per entity type
	"Stats.vendorsByCountry",     // one per country (about 250)
	"Subgraph.edges",             // among the neighbourhood's limit of nodes
	"Subgraph.nodes",             // the neighbourhood's limit
	"SuggestionConnection.nodes", // the connection's page
}

func TestEveryLongListHasABound(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	var unbounded []string
	for name, typ := range schema.Types {
		if strings.HasPrefix(name, "__") || typ.Kind == ast.InputObject {
			continue
		}
		for _, f := range typ.Fields {
			if f.Type.Elem == nil || schema.Types[f.Type.Name()].Kind == ast.Scalar || schema.Types[f.Type.Name()].Kind == ast.Enum {
				continue
			}
			paged := slices.ContainsFunc(f.Arguments, func(a *ast.ArgumentDefinition) bool {
				return slices.Contains(pageArguments, a.Name)
			})
			if !paged {
				unbounded = append(unbounded, name+"."+f.Name)
			}
		}
	}
	sort.Strings(unbounded)
	want := slices.Clone(shortLists)
	sort.Strings(want)
	if diff := cmp.Diff(want, unbounded); diff != "" {
		t.Fatalf("list fields without first or limit (-listed as short +in the schema):\n%s", diff)
	}
}

func TestCost(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	for _, tc := range []struct {
		query string
		vars  map[string]any
		want  int
	}{
		{`{ stats { claims } }`, nil, 2},
		// A list's selection counts once per item of its page.
		{`{ search(query: "a") { score } }`, nil, 1 + 10*1},
		{`{ search(query: "a", first: 3) { score entity { name } } }`, nil, 1 + 3*(1+2)},
		{`query($n: Int) { search(query: "a", first: $n) { score } }`, map[string]any{"n": int64(7)}, 1 + 7},
		// Pages multiply when nested: 100 claims of each of 100 subjects.
		{`{ entity(id: "x") { ... on Company { claims { subject { ... on Company { claims { id } } } } } } }`, nil, 1 + 1 + 100*(1+1+100)},
		{`{ neighbourhood(id: "x", limit: 10) { nodes { id } edges { relation claims(first: 2) { id } } } }`, nil, 1 + 10*(2+1+1+1+2)},
		{`{ brief(subject: "x") { content } }`, nil, briefComplexity + 1 + 1},
		// Introspection is bounded by shapeLimit, not counted here.
		{`{ __schema { types { name } } }`, nil, 0},
	} {
		doc, errs := gqlparser.LoadQueryWithRules(schema, tc.query, nil)
		if errs != nil {
			t.Fatalf("%s: %v", tc.query, errs)
		}
		if got := cost(doc.Operations[0].SelectionSet, tc.vars, map[string]bool{}); got != tc.want {
			t.Errorf("cost(%s) = %d, want %d", tc.query, got, tc.want)
		}
	}
}
