package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/exportwatch/exportwatch/api"
	"github.com/exportwatch/exportwatch/evidence"
	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/scrapers"
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

// withKeys serves s with a reader key and an editor key (and anonymous
// reads on, as by default), and returns the server and the two keys.
func withKeys(t *testing.T, s *graph.Store) (ts *httptest.Server, readerKey, editorKey string) {
	t.Helper()
	readerKey, readerEntry, _ := api.NewKey("reader-ngo", api.RoleReader)
	editorKey, editorEntry, _ := api.NewKey("editor-alice", api.RoleEditor)
	keys, err := api.ParseKeys(readerEntry + "," + editorEntry)
	if err != nil {
		t.Fatal(err)
	}
	opt := api.Defaults()
	opt.Auth.Keys = keys
	opt.Evidence = checker(t)
	ts = httptest.NewServer(api.Handler(s, opt))
	t.Cleanup(ts.Close)
	return ts, readerKey, editorKey
}

// checker fetches cited pages for a test's server; loopback is allowed,
// since the pages are served there.
func checker(t *testing.T) *evidence.Checker {
	t.Helper()
	allow, err := scrapers.ParseAllow("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	ch, err := evidence.NewChecker(evidence.Config{ArchiveDir: t.TempDir(), Allow: allow})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ch.Close() })
	return ch
}

// citedPages serves testdata/cited, the pages the tests' claims cite, on
// loopback for the whole run; robots.txt forbids /private/.
var citedPages = sync.OnceValue(func() string {
	files := http.FileServer(http.Dir(filepath.Join("testdata", "cited")))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/robots.txt":
			io.WriteString(w, "User-agent: *\nDisallow: /private/\n")
		case strings.HasPrefix(r.URL.Path, "/private/"):
			io.WriteString(w, "<p>forbidden to crawlers</p>")
		default:
			files.ServeHTTP(w, r)
		}
	}))
	return srv.URL
})

const addClaim = `mutation($in: ClaimInput!) { addClaim(input: $in) { id status extractor subject { id } object { id }
	evidence { quote locator unchecked document { url title publisher sha256 archive origin } } } }`

// claimInput is a claim of Allot's supply to Egypt whose quote is in its
// cited page.
func claimInput() map[string]any {
	return map[string]any{"in": map[string]any{
		"relation": "SUPPLIED", "subject": "company/allot", "object": "body/eg-government", "confidence": 0.45,
		"start": "2019", "stage": "delivered",
		"evidence": []any{map[string]any{"quote": "the boxes carried Allot's badge and were delivered to the Egyptian government",
			"document": map[string]any{"url": citedPages() + "/allot-egypt.html", "publisher": "Example Watch"}}},
	}}
}

func TestEditing(t *testing.T) {
	s := graphtest.Seeded(t)
	ts, readerKey, editorKey := withKeys(t, s)

	if _, r := postAs(t, ts, "", addClaim, claimInput()); code(r) != api.CodeUnauthenticated {
		t.Fatalf("anonymous addClaim: %+v", r)
	}
	if _, r := postAs(t, ts, readerKey, addClaim, claimInput()); code(r) != api.CodeForbidden {
		t.Fatalf("reader addClaim: %+v", r)
	}
	if status, r := postAs(t, ts, "ew_wrong", `{ stats { claims } }`, nil); status != 401 || code(r) != api.CodeUnauthenticated {
		t.Fatalf("wrong key: %d %+v", status, r)
	}
	if _, r := postAs(t, ts, readerKey, `{ stats { claims } }`, nil); len(r.Errors) > 0 {
		t.Fatalf("reader cannot read: %+v", r)
	}

	_, r := postAs(t, ts, editorKey, addClaim, claimInput())
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
	for _, q := range []string{`{ __schema { types { name } } }`, `{ __type(name: "Claim") { name } }`} {
		if _, r := postAs(t, ts, "", q, nil); code(r) != api.CodeForbidden || r.Data != nil {
			t.Fatalf("%s with introspection off: %+v", q, r)
		}
	}
	// __typename is not introspection of the schema; clients need it.
	if _, r := postAs(t, ts, "", `{ stats { __typename } }`, nil); len(r.Errors) > 0 {
		t.Fatalf("__typename with introspection off: %+v", r.Errors)
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

func TestMergeEntitiesMutation(t *testing.T) {
	s := graphtest.Seeded(t)
	dups := filepath.Join(t.TempDir(), "dups.jsonl")
	if err := os.WriteFile(dups, []byte(
		`{"type":"entity","v":1,"schema":"Company","id":"company/example-probe","names":["Example Probe"],"country":"IL"}`+"\n"+
			`{"type":"entity","v":1,"schema":"Company","id":"company/example-probe-ltd","names":["Example Probe Ltd"],"country":"IL"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := load.File(context.Background(), s, dups, load.Options{}); err != nil {
		t.Fatal(err)
	}
	ts, readerKey, editorKey := withKeys(t, s)

	const merge = `mutation($k: ID!, $m: ID!) { mergeEntities(keep: $k, merge: $m) { id aliases mergedIds } }`
	vars := map[string]any{"k": "company/example-probe", "m": "company/example-probe-ltd"}
	if _, r := postAs(t, ts, readerKey, merge, vars); code(r) != api.CodeForbidden {
		t.Fatalf("reader merge: %+v", r)
	}
	_, r := postAs(t, ts, editorKey, merge, vars)
	if len(r.Errors) > 0 || mustJSON(r.Data) != `{"mergeEntities":{"aliases":["Example Probe","Example Probe Ltd"],"id":"company/example-probe","mergedIds":["company/example-probe-ltd"]}}` {
		t.Fatalf("editor merge: %s", mustJSON(r))
	}
	if _, r := postAs(t, ts, editorKey, merge, vars); code(r) != api.CodeBadInput || !strings.Contains(r.Errors[0].Message, "already merged") {
		t.Fatalf("second merge: %+v", r)
	}
	if _, r := postAs(t, ts, editorKey, merge, map[string]any{"k": "company/example-probe", "m": "company/nobody"}); code(r) != api.CodeNotFound {
		t.Fatalf("merge of a missing entity: %+v", r)
	}
	if _, r := postAs(t, ts, editorKey, merge, map[string]any{"k": "company/example-probe", "m": "body/eg-government"}); code(r) != api.CodeBadInput {
		t.Fatalf("merge of a public body into a company: %+v", r)
	}

	// The merged id keeps resolving: in queries and in new claims.
	_, r = postAs(t, ts, "", `{ entity(id: "company/example-probe-ltd") { id name } }`, nil)
	if mustJSON(r.Data) != `{"entity":{"id":"company/example-probe","name":"Example Probe"}}` {
		t.Fatalf("entity by the merged id: %s", mustJSON(r))
	}
	in := map[string]any{"in": map[string]any{
		"relation": "SUPPLIED", "subject": "company/example-probe-ltd", "object": "body/eg-government", "confidence": 0.4,
		"evidence": []any{map[string]any{"quote": "lists Example Probe as the supplier of the probes", "document": map[string]any{"url": citedPages() + "/probe.html"}}}}}
	if _, r := postAs(t, ts, editorKey, addClaim, in); len(r.Errors) > 0 || !strings.Contains(mustJSON(r.Data), `"subject":{"id":"company/example-probe"}`) {
		t.Fatalf("claim about the merged id: %s", mustJSON(r))
	}
	_, r = postAs(t, ts, editorKey, `{ auditLog(first: 10) { nodes { action target } } }`, nil)
	if !strings.Contains(mustJSON(r.Data), `{"action":"mergeEntities","target":"company/example-probe-ltd → company/example-probe"}`) {
		t.Fatalf("audit log: %s", mustJSON(r))
	}
}

// TestUndoReview: a review undone puts the claim's status and review back
// as they were, review by review, each undoing audited; a reader cannot,
// and a claim with nothing to undo says so.
func TestUndoReview(t *testing.T) {
	s := graphtest.Seeded(t)
	ts, readerKey, editorKey := withKeys(t, s)
	_, r := postAs(t, ts, "", `{ claims(filter: {subject: "company/sandvine", object: "body/by-ntec"}, first: 1) { nodes { id status review { by } } } }`, nil)
	c := r.Data["claims"].(map[string]any)["nodes"].([]any)[0].(map[string]any)
	id := c["id"].(string)
	if c["status"] != "reported" || c["review"] != nil {
		t.Fatalf("before: %v", c)
	}
	const review = `mutation($id: ID!, $s: ReviewStatus!) { reviewClaim(id: $id, status: $s, note: "read the page") { status review { by at note } } }`
	const undo = `mutation($id: ID!) { undoReview(id: $id) { status review { by note } } }`
	status := func() (string, any) {
		t.Helper()
		_, r := postAs(t, ts, "", `{ claims(filter: {subject: "company/sandvine", object: "body/by-ntec"}, first: 5) { nodes { id status review { by } } } }`, nil)
		for _, n := range r.Data["claims"].(map[string]any)["nodes"].([]any) {
			if n.(map[string]any)["id"] == id {
				return n.(map[string]any)["status"].(string), n.(map[string]any)["review"]
			}
		}
		t.Fatalf("claim %s gone", id)
		return "", nil
	}
	for _, st := range []string{"confirmed", "disputed"} {
		if _, r := postAs(t, ts, editorKey, review, map[string]any{"id": id, "s": st}); len(r.Errors) > 0 {
			t.Fatal(r.Errors)
		}
	}
	if st, rv := status(); st != "disputed" || rv == nil {
		t.Fatalf("after two reviews: %s %v", st, rv)
	}
	if _, r := postAs(t, ts, readerKey, undo, map[string]any{"id": id}); code(r) != api.CodeForbidden {
		t.Fatalf("a reader undid a review: %+v", r)
	}
	if _, r := postAs(t, ts, editorKey, undo, map[string]any{"id": id}); len(r.Errors) > 0 || r.Data["undoReview"].(map[string]any)["status"] != "confirmed" {
		t.Fatalf("first undo: %+v", r)
	}
	if _, r := postAs(t, ts, editorKey, undo, map[string]any{"id": id}); len(r.Errors) > 0 || r.Data["undoReview"].(map[string]any)["status"] != "reported" ||
		r.Data["undoReview"].(map[string]any)["review"] != nil {
		t.Fatalf("second undo: %+v", r)
	}
	if _, r := postAs(t, ts, editorKey, undo, map[string]any{"id": id}); code(r) != api.CodeBadInput {
		t.Fatalf("a third undo, with nothing left: %+v", r)
	}
	// The edge follows: reported again.
	_, r = postAs(t, ts, "", `{ buyers(of: "company/sandvine") { to { id } status } }`, nil)
	for _, b := range r.Data["buyers"].([]any) {
		if b.(map[string]any)["to"].(map[string]any)["id"] == "body/by-ntec" && b.(map[string]any)["status"] != "reported" {
			t.Errorf("the edge to NTEC is %v after the undo", b.(map[string]any)["status"])
		}
	}
	_, r = postAs(t, ts, editorKey, `{ auditLog(first: 10) { nodes { action target } } }`, nil)
	var actions []string
	for _, n := range r.Data["auditLog"].(map[string]any)["nodes"].([]any) {
		actions = append(actions, n.(map[string]any)["action"].(string))
	}
	if strings.Join(actions, " ") != "undoReview undoReview reviewClaim reviewClaim" {
		t.Errorf("audit log, newest first: %v", actions)
	}
}
