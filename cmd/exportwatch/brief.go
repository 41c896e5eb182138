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
)

func cmdBrief(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("brief", flag.ContinueOnError)
	subject := fs.String("subject", "", "the entity: an id (company/sandvine), a country code, or an exact name or alias")
	kind := fs.String("kind", "", "vendor, buyer or country (default: from the subject's type)")
	since := fs.String("since", "", "keep transfers, designations and incidents dated on or after this ISO date")
	asOf := fs.String("as-of", "", "compose it from what the graph held on this date (or RFC 3339 time): the claims loaded by then, with the reviews and names then in force")
	format := fs.String("format", "md", "md, html or pdf")
	out := fs.String("out", "", "the file to write (default: standard output; required for pdf)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q: the subject goes in --subject", fs.Args())
	}
	k, err := brief.ParseKind(*kind)
	if err != nil {
		return err
	}
	f, err := brief.ParseFormat(*format)
	if err != nil {
		return err
	}
	if f == brief.FormatPDF && *out == "" {
		return errors.New("a PDF brief needs --out FILE")
	}
	store, closeStore, err := connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeStore()
	b, err := brief.Compose(ctx, store, *subject, brief.Options{Kind: k, Since: *since, AsOf: *asOf})
	if err != nil {
		return err
	}
	if *out == "" {
		return brief.Render(os.Stdout, b, f, "")
	}
	// Markdown cannot hold the diagram, so it goes beside the file.
	diagram := ""
	if f == brief.FormatMarkdown && len(b.Diagram.Edges) > 0 {
		svg := strings.TrimSuffix(*out, filepath.Ext(*out)) + ".svg"
		if err := writeFileAtomic(svg, func(w io.Writer) error {
			_, err := io.WriteString(w, b.Diagram.SVG())
			return err
		}); err != nil {
			return err
		}
		diagram = filepath.Base(svg)
	}
	if err := writeFileAtomic(*out, func(w io.Writer) error { return brief.Render(w, b, f, diagram) }); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %s: %d claims, %d sources\n", *out, len(b.Claims), len(b.Sources))
	return nil
}

// writeFileAtomic writes a file through a temporary file beside it, so a
// failure half-way leaves the old file (or none), never a torn one.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
