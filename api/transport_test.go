package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/exportwatch/exportwatch/api"
	"github.com/exportwatch/exportwatch/graph/graphtest"
)

// answer is what TestGraphQLOverHTTP checks of a response.
type answer struct {
	Status      int
	ContentType string
	// Data is "absent", "null" or "object": a request that failed before
	// execution has no data entry at all.
	Data string
	Code string
}

// TestGraphQLOverHTTP: the status, media type and data entry of the
// answers to good and bad requests, with each Accept a client may send.
// With application/json a request that fails before execution gets 200 and
// its errors; with application/graphql-response+json a 4xx; with either,
// no data entry. A request that is not a GraphQL request at all (no query,
// parameters of the wrong type, not JSON) and the server's own refusals
// get their 4xx with either, in the media type asked for.
func TestGraphQLOverHTTP(t *testing.T) {
	ts := httptest.NewServer(api.Handler(graphtest.Store(t), api.Defaults()))
	defer ts.Close()
	const (
		plain = "application/json"
		gql   = "application/graphql-response+json"
	)
	aliases := "{"
	for i := range 21 {
		aliases += " a" + string(rune('a'+i)) + ": __typename"
	}
	aliases += " }"
	typename := `{"query": "{ __typename }"}`
	for _, tc := range []struct {
		name                                   string
		method, accept, contentType, body, key string
		want                                   answer
	}{
		{name: "a query", accept: plain, body: typename, want: answer{200, plain, "object", ""}},
		{name: "a query, graphql-response", accept: gql, body: typename, want: answer{200, gql, "object", ""}},
		{name: "no Accept", body: typename, want: answer{200, plain, "object", ""}},
		{name: "Accept */*", accept: "*/*", body: typename, want: answer{200, plain, "object", ""}},
		{name: "Accept names neither", accept: "text/html", body: typename, want: answer{200, plain, "object", ""}},
		{name: "graphql-response weighs more", accept: plain + ";q=0.9, " + gql, body: typename, want: answer{200, gql, "object", ""}},
		{name: "json weighs more", accept: gql + ";q=0.5, " + plain, body: typename, want: answer{200, plain, "object", ""}},
		{name: "first of equal weight", accept: gql + ", " + plain, body: typename, want: answer{200, gql, "object", ""}},
		{name: "null parameters", accept: gql, body: `{"query": "{ __typename }", "operationName": null, "variables": null, "extensions": null}`,
			want: answer{200, gql, "object", ""}},

		{name: "parse failure", accept: plain, body: `{"query": "{"}`, want: answer{200, plain, "absent", api.CodeBadInput}},
		{name: "parse failure, graphql-response", accept: gql, body: `{"query": "{"}`, want: answer{400, gql, "absent", api.CodeBadInput}},
		{name: "validation failure", accept: plain, body: `{"query": "{ nosuchfield }"}`, want: answer{200, plain, "absent", api.CodeBadInput}},
		{name: "validation failure, graphql-response", accept: gql, body: `{"query": "{ nosuchfield }"}`, want: answer{400, gql, "absent", api.CodeBadInput}},
		{name: "variable coercion failure", accept: plain, body: `{"query": "query($id: ID!) { entity(id: $id) { name } }", "variables": {"id": null}}`,
			want: answer{200, plain, "absent", api.CodeBadInput}},
		{name: "variable coercion failure, graphql-response", accept: gql, body: `{"query": "query($id: ID!) { entity(id: $id) { name } }", "variables": {"id": null}}`,
			want: answer{400, gql, "absent", api.CodeBadInput}},
		{name: "no such operation, graphql-response", accept: gql, body: `{"query": "query A { __typename }", "operationName": "B"}`,
			want: answer{400, gql, "absent", api.CodeBadInput}},
		{name: "over a limit", accept: plain, body: `{"query": "` + aliases + `"}`, want: answer{200, plain, "absent", api.CodeLimitExceeded}},
		{name: "over a limit, graphql-response", accept: gql, body: `{"query": "` + aliases + `"}`, want: answer{400, gql, "absent", api.CodeLimitExceeded}},
		// Execution began: data is there, null when the error reached the
		// root.
		{name: "an error in execution", accept: plain, body: `{"query": "{ neighbourhood(id: \"nobody\") { nodes { id } } }"}`,
			want: answer{200, plain, "null", api.CodeNotFound}},
		{name: "an error in execution, graphql-response", accept: gql, body: `{"query": "{ neighbourhood(id: \"nobody\") { nodes { id } } }"}`,
			want: answer{200, gql, "null", api.CodeNotFound}},

		{name: "no query", accept: plain, body: `{"qeury": "{ __typename }"}`, want: answer{400, plain, "absent", api.CodeBadInput}},
		{name: "no query, graphql-response", accept: gql, body: `{"qeury": "{ __typename }"}`, want: answer{400, gql, "absent", api.CodeBadInput}},
		{name: "a query that is not a string", accept: plain, body: `{"query": {"obj": "ect"}}`, want: answer{400, plain, "absent", api.CodeBadInput}},
		{name: "an operationName that is not a string", accept: gql, body: `{"query": "{ __typename }", "operationName": 0}`,
			want: answer{400, gql, "absent", api.CodeBadInput}},
		{name: "variables that are not an object", accept: gql, body: `{"query": "{ __typename }", "variables": ["array"]}`,
			want: answer{400, gql, "absent", api.CodeBadInput}},
		{name: "extensions that are not an object", accept: plain, body: `{"query": "{ __typename }", "extensions": "string"}`,
			want: answer{400, plain, "absent", api.CodeBadInput}},
		{name: "not JSON, graphql-response", accept: gql, body: `{ "not a JSON`, want: answer{400, gql, "absent", api.CodeBadInput}},
		{name: "a form, graphql-response", accept: gql, contentType: "application/x-www-form-urlencoded", body: "query=x",
			want: answer{415, gql, "absent", api.CodeBadInput}},
		{name: "PUT, graphql-response", method: "PUT", accept: gql, body: typename, want: answer{405, gql, "absent", api.CodeBadInput}},
		{name: "a wrong key, graphql-response", accept: gql, body: typename, key: "ew_wrong", want: answer{401, gql, "absent", api.CodeUnauthenticated}},

		{name: "GET", method: "GET", accept: plain, body: "query={__typename}", want: answer{200, plain, "object", ""}},
		{name: "GET, graphql-response", method: "GET", accept: gql, body: "query={__typename}", want: answer{200, gql, "object", ""}},
		{name: "GET without a query", method: "GET", accept: gql, body: "", want: answer{400, gql, "absent", api.CodeBadInput}},
		{name: "GET of a mutation", method: "GET", accept: gql, body: "query=" + url.QueryEscape("mutation { __typename }"),
			want: answer{405, gql, "absent", api.CodeBadInput}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			method, target, body := tc.method, ts.URL+"/graphql", io.Reader(nil)
			switch method {
			case "":
				method = "POST"
				fallthrough
			case "POST", "PUT":
				body = strings.NewReader(tc.body)
			case "GET":
				target += "?" + tc.body
			}
			req, err := http.NewRequest(method, target, body)
			if err != nil {
				t.Fatal(err)
			}
			if body != nil {
				ct := tc.contentType
				if ct == "" {
					ct = "application/json"
				}
				req.Header.Set("Content-Type", ct)
			}
			if tc.accept != "" {
				req.Header.Set("Accept", tc.accept)
			}
			if tc.key != "" {
				req.Header.Set("Authorization", "Bearer "+tc.key)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var r map[string]json.RawMessage
			if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
				t.Fatalf("%d: the answer is not JSON: %v", resp.StatusCode, err)
			}
			got := answer{Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Data: "absent"}
			switch d, ok := r["data"]; {
			case ok && string(d) == "null":
				got.Data = "null"
			case ok:
				got.Data = "object"
			}
			var errs []struct {
				Extensions struct{ Code string } `json:"extensions"`
			}
			if e, ok := r["errors"]; ok {
				if err := json.Unmarshal(e, &errs); err != nil || len(errs) == 0 {
					t.Fatalf("errors: %s", e)
				}
				got.Code = errs[0].Extensions.Code
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
			if !strings.Contains(strings.Join(resp.Header.Values("Vary"), ","), "Accept") {
				t.Errorf("Vary: %q; the answer depends on Accept", resp.Header.Values("Vary"))
			}
		})
	}
}
