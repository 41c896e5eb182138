package scrapertest

import (
	"cmp"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"
	"time"
)

// CompaniesHouseKey is the API key the Companies House mirror takes.
const CompaniesHouseKey = "ch-test-key-0001"

// CompaniesHouse mirrors the Companies House API: the companieshouse
// testdata, with HTTP Basic and CompaniesHouseKey as user name, officers
// paged by start_index (two per page, whatever is asked), 404 for an
// unknown company, a cut-off profile for company 02222222, and (when busy)
// one 429 whose X-Ratelimit-Reset says when the window opens again.
func CompaniesHouse(t testing.TB, busy bool) *httptest.Server {
	t.Helper()
	mux, srv := Mirror(t)
	var refused atomic.Bool
	serve := func(w http.ResponseWriter, r *http.Request, name string) {
		if u, _, ok := r.BasicAuth(); !ok || u != CompaniesHouseKey {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if busy && refused.CompareAndSwap(false, true) {
			w.Header().Set("X-Ratelimit-Reset", fmt.Sprint(time.Now().Add(time.Second).Unix()))
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		b, err := os.ReadFile(Testdata("companieshouse", name))
		if err != nil {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"errors":[{"error":"company-profile-not-found","type":"ch:service"}]}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
	}
	mux.HandleFunc("GET /company/{n}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("n") == "02222222" {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"company_name": "CUT OFF LIMITED", "company_num`)
			return
		}
		serve(w, r, "company-"+r.PathValue("n")+".json")
	})
	mux.HandleFunc("GET /company/{n}/officers", func(w http.ResponseWriter, r *http.Request) {
		serve(w, r, "officers-"+r.PathValue("n")+"-"+cmp.Or(r.URL.Query().Get("start_index"), "0")+".json")
	})
	mux.HandleFunc("GET /company/{n}/persons-with-significant-control", func(w http.ResponseWriter, r *http.Request) {
		serve(w, r, "psc-"+r.PathValue("n")+"-"+cmp.Or(r.URL.Query().Get("start_index"), "0")+".json")
	})
	return srv
}
