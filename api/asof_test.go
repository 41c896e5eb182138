package api_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/exportwatch/exportwatch/api"
	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
)

// TestAsOf: an editor retracts one of Sandvine's supplies; as of a moment
// before, the supply stands in buyers, suppliers, the entity's claims,
// the claims list and a brief, beside the answers of now in the same
// request; before the seed's rename Sandvine is Procera Networks; before
// the seed was loaded the graph held none of its claims.
func TestAsOf(t *testing.T) {
	s := graphtest.Seeded(t)
	ctx := context.Background()
	cs, _, err := s.Claims(ctx, graph.ClaimFilter{Relations: []string{"SUPPLIED"}, Subject: "company/sandvine", Object: "company/turk-telekom"})
	if err != nil || len(cs) != 1 {
		t.Fatalf("the seed's Sandvine → Türk Telekom claim: %v %v", cs, err)
	}
	time.Sleep(5 * time.Millisecond)
	before := time.Now().UTC().Format(time.RFC3339Nano)
	time.Sleep(5 * time.Millisecond)
	if _, err := s.ReviewClaim(ctx, cs[0].ID, "retracted", "test", "editor-alice", nil); err != nil {
		t.Fatal(err)
	}
	ts, readerKey, _ := withKeys(t, s)

	_, r := postAs(t, ts, readerKey, `query($t: String) {
  now: buyers(of: "company/sandvine") { to { id } status }
  then: buyers(of: "company/sandvine", asOf: $t) { to { id name } status claims { id status } }
  suppliersThen: suppliers(of: "TR", asOf: $t) { from { id } to { id } }
  entityThen: entity(id: "company/sandvine", asOf: $t) { name claims(relation: [SUPPLIED]) { object { id } status } }
  entityNow: entity(id: "company/sandvine") { claims(relation: [SUPPLIED]) { object { id } status } }
  claimsThen: claims(filter: {subject: "company/sandvine", relations: [SUPPLIED], minStatus: reported}, asOf: $t) { totalCount nodes { id status loaded } }
  procera: entity(id: "company/sandvine", asOf: "2016-06-01") { name aliases claims { id } }
  briefThen: brief(subject: "company/sandvine", asOf: $t) { content download }
}`, map[string]any{"t": before})
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %s", mustJSON(r.Errors))
	}
	ids := func(v any, path ...string) []string {
		var out []string
		for _, x := range v.([]any) {
			var cur any = x
			for _, p := range path {
				cur = cur.(map[string]any)[p]
			}
			out = append(out, fmt.Sprint(cur))
		}
		return out
	}
	d := r.Data
	if got := ids(d["now"], "to", "id"); slices.Contains(got, "company/turk-telekom") {
		t.Errorf("buyers now include the retracted supply: %v", got)
	}
	if got := ids(d["then"], "to", "id"); !slices.Contains(got, "company/turk-telekom") {
		t.Errorf("buyers as of before the retraction lack it: %v", got)
	}
	for _, e := range d["then"].([]any) {
		e := e.(map[string]any)
		if e["to"].(map[string]any)["id"] == "company/turk-telekom" {
			claims := e["claims"].([]any)
			if e["status"] != "reported" || len(claims) != 1 || claims[0].(map[string]any)["status"] != "reported" {
				t.Errorf("the supply as of before: %s", mustJSON(e))
			}
		}
	}
	if got := ids(d["suppliersThen"], "from", "id"); !slices.Contains(got, "company/sandvine") {
		t.Errorf("Türkiye's suppliers as of before lack Sandvine: %v", got)
	}
	if got := ids(d["entityThen"].(map[string]any)["claims"], "status"); len(got) == 0 || slices.Contains(got, "retracted") {
		t.Errorf("Sandvine's supplies as of before: %v", got)
	}
	if got := ids(d["entityNow"].(map[string]any)["claims"], "status"); !slices.Contains(got, "retracted") {
		t.Errorf("Sandvine's supplies now (same request): %v", got)
	}
	claimsThen := d["claimsThen"].(map[string]any)
	if got := ids(claimsThen["nodes"], "id"); !slices.Contains(got, cs[0].ID) || claimsThen["totalCount"].(float64) != float64(len(got)) {
		t.Errorf("claims at least reported as of before: %s", mustJSON(claimsThen))
	}
	for _, n := range claimsThen["nodes"].([]any) {
		if n.(map[string]any)["loaded"] == nil {
			t.Errorf("a claim without its load time: %s", mustJSON(n))
		}
	}
	procera := d["procera"].(map[string]any)
	if procera["name"] != "Procera Networks" || !slices.Contains(ids(procera["aliases"]), "Sandvine") || len(procera["claims"].([]any)) != 0 {
		t.Errorf("Sandvine in 2016: %s; want Procera Networks, Sandvine an alias, no claims (the seed was loaded today)", mustJSON(procera))
	}
	b := d["briefThen"].(map[string]any)
	if !strings.Contains(b["content"].(string), "as the graph held it on") || !strings.Contains(b["content"].(string), "Türk Telekom") ||
		!strings.Contains(b["download"].(string), "asOf=") {
		t.Errorf("the brief as of before: %s", mustJSON(b))
	}

	for _, bad := range []string{"last week", "2024-13-01", "31/12/2024"} {
		_, r := postAs(t, ts, readerKey, `query($t: String) { entity(id: "company/sandvine", asOf: $t) { name } }`, map[string]any{"t": bad})
		if code(r) != api.CodeBadInput || !strings.Contains(r.Errors[0].Message, "give a date") {
			t.Errorf("asOf %q: %s", bad, mustJSON(r))
		}
	}
	if got, want := ids(d["now"], "to", "id"), slices.DeleteFunc(ids(d["then"], "to", "id"), func(id string) bool { return id == "company/turk-telekom" }); !cmp.Equal(got, want) {
		t.Errorf("buyers now %v, want those of before but the retracted one %v", got, want)
	}
}
