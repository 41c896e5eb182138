// Package nlptest starts the NLP worker for the tests of the packages that
// use it, on the packages make nlpdeps installs in the module's
// .cache/nlp. Outside make test (which sets EXPORTWATCH_REQUIRE_NLP) a
// machine without them skips the test, saying how to install them.
package nlptest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/exportwatch/exportwatch/nlp"
)

// Worker starts a worker that the test's cleanup stops.
func Worker(t testing.TB) *nlp.Worker {
	t.Helper()
	opt := nlp.OptionsFromEnv()
	if opt.Path == "" {
		opt.Path = filepath.Join(moduleRoot(t), ".cache", "nlp")
	}
	w, err := nlp.Start(context.Background(), opt)
	if errors.Is(err, nlp.ErrNotInstalled) && os.Getenv("EXPORTWATCH_REQUIRE_NLP") == "" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// moduleRoot is the directory holding go.mod, above the test's package.
func moduleRoot(t testing.TB) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("nlptest: no go.mod above the test's directory")
		}
		dir = parent
	}
}
