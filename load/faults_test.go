package load_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/records/synthetic"
)

// faultClaims is the size of the load the fault tests interrupt: six
// batches of claims at 250, so a fault after the third lands mid-load.
const faultClaims = 1500

// syntheticFile writes the generated record file the fault tests load
// (the same bytes each time: the generator is seeded).
func syntheticFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "synthetic.jsonl")
	if err := synthetic.WriteFile(path, synthetic.Size{Claims: faultClaims, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	return path
}

// uninterruptedGraph is what loading syntheticFile into an empty graph
// makes, and what each interrupted load, run again, must end with.
type uninterruptedGraph struct {
	counts graph.Counts
	hash   string
}

var (
	reference     uninterruptedGraph
	referenceOnce sync.Once
)

// uninterrupted loads path into s, emptied, once for all the fault tests,
// and returns what it made; s is left empty with its schema.
func uninterrupted(t *testing.T, s *graph.Store, path string) uninterruptedGraph {
	t.Helper()
	referenceOnce.Do(func() {
		ctx := context.Background()
		if _, err := load.File(ctx, s, path, load.Options{BatchSize: 250}); err != nil {
			t.Fatal(err)
		}
		reference = uninterruptedGraph{counts(t, s), canonical(t, s)}
		if err := s.Reset(ctx); err != nil {
			t.Fatal(err)
		}
		if err := s.EnsureSchema(ctx); err != nil {
			t.Fatal(err)
		}
	})
	if reference.hash == "" {
		t.Fatal("the uninterrupted load failed in an earlier test")
	}
	return reference
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
	path := syntheticFile(t)
	want := uninterrupted(t, s, path).hash

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

// TestDiskFullMidLoad runs Neo4j on a disk of its own (a tmpfs, which
// needs root to mount), fills all but a few MiB of it, and loads more
// than fits. The load fails with a message that says the disk is
// probably full and what to do; Neo4j refuses transactions from then on
// and cannot shut down cleanly, so it is killed. With the room freed, it
// starts again on the same store, which checks clean, and the same load
// run again ends with exactly the graph an uninterrupted load makes.
func TestDiskFullMidLoad(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=256m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("a full disk needs a small tmpfs, and mount refused (this test runs as root): %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "--lazy", dir).Run() })
	s := graphtest.Store(t)
	ctx := context.Background()
	path := syntheticFile(t)
	want := uninterrupted(t, s, path).hash

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
	// A ballast file takes all but 2 MiB, far less than the load needs;
	// the load then fills the disk within its first batches.
	ballast := filepath.Join(dir, "ballast")
	fill(t, ballast, dir, 2<<20)
	_, err = load.File(ctx, full, path, load.Options{BatchSize: 250})
	if !errors.Is(err, graph.ErrStoreFailed) || !strings.Contains(err.Error(), "disk is probably full") {
		t.Fatalf("a load onto a full disk: %v, want ErrStoreFailed saying the disk is probably full", err)
	}
	t.Logf("a load onto a full disk: %v", err)
	if err := srv.Kill(); err != nil {
		t.Fatal(err)
	}

	if err := os.Remove(ballast); err != nil {
		t.Fatalf("free the disk: %v", err)
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

// fill writes a file at path that leaves only leave bytes free on the
// file system holding dir.
func fill(t *testing.T, path, dir string, leave int64) {
	t.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	size := int64(st.Bavail)*st.Bsize - leave
	if size <= 0 {
		t.Fatalf("%s has only %d bytes free", dir, int64(st.Bavail)*st.Bsize)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// Written, not truncated to size: a sparse file would take no room.
	chunk := make([]byte, 1<<20)
	for size > 0 {
		n := min(size, int64(len(chunk)))
		if _, err := f.Write(chunk[:n]); err != nil {
			t.Fatal(err)
		}
		size -= n
	}
}
