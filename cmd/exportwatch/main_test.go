package main

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exportwatch/exportwatch/graph/graphtest"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "exportwatch-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "exportwatch")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := graphtest.Main(m)
	os.RemoveAll(dir)
	os.Exit(code)
}

// exportwatch runs the binary in an empty directory (no .env) with env on
// top of a minimal environment, and returns its output and exit status.
func exportwatch(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return exportwatchInput(t, env, "", args...)
}

// exportwatchInput is exportwatch with input on standard input.
func exportwatchInput(t *testing.T, env []string, input string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Stdin = strings.NewReader(input)
	cmd.Dir = t.TempDir()
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "JAVA_HOME=" + os.Getenv("JAVA_HOME")}, env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return o.String(), e.String(), code
}

func withNeo4j(t *testing.T) []string {
	graphtest.Store(t) // an empty graph
	return []string{"NEO4J_URI=" + graphtest.URI()}
}

func TestSeedTwiceLeavesIdenticalCounts(t *testing.T) {
	env := withNeo4j(t)
	out, errOut, code := exportwatch(t, env, "seed")
	if code != 0 || !strings.Contains(out, "claims     written 135, unchanged 0") {
		t.Fatalf("first seed (exit %d):\n%s\n%s", code, out, errOut)
	}
	out, errOut, code = exportwatch(t, env, "seed")
	if code != 0 || !strings.Contains(out, "claims     written 0, unchanged 135") || !strings.Contains(out, "entities   written 0,") {
		t.Fatalf("second seed (exit %d):\n%s\n%s", code, out, errOut)
	}
	status, _, code := exportwatch(t, env, "neo4j", "status")
	if code != 0 || !strings.Contains(status, "Neo4j/5.") || !strings.Contains(status, "135 claims") {
		t.Fatalf("status (exit %d): %s", code, status)
	}
}

func TestLoadExitStatuses(t *testing.T) {
	env := withNeo4j(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.jsonl")
	if out, errOut, code := exportwatch(t, nil, "seed", "--emit", good); code != 0 {
		t.Fatalf("emit: %s %s", out, errOut)
	}
	seedLines, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.jsonl")
	if err := os.WriteFile(bad, append(seedLines, []byte("{\"type\":\"claim\"}\nnot json\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	n := bytes.Count(seedLines, []byte("\n"))

	out, errOut, code := exportwatch(t, env, "load", bad)
	if code != exitInvalid || !strings.Contains(errOut, fmt.Sprintf("bad.jsonl:%d: ", n+1)) || !strings.Contains(errOut, fmt.Sprintf("bad.jsonl:%d: not a JSON object", n+2)) {
		t.Fatalf("invalid file: exit %d\n%s\n%s", code, out, errOut)
	}
	if status, _, _ := exportwatch(t, env, "neo4j", "status"); !strings.Contains(status, " 0 entities") {
		t.Fatalf("an invalid file wrote data: %s", status)
	}
	out, errOut, code = exportwatch(t, env, "load", "--skip-invalid", bad)
	if code != exitRejected || !strings.Contains(out, "rejected   2") {
		t.Fatalf("--skip-invalid: exit %d\n%s\n%s", code, out, errOut)
	}
	if _, err := os.Stat(bad + ".rejects.jsonl"); err != nil {
		t.Fatal(err)
	}
	if _, _, code := exportwatch(t, env, "load", good); code != 0 {
		t.Fatalf("good file: exit %d", code)
	}
	if _, errOut, code := exportwatch(t, env, "load", filepath.Join(dir, "missing.jsonl")); code != 1 || !strings.Contains(errOut, "missing.jsonl") {
		t.Fatalf("missing file: exit %d, %s", code, errOut)
	}
}

func TestNeo4jDownFailsFastAndNamesTheURI(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	uri := "bolt://" + l.Addr().String()
	l.Close() // nothing listens there now
	_, errOut, code := exportwatch(t, []string{"NEO4J_URI=" + uri, "EXPORTWATCH_NEO4J_TIMEOUT=3s"}, "seed")
	if code != 1 || !strings.Contains(errOut, uri) || !strings.Contains(errOut, "cannot reach Neo4j") || strings.Contains(errOut, "goroutine") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

func TestBundledNeo4jLifecycle(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	// With a password the bundled Neo4j turns authentication on.
	env := []string{"EXPORTWATCH_DATA_DIR=" + t.TempDir(), "EXPORTWATCH_NEO4J_BOLT_ADDR=" + addr, "EXPORTWATCH_NEO4J_HEAP=512m",
		"EXPORTWATCH_NEO4J_PAGECACHE_MB=64", "NEO4J_PASSWORD=lifecycle-secret", "EXPORTWATCH_NEO4J_JVM_OPTIONS=-XX:TieredStopAtLevel=1"}
	if cache := os.Getenv("EXPORTWATCH_CACHE_DIR"); cache != "" {
		env = append(env, "EXPORTWATCH_CACHE_DIR="+cache)
	}
	t.Cleanup(func() { exportwatch(t, env, "neo4j", "stop") })

	if out, _, code := exportwatch(t, env, "neo4j", "status"); code != 3 || !strings.Contains(out, "not running") {
		t.Fatalf("status before start: exit %d %s", code, out)
	}
	if out, errOut, code := exportwatch(t, env, "neo4j", "start"); code != 0 || !strings.Contains(out, "started") {
		t.Fatalf("start: exit %d\n%s\n%s", code, out, errOut)
	}
	if out, _, code := exportwatch(t, env, "neo4j", "start"); code != 0 || !strings.Contains(out, "already running") {
		t.Fatalf("second start: exit %d %s", code, out)
	}
	if out, _, code := exportwatch(t, env, "neo4j", "status"); code != 0 || !strings.Contains(out, "Neo4j/5.26") {
		t.Fatalf("status: exit %d %s", code, out)
	}
	wrong := append(append([]string{}, env[:4]...), "NEO4J_PASSWORD=wrong")
	if _, errOut, code := exportwatch(t, wrong, "neo4j", "status"); code != 1 || !strings.Contains(errOut, "refused the credentials") || strings.Contains(errOut, "lifecycle-secret") {
		t.Fatalf("status with a wrong password: exit %d %s", code, errOut)
	}
	// The port is now taken: a second bundled Neo4j on another data
	// directory must refuse with advice, not crash.
	other := append([]string{}, env...)
	other[0] = "EXPORTWATCH_DATA_DIR=" + t.TempDir()
	if _, errOut, code := exportwatch(t, other, "neo4j", "start"); code != 1 || !strings.Contains(errOut, "is taken") || !strings.Contains(errOut, "NEO4J_URI") {
		t.Fatalf("start on a taken port: exit %d %s", code, errOut)
	}
	if out, _, code := exportwatch(t, env, "neo4j", "stop"); code != 0 || !strings.Contains(out, "stopped") {
		t.Fatalf("stop: exit %d %s", code, out)
	}
	if out, _, code := exportwatch(t, env, "neo4j", "status"); code != 3 || !strings.Contains(out, "not running") {
		t.Fatalf("status after stop: exit %d %s", code, out)
	}
}

// TestCheckCommand: a seeded graph keeps its invariants; a second edge
// for one pair is found (exit 3) and --repair mends it.
func TestCheckCommand(t *testing.T) {
	env := withNeo4j(t)
	if out, errOut, code := exportwatch(t, env, "seed"); code != 0 {
		t.Fatalf("seed (exit %d):\n%s\n%s", code, out, errOut)
	}
	if out, errOut, code := exportwatch(t, env, "check"); code != 0 || !strings.Contains(out, "keeps its invariants") || strings.Contains(out, "weak quote") {
		t.Fatalf("check on the seed (exit %d):\n%s\n%s", code, out, errOut)
	}
	// A quote cut to a fragment is flagged, without breaking the graph;
	// an editor's paraphrase beside it answers the flag.
	graphtest.Exec(t, `MATCH (c:Claim {relation: 'SUPPLIED'})-[:SUBJECT]->(:Entity {id: 'company/sandvine'}) WITH c ORDER BY c.id LIMIT 1
		MATCH (c)-[ev:EVIDENCED_BY]->() SET ev.quote = 'the equipment', ev.paraphrase = null`)
	if out, _, code := exportwatch(t, env, "check"); code != 0 || !strings.Contains(out, "weak quote: claim:") || !strings.Contains(out, "every quote is under 6 words") {
		t.Fatalf("check on a fragment quote (exit %d):\n%s", code, out)
	}
	graphtest.Exec(t, `MATCH ()-[ev:EVIDENCED_BY]->() WHERE ev.quote = 'the equipment' SET ev.paraphrase = 'Sandvine supplied the equipment, the source says.'`)
	if out, _, code := exportwatch(t, env, "check"); code != 0 || strings.Contains(out, "weak quote") {
		t.Fatalf("check after a paraphrase (exit %d):\n%s", code, out)
	}
	graphtest.Exec(t, `MATCH (s:Entity {id: 'company/sandvine'})-[r:SUPPLIED]->(o) WITH s, o, r LIMIT 1 CREATE (s)-[x:SUPPLIED]->(o) SET x = properties(r)`)
	if out, _, code := exportwatch(t, env, "check"); code != exitBroken || !strings.Contains(out, "duplicate edges: company/sandvine -SUPPLIED->") {
		t.Fatalf("check on a doubled edge (exit %d):\n%s", code, out)
	}
	if out, errOut, code := exportwatch(t, env, "check", "--repair"); code != 0 || !strings.Contains(out, "repaired the edges of 1 pairs") {
		t.Fatalf("check --repair (exit %d):\n%s\n%s", code, out, errOut)
	}
	if out, _, code := exportwatch(t, env, "check"); code != 0 {
		t.Fatalf("check after the repair (exit %d):\n%s", code, out)
	}
}
