package api_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/api"
)

func TestBrief(t *testing.T) {
	ts := seeded(t)
	_, r := post(t, ts, `{ brief(subject: "Sandvine") { subject { id } kind format content download dataDate claims sources } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %+v", r.Errors)
	}
	b := r.Data["brief"].(map[string]any)
	content, _ := b["content"].(string)
	if b["kind"] != "VENDOR" || b["format"] != "MARKDOWN" || !strings.HasPrefix(content, "# Accountability brief: Sandvine") ||
		!strings.Contains(content, "Francisco Partners") || b["claims"].(float64) < 20 || b["dataDate"] != "2024-02-27" {
		t.Fatalf("brief: %v", b)
	}

	_, r = post(t, ts, `{ brief(subject: "company/sandvine", format: PDF) { content download } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %+v", r.Errors)
	}
	b = r.Data["brief"].(map[string]any)
	if b["content"] != nil || b["download"] != "/briefs?format=pdf&subject=company%2Fsandvine" {
		t.Fatalf("pdf brief: %v", b)
	}
	resp, err := http.Get(ts.URL + b["download"].(string))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(string(body), "%PDF-") ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), `filename="brief-company-sandvine.pdf"`) {
		t.Fatalf("download: %d %v %.20q", resp.StatusCode, resp.Header, body)
	}

	resp, err = http.Get(ts.URL + "/briefs?subject=BY&format=html&kind=country")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "<svg") || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Fatalf("html download: %d %v", resp.StatusCode, resp.Header)
	}

	for _, tc := range []struct{ query, code, says string }{
		{`{ brief(subject: "Sandvin") { claims } }`, api.CodeNotFound, "closest"},
		{`{ brief(subject: "Sandvine", since: "last year") { claims } }`, api.CodeBadInput, "not an ISO date"},
		{`{ brief(subject: "country:BY", kind: VENDOR) { claims } }`, api.CodeBadInput, "cannot be the subject"},
		{`{ a: brief(subject: "Sandvine") { claims } b: brief(subject: "NSO Group") { claims } c: brief(subject: "NICE") { claims }
		    d: brief(subject: "Allot") { claims } e: brief(subject: "AZ") { claims } f: brief(subject: "BY") { claims } }`, api.CodeLimitExceeded, ""},
	} {
		_, r := post(t, ts, tc.query, nil)
		if code(r) != tc.code || !strings.Contains(r.Errors[0].Message, tc.says) {
			t.Errorf("%s: %+v, want %s saying %q", tc.query, r.Errors, tc.code, tc.says)
		}
	}
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/briefs?subject=Sandvine&format=docx", 400},
		{"/briefs?subject=nothing-called-this", 404},
		{"/briefs?subject=Sandvine&since=soon", 400},
	} {
		resp, err := http.Get(ts.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || !strings.Contains(string(body), `"errors"`) {
			t.Errorf("GET %s: %d %s, want %d with an error", tc.path, resp.StatusCode, body, tc.status)
		}
	}
}
