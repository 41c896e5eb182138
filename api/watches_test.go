package api_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/api"
	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
)

// TestWatchesOverHTTP: a reader's key makes a watch of Sandvine; an
// editor's review of a Sandvine claim becomes an entry of its Atom feed,
// which needs no key; another key neither lists nor deletes it; a watch
// that follows nothing is BAD_INPUT.
func TestWatchesOverHTTP(t *testing.T) {
	ctx := context.Background()
	s := graphtest.Seeded(t)
	ts, readerKey, editorKey := withKeys(t, s)
	const create = `mutation($in: WatchInput!) { createWatch(input: $in) { id name entities countries relations minStatus feed } }`
	if _, r := postAs(t, ts, "", create, map[string]any{"in": map[string]any{"name": "x", "entities": []string{"company/sandvine"}}}); code(r) != api.CodeUnauthenticated {
		t.Errorf("a watch without a key: %s", mustJSON(r))
	}
	if _, r := postAs(t, ts, readerKey, create, map[string]any{"in": map[string]any{"name": "nothing"}}); code(r) != api.CodeBadInput {
		t.Errorf("a watch of nothing: %s", mustJSON(r))
	}
	_, r := postAs(t, ts, readerKey, create, map[string]any{"in": map[string]any{"name": "Sandvine's sales", "entities": []string{"Sandvine"},
		"relations": []string{"SUPPLIED"}}})
	if len(r.Errors) > 0 {
		t.Fatal(mustJSON(r))
	}
	w := r.Data["createWatch"].(map[string]any)
	if w["entities"].([]any)[0] != "company/sandvine" || w["minStatus"] != "reported" {
		t.Errorf("the watch: %v", w)
	}
	const hooked = `mutation($in: WatchInput!) { createWatch(input: $in) { id webhook webhookSecret } }`
	if _, r := postAs(t, ts, readerKey, hooked, map[string]any{"in": map[string]any{"name": "x", "countries": []string{"AZ"}, "webhook": "ftp://x.example/"}}); code(r) != api.CodeBadInput {
		t.Errorf("a webhook that is no http address: %s", mustJSON(r))
	}
	_, r = postAs(t, ts, editorKey, hooked, map[string]any{"in": map[string]any{"name": "Azerbaijan", "countries": []string{"AZ"}, "webhook": "https://hooks.example/in"}})
	if h, _ := r.Data["createWatch"].(map[string]any); h == nil || len(fmt.Sprint(h["webhookSecret"])) != 64 {
		t.Errorf("a watch with a webhook is answered without its secret: %s", mustJSON(r))
	}
	if _, r := postAs(t, ts, editorKey, `{ watches { webhook webhookSecret } }`, nil); mustJSON(r.Data) != `{"watches":[{"webhook":"https://hooks.example/in","webhookSecret":null}]}` {
		t.Errorf("the secret is given again: %s", mustJSON(r))
	}
	feed := w["feed"].(string)

	sales, _, err := s.Claims(ctx, graph.ClaimFilter{Subject: "company/sandvine", Relations: []string{"SUPPLIED"}, Limit: 1})
	if err != nil || len(sales) == 0 {
		t.Fatalf("Sandvine's sales: %v", err)
	}
	claimID := sales[0].ID
	if _, r := postAs(t, ts, editorKey, `mutation($id: ID!) { reviewClaim(id: $id, status: confirmed, note: "seen the contract") { id } }`,
		map[string]any{"id": claimID}); len(r.Errors) > 0 {
		t.Fatal(mustJSON(r))
	}
	if _, err := s.NotifyWatches(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := http.Get(ts.URL + feed)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/atom+xml; charset=utf-8" {
		t.Fatalf("GET %s: %d %s\n%s", feed, res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	var f struct {
		Entries []struct {
			ID    string `xml:"id"`
			Title string `xml:"title"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(body, &f); err != nil || len(f.Entries) != 1 || !strings.HasSuffix(f.Entries[0].ID, ":"+claimID) ||
		!strings.HasPrefix(f.Entries[0].Title, "Changed: Sandvine") {
		t.Errorf("the feed: %+v %v\n%s", f, err, body)
	}

	const list = `{ watches { id } }`
	if _, r := postAs(t, ts, editorKey, list, nil); len(r.Data["watches"].([]any)) != 1 {
		t.Errorf("the editor's watches (one, with a webhook): %s", mustJSON(r))
	}
	const del = `mutation($id: ID!) { deleteWatch(id: $id) }`
	if _, r := postAs(t, ts, editorKey, del, map[string]any{"id": w["id"]}); code(r) != api.CodeNotFound {
		t.Errorf("another key deleted the watch: %s", mustJSON(r))
	}
	if _, r := postAs(t, ts, readerKey, del, map[string]any{"id": w["id"]}); len(r.Errors) > 0 || r.Data["deleteWatch"] != true {
		t.Errorf("deleting: %s", mustJSON(r))
	}
	for _, path := range []string{feed, "/feeds/watch/" + w["id"].(string), "/feeds/watch/nobody.atom"} {
		if res, err := http.Get(ts.URL + path); err != nil || res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %v %v", path, res.StatusCode, err)
		}
	}
}
