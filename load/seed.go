package load

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/seed"
)

// Seed loads the curated seed through the record path, like any source's
// output: written to a record file, which File then loads. The summary
// names the file "seed", and so do its problems.
func Seed(ctx context.Context, store *graph.Store, opt Options) (Summary, error) {
	dir, err := os.MkdirTemp("", "exportwatch-seed-")
	if err != nil {
		return Summary{}, fmt.Errorf("seed: %w", err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "seed.jsonl")
	if err := seed.WriteFile(path); err != nil {
		return Summary{}, err
	}
	sum, err := File(ctx, store, path, opt)
	// Name the seed, not the temporary file, which is gone once this
	// returns.
	sum.File = "seed"
	for _, le := range sum.Problems {
		le.File = "seed"
	}
	if errors.Is(err, ErrInvalid) {
		err = fmt.Errorf("seed: %d lines the graph refuses, nothing written: %w", sum.Rejected, ErrInvalid)
	}
	return sum, err
}
