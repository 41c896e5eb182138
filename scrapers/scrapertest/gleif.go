package scrapertest

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
)

// GLEIFBrokenLEI is an LEI whose record the GLEIF mirror cuts off.
const GLEIFBrokenLEI = "894500WOTA5040ZA0L90"

// GLEIFBadLinkName is a legal name whose search page on the GLEIF mirror
// finds one company (Example Networks Inc.) and gives a links.next that is
// not an http(s) URL.
const GLEIFBadLinkName = "Example Bad Link Ltd."

// GLEIF mirrors api.gleif.org: the gleif testdata as JSON:API documents
// under /api/v1, 404 with an errors document for a relationship or
// exception that does not exist, and (when busy is set) a 429 with
// Retry-After on the first request. It counts the requests it is sent.
func GLEIF(t testing.TB, busy bool) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	mux, srv := Mirror(t)
	var requests atomic.Int64
	var refused atomic.Bool
	serve := func(w http.ResponseWriter, name string) {
		b, err := os.ReadFile(Testdata("gleif", name))
		w.Header().Set("Content-Type", "application/vnd.api+json")
		if name == "" || err != nil {
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"errors":[{"status":"404","title":"Not Found"}]}`))
			return
		}
		w.Write(b)
	}
	mux.HandleFunc("GET /api/v1/lei-records/{lei}", func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if busy && refused.CompareAndSwap(false, true) {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		if r.PathValue("lei") == GLEIFBrokenLEI {
			w.Header().Set("Content-Type", "application/vnd.api+json")
			w.Write([]byte(`{"data":{"type":"lei-records","id":"` + GLEIFBrokenLEI + `","attributes":{"lei":`))
			return
		}
		serve(w, "lei-"+r.PathValue("lei")+".json")
	})
	mux.HandleFunc("GET /api/v1/lei-records/{lei}/{what}", func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		lei, what := r.PathValue("lei"), r.PathValue("what")
		switch {
		case strings.HasSuffix(what, "-parent-relationship"):
			serve(w, "rel-"+lei+"-"+strings.TrimSuffix(what, "-parent-relationship")+".json")
		case strings.HasSuffix(what, "-parent-reporting-exception"):
			serve(w, "exc-"+lei+"-"+strings.TrimSuffix(what, "-parent-reporting-exception")+".json")
		case what == "direct-children":
			serve(w, "children-"+lei+"-"+r.URL.Query().Get("page[number]")+".json")
		default:
			serve(w, "")
		}
	})
	mux.HandleFunc("GET /api/v1/lei-records", func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		switch r.URL.Query().Get("filter[entity.legalName]") {
		case "Example Networks Inc.":
			serve(w, "search-example-networks.json")
		case GLEIFBadLinkName:
			w.Header().Set("Content-Type", "application/vnd.api+json")
			w.Write([]byte(`{"data":[{"type":"lei-records","id":"5493001KJTIIGC8Y1R12","attributes":{"lei":"5493001KJTIIGC8Y1R12"}}],` +
				`"meta":{"pagination":{"currentPage":1,"lastPage":2,"total":2}},` +
				`"links":{"next":"ftp://api.gleif.org/api/v1/lei-records?page%5Bnumber%5D=2"}}`))
		default:
			serve(w, "search-empty.json")
		}
	})
	return srv, &requests
}
