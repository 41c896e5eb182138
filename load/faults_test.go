package load_test

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/records/synthetic"
)

// syntheticFile writes a generated record file of the given size.
func syntheticFile(t *testing.T, claims int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "synthetic.jsonl")
	if err := synthetic.WriteFile(path, synthetic.Size{Claims: claims, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	return path
}

// uninterrupted loads path into s, emptied, and returns the canonical hash
// of the graph it makes, then empties s again: what an interrupted load,
// run again, must end with.
func uninterrupted(t *testing.T, s *graph.Store, path string) string {
	t.Helper()
	ctx := context.Background()
	if _, err := load.File(ctx, s, path, load.Options{BatchSize: 250}); err != nil {
		t.Fatal(err)
	}
	want := canonical(t, s)
	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.EnsureSchema(ctx); err != nil {
		t.Fatal(err)
	}
	return want
}

func canonical(t *testing.T, s *graph.Store) string {
	t.Helper()
	h, err := s.CanonicalHash(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// wellFormed fails on any broken invariant of the graph.
func wellFormed(t *testing.T, s *graph.Store) {
	t.Helper()
	problems, err := s.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("after the fault: %v", p)
	}
}

// TestNeo4jKilledMidLoad kills Neo4j (SIGKILL) while a load writes its
// claims. The load fails as "unavailable"; Neo4j, started again, recovers
// its store from the transaction log; the same load run again ends with
// exactly the graph an uninterrupted load makes, node for node and
// property for property.
func TestNeo4jKilledMidLoad(t *testing.T) {
	s := graphtest.Store(t)
	ctx := context.Background()
	path := syntheticFile(t, 2500)
	want := uninterrupted(t, s, path)

	// The load's own store gives up on a dead Neo4j after 3 s, not the
	// tests' 10 s.
	quick, err := graph.Open(ctx, graph.Options{URI: graphtest.URI(), Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer quick.Close(ctx)
	reached, done := make(chan struct{}), make(chan error, 1)
	claimBatches := 0
	go func() {
		_, err := load.File(ctx, quick, path, load.Options{BatchSize: 250, AfterBatch: func(kind string, _ int) {
			if kind == "claims" {
				if claimBatches++; claimBatches == 3 {
					close(reached)
				}
			}
		}})
		done <- err
	}()
	select {
	case <-reached:
	case err := <-done:
		t.Fatalf("the load ended before its third batch of claims: %v", err)
	}
	var loadErr error
	graphtest.Crash(t, func() { loadErr = <-done })
	if !errors.Is(loadErr, graph.ErrUnavailable) {
		t.Fatalf("the load with Neo4j killed under it: %v, want ErrUnavailable", loadErr)
	}
	t.Logf("the load, Neo4j killed under it: %v", loadErr)

	if _, err := load.File(ctx, s, path, load.Options{BatchSize: 250}); err != nil {
		t.Fatalf("the load again, Neo4j back: %v", err)
	}
	if got := canonical(t, s); got != want {
		t.Errorf("canonical hash after the kill and a second load %s, uninterrupted %s", got, want)
	}
	wellFormed(t, s)
}

// TestDiskFullMidLoad runs Neo4j on a 12 MiB disk (a tmpfs, which needs
// root to mount) and loads more than fits. The load fails with a message
// that says the disk is probably full and what to do; Neo4j refuses
// transactions from then on and cannot shut down cleanly, so it is killed.
// With the disk grown, it starts again on the same store, which checks
// clean, and the same load run again ends with exactly the graph an
// uninterrupted load makes.
func TestDiskFullMidLoad(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("a full disk needs a small tmpfs, and mount refused (this test runs as root): %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "--lazy", dir).Run() })
	s := graphtest.Store(t)
	ctx := context.Background()
	path := syntheticFile(t, 8000)
	want := uninterrupted(t, s, path)

	data := filepath.Join(dir, "neo4j")
	srv, err := graphtest.StartBundled(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Kill() })
	full, err := graph.Open(ctx, graph.Options{URI: srv.URI(), Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer full.Close(ctx)
	if err := full.EnsureSchema(ctx); err != nil {
		t.Fatal(err)
	}
	_, err = load.File(ctx, full, path, load.Options{BatchSize: 250})
	if !errors.Is(err, graph.ErrStoreFailed) || !strings.Contains(err.Error(), "disk is probably full") {
		t.Fatalf("a load onto a full disk: %v, want ErrStoreFailed saying the disk is probably full", err)
	}
	t.Logf("a load onto a full disk: %v", err)
	if err := srv.Kill(); err != nil {
		t.Fatal(err)
	}

	if out, err := exec.Command("mount", "-o", "remount,size=512m", dir).CombinedOutput(); err != nil {
		t.Fatalf("grow the disk: %v %s", err, out)
	}
	srv, err = graphtest.StartBundledAt(ctx, data, strings.TrimPrefix(srv.URI(), "bolt://"))
	if err != nil {
		t.Fatalf("Neo4j on the store the full disk left: %v", err)
	}
	again, err := graph.Open(ctx, graph.Options{URI: srv.URI(), Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close(ctx)
	wellFormed(t, again)
	if _, err := load.File(ctx, again, path, load.Options{BatchSize: 250}); err != nil {
		t.Fatalf("the load again, on room enough: %v", err)
	}
	if got := canonical(t, again); got != want {
		t.Errorf("canonical hash after the full disk and a second load %s, uninterrupted %s", got, want)
	}
}
