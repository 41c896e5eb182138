package load

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/seed"
)

// Seed loads the curated seed through the record path, like any source's
// output: written to a record file, which File then loads. The summary
// names the file "seed".
func Seed(ctx context.Context, store *graph.Store, opt Options) (Summary, error) {
	dir, err := os.MkdirTemp("", "exportwatch-seed-")
	if err != nil {
		return Summary{}, fmt.Errorf("seed: %w", err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "seed.jsonl")
	f, err := os.Create(path)
	if err != nil {
		return Summary{}, fmt.Errorf("seed: %w", err)
	}
	if err := seed.Write(f); err != nil {
		f.Close()
		return Summary{}, err
	}
	if err := f.Close(); err != nil {
		return Summary{}, fmt.Errorf("seed: %w", err)
	}
	sum, err := File(ctx, store, path, opt)
	sum.File = "seed"
	return sum, err
}
