package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/api"
	"github.com/exportwatch/exportwatch/graph/graphtest"
)

// browser is a client with a cookie jar, as a browser signed in to the app.
type browser struct {
	t    *testing.T
	c    *http.Client
	base string
	csrf string
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, c: &http.Client{Jar: jar}, base: base}
}

func (b *browser) do(method, path, body string, csrf bool) (*http.Response, map[string]any) {
	b.t.Helper()
	req, _ := http.NewRequest(method, b.base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if csrf {
		req.Header.Set("X-CSRF-Token", b.csrf)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	json.Unmarshal(raw, &out)
	return resp, out
}

func (b *browser) signIn(key string) *http.Response {
	b.t.Helper()
	body, _ := json.Marshal(map[string]string{"key": key})
	resp, out := b.do("POST", "/session", string(body), false)
	if csrf, ok := out["csrf"].(string); ok {
		b.csrf = csrf
	}
	return resp
}

func (b *browser) gql(query string, csrf bool) (*http.Response, gqlResponse) {
	b.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	resp, raw := b.do("POST", "/graphql", string(body), csrf)
	var out gqlResponse
	reencoded, _ := json.Marshal(raw)
	json.Unmarshal(reencoded, &out)
	return resp, out
}

// TestSessions: a key is exchanged once for a session in an HttpOnly,
// SameSite=Strict cookie; with the cookie, a change needs the CSRF token,
// and signing out ends the session on the server.
func TestSessions(t *testing.T) {
	s := graphtest.Seeded(t)
	ts, _, editorKey := withKeys(t, s)
	_, r := postAs(t, ts, "", `{ claims(filter: {subject: "company/allot"}, first: 1) { nodes { id } } }`, nil)
	id := r.Data["claims"].(map[string]any)["nodes"].([]any)[0].(map[string]any)["id"].(string)
	confirm := `mutation { reviewClaim(id: "` + id + `", status: confirmed) { status } }`

	ed := newBrowser(t, ts.URL)
	if resp := ed.signIn("ew_wrong"); resp.StatusCode != 401 {
		t.Fatalf("a wrong key signed in: %d", resp.StatusCode)
	}
	if resp, _ := ed.do("POST", "/session", "not json", false); resp.StatusCode != 400 {
		t.Fatalf("a body that is not JSON: %d", resp.StatusCode)
	}
	resp := ed.signIn(editorKey)
	if resp.StatusCode != 200 || ed.csrf == "" {
		t.Fatalf("sign-in: %d", resp.StatusCode)
	}
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "ew_session" {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode || cookie.Path != "/" || cookie.Expires.IsZero() ||
		strings.Contains(cookie.Value, editorKey) {
		t.Fatalf("session cookie: %+v", cookie)
	}
	if _, info := ed.do("GET", "/session", "", false); info["role"] != api.RoleEditor || info["name"] != "editor-alice" || info["csrf"] != ed.csrf {
		t.Fatalf("GET /session: %v", info)
	}
	// A GET needs no token (it changes nothing); every POST does, a
	// change above all.
	if resp, _ := ed.do("GET", "/graphql?query=%7B%20stats%20%7B%20claims%20%7D%20%7D", "", false); resp.StatusCode != 200 {
		t.Fatalf("a GET read with the cookie: %d", resp.StatusCode)
	}
	if _, r := ed.gql(`{ stats { claims } }`, true); len(r.Errors) > 0 {
		t.Fatalf("a POST read with the cookie and the token: %+v", r.Errors)
	}
	if resp, r := ed.gql(confirm, false); resp.StatusCode != 403 || code(r) != api.CodeForbidden {
		t.Fatalf("a change without the CSRF token: %d %+v", resp.StatusCode, r)
	}
	ed.csrf = "forged"
	if resp, _ := ed.gql(confirm, true); resp.StatusCode != 403 {
		t.Fatalf("a change with a wrong CSRF token: %d", resp.StatusCode)
	}
	_, info := ed.do("GET", "/session", "", false)
	ed.csrf = info["csrf"].(string)
	if _, r := ed.gql(confirm, true); len(r.Errors) > 0 || r.Data["reviewClaim"].(map[string]any)["status"] != "confirmed" {
		t.Fatalf("a change with the token: %+v", r)
	}

	// A reader's session changes nothing: TestEveryMutationNeedsAnEditor.

	// Signing out needs the token too, and ends the session on the server:
	// the old cookie, replayed, is refused.
	if resp, _ := ed.do("DELETE", "/session", "", false); resp.StatusCode != 403 {
		t.Fatalf("sign-out without the token: %d", resp.StatusCode)
	}
	old := ed.c.Jar.Cookies(resp.Request.URL)
	if resp, _ := ed.do("DELETE", "/session", "", true); resp.StatusCode != 200 {
		t.Fatalf("sign-out: %d", resp.StatusCode)
	}
	replay := newBrowser(t, ts.URL)
	replay.c.Jar.SetCookies(resp.Request.URL, old)
	if resp, r := replay.gql(`{ stats { claims } }`, true); resp.StatusCode != 401 || !strings.Contains(r.Errors[0].Message, "session has ended") {
		t.Fatalf("a signed-out session's cookie: %d %+v", resp.StatusCode, r)
	}
}
