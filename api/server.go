// Package api serves exportwatch over HTTP: the GraphQL API (gqlgen, schema
// first, in schema.graphqls) at /graphql, GraphiQL at /graphiql, the web
// app at /, Prometheus metrics at /metrics, and the health endpoints that tell
// an operator whether the process is up (/healthz) and whether Neo4j
// answers (/readyz).
package api

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"golang.org/x/time/rate"

	"github.com/exportwatch/exportwatch/api/generated"
	"github.com/exportwatch/exportwatch/config"
	"github.com/exportwatch/exportwatch/evidence"
	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/schedule"
	"github.com/exportwatch/exportwatch/web"
)

// Options configure the server.
type Options struct {
	Limits Limits
	Auth   Auth
	// Introspection lets clients (GraphiQL among them) ask for the schema.
	Introspection bool
	// Evidence fetches the pages an editor's new claim cites and checks
	// their quotes; the caller starts and closes it.
	Evidence *evidence.Checker
	// CORSOrigins are the origins whose pages may call the API from a
	// browser (see cors); none by default.
	CORSOrigins []string
	// SeparateMetrics serves /metrics from Handlers.Metrics alone, for a
	// listener of its own (EXPORTWATCH_METRICS_ADDR); Handlers.API then
	// answers 404 for it.
	SeparateMetrics bool
	// ResponseCacheBytes bounds the cache of read answers
	// (responseCache); 0 turns it off.
	ResponseCacheBytes int64
	// Schedule is the scheduled scrapes the server runs, which the
	// schedule query and /metrics show; nil for none.
	Schedule *schedule.Scheduler
}

// OptionsFrom takes the server's options from the settings, so each
// default is written once, in package config (and in .env.example).
func OptionsFrom(cfg config.Config) (Options, error) {
	keys, err := ParseKeys(cfg.APIKeys)
	if err != nil {
		return Options{}, fmt.Errorf("EXPORTWATCH_API_KEYS: %w", err)
	}
	if n := largestDefaultPage(); int(cfg.MaxPage) < n {
		return Options{}, fmt.Errorf("EXPORTWATCH_MAX_PAGE=%d: must be at least %d, the largest page the schema gives a list by default", cfg.MaxPage, n)
	}
	return Options{
		Limits: Limits{MaxDepth: int(cfg.MaxDepth), MaxComplexity: int(cfg.MaxComplexity), MaxAliases: int(cfg.MaxAliases),
			MaxBodyBytes: cfg.MaxBodyBytes, MaxPage: int(cfg.MaxPage), Timeout: cfg.RequestTimeout, ReadTimeout: cfg.ReadTimeout,
			RatePerSecond: cfg.RatePerSecond, RateBurst: int(cfg.RateBurst)},
		Auth:               Auth{Keys: keys, AnonymousRead: cfg.AnonymousRead},
		Introspection:      cfg.Introspection,
		CORSOrigins:        cfg.CORSOrigins,
		SeparateMetrics:    cfg.MetricsAddr != "",
		ResponseCacheBytes: cfg.ResponseCacheBytes,
	}, nil
}

// Defaults are the options with every setting at its default: anonymous
// reads, introspection on, no editor keys.
func Defaults() Options {
	opt, err := OptionsFrom(config.Defaults())
	if err != nil {
		panic(err) // no keys are configured by default, so nothing can fail
	}
	return opt
}

// Parsed and validated operations are kept, so a client that sends the same
// query again (an application's fixed queries) skips both. Only queries of
// up to queryCacheMaxBytes are kept: the cache stays a few MiB whatever
// clients send.
const (
	queryCacheSize     = 500
	queryCacheMaxBytes = 8 << 10
)

type queryCache struct{ lru *lru.LRU[*ast.QueryDocument] }

func (c queryCache) Get(ctx context.Context, query string) (*ast.QueryDocument, bool) {
	return c.lru.Get(ctx, query)
}

func (c queryCache) Add(ctx context.Context, query string, doc *ast.QueryDocument) {
	if len(query) <= queryCacheMaxBytes {
		c.lru.Add(ctx, query, doc)
	}
}

// Handler returns the HTTP handler serving store: the API, the pages and,
// unless opt.SeparateMetrics, /metrics.
func Handler(store *graph.Store, opt Options) http.Handler {
	return NewHandlers(store, opt).API
}

// Handlers are a server's two handlers. API serves the pages, the API and
// the health endpoints, and /metrics unless Options.SeparateMetrics; Metrics
// serves /metrics alone, for an address of its own, so that what the
// metrics tell (operation names, error counts, the process) need not be
// reachable wherever the API is.
type Handlers struct {
	API, Metrics http.Handler
}

// NewHandlers returns the handlers serving store.
func NewHandlers(store *graph.Store, opt Options) Handlers {
	limits := opt.Limits
	schema := generated.Config{Resolvers: &Resolver{Store: store, MaxPage: limits.MaxPage, Evidence: opt.Evidence, Schedule: opt.Schedule}}
	gql := handler.New(generated.NewExecutableSchema(schema))
	gql.SetQueryCache(queryCache{lru.New[*ast.QueryDocument](queryCacheSize)})
	gql.AddTransport(overHTTP{})
	if opt.Introspection {
		gql.Use(extension.Introspection{})
	}
	gql.Use(shapeLimit{limits: limits, introspection: opt.Introspection})
	gql.Use(costLimit{limits: limits})
	gql.SetErrorPresenter(presentError)
	m := newMetrics(store)
	if opt.Schedule != nil {
		m.registry.MustRegister(scheduleCollector{opt.Schedule})
	}
	gql.AroundResponses(m.observe)
	gql.AroundResponses(timeout(limits.Timeout))
	gql.AroundResponses(markOutage)
	if opt.ResponseCacheBytes > 0 {
		// Innermost: limits, the timeout and the metrics apply to an
		// answer from the cache as to any other.
		gql.AroundResponses(newResponseCache(store, int(opt.ResponseCacheBytes), m.registry).around)
	}
	principals := &rateLimiter{perSecond: rate.Limit(limits.RatePerSecond), burst: limits.RateBurst}
	// An address may carry several clients (a newsroom behind one NAT), so
	// its own bucket is five times larger.
	addresses := &rateLimiter{perSecond: rate.Limit(5 * limits.RatePerSecond), burst: 5 * limits.RateBurst}

	auth := authenticator{Auth: opt.Auth, sessions: newSessions()}
	mux := http.NewServeMux()
	mux.Handle("/session", addresses.byAddress(auth.serveSession()))
	mux.Handle("/graphql", negotiate(addresses.byAddress(limitBody(limits.MaxBodyBytes, checkRequest(noMutationOverGET(auth.authenticate(
		principals.byPrincipal(failFast(store, withLoaders(store, gql))))))))))
	mux.Handle("GET /briefs", addresses.byAddress(auth.authenticate(principals.byPrincipal(failFast(store,
		http.TimeoutHandler(serveBrief(store), limits.Timeout, "the brief took longer than the server allows"))))))
	mux.Handle("GET /exports", addresses.byAddress(auth.authenticate(principals.byPrincipal(failFast(store,
		http.TimeoutHandler(serveExport(store), limits.Timeout, "the export took longer than the server allows"))))))
	mux.Handle("GET /feeds/watch/{file}", addresses.byAddress(failFast(store,
		http.TimeoutHandler(serveWatchFeed(store), limits.Timeout, "the feed took longer than the server allows"))))
	metrics := http.NewServeMux()
	metrics.Handle("GET /metrics", promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{}))
	if opt.SeparateMetrics {
		mux.Handle("/metrics", http.NotFoundHandler())
	} else {
		mux.Handle("/metrics", metrics)
	}
	graphiql := web.GraphiQL()
	mux.Handle("GET /graphiql", graphiql)
	mux.Handle("GET /graphiql/", graphiql)
	// The web app has every other page: its views, and a 404 view for
	// paths it has none for.
	mux.Handle("/", web.App()) // GET only: the app's own mux answers 405 to the rest
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		if err := store.Ping(ctx); err != nil {
			slog.Warn("readyz: neo4j not answering", "err", err)
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "neo4j": "not answering"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "neo4j": "ok"})
	})
	return Handlers{API: securityHeaders(cors(opt.CORSOrigins, mux)), Metrics: securityHeaders(metrics)}
}

// NewServer returns an HTTP server for h with every timeout set, so a slow
// or idle client cannot hold a connection: the headers must arrive within
// 10 s and the whole request, body included, within Limits.ReadTimeout; an
// answer may take the request timeout and then 15 s to write; an idle
// connection is closed after a minute.
func NewServer(h http.Handler, l Limits) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: min(10*time.Second, l.ReadTimeout),
		ReadTimeout:       l.ReadTimeout,
		WriteTimeout:      l.Timeout + 15*time.Second,
		IdleTimeout:       time.Minute,
	}
}

// securityHeaders gives every response the headers that keep a browser
// from reading it as another type than it says (text from sources must
// never become script), from showing it inside another site's frame (the
// pages and the HTML briefs), and from telling other sites which page
// linked to them.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

// noMutationOverGET answers 405 to a mutation sent with GET, as the
// GraphQL-over-HTTP specification asks: GET must be safe to repeat and cache.
func noMutationOverGET(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			if doc, err := parser.ParseQuery(&ast.Source{Input: r.URL.Query().Get("query")}); err == nil {
				if op := doc.Operations.ForName(r.URL.Query().Get("operationName")); op != nil && op.Operation == ast.Mutation {
					w.Header().Set("Allow", http.MethodPost)
					writeError(w, http.StatusMethodNotAllowed, CodeBadInput, "mutations must be sent with POST")
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// limitBody refuses bodies over n bytes with 413 before they are parsed.
func limitBody(n int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > n {
			writeError(w, http.StatusRequestEntityTooLarge, CodeLimitExceeded, "request body too large")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, n)
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	// Encoded whole before the status goes out, so that a value that
	// cannot be encoded is a 500, not a 200 cut short.
	b, err := json.Marshal(v)
	if err != nil {
		slog.Error("encode an answer", "err", err)
		code = http.StatusInternalServerError
		b = []byte(`{"errors":[{"message":"internal error","extensions":{"code":"` + CodeInternal + `"}}]}`)
	}
	// On /graphql, negotiate has chosen the GraphQL media type the client
	// asked for; an error there is a GraphQL response as well.
	if w.Header().Get("Content-Type") != mediaGraphQLResponse {
		w.Header().Set("Content-Type", mediaJSON)
	}
	w.WriteHeader(code)
	_, _ = w.Write(append(b, '\n'))
}
