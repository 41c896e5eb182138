package web

import (
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// get fetches a path with the Accept-Encoding given, and returns the
// response with its body unpacked.
func get(t *testing.T, srv *httptest.Server, path, encoding string) (*http.Response, string) {
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

func TestGraphiQL(t *testing.T) {
	srv := httptest.NewServer(GraphiQL())
	defer srv.Close()
	get := func(path, encoding string) (*http.Response, string) { return get(t, srv, path, encoding) }
	resp, page := get("/graphiql", "")
	if resp.StatusCode != 200 || !strings.Contains(page, "/graphiql/graphiql.min.js") || strings.Contains(page, "https://") || strings.Contains(page, "<script>") {
		t.Fatalf("page: %d, loads from outside or lacks GraphiQL:\n%s", resp.StatusCode, page)
	}
	for _, asset := range []string{"/graphiql/start.js", "/graphiql/graphiql.min.js", "/graphiql/react.production.min.js", "/graphiql/react-dom.production.min.js", "/graphiql/graphiql.min.css"} {
		for _, enc := range []string{"gzip", ""} {
			resp, body := get(asset, enc)
			if resp.StatusCode != 200 || len(body) < 400 || (enc == "" && resp.Header.Get("Content-Encoding") != "") {
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

// TestApp: the app's page at each route it has a view for (404 for the
// rest, still with the page, whose view says so), its assets by version,
// gzipped or not, and a policy that allows no inline script.
func TestApp(t *testing.T) {
	srv := httptest.NewServer(App())
	defer srv.Close()
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/", 200},
		{"/entity/company/sandvine", 200},
		{"/entity/country:AZ", 200},
		{"/paths", 200},
		{"/signin", 200},
		{"/review", 200},
		{"/no/such/view", 404},
	} {
		resp, page := get(t, srv, tc.path, "")
		if resp.StatusCode != tc.status || !strings.Contains(page, `<div id="app">`) {
			t.Errorf("%s: %d, want %d, with the app's page:\n%s", tc.path, resp.StatusCode, tc.status, page)
		}
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self';") || strings.Contains(csp, "unsafe") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: policy %q", tc.path, csp)
		}
		if strings.Contains(page, "<script>") || strings.Contains(page, "{{version}}") || strings.Contains(page, "https://") {
			t.Errorf("%s: inline script, an unfilled version or an outside origin:\n%s", tc.path, page)
		}
	}
	_, page := get(t, srv, "/", "")
	v := page[strings.Index(page, "app.js?v=")+len("app.js?v="):]
	v = v[:strings.IndexByte(v, '"')]
	for _, name := range []string{"app.js", "app.css"} {
		plain, err := files.ReadFile("app/dist/" + name)
		if err != nil {
			t.Fatal(err)
		}
		for _, enc := range []string{"gzip", ""} {
			resp, body := get(t, srv, "/assets/"+name+"?v="+v, enc)
			if resp.StatusCode != 200 || body != string(plain) || (enc == "gzip") != (resp.Header.Get("Content-Encoding") == "gzip") {
				t.Errorf("%s (accept %q): %d, %d bytes of %d, encoding %q", name, enc, resp.StatusCode, len(body), len(plain), resp.Header.Get("Content-Encoding"))
			}
			if !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
				t.Errorf("%s at its version is not cached for good: %q", name, resp.Header.Get("Cache-Control"))
			}
		}
		if resp, _ := get(t, srv, "/assets/"+name+"?v=old", ""); resp.Header.Get("Cache-Control") != "no-cache" {
			t.Errorf("%s at another version is cached: %q", name, resp.Header.Get("Cache-Control"))
		}
	}
	for _, bad := range []string{"/assets/main.tsx", "/assets/LICENSES.txt", "/assets/../web.go", "/assets/chunks/none.js"} {
		if resp, _ := get(t, srv, bad, ""); resp.StatusCode != 404 {
			t.Errorf("%s: %d, want 404", bad, resp.StatusCode)
		}
	}
	// The graph view's chunk is served, and cached for good: its name
	// changes with its content.
	chunks, err := fs.Glob(files, "app/dist/chunks/graph-*.js")
	if err != nil || len(chunks) != 1 {
		t.Fatalf("the graph view's chunk: %v %v", chunks, err)
	}
	resp, body := get(t, srv, "/assets/"+strings.TrimPrefix(chunks[0], "app/dist/"), "gzip")
	if resp.StatusCode != 200 || !strings.Contains(body, "cytoscape") && len(body) < 100000 || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("graph chunk: %d, %d bytes, %q", resp.StatusCode, len(body), resp.Header.Get("Cache-Control"))
	}
}

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"":                       false,
		"gzip":                   true,
		"gzip, deflate, br":      true,
		"br;q=1.0, gzip;q=0.8":   true,
		"gzip;q=0":               false,
		"gzip; q=0.0":            false,
		"GZIP;q=0.001":           true,
		"deflate":                false,
		"*":                      true,
		"identity, gzip;q=0.000": false,
	} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}
