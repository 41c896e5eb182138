package api_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/api"
	"github.com/exportwatch/exportwatch/evidence"
	"github.com/exportwatch/exportwatch/graph/graphtest"
)

// TestAddClaimChecksQuotes: a new claim's quote is checked against the
// page the server fetches; a quote not there, or from a page that cannot
// be fetched, is refused with the reason on its field, and only a
// paraphrase with a reason is saved unchecked.
func TestAddClaimChecksQuotes(t *testing.T) {
	s := graphtest.Seeded(t)
	ts, _, editorKey := withKeys(t, s)
	pages := citedPages()
	claimWith := func(ev map[string]any) map[string]any {
		in := claimInput()
		in["in"].(map[string]any)["evidence"] = []any{ev}
		return in
	}

	_, r := postAs(t, ts, editorKey, addClaim, claimInput())
	if len(r.Errors) > 0 {
		t.Fatalf("a quote that is in the page: %+v", r.Errors)
	}
	ev := r.Data["addClaim"].(map[string]any)["evidence"].([]any)[0].(map[string]any)
	doc := ev["document"].(map[string]any)
	if ev["locator"] != "¶1" || ev["unchecked"] != nil || doc["origin"] != "fetched" || len(doc["sha256"].(string)) != 64 ||
		!strings.Contains(doc["archive"].(string), ".warc.gz#") || doc["title"] != "Traffic shaping on the Nile" || doc["publisher"] != "Example Watch" {
		t.Fatalf("the checked evidence lacks its provenance: %s", mustJSON(ev))
	}

	for _, tc := range []struct {
		name  string
		ev    map[string]any
		field string
		says  string
		extra map[string]any
	}{
		{"a word changed", map[string]any{"quote": "the boxes carried Allot's badge and were delivered to the Egyptian army",
			"document": map[string]any{"url": pages + "/allot-egypt.html"}},
			"input.evidence.0.quote", "not in the page's text", map[string]any{"reason": "quote not found", "closestLocator": "¶1"}},
		{"a page that is not there", map[string]any{"quote": "anything", "document": map[string]any{"url": pages + "/gone.html"}},
			"input.evidence.0.document.url", "HTTP 404", map[string]any{"reason": "unfetchable"}},
		{"a page robots.txt forbids", map[string]any{"quote": "forbidden to crawlers", "document": map[string]any{"url": pages + "/private/page"}},
			"input.evidence.0.document.url", "robots.txt", map[string]any{"reason": "unfetchable"}},
		{"a paraphrase without its reason", map[string]any{"paraphrase": "Engineers say Allot's kit went to Egypt.",
			"document": map[string]any{"url": pages + "/allot-egypt.html"}}, "input.evidence.0.reason", "say why", nil},
		{"neither quote nor paraphrase", map[string]any{"document": map[string]any{"url": pages + "/allot-egypt.html"}},
			"input.evidence.0.quote", "needs a quote", nil},
		{"not a web address", map[string]any{"quote": "q", "document": map[string]any{"url": "file:///etc/passwd"}},
			"input.evidence.0.document.url", "url", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, r := postAs(t, ts, editorKey, addClaim, claimWith(tc.ev))
			if code(r) != api.CodeBadInput {
				t.Fatalf("want BAD_INPUT: %s", mustJSON(r))
			}
			e := r.Errors[0]
			if e.Extensions["field"] != tc.field || !strings.Contains(e.Message, tc.says) {
				t.Errorf("field %v, message %q; want %s, saying %q", e.Extensions["field"], e.Message, tc.field, tc.says)
			}
			for k, v := range tc.extra {
				if e.Extensions[k] != v {
					t.Errorf("extensions.%s = %v, want %v", k, e.Extensions[k], v)
				}
			}
		})
	}
	_, r = postAs(t, ts, editorKey, addClaim, claimWith(map[string]any{"quote": "were delivered to the egyptian government",
		"document": map[string]any{"url": pages + "/allot-egypt.html"}}))
	if code(r) != api.CodeBadInput || !strings.Contains(r.Errors[0].Message, "already recorded") || r.Errors[0].Extensions["claim"] == nil {
		t.Fatalf("the same claim from the same page again: %s", mustJSON(r))
	}
	_, r = postAs(t, ts, editorKey, addClaim, claimWith(map[string]any{"quote": "delivered to the Egyptian army",
		"document": map[string]any{"url": pages + "/allot-egypt.html"}}))
	if closest, _ := r.Errors[0].Extensions["closest"].(string); !strings.HasPrefix(closest, "Engineers who worked on the installation") {
		t.Errorf("closest passage: %q", closest)
	}

	// A page that cannot be fetched may be cited by a paraphrase with a
	// reason; it is saved unchecked, saying both.
	_, r = postAs(t, ts, editorKey, addClaim, claimWith(map[string]any{"paraphrase": "An engineer's account says the kit went to Egypt.",
		"reason": "the page was taken down", "document": map[string]any{"url": pages + "/gone.html"}}))
	if len(r.Errors) > 0 {
		t.Fatalf("a paraphrase with a reason: %+v", r.Errors)
	}
	evs := r.Data["addClaim"].(map[string]any)["evidence"].([]any)
	found := false
	for _, e := range evs {
		e := e.(map[string]any)
		if e["unchecked"] == nil {
			continue
		}
		found = true
		if u := e["unchecked"].(string); u != "the page was taken down (the page could not be fetched: the site answered HTTP 404)" {
			t.Errorf("unchecked: %q", u)
		}
		if d := e["document"].(map[string]any); d["origin"] != "curated" || d["sha256"] != nil {
			t.Errorf("a page not fetched has a hash: %v", d)
		}
	}
	if !found {
		t.Fatalf("no unchecked evidence: %s", mustJSON(evs))
	}

	// Field errors from the record's own rules.
	in := claimInput()
	in["in"].(map[string]any)["confidence"] = 1.5
	in["in"].(map[string]any)["start"] = "2019-13"
	_, r = postAs(t, ts, editorKey, addClaim, in)
	if fields, _ := r.Errors[0].Extensions["fields"].(map[string]any); fields["input.confidence"] == nil || fields["input.start"] == nil {
		t.Errorf("fields: %s", mustJSON(r.Errors))
	}
}

// TestAddClaimRefusesInsideAddresses: with no allowlist, the server's
// fetch refuses a page on loopback, and says why.
func TestAddClaimRefusesInsideAddresses(t *testing.T) {
	s := graphtest.Seeded(t)
	key, entry, _ := api.NewKey("editor-bob", api.RoleEditor)
	keys, _ := api.ParseKeys(entry)
	opt := api.Defaults()
	opt.Auth.Keys = keys
	guarded, err := evidence.NewChecker(evidence.Config{ArchiveDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer guarded.Close()
	opt.Evidence = guarded
	ts := httptest.NewServer(api.Handler(s, opt))
	defer ts.Close()
	_, r := postAs(t, ts, key, addClaim, claimInput())
	if code(r) != api.CodeBadInput || r.Errors[0].Extensions["reason"] != "unfetchable" || !strings.Contains(r.Errors[0].Message, "is loopback") {
		t.Fatalf("a page on loopback: %s", mustJSON(r))
	}
	// Cited by a paraphrase, it is saved unchecked, and the public reason
	// says why without the address.
	in := claimInput()
	in["in"].(map[string]any)["evidence"] = []any{map[string]any{"paraphrase": "An engineer says the kit went to Egypt.", "reason": "intranet copy",
		"document": map[string]any{"url": citedPages() + "/allot-egypt.html"}}}
	_, r = postAs(t, ts, key, addClaim, in)
	if len(r.Errors) > 0 {
		t.Fatalf("a paraphrase of a page on loopback: %s", mustJSON(r))
	}
	if got := mustJSON(r.Data); !strings.Contains(got, `"unchecked":"intranet copy (the page could not be fetched: its address is not a public one)"`) || strings.Contains(got, "127.0.0.1 is") {
		t.Fatalf("unchecked reason: %s", got)
	}
}
