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
	"github.com/exportwatch/exportwatch/graph"
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
	// Take the ports before starting Neo4j, so a busy port fails in a second.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (set EXPORTWATCH_ADDR or --addr)", *addr, err)
	}
	defer ln.Close() // when serving never starts; Shutdown closes it otherwise
	var metricsLn net.Listener
	if cfg.MetricsAddr != "" {
		if metricsLn, err = net.Listen("tcp", cfg.MetricsAddr); err != nil {
			return fmt.Errorf("listen on %s for /metrics: %w (set EXPORTWATCH_METRICS_ADDR)", cfg.MetricsAddr, err)
		}
		defer metricsLn.Close()
	}
	store, closeStore, err := connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeStore()
	if *withSeed {
		if err := loadSeed(ctx, cfg, store); err != nil {
			return err
		}
	}
	checker, err := evidence.NewChecker(evidence.Config{ArchiveDir: cfg.EvidenceArchive, Allow: allow,
		Contact: cfg.Contact, Version: version, Log: slog.Default()})
	if err != nil {
		return err
	}
	defer checker.Close()
	opt.Evidence = checker
	store.Watch(ctx, api.ProbeInterval)
	go pruneChanges(ctx, store, cfg.ChangesRetention, time.Hour)
	slog.Info("serving", "url", "http://"+ln.Addr().String()+"/", "neo4j", store.URI())
	return serve(ctx, api.NewHandlers(store, opt), opt.Limits, ln, metricsLn)
}

// serve serves h.API on ln and, when metricsLn is not nil, h.Metrics on it
// (opt.SeparateMetrics has then taken /metrics off h.API), each with every
// timeout set, until ctx ends or either fails; then it shuts both down.
func serve(ctx context.Context, h api.Handlers, limits api.Limits, ln, metricsLn net.Listener) error {
	servers := []*http.Server{api.NewServer(h.API, limits)}
	listeners := []net.Listener{ln}
	if metricsLn != nil {
		servers = append(servers, api.NewServer(h.Metrics, limits))
		listeners = append(listeners, metricsLn)
		slog.Info("serving /metrics", "url", "http://"+metricsLn.Addr().String()+"/metrics")
	}
	errc := make(chan error, len(servers))
	for i, srv := range servers {
		go func() {
			if err := srv.Serve(listeners[i]); !errors.Is(err, http.ErrServerClosed) {
				errc <- fmt.Errorf("serve on %s: %w", listeners[i].Addr(), err)
			}
		}()
	}
	var failed error
	select {
	case failed = <-errc:
	case <-ctx.Done():
	}
	slog.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	errs := []error{failed}
	for _, srv := range servers {
		if err := srv.Shutdown(sctx); err != nil {
			errs = append(errs, fmt.Errorf("shutdown: %w", err))
		}
	}
	return errors.Join(errs...)
}

// pruneChanges removes, at start and then every interval until ctx ends,
// the changes older than the retention (none when it is 0). A failure is
// logged and tried again at the next interval: the feed only grows
// meanwhile.
func pruneChanges(ctx context.Context, store *graph.Store, retention, every time.Duration) {
	if retention <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := store.PruneChanges(ctx, time.Now().Add(-retention))
		switch {
		case err != nil && ctx.Err() == nil:
			slog.Warn("pruning the changes feed failed; trying again later", "err", err)
		case n > 0:
			slog.Info("pruned the changes feed", "change sets", n, "older than", retention)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
