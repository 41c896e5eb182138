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
}

// errWentDown ends statements that were running when Neo4j stopped
// answering.
var errWentDown = errors.New("neo4j stopped answering")

func (h *health) init() {
	h.gone, h.cancel = context.WithCancelCause(context.Background())
}

// Watch probes Neo4j every interval, each probe allowed the interval to
// answer, until ctx ends. Between a failed probe and the next good one,
// statements fail at once with ErrUnavailable and those running are ended.
func (s *Store) Watch(ctx context.Context, every time.Duration) {
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			pctx, cancel := context.WithTimeout(ctx, every)
			err := s.probe(pctx)
			cancel()
			if ctx.Err() != nil {
				return
			}
			s.health.set(err)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

func (h *health) set(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
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
