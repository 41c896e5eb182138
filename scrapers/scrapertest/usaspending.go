package scrapertest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// USAspending mirrors api.usaspending.gov: the search by POST
// (/api/v2/search/spending_by_award/), paged by the request's "page"
// (search-page-1.json, then search-page-2.json), and award pages by id
// (/api/v2/awards/{id}/: award-verint.json, award-janitorial.json, any
// other id a cut-off page). loop makes the search ignore the page asked
// for. It returns the server and the search requests it received.
func USAspending(t testing.TB, loop bool) (*httptest.Server, *[]map[string]any) {
	t.Helper()
	var searches []map[string]any
	awards := map[string]string{
		"CONT_AWD_70CMSD21C00000042_7012_-NONE-_-NONE-": "award-verint.json",
		"CONT_AWD_70CMSD21P00000077_7012_-NONE-_-NONE-": "award-janitorial.json",
	}
	mux, srv := Mirror(t)
	mux.HandleFunc("POST /api/v2/search/spending_by_award/", func(w http.ResponseWriter, r *http.Request) {
		var req map[string]any
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, `{"detail": "bad request"}`, http.StatusBadRequest)
			return
		}
		searches = append(searches, req)
		file := "search-page-1.json"
		if req["page"] == 2.0 && !loop {
			file = "search-page-2.json"
		}
		serveFixture(w, r, "usaspending", file, "application/json")
	})
	mux.HandleFunc("GET /api/v2/awards/{id}/", func(w http.ResponseWriter, r *http.Request) {
		file, ok := awards[r.PathValue("id")]
		if !ok {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"generated_unique_award_id": "CONT_AWD_HSCEMD15C00012`) // cut off
			return
		}
		serveFixture(w, r, "usaspending", file, "application/json")
	})
	return srv, &searches
}
