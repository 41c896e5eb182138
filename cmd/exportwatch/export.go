package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/exportwatch/exportwatch/brief"
	"github.com/exportwatch/exportwatch/config"
	"github.com/exportwatch/exportwatch/export"
	"github.com/exportwatch/exportwatch/records"
)

func cmdExport(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	format := fs.String("format", "", "ftm, csv, graphml, cypher or bibtex")
	subject := fs.String("subject", "", "export only the region around this entity (an id or exact name); default: the whole graph")
	depth := fs.Int("depth", 1, "with --subject: how many hops of direct edges the region reaches (0 to 4)")
	out := fs.String("out", "", "the file to write (for csv, a directory); default: standard output")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f, err := export.ParseFormat(*format)
	if err != nil {
		return err
	}
	if f == export.CSV && *out == "" {
		return errors.New("csv is several files: give --out DIRECTORY")
	}
	store, closeStore, err := connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeStore()
	src := export.Graph{Store: store}
	if *subject != "" {
		e, err := brief.Subject(ctx, store, *subject)
		if err != nil {
			return err
		}
		if src.IDs, err = store.Region(ctx, e.ID, *depth); err != nil {
			return err
		}
	}
	var st export.Stats
	switch {
	case f == export.CSV:
		st, err = export.WriteCSV(ctx, src, *out)
	case *out == "":
		st, err = export.Write(ctx, src, f, os.Stdout)
	default:
		err = writeFileAtomic(*out, func(w io.Writer) error {
			var werr error
			st, werr = export.Write(ctx, src, f, w)
			return werr
		})
	}
	if err != nil {
		return fmt.Errorf("export %s: %w", f, err)
	}
	fmt.Fprintf(os.Stderr, "exported %s as %s\n", st, f)
	return nil
}

func cmdImport(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	format := fs.String("format", "ftm", "the file's format (ftm: FollowTheMoney entity lines)")
	dataset := fs.String("dataset", "", "the dataset's name, cited as the source of every imported claim (required)")
	url := fs.String("url", "", "where the dataset is published (required)")
	publisher := fs.String("publisher", "", "who publishes it (default: the dataset name)")
	status := fs.String("status", records.StatusReported, "status of the imported claims: documented for an official list, reported for a compilation")
	out := fs.String("out", "", "write the records to this file instead of loading them")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *format != "ftm" {
		return fmt.Errorf("unknown import format %q: only ftm is read", *format)
	}
	if fs.NArg() != 1 {
		return errors.New("name one FtM file")
	}
	path := *out
	if path == "" {
		tmp, err := os.CreateTemp("", "exportwatch-import-*.jsonl")
		if err != nil {
			return err
		}
		tmp.Close()
		defer os.Remove(tmp.Name())
		path = tmp.Name()
	}
	var st export.ImportStats
	err := writeFileAtomic(path, func(w io.Writer) error {
		var ierr error
		st, ierr = export.ImportFTM(fs.Arg(0), export.FTMImport{Dataset: *dataset, URL: *url, Publisher: *publisher, Status: *status},
			records.NewWriter(w))
		return ierr
	})
	if err != nil {
		return err
	}
	var skipped []string
	for schema, n := range st.Skipped {
		skipped = append(skipped, fmt.Sprintf("%s %d", schema, n))
	}
	fmt.Fprintf(os.Stderr, "read %d FtM lines: %d entities, %d claims; skipped: %s\n", st.Lines, st.Entities, st.Claims, strings.Join(skipped, ", "))
	for _, p := range st.Problems {
		fmt.Fprintln(os.Stderr, "  problem:", p)
	}
	if *out != "" {
		fmt.Fprintf(os.Stderr, "wrote %s\n", filepath.Clean(*out))
		return nil
	}
	store, closeStore, err := connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeStore()
	return loadFiles(ctx, cfg, store, []string{path}, false)
}
