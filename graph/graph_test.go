package graph_test

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/records"
	"github.com/google/go-cmp/cmp"
)

func TestMain(m *testing.M) { os.Exit(graphtest.Main(m)) }

func TestSchemaTwiceAndConcurrently(t *testing.T) {
	s := graphtest.Store(t) // sets the schema up once
	ctx := context.Background()
	if err := s.EnsureSchema(ctx); err != nil {
		t.Fatalf("second EnsureSchema: %v", err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			other, err := graph.Open(ctx, graph.Options{URI: graphtest.URI()})
			if err != nil {
				errs[i] = err
				return
			}
			defer other.Close(ctx)
			errs[i] = other.EnsureSchema(ctx)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("concurrent EnsureSchema: %v", err)
		}
	}
}

// claimRow builds a resolved claim as the loader would.
func claimRow(rel, s, o, stance, status, start, doc string) records.Claim {
	c := records.Claim{Relation: rel, Subject: s, Object: o, Stance: stance, Status: status, Confidence: 0.6, Start: start,
		Evidence: []records.Evidence{{Document: doc, Quote: "q " + status + " " + stance}}, Extractor: "test"}
	c.ID = records.ClaimID(c, s, o, "")
	return c
}

func TestEdgeUpkeep(t *testing.T) {
	s := graphtest.Store(t)
	ctx := context.Background()
	docs := []records.Document{{ID: "doc:a", URL: "https://a.example/", Origin: "curated"}, {ID: "doc:b", URL: "https://b.example/", Origin: "curated"},
		{ID: "doc:c", URL: "https://c.example/", Origin: "curated"}}
	if _, err := s.WriteDocuments(ctx, docs); err != nil {
		t.Fatal(err)
	}
	ents := []records.Entity{{ID: "v", Schema: "Company", Names: []string{"Vendor"}}, {ID: "b", Schema: "PublicBody", Names: []string{"Body"}}}
	if _, err := s.WriteEntities(ctx, ents); err != nil {
		t.Fatal(err)
	}
	edge := func() *graph.Edge {
		t.Helper()
		g, err := s.Neighbourhood(ctx, "v", 1, 10, []string{"SUPPLIED"})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range g.Edges {
			if e.Type == "SUPPLIED" && e.From == "v" && e.To == "b" {
				return &e
			}
		}
		return nil
	}
	reported := claimRow("SUPPLIED", "v", "b", "asserts", "reported", "2012", "doc:a")
	documented := claimRow("SUPPLIED", "v", "b", "asserts", "documented", "2009", "doc:b")
	if _, err := s.WriteClaims(ctx, []graph.ClaimWrite{{Claim: reported}}); err != nil {
		t.Fatal(err)
	}
	if e := edge(); e == nil || e.Status != "reported" || e.Contested || e.First != "2012" {
		t.Fatalf("after one reported claim: %+v", e)
	}
	if _, err := s.WriteClaims(ctx, []graph.ClaimWrite{{Claim: documented}}); err != nil {
		t.Fatal(err)
	}
	e := edge()
	if e == nil || e.Status != "documented" || len(e.Claims) != 2 || e.First != "2009" || e.Last != "2012" || e.Stance != "asserts" {
		t.Fatalf("strongest status and dates not kept: %+v", e)
	}
	denial := claimRow("SUPPLIED", "v", "b", "denies", "reported", "", "doc:c")
	if _, err := s.WriteClaims(ctx, []graph.ClaimWrite{{Claim: denial}}); err != nil {
		t.Fatal(err)
	}
	if e := edge(); e == nil || !e.Contested || e.Stance != "contested" || e.Status != "documented" || len(e.Claims) != 3 {
		t.Fatalf("denial did not contest the edge: %+v", e)
	}
	// Retracting the documented claim weakens the edge; retracting every
	// asserting claim leaves only the denial.
	documented.Status = "retracted"
	if _, err := s.WriteClaims(ctx, []graph.ClaimWrite{{Claim: documented}}); err != nil {
		t.Fatal(err)
	}
	if e := edge(); e == nil || e.Status != "reported" || len(e.Claims) != 2 || e.First != "2012" {
		t.Fatalf("after retraction: %+v", e)
	}
	reported.Status = "retracted"
	if _, err := s.WriteClaims(ctx, []graph.ClaimWrite{{Claim: reported}}); err != nil {
		t.Fatal(err)
	}
	if e := edge(); e == nil || e.Stance != "denies" || e.Contested {
		t.Fatalf("only the denial left: %+v", e)
	}
	denial.Status = "retracted"
	if _, err := s.WriteClaims(ctx, []graph.ClaimWrite{{Claim: denial}}); err != nil {
		t.Fatal(err)
	}
	if e := edge(); e != nil {
		t.Fatalf("edge outlived all its claims: %+v", e)
	}
}

func TestWriteClaimsRefusesMissingEntity(t *testing.T) {
	s := graphtest.Store(t)
	ctx := context.Background()
	if _, err := s.WriteDocuments(ctx, []records.Document{{ID: "doc:a", URL: "https://a.example/", Origin: "curated"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WriteEntities(ctx, []records.Entity{{ID: "v", Schema: "Company", Names: []string{"V"}}}); err != nil {
		t.Fatal(err)
	}
	_, err := s.WriteClaims(ctx, []graph.ClaimWrite{{Claim: claimRow("SUPPLIED", "v", "ghost", "asserts", "reported", "", "doc:a")}})
	if err == nil || !strings.Contains(err.Error(), "0 of 1 claims") {
		t.Fatalf("err = %v, want a refusal", err)
	}
	c, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c.Nodes["Claim"] != 0 {
		t.Fatalf("a claim without its object was written: %v", c.Nodes)
	}
}

func TestQueriesOnSeed(t *testing.T) {
	s := graphtest.Seeded(t)
	ctx := context.Background()

	t.Run("entity", func(t *testing.T) {
		e, err := s.Entity(ctx, "company/sandvine")
		if err != nil {
			t.Fatal(err)
		}
		if e.Name != "Sandvine" || e.Country != "CA" || e.Schema != "Company" || !slices.Contains(e.Aliases, "Sandvine Inc.") {
			t.Fatalf("sandvine = %+v", e)
		}
		if _, err := s.Entity(ctx, "company/nope"); !errors.Is(err, graph.ErrNotFound) {
			t.Fatalf("missing entity: %v", err)
		}
		c, err := s.Entity(ctx, "company/cognyte")
		if err != nil || c.Identifiers["cik"] != "0001824814" {
			t.Fatalf("cognyte identifiers: %+v %v", c.Identifiers, err)
		}
	})
	t.Run("entities by type, country and name", func(t *testing.T) {
		ents, total, err := s.Entities(ctx, graph.EntityFilter{Schemas: []string{"Company"}, Country: "IL"})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range ents {
			names = append(names, e.Name)
		}
		for _, want := range []string{"Allot Ltd.", "NICE Ltd.", "NSO Group", "Cognyte Software Ltd.", "Candiru"} {
			if !slices.Contains(names, want) {
				t.Errorf("Israeli companies %v lack %s", names, want)
			}
		}
		if int(total) != len(ents) {
			t.Errorf("total %d, page %d", total, len(ents))
		}
		page, total, err := s.Entities(ctx, graph.EntityFilter{Schemas: []string{"Country"}, Limit: 10, Skip: 10})
		if err != nil || len(page) != 10 || total < 249 {
			t.Fatalf("country page: %d of %d, %v", len(page), total, err)
		}
		byName, _, err := s.Entities(ctx, graph.EntityFilter{Name: "mtcht"})
		if err != nil || len(byName) != 1 || byName[0].ID != "body/az-mtcht" {
			t.Fatalf("by alias: %+v %v", byName, err)
		}
		if _, _, err := s.Entities(ctx, graph.EntityFilter{Schemas: []string{"Vendor"}}); err == nil {
			t.Fatal("unknown type accepted")
		}
	})
	t.Run("search", func(t *testing.T) {
		hits, err := s.Search(ctx, "sandvine", nil, 5)
		if err != nil || len(hits) == 0 || hits[0].Entity.ID != "company/sandvine" {
			t.Fatalf("search sandvine: %+v %v", hits, err)
		}
		hits, err = s.Search(ctx, `Traffic Exchange "Center`, []string{"PublicBody"}, 5)
		if err != nil || len(hits) == 0 || hits[0].Entity.ID != "body/by-ntec" {
			t.Fatalf("search with quotes: %+v %v", hits, err)
		}
		if hits, err := s.Search(ctx, `((( AND OR ~`, nil, 5); err != nil {
			t.Fatalf("lucene syntax in input broke search: %v %v", hits, err)
		}
	})
	t.Run("type-ahead", func(t *testing.T) {
		for _, tc := range []struct{ query, want, matched string }{
			{"sandv", "company/sandvine", "Sandvine"},                            // a prefix
			{"Sandvne", "company/sandvine", "Sandvine"},                          // one typo
			{"SANDVINE inc", "company/sandvine", "Sandvine Inc."},                // case, the alias it matched
			{"Сандвайн", "company/sandvine", "Sandvine"},                         // Cyrillic, transliterated
			{"Azərbaycan", "country:AZ", "Azərbaycan Respublikası"},              // Azerbaijani letters
			{"traffic exch", "body/by-ntec", "National Traffic Exchange Center"}, // every word a prefix
			{"Turk Telekom", "company/turk-telekom", "Türk Telekom"},             // accents folded
			{"jet infosystem", "company/jet-infosystems", "Jet Infosystems"},
		} {
			hits, err := s.Search(ctx, tc.query, nil, 5)
			if err != nil || len(hits) == 0 {
				t.Errorf("search %q: %v %v", tc.query, hits, err)
				continue
			}
			if diff := cmp.Diff([]string{tc.want, tc.matched}, []string{hits[0].Entity.ID, hits[0].Matched}); diff != "" {
				t.Errorf("search %q: best hit (-want +got):\n%s", tc.query, diff)
			}
		}
		// One typo, not two, in a Latin word; no typo at all in a short one.
		for _, q := range []string{"Sanvdnie", "Alot"} {
			if hits, _ := s.Search(ctx, q, nil, 5); len(hits) > 0 && (hits[0].Entity.ID == "company/sandvine" || hits[0].Entity.ID == "company/allot") {
				t.Errorf("search %q found %s: too forgiving", q, hits[0].Entity.ID)
			}
		}
	})
	t.Run("claims with evidence", func(t *testing.T) {
		claims, err := s.ClaimsOf(ctx, "body/by-ntec")
		if err != nil {
			t.Fatal(err)
		}
		var contract *graph.Claim
		for i, c := range claims {
			if c.Relation == "SUPPLIED" && c.Subject == "company/jet-infosystems" {
				contract = &claims[i]
			}
		}
		if contract == nil || contract.Value == nil || *contract.Value != 2.5e6 || contract.Currency != "USD" || contract.Extractor != "seed:B5" {
			t.Fatalf("Jet Infosystems contract: %+v", contract)
		}
		if len(contract.Evidence) != 1 || !strings.Contains(contract.Evidence[0].Quote, "$2.5 million contract") ||
			contract.Evidence[0].Document.Publisher != "Bloomberg" || !strings.HasPrefix(contract.Evidence[0].Document.URL, "https://www.bloomberg.com/") {
			t.Fatalf("evidence: %+v", contract.Evidence)
		}
	})
	t.Run("contested edge", func(t *testing.T) {
		g, err := s.Neighbourhood(ctx, "company/allot", 1, 50, []string{"SUPPLIED"})
		if err != nil {
			t.Fatal(err)
		}
		var iran *graph.Edge
		for i, e := range g.Edges {
			if e.To == "country:IR" {
				iran = &g.Edges[i]
			}
		}
		if iran == nil || !iran.Contested || len(iran.Claims) != 2 {
			t.Fatalf("Allot → Iran should be contested by Allot's denial: %+v", iran)
		}
	})
	t.Run("neighbourhood", func(t *testing.T) {
		g, err := s.Neighbourhood(ctx, "company/sandvine", 2, 200, nil)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, n := range g.Nodes {
			ids = append(ids, n.ID)
		}
		for _, want := range []string{"company/sandvine", "body/by-ntec", "company/francisco-partners", "country:BY", "company/turk-telekom", "body/us-bis", "company/nso-group"} {
			if !slices.Contains(ids, want) {
				t.Errorf("neighbourhood lacks %s", want)
			}
		}
		for _, e := range g.Edges {
			if !slices.Contains(ids, e.From) || !slices.Contains(ids, e.To) {
				t.Errorf("edge %s→%s leaves the node set", e.From, e.To)
			}
		}
		small, err := s.Neighbourhood(ctx, "company/sandvine", 3, 5, nil)
		if err != nil || len(small.Nodes) != 6 {
			t.Fatalf("limit 5 gave %d nodes (start + 5), %v", len(small.Nodes), err)
		}
		if _, err := s.Neighbourhood(ctx, "company/sandvine", 4, 5, nil); err == nil {
			t.Fatal("depth 4 accepted")
		}
		if _, err := s.Neighbourhood(ctx, "company/sandvine", 1, 5, []string{"SOLD; MATCH (n) DETACH DELETE n"}); err == nil {
			t.Fatal("a relation outside the allowlist reached Cypher")
		}
		if _, err := s.Neighbourhood(ctx, "nobody", 1, 5, nil); !errors.Is(err, graph.ErrNotFound) {
			t.Fatalf("missing start: %v", err)
		}
	})
	t.Run("paths", func(t *testing.T) {
		paths, err := s.ShortestPaths(ctx, "company/sandvine", "country:BY", []string{"SUPPLIED", "PART_OF"}, 4, "", true, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(paths) == 0 || len(paths[0].Edges) != 2 || paths[0].Nodes[1].ID != "body/by-ntec" {
			t.Fatalf("Sandvine → Belarus: %+v", paths)
		}
		if paths[0].Edges[0].Type != "SUPPLIED" || len(paths[0].Edges[0].Claims) < 2 {
			t.Fatalf("first hop: %+v", paths[0].Edges[0])
		}
		checkInlineClaims(t, append(paths[0].Edges[0].Claims, paths[0].Edges[1].Claims...), paths[0].Claims)
		none, err := s.ShortestPaths(ctx, "company/sandvine", "country:BY", []string{"SUPPLIED", "PART_OF"}, 4, "documented", false, 5)
		if err != nil || len(none) != 0 {
			t.Fatalf("minStatus documented should exclude reported hops: %+v %v", none, err)
		}
		if _, err := s.ShortestPaths(ctx, "a", "b", nil, 7, "", false, 5); err == nil {
			t.Fatal("7 hops accepted")
		}
		// A direct link does not hide the route through the reseller,
		// and no route passes a node twice.
		routes, err := s.ShortestPaths(ctx, "company/sandvine", "body/by-ntec", nil, 4, "", false, 5)
		if err != nil {
			t.Fatal(err)
		}
		var through []string
		for i, p := range routes {
			ids := map[string]bool{}
			for _, n := range p.Nodes {
				if ids[n.ID] {
					t.Errorf("route %d passes %s twice", i, n.ID)
				}
				ids[n.ID] = true
			}
			if i > 0 && len(p.Edges) < len(routes[i-1].Edges) {
				t.Errorf("route %d is shorter than route %d", i, i-1)
			}
			if len(p.Nodes) == 3 {
				through = append(through, p.Nodes[1].ID)
			}
		}
		if len(routes) < 2 || len(routes[0].Edges) != 1 || !slices.Contains(through, "company/jet-infosystems") {
			t.Fatalf("Sandvine → NTEC: direct first, then through Jet Infosystems; got %d routes through %v", len(routes), through)
		}
		if one, err := s.ShortestPaths(ctx, "company/sandvine", "body/by-ntec", nil, 4, "", false, 1); err != nil || len(one) != 1 {
			t.Fatalf("first 1: %d routes, %v", len(one), err)
		}
	})
	t.Run("counts", func(t *testing.T) {
		c, err := s.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if c.Nodes["Country"] < 249 || c.Nodes["Claim"] == 0 || c.Relationships["EVIDENCED_BY"] < c.Nodes["Claim"] {
			t.Fatalf("counts: %+v", c)
		}
	})
}

func TestSuppliersAndBuyersOnSeed(t *testing.T) {
	s := graphtest.Seeded(t)
	ctx := context.Background()
	suppliers := func(id string) []string { return supplierPairs(t, s, id, 0) }
	az := suppliers("country:AZ")
	for _, want := range []string{"company/allot→body/az-government", "company/sandvine→body/az-government", "company/nice→body/az-government",
		"company/sandvine→company/delta-telecom", "company/nso-group→body/az-government", "company/hacking-team→body/az-government"} {
		if !slices.Contains(az, want) {
			t.Errorf("suppliers of Azerbaijan %v lack %s", az, want)
		}
	}
	// A ministry's suppliers include those of the bodies under it; the
	// government's include the ministry's.
	if by := suppliers("body/by-ntec"); !slices.Contains(by, "company/jet-infosystems→body/by-ntec") || !slices.Contains(by, "company/sandvine→body/by-ntec") {
		t.Errorf("suppliers of NTEC: %v", by)
	}
	buyers, err := s.Buyers(ctx, "company/sandvine", true, 0)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range buyers {
		names = append(names, b.Buyer.ID)
		if b.Edge.Status == "" || len(b.Edge.Claims) == 0 {
			t.Errorf("transfer without status or claims: %+v", b.Edge)
		}
		checkInlineClaims(t, b.Edge.Claims, b.Claims)
	}
	for _, want := range []string{"body/by-ntec", "company/turk-telekom", "company/telecom-egypt", "body/eg-government", "body/az-government", "company/jet-infosystems"} {
		if !slices.Contains(names, want) {
			t.Errorf("buyers of Sandvine %v lack %s", names, want)
		}
	}
	if none, err := s.Suppliers(ctx, "nobody", false, 0); err != nil || len(none) != 0 {
		t.Fatalf("suppliers of a missing entity: %v %v", none, err)
	}
}

func TestClaimsFilterOnSeed(t *testing.T) {
	s := graphtest.Seeded(t)
	ctx := context.Background()
	count := func(f graph.ClaimFilter) int64 {
		t.Helper()
		_, total, err := s.Claims(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return total
	}
	all := count(graph.ClaimFilter{})
	if all != 135 {
		t.Fatalf("all claims: %d", all)
	}
	documented := count(graph.ClaimFilter{MinStatus: "documented"})
	if documented != 3 { // D4, D5, D6: the filings
		t.Errorf("documented claims: %d", documented)
	}
	if n := count(graph.ClaimFilter{Relations: []string{"DESIGNATED"}, Object: "body/us-ofac"}); n != 13 { // C3: 7, C4: 6
		t.Errorf("OFAC designations: %d", n)
	}
	if n := count(graph.ClaimFilter{Stance: "denies"}); n != 2 {
		t.Errorf("denials: %d", n)
	}
	if n := count(graph.ClaimFilter{Country: "BY", Relations: []string{"SUPPLIED"}}); n != 3 {
		t.Errorf("supplies touching Belarus: %d", n)
	}
	if n := count(graph.ClaimFilter{Publisher: "bloomberg"}); n < 8 {
		t.Errorf("claims citing Bloomberg: %d", n)
	}
	if n := count(graph.ClaimFilter{From: "2024-01-01", To: "2024-12-31", Relations: []string{"DESIGNATED"}}); n != 14 { // B8 + C3 + C4
		t.Errorf("2024 designations: %d", n)
	}
	if n := count(graph.ClaimFilter{MinConfidence: 0.85}); n == 0 || n >= all {
		t.Errorf("confidence ≥ 0.85: %d of %d", n, all)
	}
	page, total, err := s.Claims(ctx, graph.ClaimFilter{Order: "confidence_desc", Skip: 10, Limit: 5})
	if err != nil || len(page) != 5 || total != all || len(page[0].Evidence) == 0 {
		t.Fatalf("page: %d of %d, %v", len(page), total, err)
	}
	for _, bad := range []graph.ClaimFilter{{Order: "name; DROP"}, {MinStatus: "rumoured"}, {Relations: []string{"SOLD"}}} {
		if _, _, err := s.Claims(ctx, bad); err == nil {
			t.Errorf("filter %+v accepted", bad)
		}
	}
}

// checkInlineClaims checks that claims read with edges are exactly the
// edges' claims, each with its evidence and its ends.
func checkInlineClaims(t *testing.T, want []string, got []graph.Claim) {
	t.Helper()
	var ids []string
	for _, c := range got {
		ids = append(ids, c.ID)
		if len(c.Evidence) == 0 || c.Evidence[0].Document.URL == "" {
			t.Errorf("claim %s read without its evidence: %+v", c.ID, c.Evidence)
		}
		if len(c.Ends) < 2 || !slices.ContainsFunc(c.Ends, func(e graph.Entity) bool { return e.ID == c.Subject }) ||
			!slices.ContainsFunc(c.Ends, func(e graph.Entity) bool { return e.ID == c.Object }) {
			t.Errorf("claim %s read without its ends: %+v", c.ID, c.Ends)
		}
	}
	slices.Sort(ids)
	want = slices.Compact(slices.Sorted(slices.Values(want)))
	if !slices.Equal(ids, want) {
		t.Errorf("claims read with the edges: %v, want %v", ids, want)
	}
}
