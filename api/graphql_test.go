package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/api"
	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/google/go-cmp/cmp"
)

func TestMain(m *testing.M) { os.Exit(graphtest.Main(m)) }

type gqlResponse struct {
	Data   map[string]any `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// seeded serves the API over HTTP on a graph holding the seed.
func seeded(t *testing.T) *httptest.Server {
	ts, _ := seededStore(t)
	return ts
}

func seededStore(t *testing.T) (*httptest.Server, *graph.Store) {
	t.Helper()
	return seededWith(t, api.Defaults())
}

// seededUncached serves the seed's graph with the response cache off, for
// tests that count the statements of the resolvers: the cache's read of
// the graph's version comes and goes with time.
func seededUncached(t *testing.T) (*httptest.Server, *graph.Store) {
	t.Helper()
	opt := api.Defaults()
	opt.ResponseCacheBytes = 0
	return seededWith(t, opt)
}

// seededWith serves the seed's graph with the given options.
func seededWith(t *testing.T, opt api.Options) (*httptest.Server, *graph.Store) {
	t.Helper()
	s := graphtest.Seeded(t)
	ts := httptest.NewServer(api.Handler(s, opt))
	t.Cleanup(ts.Close)
	return ts, s
}

func post(t *testing.T, ts *httptest.Server, query string, vars map[string]any) (int, gqlResponse) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	resp, err := http.Post(ts.URL+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out gqlResponse
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("decode response: %v", err)
	}
	return resp.StatusCode, out
}

func code(r gqlResponse) string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

func TestQueries(t *testing.T) {
	ts := seeded(t)

	t.Run("entity with claims, evidence and documents", func(t *testing.T) {
		_, r := post(t, ts, `query($id: ID!) { entity(id: $id) { name type country ... on Company { capabilities }
			claims(relation: [SUPPLIED]) { relation status stage subject { name } object { id name ... on PublicBody { kind } }
				evidence { quote document { publisher url published origin } } } } }`, map[string]any{"id": "company/sandvine"})
		if len(r.Errors) > 0 {
			t.Fatalf("errors: %+v", r.Errors)
		}
		e := r.Data["entity"].(map[string]any)
		if e["name"] != "Sandvine" || e["type"] != "Company" || e["country"] != "CA" {
			t.Fatalf("entity: %v", e)
		}
		found := false
		for _, raw := range e["claims"].([]any) {
			c := raw.(map[string]any)
			obj := c["object"].(map[string]any)
			if obj["id"] != "body/by-ntec" || c["stage"] != "in_use" {
				continue
			}
			ev := c["evidence"].([]any)[0].(map[string]any)
			doc := ev["document"].(map[string]any)
			found = strings.Contains(ev["quote"].(string), "National Traffic Exchange Center") && doc["publisher"] == "Bloomberg" &&
				c["subject"].(map[string]any)["name"] == "Sandvine" && obj["kind"] == "agency"
		}
		if !found {
			t.Fatalf("no Sandvine → NTEC claim with Bloomberg's quote in %v", e["claims"])
		}
	})
	t.Run("missing entity is null, not an error", func(t *testing.T) {
		_, r := post(t, ts, `{ entity(id: "company/nobody") { name } }`, nil)
		if len(r.Errors) > 0 || r.Data["entity"] != nil {
			t.Fatalf("got %+v", r)
		}
	})
	t.Run("search", func(t *testing.T) {
		_, r := post(t, ts, `{ search(query: "Traffic Exchange", types: [PublicBody], first: 3) { score entity { id } } }`, nil)
		hits := r.Data["search"].([]any)
		if len(r.Errors) > 0 || len(hits) == 0 || hits[0].(map[string]any)["entity"].(map[string]any)["id"] != "body/by-ntec" {
			t.Fatalf("got %+v", r)
		}
	})
	t.Run("stats", func(t *testing.T) {
		_, r := post(t, ts, `{ stats { entities claims documents byRelation { name count } } }`, nil)
		st := r.Data["stats"].(map[string]any)
		if len(r.Errors) > 0 || st["claims"].(float64) != 135 || st["documents"].(float64) != 36 {
			t.Fatalf("got %+v", r)
		}
	})
	t.Run("GET", func(t *testing.T) {
		resp, err := http.Get(ts.URL + "/graphql?query=" + url.QueryEscape(`{ entity(id: "country:AZ") { name } }`))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var r gqlResponse
		json.NewDecoder(resp.Body).Decode(&r)
		if resp.StatusCode != 200 || r.Data["entity"].(map[string]any)["name"] != "Azerbaijan" {
			t.Fatalf("GET: %d %+v", resp.StatusCode, r)
		}
	})
}

func TestBadRequestsAndLimits(t *testing.T) {
	ts := seeded(t)
	deep := `{ entity(id: "company/sandvine") { claims { subject { claims { subject { claims { subject { claims { subject { claims { subject { name } } } } } } } } } } } }`
	aliases := "{"
	for i := range 25 {
		aliases += " a" + string(rune('a'+i)) + `: entity(id: "company/sandvine") { name }`
	}
	aliases += " }"
	schemas := "{"
	for i := range 3 {
		schemas += " s" + string(rune('a'+i)) + `: __schema { types { name } }`
	}
	schemas += " }"
	types := "{"
	for i := range 25 {
		types += " t" + string(rune('a'+i)) + `: __type(name: "Claim") { fields { name } }`
	}
	types += " }"
	tests := []struct {
		name, query, code string
	}{
		{"syntax error", `{ entity(id: "x") { name }`, api.CodeBadInput},
		{"unknown field", `{ entity(id: "x") { salary } }`, api.CodeBadInput},
		{"page too large", `{ search(query: "a", first: 1000) { score } }`, api.CodeBadInput},
		{"entity's claims page too large", `{ entity(id: "company/sandvine") { ... on Company { claims(first: 1000) { id } } } }`, api.CodeBadInput},
		{"edge's claims page too large", `{ buyers(of: "company/sandvine") { claims(first: 0) { id } } }`, api.CodeBadInput},
		{"timeline page too large", `{ timeline(id: "company/sandvine", first: 101) { date } }`, api.CodeBadInput},
		{"too deep", deep, api.CodeLimitExceeded},
		{"too many aliases", aliases, api.CodeLimitExceeded},
		// Introspection counts like any field: its aliases count, the whole
		// schema comes once, and lists within lists are refused.
		{"__schema more than once", schemas, api.CodeLimitExceeded},
		{"aliased __type", types, api.CodeLimitExceeded},
		{"introspection lists in lists", `{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }`, api.CodeBadInput},
		// Nested lists multiply: three levels of an entity's claims'
		// subjects' claims could reach a million claims.
		{"nested claims", `{ entity(id: "company/sandvine") { ... on Company { claims { subject { ... on Company { claims { subject { ... on Company { claims { id } } } } } } } } } }`, api.CodeLimitExceeded},
		{"nested claims, two levels", `{ entity(id: "company/sandvine") { ... on Company { claims { subject { ... on Company { claims { subject { name } } } } } } } }`, api.CodeLimitExceeded},
		{"nested edges and claims", `{ suppliers(of: "AZ", first: 100) { claims(first: 100) { subject { name } object { name } } } }`, api.CodeLimitExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, r := post(t, ts, tt.query, nil)
			if code(r) != tt.code {
				t.Fatalf("code %q, want %q: %+v", code(r), tt.code, r.Errors)
			}
			if msg := r.Errors[0].Message; strings.Contains(msg, "MATCH") || strings.Contains(msg, "goroutine") {
				t.Fatalf("internal detail leaked: %s", msg)
			}
		})
	}
	t.Run("huge body", func(t *testing.T) {
		body := `{"query": "{ stats { claims } }", "variables": {"pad": "` + strings.Repeat("x", 2<<20) + `"}}`
		resp, err := http.Post(ts.URL+"/graphql", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d", resp.StatusCode)
		}
	})
	// The server keeps serving after all of that.
	if _, r := post(t, ts, `{ stats { claims } }`, nil); len(r.Errors) > 0 {
		t.Fatalf("server broken after bad requests: %+v", r.Errors)
	}
}

func TestInvestigatorQueries(t *testing.T) {
	ts := seeded(t)

	t.Run("suppliers of Azerbaijan", func(t *testing.T) {
		_, r := post(t, ts, `{ suppliers(of: "AZ") { from { name } to { id } status contested claims { evidence { quote document { publisher } } } } }`, nil)
		if len(r.Errors) > 0 {
			t.Fatalf("errors: %+v", r.Errors)
		}
		quotes := map[string]string{}
		for _, raw := range r.Data["suppliers"].([]any) {
			e := raw.(map[string]any)
			name := e["from"].(map[string]any)["name"].(string)
			for _, c := range e["claims"].([]any) {
				for _, ev := range c.(map[string]any)["evidence"].([]any) {
					if q, _ := ev.(map[string]any)["quote"].(string); q != "" {
						quotes[name] += q + "\n"
					}
				}
			}
		}
		for _, vendor := range []string{"Allot Ltd.", "Sandvine", "NICE Ltd."} {
			if !strings.Contains(quotes[vendor], "Allot, Sandvine, NICE and others") {
				t.Errorf("%s: no IPHR quote among %q", vendor, quotes[vendor])
			}
		}
	})
	t.Run("buyers of Sandvine", func(t *testing.T) {
		_, r := post(t, ts, `{ buyers(of: "company/sandvine") { to { id } stages last } }`, nil)
		var ntec map[string]any
		for _, raw := range r.Data["buyers"].([]any) {
			if e := raw.(map[string]any); e["to"].(map[string]any)["id"] == "body/by-ntec" {
				ntec = e
			}
		}
		if ntec == nil || ntec["last"] != "2020-09-15" {
			t.Fatalf("Sandvine → NTEC should end with the licence termination: %+v", r)
		}
	})
	t.Run("path with the evidence of each hop", func(t *testing.T) {
		_, r := post(t, ts, `{ paths(from: "company/sandvine", to: "BY", relations: [SUPPLIED, PART_OF]) {
			nodes { id } hops { relation from { id } to { id } claims { evidence { quote } } } } }`, nil)
		if len(r.Errors) > 0 {
			t.Fatalf("errors: %+v", r.Errors)
		}
		paths := r.Data["paths"].([]any)
		if len(paths) == 0 {
			t.Fatal("no path from Sandvine to Belarus")
		}
		hops := paths[0].(map[string]any)["hops"].([]any)
		if len(hops) != 2 {
			t.Fatalf("hops: %v", hops)
		}
		for _, h := range hops {
			claims := h.(map[string]any)["claims"].([]any)
			if len(claims) == 0 || len(claims[0].(map[string]any)["evidence"].([]any)) == 0 {
				t.Errorf("hop without evidence: %v", h)
			}
		}
		_, direct := post(t, ts, `{ paths(from: "company/sandvine", to: "body/by-ntec", maxHops: 1) { hops { relation claims { evidence { quote } } } } }`, nil)
		if len(direct.Errors) > 0 || len(direct.Data["paths"].([]any)) == 0 {
			t.Fatalf("Sandvine → NTEC: %+v", direct)
		}
	})
	t.Run("neighbourhood", func(t *testing.T) {
		_, r := post(t, ts, `{ neighbourhood(id: "company/sandvine", depth: 2, limit: 30) { nodes { id } edges { relation from { id } to { id } } } }`, nil)
		g := r.Data["neighbourhood"].(map[string]any)
		if len(r.Errors) > 0 || len(g["nodes"].([]any)) != 31 || len(g["edges"].([]any)) == 0 {
			t.Fatalf("got %+v", r)
		}
	})
	for _, tt := range []struct{ name, query, code string }{
		{"too many hops", `{ paths(from: "company/sandvine", to: "BY", maxHops: 7) { nodes { id } } }`, api.CodeBadInput},
		{"same ends", `{ paths(from: "AZ", to: "country:AZ") { nodes { id } } }`, api.CodeBadInput},
		{"too deep a neighbourhood", `{ neighbourhood(id: "company/sandvine", depth: 4) { nodes { id } } }`, api.CodeBadInput},
		{"neighbourhood limit", `{ neighbourhood(id: "company/sandvine", limit: 1000) { nodes { id } } }`, api.CodeBadInput},
		{"neighbourhood of nothing", `{ neighbourhood(id: "nobody") { nodes { id } } }`, api.CodeNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, r := post(t, ts, tt.query, nil); code(r) != tt.code {
				t.Fatalf("code %q, want %q: %+v", code(r), tt.code, r.Errors)
			}
		})
	}
}

// GraphiQL's introspection query is 15 levels deep; the depth limit must not
// stop it, or the schema browser and completion break.
func TestIntrospectionPassesTheLimits(t *testing.T) {
	ts := seeded(t)
	q := `query IntrospectionQuery { __schema { queryType { name } types { ...FullType } } }
fragment FullType on __Type { kind name fields(includeDeprecated: true) { name args { ...InputValue } type { ...TypeRef } } interfaces { ...TypeRef } possibleTypes { ...TypeRef } }
fragment InputValue on __InputValue { name type { ...TypeRef } defaultValue }
fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }`
	if _, r := post(t, ts, q, nil); len(r.Errors) > 0 || r.Data["__schema"] == nil {
		t.Fatalf("introspection refused: %+v", r.Errors)
	}
	resp, err := http.Get(ts.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GraphiQL at /: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

func TestConnections(t *testing.T) {
	ts := seeded(t)
	// Walk all Israeli companies two at a time; the pages must add up.
	var names []string
	var after any
	for range 10 {
		_, r := post(t, ts, `query($after: String) { entities(filter: {types: [Company], country: "IL"}, first: 2, after: $after) {
			totalCount pageInfo { hasNextPage endCursor } nodes { name } } }`, map[string]any{"after": after})
		if len(r.Errors) > 0 {
			t.Fatalf("errors: %+v", r.Errors)
		}
		conn := r.Data["entities"].(map[string]any)
		for _, n := range conn["nodes"].([]any) {
			names = append(names, n.(map[string]any)["name"].(string))
		}
		pi := conn["pageInfo"].(map[string]any)
		if pi["hasNextPage"] != true {
			if int(conn["totalCount"].(float64)) != len(names) {
				t.Fatalf("totalCount %v, walked %d: %v", conn["totalCount"], len(names), names)
			}
			break
		}
		after = pi["endCursor"]
	}
	if len(names) < 5 || !slices.IsSorted(lower(names)) {
		t.Fatalf("Israeli companies, by name: %v", names)
	}

	_, r := post(t, ts, `{ claims(filter: {relations: [DESIGNATED], object: "body/us-ofac"}, first: 50, orderBy: START_DESC) {
		totalCount nodes { start subject { name } list evidence { document { publisher } } } } }`, nil)
	conn := r.Data["claims"].(map[string]any)
	nodes := conn["nodes"].([]any)
	if len(r.Errors) > 0 || conn["totalCount"].(float64) != 13 || nodes[0].(map[string]any)["start"] != "2024-09-16" {
		t.Fatalf("OFAC designations, newest first: %+v", r)
	}

	for _, tt := range []struct{ name, query string }{
		{"bad cursor", `{ entities(after: "bm9wZQ") { totalCount } }`},
		{"bad date", `{ claims(filter: {from: "last year"}) { totalCount } }`},
		{"page too large", `{ claims(first: 101) { totalCount } }`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, r := post(t, ts, tt.query, nil); code(r) != api.CodeBadInput {
				t.Fatalf("code %q: %+v", code(r), r.Errors)
			}
		})
	}
}

func lower(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = strings.ToLower(v)
	}
	return out
}

func TestTimelineAndDesignations(t *testing.T) {
	ts := seeded(t)
	listed := func(id, at string) []string {
		t.Helper()
		_, r := post(t, ts, `query($id: ID!, $at: String) { designations(id: $id, at: $at) { authority { id } list start claim { evidence { quote } } } }`,
			map[string]any{"id": id, "at": at})
		if len(r.Errors) > 0 {
			t.Fatalf("errors: %+v", r.Errors)
		}
		var out []string
		for _, raw := range r.Data["designations"].([]any) {
			d := raw.(map[string]any)
			out = append(out, d["authority"].(map[string]any)["id"].(string)+" "+d["list"].(string))
		}
		return out
	}
	tests := []struct {
		id, at string
		want   []string
	}{
		{"company/sandvine", "2020-08-28", nil}, // the Belarus deal: not yet listed
		{"company/sandvine", "2024-06-01", []string{"body/us-bis Entity List"}},
		{"company/nso-group", "2021-11-03", nil},
		{"company/nso-group", "2021-11-04", []string{"body/us-bis Entity List"}},
		{"company/nso-group", "2021", []string{"body/us-bis Entity List"}}, // in force for part of 2021
		{"company/cytrox-ad", "2024-03-05", []string{"body/us-bis Entity List", "body/us-ofac SDN"}},
		{"company/cytrox-ad", "", []string{"body/us-bis Entity List", "body/us-ofac SDN"}},
	}
	for _, tt := range tests {
		got := listed(tt.id, tt.at)
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("designations(%s, at %q) = %v, want %v", tt.id, tt.at, got, tt.want)
		}
	}
	if _, r := post(t, ts, `{ designations(id: "company/sandvine", at: "yesterday") { list } }`, nil); code(r) != api.CodeBadInput {
		t.Errorf("bad date: %+v", r.Errors)
	}

	_, r := post(t, ts, `{ timeline(id: "company/sandvine") { date claim { relation object { id } } } }`, nil)
	entries := r.Data["timeline"].([]any)
	var dates []string
	for _, e := range entries {
		dates = append(dates, e.(map[string]any)["date"].(string))
	}
	if len(r.Errors) > 0 || len(dates) < 8 || !slices.IsSorted(dates) || dates[0] != "2009" || !slices.Contains(dates, "2024-02-26") {
		t.Fatalf("timeline of Sandvine: %v %+v", dates, r.Errors)
	}
}

// TestEntityArguments: an argument that names an entity takes its id, a
// merged id, a country's code or a name only one entity has; anything
// else is an error, never an empty list that reads as "none".
func TestEntityArguments(t *testing.T) {
	ts := seeded(t)
	for _, tt := range []struct {
		name, query, code string
	}{
		{"suppliers of a country by name", `{ suppliers(of: "Azerbaijan") { from { id } } }`, ""},
		{"suppliers of a country by code", `{ suppliers(of: "AZ") { from { id } } }`, ""},
		{"buyers of a vendor by alias", `{ buyers(of: "sandvine inc.") { to { id } } }`, ""},
		{"buyers of nobody", `{ buyers(of: "company/does-not-exist") { to { id } } }`, api.CodeNotFound},
		{"suppliers of nobody", `{ suppliers(of: "Atlantis") { from { id } } }`, api.CodeNotFound},
		{"paths to nowhere", `{ paths(from: "company/sandvine", to: "nope") { nodes { id } } }`, api.CodeNotFound},
		{"paths from nowhere", `{ paths(from: "nope", to: "company/sandvine") { nodes { id } } }`, api.CodeNotFound},
		{"neighbourhood of nobody", `{ neighbourhood(id: "nope") { nodes { id } } }`, api.CodeNotFound},
		{"timeline of nobody", `{ timeline(id: "nope") { date } }`, api.CodeNotFound},
		{"designations of nobody", `{ designations(id: "nope") { list } }`, api.CodeNotFound},
		{"an ambiguous name", `{ suppliers(of: "Congolese") { from { id } } }`, api.CodeBadInput},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, r := post(t, ts, tt.query, nil)
			if code(r) != tt.code {
				t.Fatalf("code %q, want %q: %+v", code(r), tt.code, r.Errors)
			}
			if tt.code == "" {
				for _, v := range r.Data {
					if len(v.([]any)) == 0 {
						t.Fatalf("no answer: %+v", r.Data)
					}
				}
			}
		})
	}
	_, r := post(t, ts, `{ suppliers(of: "Congolese") { from { id } } }`, nil)
	if msg := r.Errors[0].Message; !strings.Contains(msg, "country:CD") || !strings.Contains(msg, "country:CG") {
		t.Errorf("an ambiguous name's error lists no candidates: %s", msg)
	}
	_, r = post(t, ts, `{ paths(from: "company/sandvine", to: "nope") { nodes { id } } }`, nil)
	if msg := r.Errors[0].Message; !strings.Contains(msg, `"nope"`) {
		t.Errorf("NOT_FOUND does not say what was not found: %s", msg)
	}
}

// TestCountryTimeline: a country's timeline holds the supplies into its
// bodies, not only what names the country itself.
func TestCountryTimeline(t *testing.T) {
	ts := seeded(t)
	_, r := post(t, ts, `{ timeline(id: "country:AZ") { date claim { relation subject { id } object { id } } } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatal(r.Errors)
	}
	var supplies, incidents []string
	for _, raw := range r.Data["timeline"].([]any) {
		e := raw.(map[string]any)
		c := e["claim"].(map[string]any)
		switch c["relation"] {
		case "SUPPLIED":
			supplies = append(supplies, e["date"].(string)+" "+c["subject"].(map[string]any)["id"].(string))
		case "OCCURRED_IN":
			incidents = append(incidents, e["date"].(string)+" "+c["subject"].(map[string]any)["id"].(string))
		}
	}
	if len(supplies) == 0 || !strings.HasPrefix(supplies[0], "2009") || len(incidents) == 0 {
		t.Fatalf("timeline of Azerbaijan: supplies %v, incidents %v", supplies, incidents)
	}
	for _, want := range []string{"company/allot", "company/sandvine", "company/nice"} {
		if !slices.ContainsFunc(supplies, func(s string) bool { return strings.HasSuffix(s, want) }) {
			t.Errorf("timeline of Azerbaijan lacks a supply by %s: %v", want, supplies)
		}
	}
}

// TestNoNPlusOne counts the Cypher statements behind a page of claims with
// their subjects, objects, products and evidence: the count must not grow
// with the page.
func TestNoNPlusOne(t *testing.T) {
	ts, store := seededUncached(t)
	const q = `query($n: Int) { claims(first: $n) { nodes { relation subject { name } object { name country }
		product { name } evidence { quote document { url publisher } } } } }`
	statements := func(n int) int64 {
		t.Helper()
		before := store.QueryCount()
		_, r := post(t, ts, q, map[string]any{"n": n})
		if len(r.Errors) > 0 {
			t.Fatalf("errors: %+v", r.Errors)
		}
		if got := len(r.Data["claims"].(map[string]any)["nodes"].([]any)); got != n {
			t.Fatalf("asked for %d claims, got %d", n, got)
		}
		return store.QueryCount() - before
	}
	small, large := statements(10), statements(100)
	t.Logf("Cypher statements for a page of 10 claims: %d; of 100: %d", small, large)
	if small != large || small > 4 {
		t.Fatalf("10 claims cost %d statements, 100 cost %d", small, large)
	}
}

// TestOneStatementEach checks that each representative query, nested
// fields included, is answered by one Cypher statement: the resolvers
// read what the selection shows with the query itself.
func TestOneStatementEach(t *testing.T) {
	ts, store := seededUncached(t)
	for _, tc := range []struct{ name, query string }{
		{"search", `{ search(query: "Sandvine", first: 5) { score entity { id name } } }`},
		{"entity with claims", `{ entity(id: "company/sandvine") { name ... on Company { claims { relation status subject { name } object { name }
			product { name } evidence { quote document { url publisher } } } } } }`},
		{"suppliers", `{ suppliers(of: "AZ") { from { name } to { name } status products { name }
			claims { id subject { name } evidence { quote document { url } } } } }`},
		{"buyers", `{ buyers(of: "company/sandvine") { to { name } status claims { id evidence { quote document { url } } } } }`},
		{"paths", `{ paths(from: "company/sandvine", to: "country:BY", maxHops: 4) { nodes { name }
			hops { relation from { name } claims { id object { name } evidence { quote document { url } } } } } }`},
		{"neighbourhood", `{ neighbourhood(id: "company/sandvine", depth: 2, limit: 50) { nodes { id name } edges { relation status from { id } to { id } } } }`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := store.QueryCount()
			_, r := post(t, ts, tc.query, nil)
			if len(r.Errors) > 0 {
				t.Fatalf("errors: %+v", r.Errors)
			}
			if !strings.Contains(mustJSON(r.Data), `"name":`) {
				t.Fatalf("no data: %s", mustJSON(r.Data))
			}
			if n := store.QueryCount() - before; n != 1 {
				t.Fatalf("%d statements, want 1", n)
			}
		})
	}
}

// TestNestedListsArePaged: every list of claims and edges takes first, and
// a nested entity's claims are read a page at a time.
func TestNestedListsArePaged(t *testing.T) {
	ts := seeded(t)
	count := func(t *testing.T, query string, path ...string) int {
		t.Helper()
		_, r := post(t, ts, query, nil)
		if len(r.Errors) > 0 {
			t.Fatalf("%s: %+v", query, r.Errors)
		}
		var walk func(v any, path []string) int
		walk = func(v any, path []string) int {
			if len(path) == 0 {
				if l, ok := v.([]any); ok {
					return len(l)
				}
				return 1
			}
			switch v := v.(type) {
			case []any:
				n := 0
				for _, x := range v {
					n += walk(x, path)
				}
				return n
			case map[string]any:
				return walk(v[path[0]], path[1:])
			}
			return 0
		}
		return walk(r.Data, path)
	}
	for _, tc := range []struct {
		name  string
		query string
		path  []string
		want  int
	}{
		{"entity's claims", `{ entity(id: "company/sandvine") { ... on Company { claims(first: 2) { id } } } }`, []string{"entity", "claims"}, 2},
		{"entity's claims of a relation", `{ entity(id: "company/sandvine") { ... on Company { claims(relation: [SUPPLIED], first: 1) { relation } } } }`, []string{"entity", "claims"}, 1},
		{"nested entity's claims", `{ buyers(of: "company/sandvine", first: 2) { to { ... on PublicBody { claims(first: 1) { id } } } } }`, []string{"buyers", "to", "claims"}, 2},
		{"suppliers", `{ suppliers(of: "AZ", first: 1) { relation } }`, []string{"suppliers"}, 1},
		{"edges", `{ suppliers(of: "BY") { relation } }`, []string{"suppliers"}, 2},
		{"edges' claims", `{ suppliers(of: "BY") { claims { id } } }`, []string{"suppliers", "claims"}, 3},
		{"edges' first claims", `{ suppliers(of: "BY") { claims(first: 1) { id } } }`, []string{"suppliers", "claims"}, 2},
		{"timeline", `{ timeline(id: "company/sandvine", first: 2) { date } }`, []string{"timeline"}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := count(t, tc.query, tc.path...); got != tc.want {
				t.Fatalf("%d items, want %d", got, tc.want)
			}
		})
	}
}

// TestNestedClaimsInOneStatement: the claims of entities reached through
// other fields are read together, so the statements do not grow with the
// number of entities. The loader gathers the fields that ask within a
// millisecond; on a loaded machine one may ask later and cost a statement
// of its own, so each count is the least of three tries.
func TestNestedClaimsInOneStatement(t *testing.T) {
	ts, store := seededUncached(t)
	const q = `query($n: Int) { buyers(of: "company/sandvine", first: $n) { to { id claims(first: 2) { id } } } }`
	statements := func(n int) (int64, int) {
		t.Helper()
		before := store.QueryCount()
		_, r := post(t, ts, q, map[string]any{"n": n})
		if len(r.Errors) > 0 {
			t.Fatalf("errors: %+v", r.Errors)
		}
		return store.QueryCount() - before, len(r.Data["buyers"].([]any))
	}
	least := func(n int) (int64, int) {
		t.Helper()
		best, items := statements(n)
		for range 2 {
			if c, _ := statements(n); c < best {
				best = c
			}
		}
		return best, items
	}
	one, _ := least(1)
	all, buyers := least(100)
	if buyers < 3 {
		t.Fatalf("only %d buyers: the seed should give more", buyers)
	}
	t.Logf("statements for 1 buyer's claims: %d; for %d buyers': %d", one, buyers, all)
	if all != one {
		t.Fatalf("the claims of %d buyers cost %d statements, of one %d", buyers, all, one)
	}
}

// TestHomeQueries: what the app's home shows, the vendors of each country
// for the map and the newest documents, from the public API.
func TestHomeQueries(t *testing.T) {
	ts := seeded(t)
	_, r := post(t, ts, `{ stats { documents vendorsByCountry { name count } } documents(first: 5) { totalCount nodes { id published retrieved } pageInfo { hasNextPage } } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatal(r.Errors)
	}
	stats := r.Data["stats"].(map[string]any)
	counts := map[string]int{}
	last := 1 << 30
	for _, raw := range stats["vendorsByCountry"].([]any) {
		c := raw.(map[string]any)
		n := int(c["count"].(float64))
		if n > last {
			t.Errorf("vendorsByCountry is not most first: %v", stats["vendorsByCountry"])
		}
		last = n
		counts[c["name"].(string)] = n
	}
	// Allot, NICE, Sandvine, NSO Group and Hacking Team in Azerbaijan;
	// Sandvine and Jet Infosystems in Belarus.
	if counts["AZ"] < 5 || counts["BY"] < 2 {
		t.Errorf("vendors by country: %v", counts)
	}
	docs := r.Data["documents"].(map[string]any)
	if int(docs["totalCount"].(float64)) != int(stats["documents"].(float64)) || docs["pageInfo"].(map[string]any)["hasNextPage"] != true {
		t.Errorf("documents: %v of %v", docs["totalCount"], stats["documents"])
	}
	var dates []string
	for _, raw := range docs["nodes"].([]any) {
		d := raw.(map[string]any)
		p, _ := d["published"].(string)
		dates = append(dates, p)
	}
	if len(dates) != 5 || !slices.IsSortedFunc(dates, func(a, b string) int { return strings.Compare(b, a) }) {
		t.Errorf("documents are not newest first: %v", dates)
	}
}

// TestContestedClaims: the editors' queue of disputed and contested claims
// holds exactly the disputed ones and those whose link sources both assert
// and deny.
func TestContestedClaims(t *testing.T) {
	ts := seeded(t)
	key := func(c map[string]any) string {
		return c["subject"].(map[string]any)["id"].(string) + " " + c["relation"].(string) + " " + c["object"].(map[string]any)["id"].(string)
	}
	stances := map[string]map[string]bool{}
	want := map[string]bool{}
	var all []map[string]any
	for after := ""; ; {
		_, r := post(t, ts, `query($after: String) { claims(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { id relation status stance subject { id } object { id } } } }`,
			map[string]any{"after": after})
		conn := r.Data["claims"].(map[string]any)
		for _, n := range conn["nodes"].([]any) {
			c := n.(map[string]any)
			all = append(all, c)
			if c["status"] != "retracted" {
				if stances[key(c)] == nil {
					stances[key(c)] = map[string]bool{}
				}
				stances[key(c)][c["stance"].(string)] = true
			}
		}
		pi := conn["pageInfo"].(map[string]any)
		if pi["hasNextPage"] != true {
			break
		}
		after = pi["endCursor"].(string)
	}
	for _, c := range all {
		if c["status"] == "disputed" || (c["status"] != "retracted" && len(stances[key(c)]) == 2) {
			want[c["id"].(string)] = true
		}
	}
	_, r := post(t, ts, `{ claims(filter: {contested: true}, first: 100, orderBy: START_DESC) { totalCount nodes { id } } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatal(r.Errors)
	}
	got := map[string]bool{}
	for _, n := range r.Data["claims"].(map[string]any)["nodes"].([]any) {
		got[n.(map[string]any)["id"].(string)] = true
	}
	if len(want) == 0 {
		t.Fatal("the seed has no disputed or contested claim to test with")
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("contested claims (-want +got):\n%s", diff)
	}
}
