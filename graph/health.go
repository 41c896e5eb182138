package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// health is a circuit breaker for a server. While Neo4j does not answer,
// every statement would wait out the driver's retries (seconds each) only
// to fail; a server instead wants to answer "unavailable" at once and to
// serve again as soon as Neo4j is back. Watch probes Neo4j on a schedule
// and keeps health current; statements consult it. A store nobody
// watches (a command-line load) is always taken to be up.
type health struct {
	mu sync.Mutex
	// gone is cancelled when Neo4j stops answering, which ends the
	// statements running then; it is replaced by a fresh one when Neo4j
	// answers again.
	gone   context.Context
	cancel context.CancelCauseFunc
	down   bool
	since  time.Time // when Neo4j last stopped answering
	err    error     // the probe's failure
	// slowSince is when probes began to time out, zero while they answer;
	// hangAfter is how long they may before Neo4j counts as down.
	slowSince time.Time
	hangAfter time.Duration
}

// hangAfter is how long probes may time out before a server takes Neo4j
// for down. A probe that times out says Neo4j is slow, not gone: on two
// cores under 200 clients, RETURN 1 took up to 2.6 s while every query was
// still answered, and a breaker that opened on one late probe turned a busy
// database into 503s for everyone (3,039 of 3,409 requests in `make load`).
// A probe refused or cut off (the process is gone) opens it at once.
const hangAfter = 10 * time.Second

// errWentDown ends statements that were running when Neo4j stopped
// answering.
var errWentDown = errors.New("neo4j stopped answering")

func (h *health) init() {
	h.gone, h.cancel = context.WithCancelCause(context.Background())
	if h.hangAfter == 0 {
		h.hangAfter = hangAfter
	}
}

// Watch probes Neo4j every interval, each probe allowed the interval to
// answer, until ctx ends. From a probe that fails (or from probes that
// have timed out for hangAfter) to the next good one, statements fail at
// once with ErrUnavailable and those running are ended. The probes have a
// connection of their own, so they never queue behind the queries for
// one of the pool's.
func (s *Store) Watch(ctx context.Context, every time.Duration) {
	prober, err := s.newDriver(1)
	if err != nil {
		// The URI was good enough for Open; probe through the pool.
		prober = s.driver
	}
	go func() {
		if prober != s.driver {
			defer prober.Close(context.Background())
		}
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			pctx, cancel := context.WithTimeout(ctx, every)
			err := s.probeWith(pctx, prober)
			timedOut := pctx.Err() != nil
			cancel()
			if ctx.Err() != nil {
				return
			}
			s.health.set(err, timedOut)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

// set records a probe's outcome; timedOut says it failed by running out of
// time.
func (h *health) set(err error, timedOut bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case err == nil:
		h.slowSince = time.Time{}
	case timedOut && h.slowSince.IsZero():
		h.slowSince = time.Now()
	}
	if err != nil && timedOut && time.Since(h.slowSince) < h.hangAfter {
		return // slow, not gone
	}
	switch {
	case err != nil && !h.down:
		h.down, h.since, h.err = true, time.Now(), err
		h.cancel(errWentDown)
		slog.Warn("neo4j stopped answering; requests fail at once until it is back", "err", err)
	case err == nil && h.down:
		h.down, h.err = false, nil
		h.init()
		slog.Info("neo4j answers again", "down for", time.Since(h.since).Round(time.Second))
	}
}

// Down reports whether the last probe failed, and since when Neo4j has not
// answered.
func (s *Store) Down() (since time.Time, down bool) {
	s.health.mu.Lock()
	defer s.health.mu.Unlock()
	return s.health.since, s.health.down
}

// guard returns a context for one statement that ends when Neo4j is found
// down, or ErrUnavailable at once when it is down already; release frees
// the context.
func (s *Store) guard(ctx context.Context) (_ context.Context, release func(), _ error) {
	s.health.mu.Lock()
	down, since, cause, gone := s.health.down, s.health.since, s.health.err, s.health.gone
	s.health.mu.Unlock()
	if down {
		return nil, nil, fmt.Errorf("%w at %s: not answering since %s (%v)", ErrUnavailable, s.uri, since.UTC().Format(time.TimeOnly), cause)
	}
	gctx, cancel := context.WithCancelCause(ctx)
	stop := context.AfterFunc(gone, func() { cancel(errWentDown) })
	return gctx, func() { stop(); cancel(nil) }, nil
}

// guarded runs fn with a guarded context and marks a statement ended by an
// outage as ErrUnavailable.
func guarded[T any](s *Store, ctx context.Context, fn func(ctx context.Context) (T, error)) (T, error) {
	gctx, release, err := s.guard(ctx)
	if err != nil {
		var zero T
		return zero, err
	}
	defer release()
	out, err := fn(gctx)
	if err != nil && errors.Is(context.Cause(gctx), errWentDown) {
		return out, fmt.Errorf("%w at %s: %v", ErrUnavailable, s.uri, errWentDown)
	}
	return out, s.wrap(err)
}
