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
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/schedule"
	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/watch"
)

func cmdServe(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", cfg.Addr, "listen address")
	withSeed := fs.Bool("seed", false, "load the curated seed before serving")
	scheduleFile := fs.String("schedule", "", "run the scrapes this schedule file lists, each on its interval or cron expression, and load what they write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := api.TuneGC(); err != nil {
		return err
	}
	// A schedule file with any problem stops the server before it starts:
	// nothing runs half-configured.
	var sched *schedule.File
	if *scheduleFile != "" {
		f, err := schedule.Read(*scheduleFile, sources, cfg)
		if err != nil {
			return err
		}
		sched = f
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
	if sched != nil {
		var stop func()
		if opt.Schedule, stop, err = startSchedule(ctx, cfg, store, sched); err != nil {
			return err
		}
		defer stop()
	}
	store.Watch(ctx, api.ProbeInterval)
	if cfg.ChangesRetention > 0 {
		go periodically(ctx, time.Hour, "prune the changes feed", func(ctx context.Context) (int, error) {
			return store.PruneChanges(ctx, time.Now().Add(-cfg.ChangesRetention))
		})
	}
	// A watch's entries follow the feed within seconds, and go out to
	// their webhooks (never to inside addresses the allow list lacks).
	go periodically(ctx, 5*time.Second, "write the watches' entries", store.NotifyWatches)
	hooks := &watch.Deliverer{Store: store, Client: watch.NewClient(allow)}
	go periodically(ctx, 2*time.Second, "post the watches' webhooks", hooks.Deliver)
	slog.Info("serving", "url", "http://"+ln.Addr().String()+"/", "neo4j", store.URI())
	return serve(ctx, api.NewHandlers(store, opt), opt.Limits, ln, metricsLn)
}

// startSchedule takes the schedule's jobs (refusing jobs another process
// runs) and runs them until stop, which waits for a run under way to stop
// before it lets go of the jobs; each run's records are loaded as
// `exportwatch load --skip-invalid` loads a file.
func startSchedule(ctx context.Context, cfg config.Config, store *graph.Store, f *schedule.File) (s *schedule.Scheduler, stop func(), err error) {
	s, err = schedule.New(f, schedule.Options{Config: cfg, Version: version, Log: slog.Default(),
		Load: func(ctx context.Context, path string) (schedule.LoadResult, error) {
			sum, err := load.File(ctx, store, path, load.Options{SkipInvalid: true, BatchSize: cfg.BatchSize})
			res := schedule.LoadResult{Lines: sum.Lines - sum.Rejected}
			for _, p := range sum.Problems {
				res.Problems = append(res.Problems, p.Error())
			}
			return res, err
		}})
	if err != nil {
		return nil, nil, err
	}
	slog.Info("schedule", "file", f.Path, "jobs", len(f.Jobs), "state", f.State)
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	return s, func() { cancel(); <-done; s.Close() }, nil
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

// periodically runs job at once and then every interval until ctx ends,
// logging what it did (a count) and its failures, which it tries again at
// the next interval: the store keeps each job's place (the feed's pruned
// number, the watches' cursor), so nothing is lost meanwhile.
func periodically(ctx context.Context, every time.Duration, what string, job func(context.Context) (int, error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := job(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			slog.Warn("failed; trying again later", "job", what, "err", err)
		case n > 0:
			slog.Info("done", "job", what, "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
