package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBriefCommand(t *testing.T) {
	env := withNeo4j(t)
	if _, errOut, code := exportwatch(t, env, "seed"); code != 0 {
		t.Fatalf("seed (exit %d): %s", code, errOut)
	}
	dir := t.TempDir()
	md := filepath.Join(dir, "sandvine.md")
	if _, errOut, code := exportwatch(t, env, "brief", "--subject", "Sandvine", "--out", md); code != 0 {
		t.Fatalf("brief md (exit %d): %s", code, errOut)
	}
	text, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), "](sandvine.svg)") {
		t.Error("the Markdown brief does not link its diagram")
	}
	if svg, err := os.ReadFile(filepath.Join(dir, "sandvine.svg")); err != nil || !strings.HasPrefix(string(svg), "<svg") {
		t.Errorf("diagram beside the brief: %v", err)
	}
	pdf := filepath.Join(dir, "sandvine.pdf")
	if _, errOut, code := exportwatch(t, env, "brief", "--subject", "company/sandvine", "--format", "pdf", "--out", pdf); code != 0 {
		t.Fatalf("brief pdf (exit %d): %s", code, errOut)
	}
	if head, err := os.ReadFile(pdf); err != nil || !strings.HasPrefix(string(head), "%PDF-") {
		t.Errorf("pdf: %v", err)
	}
	out, errOut, code := exportwatch(t, env, "brief", "--subject", "BY", "--format", "html")
	if code != 0 || !strings.HasPrefix(out, "<!DOCTYPE html>") || !strings.Contains(out, "National Traffic Exchange Center") {
		t.Errorf("html on stdout (exit %d): %s", code, errOut)
	}
	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"--subject", "Sandvine", "--format", "pdf"}, "needs --out"},
		{[]string{"--subject", "Sandvine", "--format", "docx"}, "unknown brief format"},
		{[]string{"--subject", "Sandvine", "--kind", "spy"}, "unknown brief kind"},
		{[]string{"--subject", "Sandvine", "--since", "last week"}, "not an ISO date"},
		{[]string{"--subject", "Sandvin"}, "closest:"},
		{[]string{"--subject", "country:BY", "--kind", "vendor"}, "cannot be the subject of a vendor brief"},
	} {
		_, errOut, code := exportwatch(t, env, append([]string{"brief"}, tc.args...)...)
		if code == 0 || !strings.Contains(errOut, tc.says) {
			t.Errorf("brief %v: exit %d, %q; want an error saying %q", tc.args, code, errOut, tc.says)
		}
	}
}
