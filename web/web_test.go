package web

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestGraphiQL(t *testing.T) {
	srv := httptest.NewServer(GraphiQL())
	defer srv.Close()
	get := func(path, encoding string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if encoding != "" {
			req.Header.Set("Accept-Encoding", encoding)
		}
		tr := &http.Transport{DisableCompression: true}
		resp, err := (&http.Client{Transport: tr}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body io.Reader = resp.Body
		if resp.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			body = zr
		}
		b, _ := io.ReadAll(body)
		return resp, string(b)
	}
	resp, page := get("/", "")
	if resp.StatusCode != 200 || !strings.Contains(page, "/graphiql/graphiql.min.js") || strings.Contains(page, "https://") {
		t.Fatalf("page: %d, loads from outside or lacks GraphiQL:\n%s", resp.StatusCode, page)
	}
	for _, asset := range []string{"/graphiql/graphiql.min.js", "/graphiql/react.production.min.js", "/graphiql/react-dom.production.min.js", "/graphiql/graphiql.min.css"} {
		for _, enc := range []string{"gzip", ""} {
			resp, body := get(asset, enc)
			if resp.StatusCode != 200 || len(body) < 1000 || (enc == "" && resp.Header.Get("Content-Encoding") != "") {
				t.Errorf("%s (accept %q): %d, %d bytes, encoding %q", asset, enc, resp.StatusCode, len(body), resp.Header.Get("Content-Encoding"))
			}
		}
	}
	for _, bad := range []string{"/graphiql/../web.go", "/graphiql/nothing.js", "/graphiql/LICENSE.react", "/other"} {
		if resp, _ := get(bad, ""); resp.StatusCode != 404 {
			t.Errorf("%s: %d, want 404", bad, resp.StatusCode)
		}
	}
}
