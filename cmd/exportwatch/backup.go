package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/exportwatch/exportwatch/config"
	"github.com/exportwatch/exportwatch/graph"
)

// cmdBackup writes everything the graph holds to one checksummed file.
func cmdBackup(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	out := fs.String("out", "", "the file to write (gzip'd JSON lines; replaced only once it is whole)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		return errors.New("want: backup --out FILE")
	}
	store, closeStore, err := connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeStore()
	start := time.Now()
	var sum graph.BackupSummary
	err = writeFileAtomic(*out, func(w io.Writer) error {
		var berr error
		if sum, berr = store.Backup(ctx, w); berr != nil {
			return berr
		}
		// A backup is for the day the disk fails: on it before it is
		// named.
		if f, ok := w.(*os.File); ok {
			return f.Sync()
		}
		return nil
	})
	if err != nil {
		return err
	}
	info, err := os.Stat(*out)
	if err != nil {
		return err
	}
	fmt.Printf("backed up %d nodes and %d relationships to %s (%.1f MB) in %.1fs\n", sum.Nodes, sum.Relationships, *out,
		float64(info.Size())/1e6, time.Since(start).Seconds())
	printBackup(sum)
	return nil
}

// cmdRestore writes a backup into an empty graph, or, forced, into one it
// empties first.
func cmdRestore(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	force := fs.Bool("force", false, "delete everything the graph holds first (only once the file is checked)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("want: restore [--force] FILE")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	store, closeStore, err := connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeStore()
	start := time.Now()
	sum, err := store.Restore(ctx, f, graph.RestoreOptions{Force: *force})
	switch {
	case errors.Is(err, graph.ErrNotEmpty):
		return fmt.Errorf("%w (--force)", err)
	case err != nil:
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	fmt.Printf("restored %d nodes and %d relationships from %s in %.1fs\n", sum.Nodes, sum.Relationships, fs.Arg(0), time.Since(start).Seconds())
	fmt.Printf("  backed up %s from %s (database %s)\n", sum.Created.UTC().Format("2006-01-02 15:04:05 UTC"), sum.Server, sum.Database)
	printBackup(sum)
	return nil
}

// printBackup prints what a backup holds, by label and by type.
func printBackup(sum graph.BackupSummary) {
	fmt.Printf("  nodes          %s\n", countList(sum.Counts.Nodes))
	fmt.Printf("  relationships  %s\n", countList(sum.Counts.Relationships))
	fmt.Printf("  sha256         %s\n", sum.SHA256)
}

func countList(counts map[string]int64) string {
	parts := make([]string, 0, len(counts))
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		parts = append(parts, fmt.Sprintf("%s %d", k, counts[k]))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}
