// Package api serves exportwatch over HTTP. Until the GraphQL API lands it
// serves the health endpoints that tell an operator whether the process is
// up (/healthz) and whether Neo4j answers (/readyz).
package api

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"
)

// Pinger is what the health checks need of the store.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Handler returns the HTTP handler.
func Handler(store Pinger) http.Handler {
	mux := http.NewServeMux()
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
	return mux
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
