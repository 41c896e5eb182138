package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/exportwatch/exportwatch/config"
	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/launcher"
)

func launcherConfig(cfg config.Config) launcher.Config {
	return launcher.Config{
		DataDir:   cfg.DataDir,
		CacheDir:  cfg.CacheDir,
		BoltAddr:  cfg.BundledBolt,
		Heap:      cfg.BundledHeap,
		PageCache: cfg.BundledPageMiB << 20,
		Password:  cfg.Neo4jPassword,
		Progress:  os.Stderr,

		JVMOptions: cfg.BundledJVMOptions,
	}
}

func cmdNeo4j(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("neo4j", flag.ContinueOnError)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("want one of: start, stop, status, run")
	}
	if cfg.Neo4jURI != "" && fs.Arg(0) != "status" {
		return fmt.Errorf("NEO4J_URI is set (%s): exportwatch uses that server and manages no bundled one", cfg.Neo4jURI)
	}
	lc := launcherConfig(cfg)
	switch fs.Arg(0) {
	case "start":
		if s, err := launcher.Running(lc); err != nil {
			return err
		} else if s != nil {
			fmt.Printf("bundled Neo4j already running (pid %d) at %s\n", s.PID(), s.URI())
			return nil
		}
		start := time.Now()
		s, err := launcher.Start(ctx, lc, true)
		if err != nil {
			return err
		}
		fmt.Printf("bundled Neo4j started (pid %d) at %s in %.1fs; data in %s\n", s.PID(), s.URI(), time.Since(start).Seconds(), lc.DataDir)
		return nil
	case "stop":
		s, err := launcher.Running(lc)
		if err != nil {
			return err
		}
		if s == nil {
			fmt.Println("bundled Neo4j is not running")
			return nil
		}
		sctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		if err := s.Stop(sctx); err != nil {
			return err
		}
		fmt.Printf("bundled Neo4j (pid %d) stopped\n", s.PID())
		return nil
	case "status":
		return neo4jStatus(ctx, cfg, lc)
	case "run":
		s, err := launcher.Start(ctx, lc, false)
		if err != nil {
			return err
		}
		fmt.Printf("bundled Neo4j running (pid %d) at %s; Ctrl-C stops it\n", s.PID(), s.URI())
		select {
		case <-ctx.Done():
		case <-waitChan(s):
			return errors.New("bundled Neo4j exited; see " + lc.DataDir + "/neo4j.out")
		}
		sctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		return s.Stop(sctx)
	default:
		return fmt.Errorf("unknown neo4j command %q: want start, stop, status or run", fs.Arg(0))
	}
}

func waitChan(s *launcher.Server) <-chan struct{} {
	ch := make(chan struct{})
	go func() { s.Wait(); close(ch) }()
	return ch
}

func neo4jStatus(ctx context.Context, cfg config.Config, lc launcher.Config) error {
	uri := cfg.Neo4jURI
	if uri == "" {
		s, err := launcher.Running(lc)
		if err != nil {
			return err
		}
		if s == nil {
			fmt.Println("bundled Neo4j is not running")
			return &exitError{code: 3, err: errors.New("not running")}
		}
		fmt.Printf("bundled Neo4j running (pid %d) at %s\n", s.PID(), s.URI())
		uri = s.URI()
	}
	store, err := graph.Open(ctx, storeOptions(cfg, uri))
	if err != nil {
		return err
	}
	defer store.Close(context.Background())
	v, err := store.ServerVersion(ctx)
	if err != nil {
		return err
	}
	c, err := store.Counts(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("%s answers at %s: %d entities, %d claims, %d documents\n", v, uri, c.Nodes["Entity"], c.Nodes["Claim"], c.Nodes["Document"])
	return nil
}

func storeOptions(cfg config.Config, uri string) graph.Options {
	return graph.Options{URI: uri, User: cfg.Neo4jUser, Password: cfg.Neo4jPassword, Database: cfg.Neo4jDatabase, Timeout: cfg.Neo4jWait}
}

// connect opens the store every data command uses: NEO4J_URI when set, else
// the bundled Neo4j already running for this data directory, else a bundled
// one started for the length of the command. The returned close stops what
// connect started.
func connect(ctx context.Context, cfg config.Config) (*graph.Store, func(), error) {
	uri := cfg.Neo4jURI
	var started *launcher.Server
	if uri == "" {
		lc := launcherConfig(cfg)
		s, err := launcher.Running(lc)
		if err != nil {
			return nil, nil, err
		}
		if s == nil {
			slog.Info("starting the bundled Neo4j", "bolt", lc.URI(), "data", lc.DataDir)
			if s, err = launcher.Start(ctx, lc, false); err != nil {
				return nil, nil, err
			}
			started = s
		}
		uri = s.URI()
	}
	stopStarted := func() {
		if started != nil {
			sctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			if err := started.Stop(sctx); err != nil {
				slog.Error("stop bundled Neo4j", "err", err)
			}
		}
	}
	store, err := graph.Open(ctx, storeOptions(cfg, uri))
	if err != nil {
		stopStarted()
		return nil, nil, err
	}
	if err := store.EnsureSchema(ctx); err != nil {
		store.Close(context.Background())
		stopStarted()
		return nil, nil, err
	}
	return store, func() { store.Close(context.Background()); stopStarted() }, nil
}
