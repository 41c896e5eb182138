package main

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/exportwatch/exportwatch/bench/graphbench"
	"github.com/exportwatch/exportwatch/graph"
)

// A question is one thing both systems are asked, each in its own
// schema's words, with the hand-written Cypher that fetches the same.
type question struct {
	name   string
	api    string
	peer   string
	cypher graphbench.Query
	// apiAnswer and peerAnswer reduce each system's data to what must
	// agree. The peer's does what the peer cannot: merge lists the API
	// gives as one, and cut a list where the API's page ends.
	apiAnswer  func(apiData) answer
	peerAnswer func(peerData) answer
}

// answer is what two answers must share: sorted ids or keys, by label.
type answer map[string][]string

func (a answer) add(label string, keys ...string) { a[label] = append(a[label], keys...) }

// The API's page sizes that the peer's answers are cut to: suppliers and
// buyers give 100 transfers, an entity its first 100 claims, an edge its
// first 20 (Query.suppliers, Query.buyers, Entity.claims, Edge.claims).
const (
	transferPage   = 100
	claimPage      = 100
	edgeClaimsPage = 20
)

// questions returns the questions, in the order they are printed: the
// API benchmark's six (bench/graphbench) and two more of the same kinds,
// suppliers of one buyer and the neighbourhood at depth 1.
func questions(ctx context.Context, driver neo4j.DriverWithContext) ([]question, error) {
	vendor, ministry, err := graphbench.APITargets(ctx, driver)
	if err != nil {
		return nil, err
	}
	buyer, err := suppliedBody(ctx, driver)
	if err != nil {
		return nil, err
	}
	if err := bodiesLocated(ctx, driver, graphbench.APICountry); err != nil {
		return nil, err
	}
	gql := map[string]string{}
	for _, q := range graphbench.APIQueries(vendor, ministry) {
		gql[q.Field] = q.Text
	}
	// The same Lucene query the API builds from what was typed, so both
	// ask the one index the same thing.
	lucene := graph.TypeAheadQuery(graphbench.APISearch)
	base := graphbench.APIBaselines(lucene, vendor, graphbench.APICountry, vendor, ministry)
	return []question{
		{name: "search", api: gql["search"], peer: peerSearch(lucene), cypher: base[0],
			apiAnswer: apiSearch, peerAnswer: peerSearchAnswer},
		{name: "entity with claims and evidence", api: gql["entity"], peer: peerEntity(vendor), cypher: base[1],
			apiAnswer: apiEntity, peerAnswer: peerEntityAnswer},
		{name: "buyers of a vendor", api: gql["buyers"], peer: peerBuyers(vendor), cypher: base[3],
			apiAnswer: apiTransfers(false), peerAnswer: peerBuyersAnswer},
		{name: "suppliers of a buyer", api: graphbench.SuppliersQuery(buyer), peer: peerSuppliersOf(buyer),
			cypher: graphbench.SuppliersOfBaseline(buyer), apiAnswer: apiTransfers(true), peerAnswer: peerSuppliersOfAnswer},
		{name: "suppliers of a country", api: gql["suppliers"], peer: peerSuppliersIn(graphbench.APICountry), cypher: base[2],
			apiAnswer: apiTransfers(true), peerAnswer: peerSuppliersInAnswer},
		{name: "neighbourhood depth 1", api: graphbench.NeighbourhoodQuery(vendor, 1), peer: peerNeighbourhood(vendor, 1),
			cypher: graphbench.NeighbourhoodBaseline(vendor, 1), apiAnswer: apiNeighbourhood, peerAnswer: peerNeighbourhoodAnswer},
		{name: "neighbourhood depth 2", api: gql["neighbourhood"], peer: peerNeighbourhood(vendor, 2), cypher: base[5],
			apiAnswer: apiNeighbourhood, peerAnswer: peerNeighbourhoodAnswer},
		{name: "paths vendor to ministry (4 hops)", api: gql["paths"], peer: peerPaths(vendor, ministry), cypher: base[4],
			apiAnswer: apiPaths, peerAnswer: peerPathsAnswer},
	}, nil
}

// suppliedBody is the buyer the suppliers question asks about: the first
// public body, by id, supplied both directly and through a body under it,
// so the walk down PART_OF has something to find.
func suppliedBody(ctx context.Context, driver neo4j.DriverWithContext) (string, error) {
	recs, err := graphbench.Run(ctx, driver, graphbench.Query{Name: "a supplied body", Cypher: `
MATCH (t:PublicBody)<-[:PART_OF]-(:Entity)<-[:SUPPLIED]-(:Entity)
WHERE EXISTS { (t)<-[:SUPPLIED]-(:Entity) }
RETURN DISTINCT t.id AS id ORDER BY id LIMIT 1`})
	if err != nil {
		return "", err
	}
	if len(recs) == 0 {
		return "", fmt.Errorf("no public body is supplied both directly and through a body under it")
	}
	return recs[0].Values[0].(string), nil
}

// bodiesLocated fails unless every body under the country (PART_OF, as
// far as the API walks) is located in it: the API's suppliers of a
// country are those of its bodies and of what is located in it, the
// peer's only the latter, which is then the same.
func bodiesLocated(ctx context.Context, driver neo4j.DriverWithContext, code string) error {
	recs, err := graphbench.Run(ctx, driver, graphbench.Query{Name: "bodies elsewhere", Cypher: `
MATCH (b:Entity)-[:PART_OF*1..5]->(:Country {country: $code})
WHERE coalesce(b.country, '') <> $code
RETURN b.id AS id ORDER BY id LIMIT 5`, Params: map[string]any{"code": code}})
	if err != nil {
		return err
	}
	if len(recs) > 0 {
		var ids []string
		for _, r := range recs {
			ids = append(ids, r.Values[0].(string))
		}
		return fmt.Errorf("bodies under %s are located elsewhere (%s), so the peer's suppliers of %[1]s would not be the API's", code, strings.Join(ids, ", "))
	}
	return nil
}

// The peer's questions. Its schema is bench/peer/typeDefs.graphql; each
// selects what the API's twin selects, and the ids and sort keys that
// the peer's answer needs to be cut and joined as the API's is.

func peerSearch(lucene string) string {
	return fmt.Sprintf(`{ searchEntities(phrase: %q, first: 10) { edges { score node { id name } } } }`, lucene)
}

// An entity's claims are three relationship fields (subject, object,
// product), each sorted and cut as the API sorts and cuts the one list.
func peerEntity(id string) string {
	return fmt.Sprintf(`{ entities(where: {id: {eq: %q}}) { name
  claimsAsSubject(sort: [{start: ASC}, {relation: ASC}, {id: ASC}], limit: %[2]d) { ...C }
  claimsAsObject(sort: [{start: ASC}, {relation: ASC}, {id: ASC}], limit: %[2]d) { ...C }
  claimsAsProduct(sort: [{start: ASC}, {relation: ASC}, {id: ASC}], limit: %[2]d) { ...C } } }
fragment C on Claim { id start relation status subject { name } object { name }
  evidenceConnection { edges { properties { quote } node { url publisher } } } }`, id, claimPage)
}

// A transfer's claims are not a relationship of the edge (it keeps their
// ids); the peer reaches them from the entity, as the supplier's or the
// buyer's SUPPLIED claims that are not retracted, and they are joined to
// the transfers by the other party.
const peerTransferClaims = `where: {relation: {eq: SUPPLIED}, NOT: {status: {eq: retracted}}}`

func peerBuyers(vendor string) string {
	return fmt.Sprintf(`{ entities(where: {id: {eq: %q}}) { id
  suppliedConnection(first: %d, sort: [{node: {name: ASC}}]) { edges { properties { status } node { id name } } }
  claimsAsSubject(%s) { id object { id } evidenceConnection { edges { properties { quote } node { url } } } } } }`,
		vendor, transferPage, peerTransferClaims)
}

// The bodies under a buyer are PART_OF it up to five levels down, as the
// API walks; the peer follows one relationship a level, so it nests five
// levels of parts.
func peerSuppliersOf(buyer string) string {
	sel := "...S"
	for range 5 {
		sel = "...S parts { " + sel + " }"
	}
	return fmt.Sprintf(`{ entities(where: {id: {eq: %q}}) { %s } }
fragment S on Entity { id name
  suppliedByConnection { edges { properties { status } node { id name } } }
  claimsAsObject(%s) { id subject { id } evidenceConnection { edges { properties { quote } node { url } } } } }`,
		buyer, sel, peerTransferClaims)
}

// Suppliers of a country are the suppliers of anything located in it
// (bodiesLocated), the first 100 by name: the first 100 transfers by
// supplier name are theirs.
func peerSuppliersIn(code string) string {
	in := fmt.Sprintf(`{country: {eq: %q}}`, code)
	return fmt.Sprintf(`{ entities(where: {supplied: {some: %[1]s}}, sort: [{name: ASC}], limit: %[2]d) { id name
  suppliedConnection(where: {node: %[1]s}) { edges { properties { status } node { id name } } }
  claimsAsSubject(where: {relation: {eq: SUPPLIED}, NOT: {status: {eq: retracted}}, object: %[1]s}) {
    id object { id } evidenceConnection { edges { properties { quote } node { url } } } } } }`, in, transferPage)
}

func peerNeighbourhood(id string, depth int) string {
	return fmt.Sprintf(`{ entities(where: {id: {eq: %q}}) { neighbourhood(depth: %d, limit: 50) { nodes { id name } edges { relation status from to } } } }`, id, depth)
}

func peerPaths(from, to string) string {
	return fmt.Sprintf(`{ paths(from: %q, to: %q, first: 5) { nodes { name } hops { relation claims { id evidence { quote url } } } } }`, from, to)
}

// The API's data, as its queries select it.
type apiData struct {
	Search []struct {
		Score  float64
		Entity apiEntityRef
	}
	Entity *struct {
		Name   string
		Claims []apiClaim
	}
	Suppliers     []apiEdge
	Buyers        []apiEdge
	Paths         []apiPath
	Neighbourhood *struct {
		Nodes []apiEntityRef
		Edges []apiEdge
	}
}

type apiEntityRef struct{ ID, Name string }

type apiClaim struct {
	ID, Relation, Status string
	Subject, Object      apiEntityRef
	Evidence             []apiEvidence
}

type apiEvidence struct {
	Quote    string
	Document struct{ URL, Publisher string }
	// URL is where the peer's paths field puts the document's.
	URL string
}

func (e apiEvidence) url() string { return cmp.Or(e.Document.URL, e.URL) }

type apiPath struct {
	Nodes []apiEntityRef
	Hops  []apiEdge
}

type apiEdge struct {
	Relation, Status string
	From, To         apiEntityRef
	Claims           []apiClaim
}

// The peer's data, as its queries select it.
type peerData struct {
	SearchEntities struct {
		Edges []struct {
			Score float64
			Node  peerNode
		}
	}
	Entities []peerNode
	Paths    []apiPath
}

type peerNode struct {
	ID, Name                                         string
	ClaimsAsSubject, ClaimsAsObject, ClaimsAsProduct []peerClaim
	SuppliedConnection, SuppliedByConnection         peerLinks
	Parts                                            []peerNode
	Neighbourhood                                    *struct {
		Nodes []struct{ ID, Name string }
		Edges []struct{ Relation, Status, From, To string }
	}
}

type peerLinks struct {
	Edges []struct {
		Properties struct{ Status string }
		Node       peerNode
	}
}

type peerClaim struct {
	ID, Start, Relation, Status string
	Subject, Object             *peerNode
	EvidenceConnection          struct {
		Edges []struct {
			Properties struct{ Quote string }
			Node       struct{ URL, Publisher string }
		}
	}
}

// claimKey names a claim with its evidence (quote and document of each),
// so two answers agree on the evidence too, not only on the claim.
func claimKey(id string, evidence []string) string {
	slices.Sort(evidence)
	return id + " [" + strings.Join(evidence, "; ") + "]"
}

func (c peerClaim) evidence(publisher bool) []string {
	var out []string
	for _, e := range c.EvidenceConnection.Edges {
		k := e.Properties.Quote + " @ " + e.Node.URL
		if publisher {
			k += " by " + e.Node.Publisher
		}
		out = append(out, k)
	}
	return out
}

// Search: how many hits, the lowest score, and the hits scoring above it.
// Hits that tie at the cut (thousands of "Vendor …" score alike for
// "Vendor 1234") are the index's arbitrary pick, and the two systems
// pick differently: the API asks the index for its top ten, the peer
// cannot pass that option and cuts the index's whole answer.
func apiSearch(d apiData) answer {
	hits := make([]hit, len(d.Search))
	for i, h := range d.Search {
		hits[i] = hit{h.Entity.ID, h.Score}
	}
	return searchAnswer(hits)
}

func peerSearchAnswer(d peerData) answer {
	hits := make([]hit, len(d.SearchEntities.Edges))
	for i, e := range d.SearchEntities.Edges {
		hits[i] = hit{e.Node.ID, e.Score}
	}
	return searchAnswer(hits)
}

type hit struct {
	id    string
	score float64
}

func searchAnswer(hits []hit) answer {
	a := answer{"hits": {strconv.Itoa(len(hits))}}
	if len(hits) == 0 {
		return a
	}
	cut := slices.MinFunc(hits, func(x, y hit) int { return cmp.Compare(x.score, y.score) }).score
	a.add("lowest score", fmt.Sprintf("%.4f", cut))
	for _, h := range hits {
		if h.score > cut {
			a.add("above the cut", fmt.Sprintf("%s %.4f", h.id, h.score))
		}
	}
	return a
}

// Entity: each claim with its parties, status and evidence.
func apiEntity(d apiData) answer {
	a := answer{}
	if d.Entity == nil {
		return a
	}
	a.add("name", d.Entity.Name)
	for _, c := range d.Entity.Claims {
		var ev []string
		for _, e := range c.Evidence {
			ev = append(ev, e.Quote+" @ "+e.Document.URL+" by "+e.Document.Publisher)
		}
		a.add("claims", claimKey(c.Relation+" "+c.Status+" "+c.Subject.Name+" → "+c.Object.Name, ev))
	}
	return a
}

func peerEntityAnswer(d peerData) answer {
	a := answer{}
	if len(d.Entities) == 0 {
		return a
	}
	e := d.Entities[0]
	a.add("name", e.Name)
	// One list, each claim once, oldest first, cut where the API's page
	// ends. The API sorts a missing start first (coalesce(start, '')).
	var all []peerClaim
	seen := map[string]bool{}
	for _, c := range slices.Concat(e.ClaimsAsSubject, e.ClaimsAsObject, e.ClaimsAsProduct) {
		if !seen[c.ID] {
			seen[c.ID] = true
			all = append(all, c)
		}
	}
	slices.SortFunc(all, func(x, y peerClaim) int {
		return cmp.Or(cmp.Compare(x.Start, y.Start), cmp.Compare(x.Relation, y.Relation), cmp.Compare(x.ID, y.ID))
	})
	for _, c := range all[:min(len(all), claimPage)] {
		a.add("claims", claimKey(c.Relation+" "+c.Status+" "+name(c.Subject)+" → "+name(c.Object), c.evidence(true)))
	}
	return a
}

func name(e *peerNode) string {
	if e == nil {
		return ""
	}
	return e.Name
}

// transfer is a SUPPLIED edge as both answers give it: its parties'
// names, its status, and its claims (claimKey).
type transfer struct {
	fromID, from, toID, to, status string
	claims                         []string
}

func transferAnswer(ts []transfer) answer {
	a := answer{}
	for _, t := range ts {
		a.add("transfers", strings.TrimSpace(t.from+" → "+t.to+" "+t.status))
		a.add("claims", t.claims...)
	}
	return a
}

// apiTransfers reads suppliers or buyers; a buyers query does not select
// the supplier, so from says whether to read it.
func apiTransfers(from bool) func(apiData) answer {
	return func(d apiData) answer {
		var ts []transfer
		for _, e := range slices.Concat(d.Suppliers, d.Buyers) {
			t := transfer{to: e.To.Name, status: e.Status}
			if from {
				t.from = e.From.Name
			}
			for _, c := range e.Claims {
				var ev []string
				for _, x := range c.Evidence {
					ev = append(ev, x.Quote+" @ "+x.Document.URL)
				}
				t.claims = append(t.claims, claimKey(c.ID, ev))
			}
			ts = append(ts, t)
		}
		return transferAnswer(ts)
	}
}

// joinClaims gives each transfer its claims, by the pair of parties, at
// most an edge's page of them. Claims are keyed by "from\x00to".
func joinClaims(ts []transfer, claims map[string][]string) {
	for i := range ts {
		cs := claims[ts[i].fromID+"\x00"+ts[i].toID]
		slices.Sort(cs)
		ts[i].claims = cs[:min(len(cs), edgeClaimsPage)]
	}
}

// firstTransfers sorts transfers as the API does (supplier, then buyer,
// by name in any case) and keeps a page of them.
func firstTransfers(ts []transfer) []transfer {
	slices.SortFunc(ts, func(x, y transfer) int {
		return cmp.Or(cmp.Compare(strings.ToLower(x.from), strings.ToLower(y.from)), cmp.Compare(strings.ToLower(x.to), strings.ToLower(y.to)))
	})
	return ts[:min(len(ts), transferPage)]
}

func peerBuyersAnswer(d peerData) answer {
	var ts []transfer
	claims := map[string][]string{}
	for _, v := range d.Entities {
		for _, e := range v.SuppliedConnection.Edges {
			ts = append(ts, transfer{fromID: v.ID, toID: e.Node.ID, to: e.Node.Name, status: e.Properties.Status})
		}
		for _, c := range v.ClaimsAsSubject {
			k := v.ID + "\x00" + c.Object.ID
			claims[k] = append(claims[k], claimKey(c.ID, c.evidence(false)))
		}
	}
	joinClaims(ts, claims)
	return transferAnswer(ts)
}

func peerSuppliersOfAnswer(d peerData) answer {
	byPair := map[string]transfer{}
	claims := map[string][]string{}
	var walk func(b peerNode)
	walk = func(b peerNode) {
		for _, e := range b.SuppliedByConnection.Edges {
			byPair[e.Node.ID+"\x00"+b.ID] = transfer{fromID: e.Node.ID, from: e.Node.Name, toID: b.ID, to: b.Name, status: e.Properties.Status}
		}
		for _, c := range b.ClaimsAsObject {
			k := c.Subject.ID + "\x00" + b.ID
			if !slices.Contains(claims[k], claimKey(c.ID, c.evidence(false))) {
				claims[k] = append(claims[k], claimKey(c.ID, c.evidence(false)))
			}
		}
		for _, p := range b.Parts {
			walk(p)
		}
	}
	for _, b := range d.Entities {
		walk(b)
	}
	// A body reached twice (by two routes) is one buyer.
	var ts []transfer
	for _, t := range byPair {
		ts = append(ts, t)
	}
	ts = firstTransfers(ts)
	joinClaims(ts, claims)
	return transferAnswer(ts)
}

func peerSuppliersInAnswer(d peerData) answer {
	var ts []transfer
	claims := map[string][]string{}
	for _, s := range d.Entities {
		for _, e := range s.SuppliedConnection.Edges {
			ts = append(ts, transfer{fromID: s.ID, from: s.Name, toID: e.Node.ID, to: e.Node.Name, status: e.Properties.Status})
		}
		for _, c := range s.ClaimsAsSubject {
			k := s.ID + "\x00" + c.Object.ID
			claims[k] = append(claims[k], claimKey(c.ID, c.evidence(false)))
		}
	}
	ts = firstTransfers(ts)
	joinClaims(ts, claims)
	return transferAnswer(ts)
}

func apiNeighbourhood(d apiData) answer {
	a := answer{}
	if d.Neighbourhood == nil {
		return a
	}
	for _, n := range d.Neighbourhood.Nodes {
		a.add("nodes", n.ID)
	}
	for _, e := range d.Neighbourhood.Edges {
		a.add("edges", e.From.ID+" "+e.Relation+" "+e.To.ID+" "+e.Status)
	}
	return a
}

func peerNeighbourhoodAnswer(d peerData) answer {
	a := answer{}
	if len(d.Entities) == 0 || d.Entities[0].Neighbourhood == nil {
		return a
	}
	g := d.Entities[0].Neighbourhood
	for _, n := range g.Nodes {
		a.add("nodes", n.ID)
	}
	for _, e := range g.Edges {
		a.add("edges", e.From+" "+e.Relation+" "+e.To+" "+e.Status)
	}
	return a
}

// Paths: each route as its entities and relations in order, and the
// claims of its hops. The peer's paths field is a @cypher one, written to
// answer in the API's shape, so one reading serves both.
func pathsAnswer(paths []apiPath) answer {
	a := answer{}
	for _, p := range paths {
		var route []string
		for i, n := range p.Nodes {
			if i > 0 && i <= len(p.Hops) {
				route = append(route, p.Hops[i-1].Relation)
			}
			route = append(route, n.Name)
		}
		a.add("routes", strings.Join(route, " - "))
		for _, h := range p.Hops {
			for _, c := range h.Claims {
				var ev []string
				for _, e := range c.Evidence {
					ev = append(ev, e.Quote+" @ "+e.url())
				}
				a.add("claims", claimKey(c.ID, ev))
			}
		}
	}
	return a
}

func apiPaths(d apiData) answer { return pathsAnswer(d.Paths) }

func peerPathsAnswer(d peerData) answer { return pathsAnswer(d.Paths) }
