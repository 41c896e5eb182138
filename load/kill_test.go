package load_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"reflect"
	"syscall"
	"testing"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/load"
)

const killEnv = "EXPORTWATCH_TEST_KILL_LOAD"

// TestKillChild is the load that TestKillAndResume kills: it runs only as
// that test's child process and SIGKILLs itself between two claim batches,
// as kill -9 would.
func TestKillChild(t *testing.T) {
	path := os.Getenv(killEnv)
	if path == "" {
		t.Skip("runs only as the child of TestKillAndResume")
	}
	ctx := context.Background()
	s, err := graph.Open(ctx, graph.Options{URI: os.Getenv("EXPORTWATCH_TEST_NEO4J_URI")})
	if err != nil {
		t.Fatal(err)
	}
	claimBatches := 0
	_, err = load.File(ctx, s, path, load.Options{BatchSize: 250, AfterBatch: func(kind string, _ int) {
		if kind == "claims" {
			if claimBatches++; claimBatches == 3 {
				syscall.Kill(os.Getpid(), syscall.SIGKILL)
			}
		}
	}})
	t.Fatalf("load finished without being killed: %v", err)
}

func TestKillAndResume(t *testing.T) {
	s := graphtest.Store(t)
	ctx := context.Background()
	path := syntheticFile(t)
	ref := uninterrupted(t, s, path)
	want, wantHash := ref.counts, ref.hash

	cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), killEnv+"="+path, "EXPORTWATCH_TEST_NEO4J_URI="+graphtest.URI())
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("child was not killed: %v\n%s", err, out)
	}
	partial := counts(t, s)
	if partial.Nodes["Claim"] == 0 || partial.Nodes["Claim"] >= want.Nodes["Claim"] {
		t.Fatalf("kill did not land mid-load: %d of %d claims", partial.Nodes["Claim"], want.Nodes["Claim"])
	}

	sum, err := load.File(ctx, s, path, load.Options{BatchSize: 250})
	if err != nil {
		t.Fatal(err)
	}
	if got := counts(t, s); !reflect.DeepEqual(got, want) {
		t.Fatalf("after resume:\n got %v\nwant %v", got, want)
	}
	if got := canonical(t, s); got != wantHash {
		t.Errorf("canonical hash after resume %s, uninterrupted %s", got, wantHash)
	}
	if sum.Claims.Unchanged != int(partial.Nodes["Claim"]) {
		t.Errorf("resume rewrote claims the killed load had committed: %s (had %d)", sum, partial.Nodes["Claim"])
	}
}
