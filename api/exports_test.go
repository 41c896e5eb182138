package api_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestExportDownloads: the region around an entity as a file in each
// format offered, each readable as what it says it is, and clear errors
// for what is not offered.
func TestExportDownloads(t *testing.T) {
	ts := seeded(t)
	get := func(path string) (*http.Response, []byte) {
		t.Helper()
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, body
	}

	resp, body := get("/exports?subject=company/sandvine&format=ftm")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), `filename="region-company-sandvine-1.ftm.json"`) {
		t.Fatalf("ftm: %d %v", resp.StatusCode, resp.Header)
	}
	names := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var e struct {
			Schema     string              `json:"schema"`
			Properties map[string][]string `json:"properties"`
		}
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("ftm line is not JSON: %v: %s", err, sc.Bytes())
		}
		for _, n := range e.Properties["name"] {
			names[n] = true
		}
	}
	if !names["Sandvine"] || !names["National Traffic Exchange Center"] || names["NSO Group"] {
		t.Errorf("ftm region of Sandvine, one hop: %v", names)
	}

	resp, body = get("/exports?subject=Sandvine&format=graphml&depth=0")
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte("<graphml")) || bytes.Contains(body, []byte("National Traffic Exchange Center")) {
		t.Errorf("graphml, the entity alone: %d %.200s", resp.StatusCode, body)
	}

	resp, body = get("/exports?subject=company/sandvine&format=csv")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("csv: %d %v", resp.StatusCode, resp.Header)
	}
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("csv zip: %v", err)
	}
	var tables []string
	for _, f := range zr.File {
		tables = append(tables, f.Name)
	}
	if !strings.Contains(strings.Join(tables, " "), "nodes.csv") || !strings.Contains(strings.Join(tables, " "), "evidence.csv") {
		t.Errorf("csv zip holds %v", tables)
	}

	for _, tc := range []struct {
		path   string
		status int
		says   string
	}{
		{"/exports?subject=company/sandvine&format=cypher", 400, "not offered"},
		{"/exports?subject=company/sandvine&format=pdf", 400, "unknown export format"},
		{"/exports?subject=company/sandvine&format=ftm&depth=3", 400, "depth"},
		{"/exports?subject=company/no-such-vendor&format=ftm", 404, ""},
		{"/exports?format=ftm", 400, "subject"},
	} {
		resp, body := get(tc.path)
		if resp.StatusCode != tc.status || !strings.Contains(string(body), tc.says) {
			t.Errorf("%s: %d %s", tc.path, resp.StatusCode, body)
		}
	}
}

// TestBriefPreviewInFrame: a brief asked for inline may be framed by the
// app's own pages and no one else's; a download may be framed by none.
func TestBriefPreviewInFrame(t *testing.T) {
	ts := seeded(t)
	for _, tc := range []struct{ query, disposition, frame, ancestors string }{
		{"&inline=1", "inline", "SAMEORIGIN", "frame-ancestors 'self'"},
		{"", "attachment", "DENY", "frame-ancestors 'none'"},
	} {
		resp, err := http.Get(ts.URL + "/briefs?subject=company/sandvine&format=html" + tc.query)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), tc.disposition) ||
			resp.Header.Get("X-Frame-Options") != tc.frame || !strings.Contains(resp.Header.Get("Content-Security-Policy"), tc.ancestors) {
			t.Errorf("brief%s: %d %v", tc.query, resp.StatusCode, resp.Header)
		}
	}
}
