package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBackupAndRestoreCommands: a backup of the seed restores only into an
// empty graph or with --force, and a damaged file is refused.
func TestBackupAndRestoreCommands(t *testing.T) {
	env := withNeo4j(t)
	if _, errOut, code := exportwatch(t, env, "seed"); code != 0 {
		t.Fatalf("seed (exit %d): %s", code, errOut)
	}
	file := filepath.Join(t.TempDir(), "graph.backup.gz")
	out, errOut, code := exportwatch(t, env, "backup", "--out", file)
	if code != 0 || !strings.Contains(out, "backed up ") || !strings.Contains(out, "Claim 135") || !strings.Contains(out, "SUBJECT 135") {
		t.Fatalf("backup (exit %d):\n%s\n%s", code, out, errOut)
	}

	_, errOut, code = exportwatch(t, env, "restore", file)
	if code != 1 || !strings.Contains(errOut, "the database is not empty") || !strings.Contains(errOut, "--force") {
		t.Fatalf("restore into the seeded graph (exit %d): %s", code, errOut)
	}
	out, errOut, code = exportwatch(t, env, "restore", "--force", file)
	if code != 0 || !strings.Contains(out, "restored ") || !strings.Contains(out, "Claim 135") {
		t.Fatalf("restore --force (exit %d):\n%s\n%s", code, out, errOut)
	}
	if status, _, _ := exportwatch(t, env, "neo4j", "status"); !strings.Contains(status, " 135 claims") {
		t.Fatalf("after the restore: %s", status)
	}

	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut.backup.gz")
	if err := os.WriteFile(cut, data[:len(data)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	_, errOut, code = exportwatch(t, env, "restore", "--force", cut)
	if code != 1 || !strings.Contains(errOut, "truncated") || !strings.Contains(errOut, "nothing was written") {
		t.Fatalf("restore of a cut file (exit %d): %s", code, errOut)
	}
	for _, args := range [][]string{{"backup"}, {"restore"}, {"restore", file, file}} {
		if _, errOut, code := exportwatch(t, env, args...); code == 0 || !strings.Contains(errOut, "want: ") {
			t.Errorf("%v: exit %d, %s", args, code, errOut)
		}
	}
}
