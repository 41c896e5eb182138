package graph_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/records"
)

// TestSuppliersOfACountry follows the supply index, which a country's
// suppliers are read from, through every write that moves a transfer in
// it: a new edge, a rename, a buyer that changes country in an editor's
// hands or a later load, and a merge; and sees Check catch an index out
// of step, Repair mend it, and EnsureSchema fill it in a store without it.
func TestSuppliersOfACountry(t *testing.T) {
	s := graphtest.Store(t)
	ctx := context.Background()
	if _, err := s.WriteDocuments(ctx, []records.Document{{ID: "doc:a", URL: "https://a.example/", Origin: "curated"}}); err != nil {
		t.Fatal(err)
	}
	ents := []records.Entity{
		{ID: "country:XX", Schema: "Country", Names: []string{"Xland"}, Country: "XX"},
		{ID: "country:YY", Schema: "Country", Names: []string{"Yland"}, Country: "YY"},
		{ID: "gov", Schema: "PublicBody", Names: []string{"Government of Xland"}, Country: "XX"},
		// Under Xland's government, but located nowhere and elsewhere:
		// only the PART_OF chain brings them in.
		{ID: "unit", Schema: "PublicBody", Names: []string{"Unit 7"}},
		{ID: "embassy", Schema: "PublicBody", Names: []string{"Xland Embassy in Yland"}, Country: "YY"},
		{ID: "telco", Schema: "Company", Names: []string{"Xtel"}, Country: "XX"},
		{ID: "ytelco", Schema: "Company", Names: []string{"Ytel"}, Country: "YY"},
		{ID: "v-alpha", Schema: "Company", Names: []string{"alpha Systems"}},
		{ID: "v-beta", Schema: "Company", Names: []string{"Beta"}},
		{ID: "v-beta2", Schema: "Company", Names: []string{"Beta Networks"}},
		{ID: "v-zeta", Schema: "Company", Names: []string{"Zeta"}},
		{ID: "v-zeta-dup", Schema: "Company", Names: []string{"Zeta Ltd"}, Country: "XX"},
	}
	if _, err := s.WriteEntities(ctx, ents); err != nil {
		t.Fatal(err)
	}
	var claims []graph.ClaimWrite
	for _, c := range [][3]string{
		{"PART_OF", "gov", "country:XX"}, {"PART_OF", "unit", "gov"}, {"PART_OF", "embassy", "gov"},
		{"SUPPLIED", "v-zeta", "telco"}, {"SUPPLIED", "v-beta", "gov"}, {"SUPPLIED", "v-beta2", "gov"},
		{"SUPPLIED", "v-beta", "telco"}, {"SUPPLIED", "v-alpha", "unit"}, {"SUPPLIED", "v-zeta", "embassy"},
		{"SUPPLIED", "v-alpha", "ytelco"}, {"SUPPLIED", "v-zeta-dup", "ytelco"},
	} {
		claims = append(claims, graph.ClaimWrite{Claim: claimRow(c[0], c[1], c[2], "asserts", "reported", "2020", "doc:a")})
	}
	if _, err := s.WriteClaims(ctx, claims); err != nil {
		t.Fatal(err)
	}
	suppliers := func(limit int) []string { return supplierPairs(t, s, "country:XX", limit) }
	step := func(what string, want []string) {
		t.Helper()
		if diff := cmp.Diff(want, suppliers(0)); diff != "" {
			t.Errorf("%s: suppliers of Xland (-want +got):\n%s", what, diff)
		}
		// Every cut is the head of the whole list, whichever part of
		// the statement (index or PART_OF chain) each transfer came from.
		for n := 1; n < len(want); n++ {
			if diff := cmp.Diff(want[:n], suppliers(n)); diff != "" {
				t.Errorf("%s: the first %d suppliers of Xland (-want +got):\n%s", what, n, diff)
			}
		}
		if problems, err := s.Check(ctx); err != nil || len(problems) > 0 {
			t.Errorf("%s: check: %v %v", what, problems, err)
		}
	}
	step("written", []string{"v-alpha→unit", "v-beta→gov", "v-beta→telco", "v-beta2→gov", "v-zeta→embassy", "v-zeta→telco"})

	if _, err := s.EditEntity(ctx, "v-zeta", graph.EntityEdit{Name: "Aardvark"}, "editor", nil); err != nil {
		t.Fatal(err)
	}
	step("a supplier renamed", []string{"v-zeta→embassy", "v-zeta→telco", "v-alpha→unit", "v-beta→gov", "v-beta→telco", "v-beta2→gov"})

	yy := "YY"
	if _, err := s.EditEntity(ctx, "telco", graph.EntityEdit{Country: &yy}, "editor", nil); err != nil {
		t.Fatal(err)
	}
	step("a buyer moved by an editor", []string{"v-zeta→embassy", "v-alpha→unit", "v-beta→gov", "v-beta2→gov"})

	// A later load says where Ytel is: its transfers move into Xland's list.
	if _, err := s.WriteEntities(ctx, []records.Entity{{ID: "ytelco", Schema: "Company", Names: []string{"Ytel"}, Country: "XX"}}); err != nil {
		t.Fatal(err)
	}
	step("a buyer moved by a load", []string{"v-zeta→embassy", "v-alpha→unit", "v-alpha→ytelco", "v-beta→gov", "v-beta2→gov", "v-zeta-dup→ytelco"})

	// Zeta Ltd folds into Zeta (now Aardvark): its transfer follows the
	// survivor's name.
	if _, err := s.MergeEntities(ctx, "v-zeta", "v-zeta-dup", "editor"); err != nil {
		t.Fatal(err)
	}
	want := []string{"v-zeta→embassy", "v-zeta→ytelco", "v-alpha→unit", "v-alpha→ytelco", "v-beta→gov", "v-beta2→gov"}
	step("a supplier merged", want)
	if _, err := s.Decide(ctx, graph.JudgementID("v-zeta", "v-zeta-dup"), graph.JudgeNotSame, "", "editor"); err != nil {
		t.Fatal(err)
	}
	step("the merge undone", []string{"v-zeta→embassy", "v-alpha→unit", "v-alpha→ytelco", "v-beta→gov", "v-beta2→gov", "v-zeta-dup→ytelco"})

	graphtest.Exec(t, "MATCH ()-[r:SUPPLIED]->() WHERE r.supply_order STARTS WITH 'beta' SET r.supply_order = 'zz'")
	problems, err := s.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, p := range problems {
		if !p.Repairable() {
			t.Errorf("not repairable: %v", p)
		}
		kinds = append(kinds, p.Kind)
	}
	if diff := cmp.Diff([]string{"supply index out of step", "supply index out of step", "supply index out of step"}, kinds); diff != "" {
		t.Errorf("check after the index was spoilt (-want +got):\n%s\n%v", diff, problems)
	}
	if _, err := s.Repair(ctx, problems); err != nil {
		t.Fatal(err)
	}
	step("repaired", []string{"v-zeta→embassy", "v-alpha→unit", "v-alpha→ytelco", "v-beta→gov", "v-beta2→gov", "v-zeta-dup→ytelco"})

	// A store written before the index had none.
	graphtest.Exec(t, "MATCH ()-[r:SUPPLIED]->() REMOVE r.supply_order, r.buyer_country")
	if problems, err := s.Check(ctx); err != nil || len(problems) != 8 || !strings.Contains(problems[0].Detail, "buyer country") {
		t.Errorf("check of a store without the index: %v %v", problems, err)
	}
	if err := s.EnsureSchema(ctx); err != nil {
		t.Fatal(err)
	}
	step("filled", []string{"v-zeta→embassy", "v-alpha→unit", "v-alpha→ytelco", "v-beta→gov", "v-beta2→gov", "v-zeta-dup→ytelco"})

	// Another body's suppliers are read without the index, in the same
	// order.
	if got := supplierPairs(t, s, "gov", 0); !slices.Equal(got, []string{"v-zeta→embassy", "v-alpha→unit", "v-beta→gov", "v-beta2→gov"}) {
		t.Errorf("suppliers of the government: %v", got)
	}
}

// supplierPairs lists the transfers into a buyer (at most limit, all when
// 0) as "supplier→buyer" ids, in the order Suppliers gives them.
func supplierPairs(t *testing.T, s *graph.Store, id string, limit int) []string {
	t.Helper()
	ts, err := s.Suppliers(context.Background(), id, false, limit)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, tr := range ts {
		out = append(out, tr.Supplier.ID+"→"+tr.Buyer.ID)
	}
	return out
}
