package graph_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/records"
)

// moment is the as-of moment of now, between two writes.
func moment(t *testing.T) string {
	t.Helper()
	time.Sleep(2 * time.Millisecond) // the moment falls strictly between the writes around it
	at, err := graph.ParseAsOf(time.Now().UTC().Format(time.RFC3339Nano))
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Millisecond)
	return at
}

// TestAsOf: claims loaded later are left out, the review in force then
// gives a claim's status (through a review and its undoing), an editor's
// renaming is undone for earlier moments, and the transfers of a buyer and
// of a vendor are made from the claims as they stood, a retracted supply
// included while it stood.
func TestAsOf(t *testing.T) {
	s := graphtest.Store(t)
	ctx := context.Background()
	if _, err := s.WriteDocuments(ctx, []records.Document{{ID: "doc:a", URL: "https://a.example/", Origin: "curated"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WriteEntities(ctx, []records.Entity{
		{ID: "country:XX", Schema: "Country", Names: []string{"Xland"}, Country: "XX"},
		{ID: "gov", Schema: "PublicBody", Names: []string{"Government of Xland"}, Country: "XX"},
		{ID: "telco", Schema: "Company", Names: []string{"Xtel"}, Country: "XX"},
		{ID: "alpha", Schema: "Company", Names: []string{"Alpha"}},
		{ID: "beta", Schema: "Company", Names: []string{"Beta"}},
	}); err != nil {
		t.Fatal(err)
	}
	write := func(cs ...records.Claim) {
		t.Helper()
		var ws []graph.ClaimWrite
		for _, c := range cs {
			ws = append(ws, graph.ClaimWrite{Claim: c})
		}
		if _, err := s.WriteClaims(ctx, ws); err != nil {
			t.Fatal(err)
		}
	}
	alphaGov := claimRow("SUPPLIED", "alpha", "gov", "asserts", "reported", "2019", "doc:a")
	alphaTelco := claimRow("SUPPLIED", "alpha", "telco", "asserts", "reported", "2020", "doc:a")
	betaGov := claimRow("SUPPLIED", "beta", "gov", "asserts", "reported", "2021", "doc:a")
	write(alphaGov, alphaTelco)
	t1 := moment(t) // two supplies loaded
	write(betaGov)
	t2 := moment(t) // three
	if _, err := s.ReviewClaim(ctx, alphaGov.ID, "confirmed", "", "ed", nil); err != nil {
		t.Fatal(err)
	}
	t3 := moment(t) // Alpha → government confirmed
	if _, err := s.ReviewClaim(ctx, alphaTelco.ID, "retracted", "the page was misread", "ed", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.EditEntity(ctx, "alpha", graph.EntityEdit{Name: "Alpha Networks"}, "ed", nil); err != nil {
		t.Fatal(err)
	}
	t4 := moment(t) // Alpha → Xtel retracted, Alpha renamed
	if _, err := s.UndoReview(ctx, alphaGov.ID, "ed", nil); err != nil {
		t.Fatal(err)
	}
	now := moment(t)

	// The supplies of Xland as each moment held them: supplier name,
	// buyer, edge status and claims.
	suppliers := func(at string) []string {
		t.Helper()
		ts, err := s.SuppliersAsOf(ctx, "country:XX", at, true, 0)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, tr := range ts {
			out = append(out, fmt.Sprintf("%s→%s %s %d", tr.Supplier.Name, tr.Buyer.ID, tr.Edge.Status, len(tr.Claims)))
		}
		return out
	}
	for _, tc := range []struct {
		name, at string
		want     []string
	}{
		{"two loaded", t1, []string{"Alpha→gov reported 1", "Alpha→telco reported 1"}},
		{"three loaded", t2, []string{"Alpha→gov reported 1", "Alpha→telco reported 1", "Beta→gov reported 1"}},
		{"confirmed", t3, []string{"Alpha→gov confirmed 1", "Alpha→telco reported 1", "Beta→gov reported 1"}},
		{"retracted and renamed", t4, []string{"Alpha Networks→gov confirmed 1", "Beta→gov reported 1"}},
		{"review undone", now, []string{"Alpha Networks→gov reported 1", "Beta→gov reported 1"}},
	} {
		if d := cmp.Diff(tc.want, suppliers(tc.at)); d != "" {
			t.Errorf("%s: suppliers of Xland (-want +got):\n%s", tc.name, d)
		}
	}
	// Now, the claims give the edges the writer keeps.
	ts, err := s.Suppliers(ctx, "country:XX", false, 0)
	if err != nil {
		t.Fatal(err)
	}
	asOf, err := s.SuppliersAsOf(ctx, "country:XX", now, false, 0)
	if err != nil {
		t.Fatal(err)
	}
	var edges, asOfEdges []graph.Edge
	for i := range ts {
		edges = append(edges, ts[i].Edge)
	}
	for i := range asOf {
		asOfEdges = append(asOfEdges, asOf[i].Edge)
	}
	if d := cmp.Diff(edges, asOfEdges); d != "" {
		t.Errorf("suppliers as of now and the direct edges differ (-edges +as of now):\n%s", d)
	}

	buyers, err := s.BuyersAsOf(ctx, "alpha", t2, false, 0)
	if err != nil || len(buyers) != 2 || buyers[0].Buyer.Name != "Government of Xland" || buyers[1].Buyer.Name != "Xtel" {
		t.Errorf("Alpha's buyers at t2: %+v %v", buyers, err)
	}
	if e, err := s.EntityAsOf(ctx, "alpha", t3); err != nil || e.Name != "Alpha" || !cmp.Equal(e.Aliases, []string{"Alpha Networks"}) {
		t.Errorf("Alpha at t3: %+v %v; want its name then, its name now an alias", e, err)
	}
	claims, _, err := s.Claims(ctx, graph.ClaimFilter{AsOf: t3, MinStatus: "confirmed"})
	if err != nil || len(claims) != 1 || claims[0].ID != alphaGov.ID || claims[0].ReviewedBy != "ed" {
		t.Errorf("confirmed claims at t3: %+v %v", claims, err)
	}
	if claims, total, err := s.Claims(ctx, graph.ClaimFilter{AsOf: t1}); err != nil || total != 2 || len(claims) != 2 {
		t.Errorf("claims at t1: %d of %d, %v; want the two loaded by then", len(claims), total, err)
	}
	if cs, err := s.ClaimsOfAsOf(ctx, "gov", t1); err != nil || len(cs) != 1 || cs[0].Status != "reported" || cs[0].Reviewed {
		t.Errorf("the government's claims at t1: %+v %v", cs, err)
	}
}

// TestAsOfLineage: before the seed's dated rename, Sandvine is Procera
// Networks; from the year of the rename, Sandvine.
func TestAsOfLineage(t *testing.T) {
	s := graphtest.Seeded(t)
	for _, tc := range []struct{ at, want string }{
		{"2016-06-01", "Procera Networks"},
		{"2017-12-31", "Procera Networks"},
		{"2018-03-01", "Sandvine"},
	} {
		at, err := graph.ParseAsOf(tc.at)
		if err != nil {
			t.Fatal(err)
		}
		e, err := s.EntityAsOf(context.Background(), "company/sandvine", at)
		if err != nil || e.Name != tc.want {
			t.Errorf("Sandvine as of %s: %q, %v; want %q", tc.at, e.Name, err, tc.want)
		}
	}
}

func TestParseAsOf(t *testing.T) {
	for _, tc := range []struct{ in, want, err string }{
		{"2024-05-31", "2024-05-31T23:59:59.999999999Z", ""},
		{"2024-05-31T12:00:00+02:00", "2024-05-31T10:00:00.000000000Z", ""},
		{"2024-02", "2024-02-29T23:59:59.999999999Z", ""},
		{"2023", "2023-12-31T23:59:59.999999999Z", ""},
		{"31/05/2024", "", "give a date (2024-05-31, 2024-05 or 2024) or an RFC 3339 time"},
		{"2024-02-30", "", "give a date"},
	} {
		got, err := graph.ParseAsOf(tc.in)
		if got != tc.want || (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("ParseAsOf(%q) = %q, %v; want %q, %q", tc.in, got, err, tc.want, tc.err)
		}
	}
}
