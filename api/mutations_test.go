package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/api"
	"github.com/exportwatch/exportwatch/graph/graphtest"
)

func postAs(t *testing.T, ts *httptest.Server, key, query string, vars map[string]any) (int, gqlResponse) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest("POST", ts.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out gqlResponse
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, out
}

const addClaim = `mutation($in: ClaimInput!) { addClaim(input: $in) { id status extractor subject { id } object { id }
	evidence { quote document { url publisher } } } }`

var claimInput = map[string]any{"in": map[string]any{
	"relation": "SUPPLIED", "subject": "company/allot", "object": "body/eg-government", "confidence": 0.45,
	"start": "2019", "stage": "delivered",
	"evidence": []any{map[string]any{"quote": "a test quote", "document": map[string]any{
		"url": "https://reports.example.org/allot-egypt", "publisher": "Example Watch", "published": "2019-05"}}},
}}

func TestEditing(t *testing.T) {
	s := graphtest.Store(t)
	graphtest.LoadSeed(t, s)
	readerKey, readerEntry, _ := api.NewKey("reader-ngo", api.RoleReader)
	editorKey, editorEntry, _ := api.NewKey("editor-alice", api.RoleEditor)
	keys, err := api.ParseKeys(readerEntry + "," + editorEntry)
	if err != nil {
		t.Fatal(err)
	}
	opt := api.Defaults()
	opt.Auth.Keys = keys
	ts := httptest.NewServer(api.Handler(s, opt))
	defer ts.Close()

	if _, r := postAs(t, ts, "", addClaim, claimInput); code(r) != api.CodeUnauthenticated {
		t.Fatalf("anonymous addClaim: %+v", r)
	}
	if _, r := postAs(t, ts, readerKey, addClaim, claimInput); code(r) != api.CodeForbidden {
		t.Fatalf("reader addClaim: %+v", r)
	}
	if status, r := postAs(t, ts, "ew_wrong", `{ stats { claims } }`, nil); status != 401 || code(r) != api.CodeUnauthenticated {
		t.Fatalf("wrong key: %d %+v", status, r)
	}
	if _, r := postAs(t, ts, readerKey, `{ stats { claims } }`, nil); len(r.Errors) > 0 {
		t.Fatalf("reader cannot read: %+v", r)
	}

	_, r := postAs(t, ts, editorKey, addClaim, claimInput)
	if len(r.Errors) > 0 {
		t.Fatalf("editor addClaim: %+v", r.Errors)
	}
	added := r.Data["addClaim"].(map[string]any)
	if added["status"] != "reported" || added["extractor"] != "api:editor-alice" ||
		added["evidence"].([]any)[0].(map[string]any)["document"].(map[string]any)["publisher"] != "Example Watch" {
		t.Fatalf("added: %v", added)
	}
	id := added["id"].(string)
	_, r = postAs(t, ts, "", `{ suppliers(of: "EG") { from { id } claims { id } } }`, nil)
	if !strings.Contains(mustJSON(r.Data), id) {
		t.Fatalf("the new claim is not on the Allot → Egypt edge: %s", mustJSON(r.Data))
	}

	for _, bad := range []map[string]any{
		{"relation": "SUPPLIED", "subject": "company/allot", "object": "body/nobody", "confidence": 0.5,
			"evidence": []any{map[string]any{"quote": "q", "document": map[string]any{"url": "https://e.org/"}}}},
		{"relation": "SUPPLIED", "subject": "company/allot", "object": "body/eg-government", "confidence": 0.5, "evidence": []any{}},
		{"relation": "SUPPLIED", "subject": "company/allot", "object": "body/eg-government", "confidence": 2,
			"evidence": []any{map[string]any{"quote": "q", "document": map[string]any{"url": "https://e.org/"}}}},
		{"relation": "SUPPLIED", "subject": "company/allot", "object": "body/eg-government", "confidence": 0.5,
			"evidence": []any{map[string]any{"quote": "q", "document": map[string]any{"url": "javascript:alert(1)"}}}},
		{"relation": "SUPPLIED", "subject": "company/allot", "object": "body/eg-government", "confidence": 0.5, "status": "confirmed",
			"evidence": []any{map[string]any{"quote": "q", "document": map[string]any{"url": "https://e.org/"}}}},
	} {
		if _, r := postAs(t, ts, editorKey, addClaim, map[string]any{"in": bad}); code(r) != api.CodeBadInput {
			t.Errorf("bad claim %v: %+v", bad, r)
		}
	}

	const review = `mutation($id: ID!) { reviewClaim(id: $id, status: retracted, note: "source withdrawn") { status } }`
	if _, r := postAs(t, ts, readerKey, review, map[string]any{"id": id}); code(r) != api.CodeForbidden {
		t.Fatalf("reader review: %+v", r)
	}
	if _, r := postAs(t, ts, editorKey, review, map[string]any{"id": id}); len(r.Errors) > 0 || r.Data["reviewClaim"].(map[string]any)["status"] != "retracted" {
		t.Fatalf("editor review: %+v", r)
	}
	if _, r := postAs(t, ts, editorKey, review, map[string]any{"id": "claim:nope"}); code(r) != api.CodeNotFound {
		t.Fatalf("review of a missing claim: %+v", r)
	}
	_, r = postAs(t, ts, "", `{ suppliers(of: "EG") { from { id } } }`, nil)
	if strings.Contains(mustJSON(r.Data), "company/allot") {
		t.Fatalf("a retracted claim still makes an edge: %s", mustJSON(r.Data))
	}

	if _, r := postAs(t, ts, readerKey, `{ auditLog { totalCount } }`, nil); code(r) != api.CodeForbidden {
		t.Fatalf("reader audit log: %+v", r)
	}
	_, r = postAs(t, ts, editorKey, `{ auditLog(first: 10) { totalCount nodes { who action target before after } } }`, nil)
	log := r.Data["auditLog"].(map[string]any)
	nodes := log["nodes"].([]any)
	if len(r.Errors) > 0 || log["totalCount"].(float64) != 2 || nodes[0].(map[string]any)["action"] != "reviewClaim" ||
		nodes[0].(map[string]any)["who"] != "editor-alice" || !strings.Contains(nodes[0].(map[string]any)["before"].(string), `"status":"reported"`) ||
		!strings.Contains(nodes[0].(map[string]any)["after"].(string), `"status":"retracted"`) || nodes[1].(map[string]any)["action"] != "addClaim" {
		t.Fatalf("audit log: %s", mustJSON(r))
	}

	// A mutation over GET is refused.
	resp, err := http.Get(ts.URL + "/graphql?query=" + url.QueryEscape(`mutation { reviewClaim(id: "x", status: confirmed) { id } }`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("mutation over GET: %d", resp.StatusCode)
	}
}

func TestClosedDeployment(t *testing.T) {
	s := graphtest.Store(t)
	_, entry, _ := api.NewKey("x", api.RoleReader)
	keys, _ := api.ParseKeys(entry)
	ts := httptest.NewServer(api.Handler(s, api.Options{Limits: api.Defaults().Limits, Auth: api.Auth{Keys: keys}}))
	defer ts.Close()
	if status, r := postAs(t, ts, "", `{ stats { claims } }`, nil); status != 401 || code(r) != api.CodeUnauthenticated {
		t.Fatalf("anonymous read with anonymous reads off: %d %+v", status, r)
	}
}

func TestIntrospectionOff(t *testing.T) {
	s := graphtest.Store(t)
	opt := api.Defaults()
	opt.Introspection = false
	ts := httptest.NewServer(api.Handler(s, opt))
	defer ts.Close()
	if _, r := postAs(t, ts, "", `{ __schema { types { name } } }`, nil); len(r.Errors) == 0 {
		t.Fatalf("introspection answered while off: %+v", r)
	}
}

func TestParseKeys(t *testing.T) {
	for _, bad := range []string{"a:reader", "a:admin:" + strings.Repeat("0", 64), "a:reader:xyz", "a:editor:" + strings.Repeat("0", 10)} {
		if _, err := api.ParseKeys(bad); err == nil {
			t.Errorf("ParseKeys(%q) accepted", bad)
		}
	}
	if keys, err := api.ParseKeys(" , "); err != nil || len(keys) != 0 {
		t.Errorf("blank: %v %v", keys, err)
	}
	if _, _, err := api.NewKey("a:b", api.RoleReader); err == nil {
		t.Error("NewKey accepted a name with ':'")
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
