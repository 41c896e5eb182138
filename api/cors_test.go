package api_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/exportwatch/exportwatch/api"
	"github.com/exportwatch/exportwatch/config"
	"github.com/exportwatch/exportwatch/graph/graphtest"
)

// optionsWith is the API's options from a configuration with one setting.
func optionsWith(t *testing.T, key, value string) api.Options {
	t.Helper()
	cfg, err := config.FromEnv(func(k string) string {
		if k == key {
			return value
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	opt, err := api.OptionsFrom(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return opt
}

// corsAnswer is what TestCORS checks of a response.
type corsAnswer struct {
	Status int
	// Headers are the Access-Control-* headers.
	Headers map[string]string
	// VaryOrigin says Vary names Origin.
	VaryOrigin bool
}

// TestCORS: without EXPORTWATCH_CORS_ORIGINS no response carries a CORS
// header and no preflight is approved; with it, the listed origins (and
// only they, exactly) may call /graphql, /briefs and /exports, without
// credentials.
func TestCORS(t *testing.T) {
	store := graphtest.Store(t)
	serve := func(origins string) *httptest.Server {
		ts := httptest.NewServer(api.Handler(store, optionsWith(t, "EXPORTWATCH_CORS_ORIGINS", origins)))
		t.Cleanup(ts.Close)
		return ts
	}
	off := serve("")
	on := serve("https://app.example.org, http://127.0.0.1:3000")

	const listed, unlisted = "https://app.example.org", "https://other.example.org"
	preflight := func(method string) map[string]string {
		return map[string]string{"Access-Control-Request-Method": method, "Access-Control-Request-Headers": "authorization,content-type"}
	}
	allowed := func(origin string) map[string]string {
		return map[string]string{"Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": "Retry-After, Content-Disposition"}
	}
	approved := func(origin, methods string) map[string]string {
		return map[string]string{"Access-Control-Allow-Origin": origin, "Access-Control-Allow-Methods": methods,
			"Access-Control-Allow-Headers": "Content-Type, Authorization, X-API-Key", "Access-Control-Max-Age": "600"}
	}
	for _, tc := range []struct {
		name         string
		server       *httptest.Server
		method, path string
		origin       string
		header       map[string]string
		want         corsAnswer
	}{
		{"off: a request", off, "POST", "/graphql", listed, nil, corsAnswer{200, nil, false}},
		{"off: a preflight", off, "OPTIONS", "/graphql", listed, preflight("POST"), corsAnswer{405, nil, false}},
		{"off: a preflight of a brief", off, "OPTIONS", "/briefs", listed, preflight("GET"), corsAnswer{405, nil, false}},

		{"a listed origin's request", on, "POST", "/graphql", listed, nil, corsAnswer{200, allowed(listed), true}},
		{"a listed origin's GET", on, "GET", "/graphql?query={__typename}", listed, nil, corsAnswer{200, allowed(listed), true}},
		{"another listed origin", on, "POST", "/graphql", "http://127.0.0.1:3000", nil, corsAnswer{200, allowed("http://127.0.0.1:3000"), true}},
		{"a listed origin's preflight", on, "OPTIONS", "/graphql", listed, preflight("POST"), corsAnswer{204, approved(listed, "GET, POST"), true}},
		{"a listed origin's preflight of a brief", on, "OPTIONS", "/briefs", listed, preflight("GET"), corsAnswer{204, approved(listed, "GET"), true}},
		{"a listed origin's preflight of an export", on, "OPTIONS", "/exports", listed, preflight("GET"), corsAnswer{204, approved(listed, "GET"), true}},
		{"a listed origin's refused brief", on, "GET", "/briefs", listed, nil, corsAnswer{400, allowed(listed), true}},

		{"an unlisted origin's request", on, "POST", "/graphql", unlisted, nil, corsAnswer{200, nil, true}},
		{"an unlisted origin's preflight", on, "OPTIONS", "/graphql", unlisted, preflight("POST"), corsAnswer{405, nil, true}},
		{"an unlisted origin's preflight of a brief", on, "OPTIONS", "/briefs", unlisted, preflight("GET"), corsAnswer{405, nil, true}},
		{"another port", on, "POST", "/graphql", "http://127.0.0.1:3001", nil, corsAnswer{200, nil, true}},
		{"another scheme", on, "POST", "/graphql", "http://app.example.org", nil, corsAnswer{200, nil, true}},
		{"a trailing slash", on, "POST", "/graphql", listed + "/", nil, corsAnswer{200, nil, true}},
		{"the null origin", on, "POST", "/graphql", "null", nil, corsAnswer{200, nil, true}},
		{"no origin", on, "POST", "/graphql", "", nil, corsAnswer{200, nil, true}},
		// The session is the web app's: no other origin gets near it.
		{"a listed origin's preflight of the session", on, "OPTIONS", "/session", listed, preflight("POST"), corsAnswer{405, nil, false}},
		{"a listed origin's health check", on, "GET", "/healthz", listed, nil, corsAnswer{200, nil, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var body *strings.Reader
			if tc.method == "POST" {
				body = strings.NewReader(`{"query": "{ __typename }"}`)
			} else {
				body = strings.NewReader("")
			}
			req, err := http.NewRequest(tc.method, tc.server.URL+tc.path, body)
			if err != nil {
				t.Fatal(err)
			}
			if tc.method == "POST" {
				req.Header.Set("Content-Type", "application/json")
			}
			if tc.origin != "" {
				req.Header.Set("Origin", tc.origin)
			}
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			got := corsAnswer{Status: resp.StatusCode}
			for k, v := range resp.Header {
				if strings.HasPrefix(k, "Access-Control-") {
					if got.Headers == nil {
						got.Headers = map[string]string{}
					}
					got.Headers[k] = strings.Join(v, ", ")
				}
			}
			for _, v := range resp.Header.Values("Vary") {
				got.VaryOrigin = got.VaryOrigin || slices.Contains(strings.Split(strings.ReplaceAll(v, " ", ""), ","), "Origin")
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
		})
	}
}
