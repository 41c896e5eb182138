package api

import (
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/json"
	"strconv"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/vektah/gqlparser/v2/ast"
)

// cachedFields are the root fields whose answers the response cache
// keeps: reads of the graph's data, which change only with a write that
// moves the graph's version (graph.Store.Version), and which are the same
// for every caller. What depends on the caller (watches), on state the
// version does not count (the schedule, the audit log, judgements) or on
// the feed's own position is always asked afresh.
var cachedFields = map[string]bool{
	"entity": true, "entities": true, "claims": true, "search": true, "country": true,
	"suppliers": true, "buyers": true, "paths": true, "neighbourhood": true,
	"timeline": true, "designations": true, "stats": true, "documents": true,
	"__typename": true,
}

// An answer larger than this is not kept: one page of a large list is
// some hundreds of KiB, and a few huge answers should not push out many
// small ones.
const maxCachedAnswer = 4 << 20

// versioner is what the cache needs of the store.
type versioner interface {
	// Version is the graph's version, read from Neo4j (a round trip).
	Version(ctx context.Context) (string, error)
	// Writes counts this process's writes that moved it (no round trip).
	Writes() int64
}

// VersionTTL is how long a version read from Neo4j is trusted, and so how
// long after Neo4j stops answering a cached answer may still be given (it
// is the graph's state of at most that long ago). Reading it
// costs a round trip, about a millisecond here, as much as a small query's
// statement; so a request within this long of the last read takes that
// read's version, with this process's own writes counted at once
// (versioner.Writes). A write from another process (a load, check
// --repair) is in the answers within this long.
const VersionTTL = 250 * time.Millisecond

// responseCache keeps the answers of read-only queries over the graph's
// data (cachedFields), so a query asked again, by the web app's pages or
// by an API client polling, costs at most one read of the graph's version
// instead of its statements and gqlgen's work on every field. An answer is kept
// for the graph version read before it was computed, and given only to a
// request that reads the same version: a write moves the version (at
// once for this process's, within VersionTTL for another's), and the
// first request after it empties the cache. The key also holds the day
// (UTC), since reads default to today (as-of dates, designations in
// force). Answers with errors are never kept. It holds at most maxBytes,
// least recently used answers going first.
type responseCache struct {
	store    versioner
	maxBytes int
	results  *prometheus.CounterVec
	ttl      time.Duration

	// The version last read from Neo4j, and when; vmu makes requests
	// that find it stale wait for one read rather than each make one.
	vmu    sync.Mutex
	read   string
	readAt time.Time

	mu      sync.Mutex
	version string
	bytes   int
	order   *list.List // of *cachedAnswer, most recently used first
	byKey   map[[sha256.Size]byte]*list.Element
}

type cachedAnswer struct {
	key  [sha256.Size]byte
	data json.RawMessage // only read once kept
	size int
}

func newResponseCache(store versioner, maxBytes int, registry *prometheus.Registry) *responseCache {
	c := &responseCache{store: store, maxBytes: maxBytes, ttl: VersionTTL, order: list.New(), byKey: map[[sha256.Size]byte]*list.Element{},
		results: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "exportwatch_response_cache_total",
			Help: "GraphQL operations by what the response cache did: hit, miss (computed and kept), or pass (not cacheable)."},
			[]string{"result"})}
	registry.MustRegister(c.results)
	return c
}

// around is the cache as a gqlgen response middleware.
func (c *responseCache) around(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !graphql.HasOperationContext(ctx) {
		c.results.WithLabelValues("pass").Inc()
		return next(ctx)
	}
	oc := graphql.GetOperationContext(ctx)
	if !cacheable(oc) {
		c.results.WithLabelValues("pass").Inc()
		return next(ctx)
	}
	version, err := c.currentVersion(ctx)
	if err != nil {
		// Neo4j does not answer: the query itself says so, with the
		// error a client expects of it.
		c.results.WithLabelValues("pass").Inc()
		return next(ctx)
	}
	key, ok := answerKey(oc, time.Now().UTC().Format(time.DateOnly))
	if !ok {
		c.results.WithLabelValues("pass").Inc()
		return next(ctx)
	}
	if resp, ok := c.get(version, key); ok {
		c.results.WithLabelValues("hit").Inc()
		return resp
	}
	c.results.WithLabelValues("miss").Inc()
	resp := next(ctx)
	if resp != nil && len(resp.Errors) == 0 && len(resp.Extensions) == 0 && resp.HasNext == nil {
		c.put(version, key, resp)
	}
	return resp
}

// currentVersion is the graph's version as the cache keys answers by:
// the one read from Neo4j within c.ttl, and this process's writes. Writes
// is read first, so a key never counts a write its answer may not hold.
func (c *responseCache) currentVersion(ctx context.Context) (string, error) {
	writes := strconv.FormatInt(c.store.Writes(), 10)
	c.vmu.Lock()
	defer c.vmu.Unlock()
	if c.readAt.IsZero() || time.Since(c.readAt) >= c.ttl {
		v, err := c.store.Version(ctx)
		if err != nil {
			return "", err
		}
		c.read, c.readAt = v, time.Now()
	}
	return c.read + "#" + writes, nil
}

// cacheable says whether every root field of the operation is one the
// cache keeps. Fragments and @skip/@include are applied first.
func cacheable(oc *graphql.OperationContext) bool {
	if oc.Operation == nil || oc.Operation.Operation != ast.Query {
		return false
	}
	for _, f := range graphql.CollectFields(oc, oc.Operation.SelectionSet, []string{"Query"}) {
		if !cachedFields[f.Name] {
			return false
		}
	}
	return true
}

// answerKey names an answer: the query as sent, the operation chosen, the
// variables (json.Marshal writes a map's keys sorted) and the day.
func answerKey(oc *graphql.OperationContext, day string) ([sha256.Size]byte, bool) {
	vars, err := json.Marshal(oc.Variables)
	if err != nil {
		return [sha256.Size]byte{}, false
	}
	h := sha256.New()
	for _, part := range [][]byte{[]byte(oc.RawQuery), []byte(oc.OperationName), vars, []byte(day)} {
		// Each part's length first, so no two splits of the same bytes
		// make one key.
		n := len(part)
		h.Write([]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
		h.Write(part)
	}
	var key [sha256.Size]byte
	h.Sum(key[:0])
	return key, true
}

// seen makes version the cache's own, emptying it when the version moved
// (either way: a restore can take the counters back). c.mu is held.
func (c *responseCache) seen(version string) {
	if version == c.version {
		return
	}
	c.version = version
	c.order.Init()
	clear(c.byKey)
	c.bytes = 0
}

func (c *responseCache) get(version string, key [sha256.Size]byte) (*graphql.Response, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen(version)
	e, ok := c.byKey[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	// A new answer each time: the middlewares outside may set its fields.
	return &graphql.Response{Data: e.Value.(*cachedAnswer).data}, true
}

func (c *responseCache) put(version string, key [sha256.Size]byte, resp *graphql.Response) {
	size := len(resp.Data) + len(key) + 200
	if size > maxCachedAnswer || size > c.maxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if version != c.version {
		// A write came in while this was computed and a later request
		// has seen it: this answer's version is gone.
		return
	}
	if e, ok := c.byKey[key]; ok {
		c.order.MoveToFront(e)
		return
	}
	c.byKey[key] = c.order.PushFront(&cachedAnswer{key: key, data: resp.Data, size: size})
	c.bytes += size
	for c.bytes > c.maxBytes {
		last := c.order.Back()
		a := last.Value.(*cachedAnswer)
		c.order.Remove(last)
		delete(c.byKey, a.key)
		c.bytes -= a.size
	}
}
