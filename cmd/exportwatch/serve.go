package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/exportwatch/exportwatch/api"
	"github.com/exportwatch/exportwatch/config"
	"github.com/exportwatch/exportwatch/evidence"
	"github.com/exportwatch/exportwatch/scrapers"
)

func cmdServe(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", cfg.Addr, "listen address")
	withSeed := fs.Bool("seed", false, "load the curated seed before serving")
	if err := fs.Parse(args); err != nil {
		return err
	}
	opt, err := api.OptionsFrom(cfg)
	if err != nil {
		return err
	}
	allow, err := scrapers.ParseAllow(cfg.FetchAllow)
	if err != nil {
		return fmt.Errorf("EXPORTWATCH_FETCH_ALLOW: %w", err)
	}
	// Take the port before starting Neo4j, so a busy port fails in a second.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (set EXPORTWATCH_ADDR or --addr)", *addr, err)
	}
	store, closeStore, err := connect(ctx, cfg)
	if err != nil {
		ln.Close()
		return err
	}
	defer closeStore()
	if *withSeed {
		if err := loadSeed(ctx, cfg, store); err != nil {
			ln.Close()
			return err
		}
	}
	checker, err := evidence.NewChecker(evidence.Config{ArchiveDir: cfg.EvidenceArchive, Allow: allow,
		Contact: cfg.Contact, Version: version, Log: slog.Default()})
	if err != nil {
		ln.Close()
		return err
	}
	defer checker.Close()
	opt.Evidence = checker
	store.Watch(ctx, api.ProbeInterval)
	srv := api.NewServer(api.Handler(store, opt), opt.Limits)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	slog.Info("serving", "url", "http://"+ln.Addr().String()+"/", "neo4j", store.URI())
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	slog.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
