package scrapertest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TED mirrors TED and its search API: the ted testdata's notices at
// TED's path, /en/notice/{number}/xml, the search (POST
// /v3/notices/search) answering with search-page-1.json, and the bad
// notices the fault tests ask for: 999999-2024 cut off, 888888-2024 an
// HTML page, 777777-2024 an RSS feed; a notice not in testdata is a 404.
func TED(t testing.TB) *httptest.Server {
	t.Helper()
	mux, srv := Mirror(t)
	mux.HandleFunc("POST /v3/notices/search", func(w http.ResponseWriter, r *http.Request) {
		var req map[string]any
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req["query"] == "" || req["paginationMode"] != "PAGE_NUMBER" {
			http.Error(w, `{"message": "bad query"}`, http.StatusBadRequest)
			return
		}
		serveFixture(w, r, "ted", "search-page-1.json", "application/json")
	})
	mux.HandleFunc("GET /en/notice/{id}/xml", func(w http.ResponseWriter, r *http.Request) {
		switch id := r.PathValue("id"); id {
		case "999999-2024":
			w.Header().Set("Content-Type", "application/xml")
			io.WriteString(w, `<?xml version="1.0"?><ContractAwardNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:ContractAwardNotice-2"><cbc:ID`)
		case "888888-2024":
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<html><body>Notice not available</body></html>")
		case "777777-2024":
			w.Header().Set("Content-Type", "application/xml")
			io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel/></rss>`)
		default:
			serveFixture(w, r, "ted", id+".xml", "application/xml; charset=UTF-8")
		}
	})
	return srv
}
