package api

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/exportwatch/exportwatch/graph"
)

// ProbeInterval is how often a server checks that Neo4j answers
// (graph.Store.Watch). While it does not, requests that need it are
// answered 503 at once, with a Retry-After of one to four probes.
const ProbeInterval = time.Second

// retryAfter is spread over one to four probes: clients all told the same
// wait come back at the same moment, and 200 of them arriving together
// made the next outage (make load).
func retryAfter() string {
	return strconv.Itoa(int((ProbeInterval + rand.N(4*ProbeInterval)) / time.Second))
}

// failFast answers 503 UNAVAILABLE, before anything is parsed, while the
// store knows Neo4j to be down; and turns the answer to a request whose
// statements found it down on the way into a 503 as well, so a client or
// a load balancer can tell an outage from a mistake by the status alone.
func failFast(store *graph.Store, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if since, down := store.Down(); down {
			w.Header().Set("Retry-After", retryAfter())
			writeError(w, http.StatusServiceUnavailable, CodeUnavailable,
				"the database has not answered since "+since.UTC().Format(time.TimeOnly)+" UTC; try again shortly")
			return
		}
		flag := new(atomic.Bool)
		sw := &outageWriter{ResponseWriter: w, unavailable: flag}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), outageKey{}, flag)))
	})
}

type outageKey struct{}

// markOutage flags a GraphQL answer that carries an UNAVAILABLE error, for
// failFast's writer.
func markOutage(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	flag, _ := ctx.Value(outageKey{}).(*atomic.Bool)
	if resp == nil || flag == nil {
		return resp
	}
	for _, e := range resp.Errors {
		if e.Extensions["code"] == CodeUnavailable {
			flag.Store(true)
			break
		}
	}
	return resp
}

// outageWriter sends 503 and Retry-After in place of 200 when the answer
// was flagged.
type outageWriter struct {
	http.ResponseWriter
	unavailable *atomic.Bool
	wrote       bool
}

func (w *outageWriter) WriteHeader(code int) {
	if !w.wrote && code == http.StatusOK && w.unavailable.Load() {
		w.Header().Set("Retry-After", retryAfter())
		code = http.StatusServiceUnavailable
	}
	w.wrote = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *outageWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}
