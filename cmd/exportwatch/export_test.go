package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExportAndImportCommands(t *testing.T) {
	env := withNeo4j(t)
	if _, errOut, code := exportwatch(t, env, "seed"); code != 0 {
		t.Fatalf("seed (exit %d): %s", code, errOut)
	}
	dir := t.TempDir()
	ftm := filepath.Join(dir, "seed.ftm.json")
	_, errOut, code := exportwatch(t, env, "export", "--format", "ftm", "--out", ftm)
	if code != 0 || !strings.Contains(errOut, "135 claims") {
		t.Fatalf("export ftm (exit %d): %s", code, errOut)
	}
	if _, errOut, code := exportwatch(t, env, "export", "--format", "csv", "--out", filepath.Join(dir, "csv")); code != 0 {
		t.Fatalf("export csv (exit %d): %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "csv", "evidence.csv")); err != nil {
		t.Error(err)
	}
	out, errOut, code := exportwatch(t, env, "export", "--format", "graphml", "--subject", "Sandvine", "--depth", "1")
	if code != 0 || !strings.Contains(out, `<node id="company/sandvine">`) || strings.Contains(out, `<node id="company/nso-group">`) {
		t.Fatalf("export graphml of a region (exit %d): %s", code, errOut)
	}
	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"export", "--format", "xlsx"}, "unknown export format"},
		{[]string{"export", "--format", "csv"}, "give --out DIRECTORY"},
		{[]string{"export", "--format", "ftm", "--subject", "Sandvine", "--depth", "7"}, "depth 7"},
		{[]string{"import", "--format", "ftm", ftm}, "needs a name and the URL"},
		{[]string{"import", "--format", "csv", ftm}, "only ftm"},
	} {
		_, errOut, code := exportwatch(t, env, tc.args...)
		if code == 0 || !strings.Contains(errOut, tc.says) {
			t.Errorf("%v: exit %d, %q; want an error saying %q", tc.args, code, errOut, tc.says)
		}
	}
	_, errOut, code = exportwatch(t, env, "import", "--format", "ftm", "--dataset", "exportwatch seed", "--url", "https://example.org/seed.ftm.json", ftm)
	if code != 0 || !strings.Contains(errOut, "claims") {
		t.Fatalf("import (exit %d): %s", code, errOut)
	}
	status, _, _ := exportwatch(t, env, "neo4j", "status")
	if strings.Contains(status, " 135 claims") {
		t.Errorf("the import added no claims: %s", status)
	}
}
