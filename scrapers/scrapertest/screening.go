package scrapertest

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// Screening mirrors the screening lists' downloads: the screening
// testdata's CSL (consolidated.csv, consolidated.json) and SDN list
// (sdn.csv with alt.csv and add.csv beside it, sdn.xml) at /NAME.
func Screening(t testing.TB) *httptest.Server {
	t.Helper()
	mux, srv := Mirror(t)
	for _, name := range []string{"consolidated.csv", "consolidated.json", "sdn.csv", "alt.csv", "add.csv", "sdn.xml"} {
		mux.HandleFunc("GET /"+name, func(w http.ResponseWriter, r *http.Request) {
			http.ServeFile(w, r, Testdata("screening", name))
		})
	}
	return srv
}
