package scrapertest

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// EDGAR mirrors both SEC hosts on one server: data.sec.gov's submissions
// (/submissions/…) and www.sec.gov's filing folders of CIK 777123
// (/Archives/edgar/data/777123/…), from the edgar testdata, with
// submissions for CIK 0000000666 whose parallel arrays do not line up.
func EDGAR(t testing.TB) *httptest.Server {
	t.Helper()
	mux, srv := Mirror(t)
	mux.HandleFunc("GET /submissions/{name}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("name") == "CIK0000000666.json" {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"cik":"666","name":"Broken Arrays Corp.","filings":{"recent":{"accessionNumber":["a","b"],"filingDate":["2026-01-01"],"form":["10-K","10-K"]}}}`))
			return
		}
		serveFixture(w, r, "edgar", r.PathValue("name"), "application/json")
	})
	mux.HandleFunc("GET /Archives/edgar/data/777123/{acc}/{name}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("name") == "index.json" {
			serveFixture(w, r, "edgar", "index-"+r.PathValue("acc")+".json", "application/json")
			return
		}
		serveFixture(w, r, "edgar", r.PathValue("name"), "text/html")
	})
	return srv
}
