package nlp

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// worker starts a worker on the packages make nlpdeps installs, as
// nlptest.Worker does for other packages (it imports this one, so this
// package's own tests cannot use it). Outside make test (which sets
// EXPORTWATCH_REQUIRE_NLP) a machine without them skips.
func worker(t *testing.T) *Worker {
	t.Helper()
	opt := OptionsFromEnv()
	if opt.Path == "" {
		opt.Path = filepath.Join("..", ".cache", "nlp")
	}
	w, err := Start(context.Background(), opt)
	if errors.Is(err, ErrNotInstalled) && os.Getenv("EXPORTWATCH_REQUIRE_NLP") == "" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

func TestParse(t *testing.T) {
	w := worker(t)
	if !strings.HasPrefix(w.Pipeline, "core_web_sm") {
		t.Errorf("pipeline %q", w.Pipeline)
	}
	docs, err := w.Parse(context.Background(), []string{
		"The equipment was sold to Egypt by a French firm. It denied it.",
		"",
		"Ünïcode “quotes” — and a dash.",
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 3 || len(docs[0]) != 2 || len(docs[1]) != 0 {
		t.Fatalf("sentences per text: %d texts, first %d", len(docs), len(docs[0]))
	}
	first := docs[0][0]
	if got := first.Text(); got != "The equipment was sold to Egypt by a French firm." {
		t.Errorf("text %q", got)
	}
	type dep struct{ Text, Dep, Head, Ent string }
	var got []dep
	for _, tok := range first {
		got = append(got, dep{tok.Text, tok.Dep, first[tok.Head].Text, tok.Ent})
	}
	want := []dep{
		{"The", "det", "equipment", ""}, {"equipment", "nsubjpass", "sold", ""}, {"was", "auxpass", "sold", ""},
		{"sold", "ROOT", "sold", ""}, {"to", "dative", "sold", ""}, {"Egypt", "pobj", "to", "GPE"},
		{"by", "agent", "sold", ""}, {"a", "det", "firm", ""}, {"French", "amod", "firm", "NORP"},
		{"firm", "pobj", "by", ""}, {".", "punct", "sold", ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("parse (-want +got):\n%s", diff)
	}
	// The second sentence's heads index into it, not into the text.
	second := docs[0][1]
	if second[0].Text != "It" || second[second[0].Head].Text != "denied" {
		t.Errorf("second sentence: %+v", second)
	}
	if got := docs[2][0].Text(); got != "Ünïcode “quotes” — and a dash." {
		t.Errorf("unicode text %q", got)
	}
}

// A worker that dies is replaced by the next call; one that takes too
// long is stopped.
func TestWorkerRecovers(t *testing.T) {
	w := worker(t)
	w.mu.Lock()
	_ = w.cmd.Process.Kill()
	w.mu.Unlock()
	if _, err := w.Parse(context.Background(), []string{"A sentence."}); err == nil {
		t.Fatal("a dead worker answered")
	}
	if docs, err := w.Parse(context.Background(), []string{"Another sentence."}); err != nil || len(docs[0]) != 1 {
		t.Fatalf("after a restart: %v %v", docs, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	if _, err := w.Parse(ctx, []string{strings.Repeat("A long sentence about nothing at all. ", 2000)}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a request past its deadline: %v", err)
	}
	if _, err := w.Parse(context.Background(), []string{"Back again."}); err != nil {
		t.Fatal(err)
	}
}

func TestNotInstalled(t *testing.T) {
	_, err := Start(context.Background(), Options{Path: filepath.Join(t.TempDir(), "nothing")})
	if !errors.Is(err, ErrNotInstalled) || !strings.Contains(err.Error(), "make nlpdeps") {
		t.Fatalf("Start without the packages: %v", err)
	}
}
