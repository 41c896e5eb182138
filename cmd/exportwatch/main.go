// Command exportwatch is the one binary: it runs the bundled Neo4j, loads
// record files and the curated seed, and serves the API.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/exportwatch/exportwatch/config"
	"github.com/exportwatch/exportwatch/graph"
)

const usage = `exportwatch tracks exports of surveillance technology, with the evidence for every link.

Usage:
  exportwatch serve [--addr HOST:PORT] [--seed]   serve the API (starts the bundled Neo4j when NEO4J_URI is unset)
  exportwatch seed                                load the curated seed dataset
  exportwatch seed --emit FILE                    write the seed as a record file instead
  exportwatch load [--skip-invalid] FILE...       load record files (JSON Lines)
  exportwatch scrape SOURCE [flags] --out FILE    fetch a source into a record file (see exportwatch scrape)
  exportwatch brief --subject ID-or-name [--kind vendor|buyer|country] [--since DATE] [--format md|html|pdf] [--out FILE]
                                                  write an accountability brief with every sentence footnoted
  exportwatch export --format ftm|csv|graphml|cypher|bibtex [--subject ID --depth N] [--out FILE]
                                                  stream the graph (or a region) for other tools
  exportwatch import --format ftm FILE --dataset NAME --url URL [--status S] [--out FILE]
                                                  load FollowTheMoney entities as claims citing that dataset
  exportwatch resolve --pairs FILE.tsv              score name pairs (same / review / different) with the reasons;
                                                  a labelled file also gets precision and recall
  exportwatch review [--list] [--all] [--decide JUDGEMENT=same|not_same|unsure|pending] [--who NAME]
                                                  decide, in the terminal, whether entities resolution was unsure of are one
  exportwatch check [--repair]                    verify the graph's invariants (one edge per pair, derived from its
                                                  claims; claims with ends and evidence); --repair rebuilds wrong edges
  exportwatch backup --out FILE                   write everything the graph holds to a checksummed file (gzip'd JSON lines)
  exportwatch restore [--force] FILE              restore a backup into an empty graph, checking the whole file first;
                                                  --force deletes what the graph holds first
  exportwatch neo4j start|stop|status|run         manage the bundled Neo4j
  exportwatch apikey NAME reader|editor           make an API key and its EXPORTWATCH_API_KEYS entry
  exportwatch version

Settings come from .env, then the environment, then flags; .env.example lists them all.
`

// exitError carries a process exit status that is not plain failure.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(os.Stderr, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cfg, err := config.Load()
	if err != nil {
		fmt.Fprintln(os.Stderr, "exportwatch:", err)
		return 1
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel})))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	cmds := map[string]func(context.Context, config.Config, []string) error{
		"serve":   cmdServe,
		"seed":    cmdSeed,
		"load":    cmdLoad,
		"scrape":  cmdScrape,
		"neo4j":   cmdNeo4j,
		"apikey":  cmdAPIKey,
		"brief":   cmdBrief,
		"export":  cmdExport,
		"import":  cmdImport,
		"resolve": cmdResolve,
		"review":  cmdReview,
		"check":   cmdCheck,
		"backup":  cmdBackup,
		"restore": cmdRestore,
		"version": func(context.Context, config.Config, []string) error { fmt.Println("exportwatch", version); return nil },
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(os.Stderr, "exportwatch: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err := cmd(ctx, cfg, args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "exportwatch %s: %v\n", args[0], err)
		if errors.Is(err, graph.ErrStoreFailed) && cfg.Neo4jURI == "" {
			fmt.Fprintln(os.Stderr, "exportwatch:", diskNote(cfg.DataDir))
		}
		var ee *exitError
		if errors.As(err, &ee) {
			return ee.code
		}
		return 1
	}
	return 0
}

// diskNote says how much room the bundled Neo4j's data directory has.
func diskNote(dir string) string {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return fmt.Sprintf("the free space of %s cannot be read: %v", dir, err)
	}
	free := st.Bavail * uint64(st.Bsize)
	return fmt.Sprintf("the disk of the bundled Neo4j's data (%s) has %.1f MB free; once there is more, restart Neo4j "+
		"(`exportwatch neo4j stop` kills it if it cannot shut down cleanly, and the next start recovers its store)", dir, float64(free)/1e6)
}

// version is set by the Makefile from git describe.
var version = "dev"
