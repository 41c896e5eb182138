package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/api"
	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/records/hostile"
)

// TestHostileTextInAnswers: the API hands a source's hostile text back as
// data, exactly as written, in JSON that no browser would sniff into a
// page; the files it sends are named from the entity id alone. The other
// outputs are swept in cmd/exportwatch (TestHostileTextIsInert) and the web
// app in web/e2e.
func TestHostileTextInAnswers(t *testing.T) {
	s := graphtest.Store(t)
	path := filepath.Join(t.TempDir(), "hostile.jsonl")
	if err := records.WriteFile(path, hostile.File); err != nil {
		t.Fatal(err)
	}
	if _, err := load.File(context.Background(), s, path, load.Options{}); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(api.Handler(s, api.Defaults()))
	defer ts.Close()

	query := `query($id: ID!) { entity(id: $id) { name aliases description claims(first: 5) { summary evidence { quote locator document { title publisher url } } } } }`
	body, _ := json.Marshal(map[string]any{"query": query, "variables": map[string]any{"id": hostile.Vendor}})
	resp, err := http.Post(ts.URL+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("Content-Type %q, X-Content-Type-Options %q", ct, resp.Header.Get("X-Content-Type-Options"))
	}
	var out struct {
		Data struct {
			Entity struct {
				Name, Description string
				Aliases           []string
				Claims            []struct {
					Summary  string
					Evidence []struct {
						Quote, Locator string
						Document       struct{ Title, Publisher, URL string }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	e := out.Data.Entity
	if len(e.Claims) == 0 || len(e.Claims[0].Evidence) == 0 {
		t.Fatalf("no claim or evidence: %s", raw)
	}
	ev := e.Claims[0].Evidence[0]
	for _, tc := range []struct{ field, got, want string }{
		{"name", e.Name, "Vendor " + hostile.Script + " " + hostile.Bidi},
		{"description", e.Description, "Description " + hostile.Text},
		{"summary", e.Claims[0].Summary, "Summary " + hostile.Text},
		{"quote", ev.Quote, "Quote " + hostile.Text},
		{"locator", ev.Locator, "¶ " + hostile.Markdown},
		{"title", ev.Document.Title, "Report " + hostile.Text},
		{"url", ev.Document.URL, hostile.URL},
	} {
		if tc.got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.field, tc.got, tc.want)
		}
	}
	if !strings.Contains(strings.Join(e.Aliases, "\n"), hostile.Markdown) {
		t.Errorf("aliases %q", e.Aliases)
	}

	for _, u := range []string{"/briefs?format=html&subject=" + hostile.Vendor, "/briefs?format=md&subject=" + hostile.Buyer, "/exports?format=csv&subject=" + hostile.Formulas} {
		resp, err := http.Get(ts.URL + u)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		cd := resp.Header.Get("Content-Disposition")
		if resp.StatusCode != http.StatusOK || !regexp.MustCompile(`^(inline|attachment); filename="[a-z0-9-]+(\.[a-z]+)+"$`).MatchString(cd) {
			t.Errorf("%s: %d, Content-Disposition %q", u, resp.StatusCode, cd)
		}
	}
}
