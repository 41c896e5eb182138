package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReviewCommand loads two files that name Sandvine three ways, then
// lists and decides what resolution queued, in the terminal and by flag.
func TestReviewCommand(t *testing.T) {
	env := withNeo4j(t)
	dir := t.TempDir()
	files := map[string]string{
		"a.jsonl": `{"type":"document","v":1,"url":"https://example.org/a","title":"A","origin":"curated"}
{"type":"entity","v":1,"schema":"Company","ref":"sv","names":["Sandvine Incorporated"],"country":"CA"}
{"type":"entity","v":1,"schema":"Company","ref":"tt","names":["Türk Telekom"],"country":"TR"}
{"type":"claim","v":1,"relation":"SUPPLIED","subject":"sv","object":"tt","status":"reported","confidence":0.8,"evidence":[{"document":"doc:d1e6244a2c7d9fc940d9","quote":"Sandvine supplied Türk Telekom."}],"extractor":"test"}
`,
		"b.jsonl": `{"type":"entity","v":1,"schema":"Company","ref":"x","names":["Sandvien"],"country":"CA"}
{"type":"entity","v":1,"schema":"Company","ref":"y","names":["Sandvine Networks Corp"],"country":"CA"}
{"type":"entity","v":1,"schema":"Company","ref":"z","names":["SANDVINE INC."],"country":"CA"}
`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, errOut, code := exportwatch(t, env, "load", filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.jsonl"))
	if code != 0 {
		t.Fatalf("load (exit %d): %s", code, errOut)
	}
	if !strings.Contains(out, "resolved   1 as entities already known, 3 queued for review") {
		t.Fatalf("load summary:\n%s", out)
	}

	out, _, code = exportwatch(t, env, "review", "--list")
	if code != 0 || !strings.Contains(out, "3 judgements (pending, unsure)") || !strings.Contains(out, `"Sandvien"`) ||
		!strings.Contains(out, "why: normalised") || !strings.Contains(out, `also "SANDVINE INC."`) {
		t.Fatalf("review --list (exit %d):\n%s", code, out)
	}

	// Nonsense is asked again; Sandvien is Sandvine, Sandvine Networks
	// Corp unsure against it and not the same as Sandvien, whose merge
	// into Sandvine the review shows; then the queue is empty.
	out, errOut, code = exportwatchInput(t, env, "maybe\ns\nu\nn\n", "review", "--who", "ana")
	if code != 0 || strings.Count(out, "Recorded:") != 3 || !strings.Contains(out, `"maybe" is not an answer`) ||
		!strings.Contains(out, `SUPPLIED → Türk Telekom: "Sandvine supplied Türk Telekom."`) ||
		!strings.Contains(out, "merged into company:") || !strings.Contains(out, "Nothing left to review (3 decided here)") {
		t.Fatalf("review (exit %d): %s\n%s", code, errOut, out)
	}
	out, _, _ = exportwatch(t, env, "review", "--list", "--all")
	if !strings.Contains(out, "decided by ana") || !strings.Contains(out, "  same  ") || !strings.Contains(out, "  unsure  ") ||
		!strings.Contains(out, "  not_same  ") {
		t.Fatalf("after the review:\n%s", out)
	}

	// --decide takes a judgement id; a wrong one is an error that says so.
	id := strings.Fields(out[strings.Index(out, "judgement:"):])[0]
	if out, errOut, code := exportwatch(t, env, "review", "--decide", id+"=pending"); code != 0 || !strings.Contains(out, id+": pending") {
		t.Fatalf("--decide (exit %d): %s %s", code, out, errOut)
	}
	if _, errOut, code := exportwatch(t, env, "review", "--decide", "judgement:nope=same"); code == 0 || !strings.Contains(errOut, "not found") {
		t.Fatalf("unknown judgement (exit %d): %s", code, errOut)
	}
	if _, errOut, code := exportwatch(t, env, "review", "--decide", id+"=perhaps"); code == 0 || !strings.Contains(errOut, "want JUDGEMENT=") {
		t.Fatalf("bad decision (exit %d): %s", code, errOut)
	}
}
