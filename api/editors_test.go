package api_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/api"
	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
)

// editorOnly is one operation per mutation, and the queries only editors
// may make; TestEveryMutationNeedsAnEditor fails when the schema gains a
// mutation this list lacks.
var editorOnly = map[string]string{
	"addClaim": `mutation { addClaim(input: {relation: SUPPLIED, subject: "company/allot", object: "country:EG", confidence: 0.5,
		evidence: [{quote: "q", document: {url: "https://e.org/"}}]}) { id } }`,
	"reviewClaim":      `mutation { reviewClaim(id: "claim:x", status: confirmed) { id } }`,
	"undoReview":       `mutation { undoReview(id: "claim:x") { id } }`,
	"decideJudgement":  `mutation { decideJudgement(id: "judgement:x", decision: same) { id } }`,
	"mergeEntities":    `mutation { mergeEntities(keep: "company/allot", merge: "company/nice") { id } }`,
	"acceptSuggestion": `mutation { acceptSuggestion(id: "suggestion:x") { id } }`,
	"rejectSuggestion": `mutation { rejectSuggestion(id: "suggestion:x") { id } }`,
	"createEntity":     `mutation { createEntity(input: {type: Company, name: "Probe Works", country: "IL"}) { id } }`,
	"editEntity":       `mutation { editEntity(id: "company/allot", edit: {description: "x"}) { id } }`,
	"auditLog":         `{ auditLog { totalCount } }`,
	"suggestions":      `{ suggestions { totalCount } }`,
	"judgements":       `{ judgements { totalCount } }`,
	"retryDeliveries":  `mutation { retryDeliveries(watch: "nothing") }`,
	"schedule":         `{ schedule { name } }`,
}

// anyKey is one operation per mutation any API key may make, a reader's
// too (a watch is its key's); anonymous visitors are refused them.
var anyKey = map[string]string{
	"createWatch": `mutation { createWatch(input: {name: "probe", entities: ["company/allot"]}) { id } }`,
	"deleteWatch": `mutation { deleteWatch(id: "nothing") }`,
}

// TestEveryMutationNeedsAnEditor: an anonymous visitor, a reader's key and
// a reader's session are refused every mutation and every editor's query,
// and nothing changes.
func TestEveryMutationNeedsAnEditor(t *testing.T) {
	s := graphtest.Seeded(t)
	ctx := context.Background()
	before, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ts, readerKey, _ := withKeys(t, s)
	_, r := postAs(t, ts, "", `{ __type(name: "Mutation") { fields { name } } }`, nil)
	for _, f := range r.Data["__type"].(map[string]any)["fields"].([]any) {
		if name := f.(map[string]any)["name"].(string); editorOnly[name] == "" && anyKey[name] == "" {
			t.Errorf("mutation %s is in neither editorOnly nor anyKey: add it, so that who may make it is shown", name)
		}
	}
	for name, op := range anyKey {
		if _, r := postAs(t, ts, "", op, nil); code(r) != api.CodeUnauthenticated {
			t.Errorf("anonymous %s: %s", name, mustJSON(r))
		}
	}
	session := newBrowser(t, ts.URL)
	session.signIn(readerKey)
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range editorOnly {
			if !yield(k) {
				return
			}
		}
	}) {
		op := editorOnly[name]
		if _, r := postAs(t, ts, "", op, nil); code(r) != api.CodeUnauthenticated && !(strings.HasPrefix(op, "{") && code(r) == api.CodeForbidden) {
			t.Errorf("anonymous %s: %s", name, mustJSON(r))
		}
		if _, r := postAs(t, ts, readerKey, op, nil); code(r) != api.CodeForbidden {
			t.Errorf("reader's key, %s: %s", name, mustJSON(r))
		}
		if _, r := session.gql(op, true); code(r) != api.CodeForbidden {
			t.Errorf("reader's session, %s: %s", name, mustJSON(r))
		}
	}
	after, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if mustJSON(before) != mustJSON(after) {
		t.Fatalf("the graph changed: %v → %v", before, after)
	}
	// Every change writes an audit event; none was written.
	if events, _, err := s.AuditLog(ctx, graph.AuditFilter{}, 0, 1); err != nil || len(events) != 0 {
		t.Fatalf("audit events after refused changes: %+v, %v", events, err)
	}
}

const entityFields = `id name aliases country description version identifiers { scheme value }`

// TestEntityEditing: an editor creates an entity after seeing its likely
// duplicates, edits it with checked identifiers, is told of a concurrent
// edit, and finds each change in the audit log by entity, editor and
// action.
func TestEntityEditing(t *testing.T) {
	s := graphtest.Seeded(t)
	ts, _, editorKey := withKeys(t, s)

	_, r := postAs(t, ts, editorKey, `{ likelyDuplicates(type: Company, name: "Sandvine Incorporated", country: "CA") { entity { id } score decision explanation } }`, nil)
	dups := r.Data["likelyDuplicates"].([]any)
	if len(r.Errors) > 0 || len(dups) == 0 || dups[0].(map[string]any)["entity"].(map[string]any)["id"] != "company/sandvine" {
		t.Fatalf("likely duplicates of Sandvine Incorporated: %s", mustJSON(r))
	}

	create := `mutation($in: NewEntityInput!) { createEntity(input: $in) { ` + entityFields + ` } }`
	for _, tc := range []struct {
		in    map[string]any
		field string
	}{
		{map[string]any{"type": "Company", "name": "Probe Works", "country": "Atlantis"}, "input.country"},
		{map[string]any{"type": "Company", "name": "Probe Works", "identifiers": []any{map[string]any{"scheme": "lei", "value": "5493001KJTIIGC8Y1R13"}}}, "input.identifiers.0"},
		{map[string]any{"type": "Company", "name": "  "}, "input.name"},
		{map[string]any{"type": "Country", "name": "Atlantis"}, "input.type"},
	} {
		if _, r := postAs(t, ts, editorKey, create, map[string]any{"in": tc.in}); code(r) != api.CodeBadInput || r.Errors[0].Extensions["field"] != tc.field {
			t.Errorf("create %v: want BAD_INPUT on %s: %s", tc.in, tc.field, mustJSON(r))
		}
	}
	in := map[string]any{"type": "Company", "name": "Probe Works", "country": "IL",
		"identifiers": []any{map[string]any{"scheme": "lei", "value": "5493001KJTIIGC8Y1R12"}}}
	_, r = postAs(t, ts, editorKey, create, map[string]any{"in": in})
	if len(r.Errors) > 0 {
		t.Fatalf("create: %s", mustJSON(r))
	}
	id := r.Data["createEntity"].(map[string]any)["id"].(string)
	if _, r := postAs(t, ts, editorKey, create, map[string]any{"in": in}); code(r) != api.CodeBadInput || r.Errors[0].Extensions["entity"] != id {
		t.Errorf("create it again: %s", mustJSON(r))
	}

	edit := `mutation($id: ID!, $e: EntityEditInput!, $v: Int) { editEntity(id: $id, edit: $e, version: $v) { ` + entityFields + ` } }`
	for _, tc := range []struct {
		e     map[string]any
		field string
	}{
		{map[string]any{"addIdentifiers": []any{map[string]any{"scheme": "cik", "value": "12345678901"}}}, "edit.addIdentifiers.0"},
		{map[string]any{"addIdentifiers": []any{map[string]any{"scheme": "registry", "value": "RA000585/123"}}}, "edit.addIdentifiers.0"},
		{map[string]any{"removeAliases": []any{"Probe Works"}}, "edit.removeAliases"},
		{map[string]any{"removeIdentifiers": []any{"lei:nope"}}, "edit.removeIdentifiers"},
		{map[string]any{"country": "ZZ"}, "edit.country"},
		{map[string]any{"name": ""}, "edit.name"},
	} {
		if _, r := postAs(t, ts, editorKey, edit, map[string]any{"id": id, "e": tc.e}); code(r) != api.CodeBadInput || r.Errors[0].Extensions["field"] != tc.field {
			t.Errorf("edit %v: want BAD_INPUT on %s: %s", tc.e, tc.field, mustJSON(r))
		}
	}
	_, r = postAs(t, ts, editorKey, edit, map[string]any{"id": id, "v": 0, "e": map[string]any{
		"name": "Probe Works Ltd", "addAliases": []any{"PW"}, "removeIdentifiers": []any{"lei:5493001KJTIIGC8Y1R12"},
		"addIdentifiers": []any{map[string]any{"scheme": "registry", "value": "RA000585/01234567"}}, "country": "GB", "description": "Makes probes."}})
	if got := mustJSON(r.Data); len(r.Errors) > 0 || got != `{"editEntity":{"aliases":["Probe Works","PW","Probe Works Ltd"],"country":"GB","description":"Makes probes.","id":"`+id+`","identifiers":[{"scheme":"registry","value":"RA000585/01234567"}],"name":"Probe Works Ltd","version":1}}` {
		t.Fatalf("edit: %s", mustJSON(r))
	}
	_, r = postAs(t, ts, editorKey, edit, map[string]any{"id": id, "v": 0, "e": map[string]any{"description": "Someone else's words."}})
	if code(r) != "CONFLICT" || r.Errors[0].Extensions["current"] != float64(1) {
		t.Fatalf("a stale edit: %s", mustJSON(r))
	}

	audit := `query($who: String, $action: String, $target: ID) { auditLog(first: 20, who: $who, action: $action, target: $target) { totalCount nodes { action target before after } } }`
	_, r = postAs(t, ts, editorKey, audit, map[string]any{"target": id})
	nodes := r.Data["auditLog"].(map[string]any)["nodes"].([]any)
	if len(nodes) != 2 || nodes[0].(map[string]any)["action"] != "editEntity" || nodes[1].(map[string]any)["action"] != "createEntity" ||
		!strings.Contains(nodes[0].(map[string]any)["before"].(string), `"country":"IL"`) || !strings.Contains(nodes[0].(map[string]any)["after"].(string), `"country":"GB"`) {
		t.Fatalf("audit of the entity: %s", mustJSON(r))
	}
	for _, tc := range []struct {
		vars map[string]any
		want float64
	}{{map[string]any{"action": "editEntity"}, 1}, {map[string]any{"who": "editor-alice"}, 2}, {map[string]any{"who": "someone"}, 0}} {
		_, r = postAs(t, ts, editorKey, audit, tc.vars)
		if n := r.Data["auditLog"].(map[string]any)["totalCount"]; n != tc.want {
			t.Errorf("audit log %v: %v events, want %v", tc.vars, n, tc.want)
		}
	}
}
