package scrapertest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// OCDS mirrors a publisher's OCDS API: the ocds testdata under /ocds/,
// and under /bad/ a truncated package, an HTML error page, a links.next
// loop and JSON that is not OCDS.
func OCDS(t testing.TB) *httptest.Server {
	t.Helper()
	mux, srv := Mirror(t)
	mux.HandleFunc("/ocds/{name}", func(w http.ResponseWriter, r *http.Request) {
		serveFixture(w, r, "ocds", r.PathValue("name"), "application/json")
	})
	bad := map[string]string{
		"truncated.json": `{"releases": [{"ocid": "ocds-x", "awards": [`,
		"loop.json":      `{"publisher": {"name": "Loop"}, "releases": [], "links": {"next": "/bad/loop.json"}}`,
		"not-ocds.json":  `{"results": [1, 2, 3]}`,
	}
	mux.HandleFunc("/bad/{name}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("name") == "error-page.json" {
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<html><body><h1>Maintenance</h1></body></html>")
			return
		}
		body, ok := bad[r.PathValue("name")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body)
	})
	return srv
}
