package api

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// fakeVersion is a graph version the test moves by hand: these tests are
// of the cache's bookkeeping; the API's tests run it on Neo4j.
type fakeVersion struct {
	v      string
	writes int64
	reads  int
}

func (f *fakeVersion) Version(context.Context) (string, error) { f.reads++; return f.v, nil }
func (f *fakeVersion) Writes() int64                           { return f.writes }

// opContext is what gqlgen gives the middleware for query with vars.
func opContext(t *testing.T, query string, vars map[string]any) context.Context {
	t.Helper()
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		t.Fatal(err)
	}
	return graphql.WithOperationContext(context.Background(),
		&graphql.OperationContext{RawQuery: query, Doc: doc, Operation: doc.Operations[0], Variables: vars})
}

// counting answers with a body that says how many times it was called.
type counting struct {
	calls int
	size  int
	err   bool
}

func (c *counting) next(context.Context) *graphql.Response {
	c.calls++
	resp := &graphql.Response{Data: []byte(`{"n":` + strconv.Itoa(c.calls) + strings.Repeat(" ", c.size) + `}`)}
	if c.err {
		resp.Errors = gqlerror.List{{Message: "no such entity"}}
	}
	return resp
}

func TestResponseCache(t *testing.T) {
	const entity = `query($id: ID!) { entity(id: $id) { name } }`
	version := &fakeVersion{v: "a:1/:0"}
	c := newResponseCache(version, 1<<20, prometheus.NewRegistry())
	c.ttl = 0 // every request reads the version
	src := &counting{}
	ask := func(query string, vars map[string]any) string {
		t.Helper()
		return string(c.around(opContext(t, query, vars), src.next).Data)
	}
	sandvine := map[string]any{"id": "company/sandvine"}

	if a, b := ask(entity, sandvine), ask(entity, sandvine); a != `{"n":1}` || b != a {
		t.Fatalf("asked twice: %s then %s, want the first answer kept", a, b)
	}
	if got := ask(entity, map[string]any{"id": "company/nso"}); got != `{"n":2}` {
		t.Errorf("other variables: %s, want a new answer", got)
	}
	if got := ask(`query Other($id: ID!) { entity(id: $id) { name } }`, sandvine); got != `{"n":3}` {
		t.Errorf("another query text: %s, want a new answer", got)
	}

	version.v = "a:2/:0"
	if got := ask(entity, sandvine); got != `{"n":4}` {
		t.Errorf("after a write: %s, want a new answer", got)
	}
	// A request that read the old version before the write and answers
	// after it must not keep its answer: its version is gone.
	c.put("a:1/:0#0", [32]byte{1}, &graphql.Response{Data: []byte(`{}`)})
	if _, ok := c.byKey[[32]byte{1}]; ok {
		t.Error("an answer for a version the cache has left was kept")
	}
	// An emptied graph counts from 1 again, under a new epoch.
	version.v = "b:1/:0"
	if got := ask(entity, sandvine); got != `{"n":5}` {
		t.Errorf("after the graph was emptied and reloaded: %s, want a new answer", got)
	}

	for _, tc := range []struct{ name, query string }{
		{"a mutation", `mutation { reviewClaim(id: "c", status: CONFIRMED) { id } }`},
		{"the caller's watches", `{ watches { id } }`},
		{"a cached field beside one that is not", `{ stats { claims } auditLog { nodes { id } } }`},
		{"the feed", `{ changes { cursor } }`},
		{"through a fragment", `{ ...F } fragment F on Query { watches { id } }`},
	} {
		before := src.calls
		ask(tc.query, nil)
		ask(tc.query, nil)
		if src.calls != before+2 {
			t.Errorf("%s: answered %d times of 2, want never from the cache", tc.name, src.calls-before)
		}
	}

	src.err = true
	before := src.calls
	ask(entity, map[string]any{"id": "no/such"})
	ask(entity, map[string]any{"id": "no/such"})
	if src.calls != before+2 {
		t.Errorf("an answer with errors was kept")
	}
}

// TestResponseCacheVersionRead: the version is read from Neo4j at most
// once a VersionTTL, and this process's own writes count at once.
func TestResponseCacheVersionRead(t *testing.T) {
	const q = `{ stats { claims } }`
	version := &fakeVersion{v: "a:1/:0"}
	c := newResponseCache(version, 1<<20, prometheus.NewRegistry())
	c.ttl = time.Hour
	src := &counting{}
	ask := func() string {
		t.Helper()
		return string(c.around(opContext(t, q, nil), src.next).Data)
	}
	ask()
	ask()
	if version.reads != 1 || src.calls != 1 {
		t.Errorf("two asks: %d reads of the version, %d answers computed; want 1 and 1", version.reads, src.calls)
	}
	version.writes++ // a write of this process
	if got := ask(); got != `{"n":2}` {
		t.Errorf("after this process wrote: %s, want a new answer", got)
	}
	version.v = "a:2/:0" // another process's write, within the TTL
	if got := ask(); got != `{"n":2}` {
		t.Errorf("another process's write within the TTL: %s, want the kept answer", got)
	}
	c.readAt = time.Now().Add(-2 * c.ttl)
	if got := ask(); got != `{"n":3}` {
		t.Errorf("another process's write after the TTL: %s, want a new answer", got)
	}
}

// TestResponseCacheBound: the cache holds at most its bytes, and the
// answer used least recently goes first.
func TestResponseCacheBound(t *testing.T) {
	const q = `query($n: Int) { search(query: "x", first: $n) { score } }`
	version := &fakeVersion{v: "a:1/:0"}
	// Room for two answers of about 1,000 bytes, not three.
	c := newResponseCache(version, 2*(1000+32+200)+100, prometheus.NewRegistry())
	c.ttl = 0
	src := &counting{size: 1000}
	ask := func(n int) {
		t.Helper()
		c.around(opContext(t, q, map[string]any{"n": n}), src.next)
	}
	ask(1)
	ask(2)
	ask(1) // now the most recent
	ask(3) // pushes out 2
	calls := src.calls
	ask(1)
	ask(3)
	if src.calls != calls {
		t.Errorf("answers 1 and 3 should be kept: %d recomputed", src.calls-calls)
	}
	ask(2)
	if src.calls != calls+1 {
		t.Error("answer 2 should have been pushed out")
	}
	if c.bytes > c.maxBytes {
		t.Errorf("holds %d bytes, more than %d", c.bytes, c.maxBytes)
	}

	// A cache with room for it still keeps no answer over
	// maxCachedAnswer.
	roomy := newResponseCache(version, 4*maxCachedAnswer, prometheus.NewRegistry())
	roomy.ttl = 0
	huge := &counting{size: maxCachedAnswer}
	ctx := opContext(t, q, map[string]any{"n": 9})
	roomy.around(ctx, huge.next)
	roomy.around(ctx, huge.next)
	if huge.calls != 2 {
		t.Error("an answer larger than maxCachedAnswer was kept")
	}
}

// TestAnswerKeyHasTheDay: reads default to today, so yesterday's answer
// is not today's.
func TestAnswerKeyHasTheDay(t *testing.T) {
	oc := graphql.GetOperationContext(opContext(t, `{ designations(id: "x") { list } }`, nil))
	a, _ := answerKey(oc, "2026-12-03")
	b, _ := answerKey(oc, "2026-12-04")
	if a == b {
		t.Error("two days give one key")
	}
}
