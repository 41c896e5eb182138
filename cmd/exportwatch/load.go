package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/exportwatch/exportwatch/config"
	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/seed"
)

// Exit statuses of load and seed beyond 0 (all loaded) and 1 (failed).
const (
	exitInvalid  = 2 // invalid lines, nothing written
	exitRejected = 3 // valid lines written, invalid ones in FILE.rejects.jsonl
)

func cmdLoad(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	skip := fs.Bool("skip-invalid", false, "write the valid lines and put the invalid ones in FILE.rejects.jsonl")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("name at least one record file")
	}
	store, closeStore, err := connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeStore()
	return loadFiles(ctx, cfg, store, fs.Args(), *skip)
}

func loadFiles(ctx context.Context, cfg config.Config, store *graph.Store, files []string, skip bool) error {
	rejected := false
	for _, f := range files {
		r, err := loadFile(ctx, cfg, store, f, f, skip)
		if err != nil {
			return err
		}
		rejected = rejected || r
	}
	if rejected {
		return &exitError{code: exitRejected, err: errors.New("some lines were rejected; see the rejects files")}
	}
	return nil
}

// loadFile loads one file, lists its bad lines on stderr and its summary,
// under name, on stdout; it reports whether lines were rejected.
func loadFile(ctx context.Context, cfg config.Config, store *graph.Store, path, name string, skip bool) (bool, error) {
	sum, err := load.File(ctx, store, path, load.Options{SkipInvalid: skip, BatchSize: cfg.BatchSize})
	sum.File = name
	return sum.Rejected > 0, printLoad(sum, err)
}

// printLoad lists a load's bad lines on stderr and its summary on stdout; a
// file with bad lines and nothing written exits with exitInvalid.
func printLoad(sum load.Summary, err error) error {
	for _, p := range sum.Problems {
		fmt.Fprintln(os.Stderr, p)
	}
	if errors.Is(err, load.ErrInvalid) {
		return &exitError{code: exitInvalid, err: err}
	}
	if err != nil {
		return err
	}
	fmt.Println(sum)
	return nil
}

func cmdSeed(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	emit := fs.String("emit", "", "write the seed as a record file to this path instead of loading it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *emit != "" {
		return seed.WriteFile(*emit)
	}
	store, closeStore, err := connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeStore()
	return loadSeed(ctx, cfg, store)
}

// loadSeed loads the seed and prints what it wrote; a seed line the graph
// refuses (an editor merged two of its entities, say) is listed, as load
// lists a file's, and nothing is written.
func loadSeed(ctx context.Context, cfg config.Config, store *graph.Store) error {
	sum, err := load.Seed(ctx, store, load.Options{BatchSize: cfg.BatchSize})
	return printLoad(sum, err)
}
