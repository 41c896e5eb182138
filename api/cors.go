package api

import "net/http"

// corsMethods are the methods another origin's page may use on each path
// that answers it.
var corsMethods = map[string]string{
	"/graphql": "GET, POST",
	"/briefs":  "GET",
	"/exports": "GET",
}

// corsHeaders are the request headers such a page may send: the body's
// type and an API key. The session's CSRF token is not among them: the
// session is for the web app alone (see cors).
const corsHeaders = "Content-Type, Authorization, X-API-Key"

// corsMaxAge is how long, in seconds, a browser may keep a preflight's
// answer; short, so a change to the allowlist is soon seen.
const corsMaxAge = "600"

// cors lets the pages of the listed origins (exact scheme://host[:port],
// as config checks them) call the API from their visitors' browsers:
// /graphql, and the downloads of /briefs and /exports. An origin not on the
// list, and every origin when the list is empty, gets no CORS header at
// all, so a browser keeps other sites' pages from reading any answer, and a
// preflight goes on to the handler, which does not approve it.
//
// Credentials are never allowed (no Access-Control-Allow-Credentials), so
// a listed origin's page gets no answer to a request that carries the
// visitor's cookies. The session cookie is for the web app, served from
// this origin: with credentials, a listed page could read GET /session's
// CSRF token and change the graph as whoever is signed in, whenever they
// visit it. Another origin's page sends an API key it was given instead.
func cors(origins []string, next http.Handler) http.Handler {
	if len(origins) == 0 {
		return next
	}
	allowed := make(map[string]bool, len(origins))
	for _, o := range origins {
		allowed[o] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		methods, ok := corsMethods[r.URL.Path]
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		// The answer depends on the Origin, so a shared cache must not
		// give one origin's answer to another.
		h := w.Header()
		h.Add("Vary", "Origin")
		origin := r.Header.Get("Origin")
		if !allowed[origin] {
			next.ServeHTTP(w, r)
			return
		}
		h.Set("Access-Control-Allow-Origin", origin)
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", methods)
			h.Set("Access-Control-Allow-Headers", corsHeaders)
			h.Set("Access-Control-Max-Age", corsMaxAge)
			w.WriteHeader(http.StatusNoContent)
			return
		}
		// What a page needs to read beyond the safelisted headers: when to
		// come back after a 429 or 503, and a download's file name.
		h.Set("Access-Control-Expose-Headers", "Retry-After, Content-Disposition")
		next.ServeHTTP(w, r)
	})
}
