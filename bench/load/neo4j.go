package main

import (
	"context"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// probeTimeout bounds one of the test's own probes of Neo4j; the server's
// probe (graph.Store.Watch) allows a second.
const probeTimeout = 10 * time.Second

// watchNeo4j asks Neo4j `RETURN 1` in a read transaction, as the server's
// health probe does, every interval over a driver of the test's own,
// until the returned stop is called. stop returns how long each answer
// took and how many probes failed: how quickly the database answers a
// trivial statement under the load, which is what the server's probe
// judges it by.
func watchNeo4j(ctx context.Context, uri string, every time.Duration) (stop func() (took []time.Duration, failed int), err error) {
	driver, err := neo4j.NewDriverWithContext(uri, neo4j.NoAuth())
	if err != nil {
		return nil, err
	}
	var (
		mu    sync.Mutex
		times []time.Duration
		fails int
	)
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		defer driver.Close(context.Background())
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			pctx, cancel := context.WithTimeout(ctx, probeTimeout)
			start := time.Now()
			_, err := neo4j.ExecuteQuery(pctx, driver, "RETURN 1 AS one", nil, neo4j.EagerResultTransformer,
				neo4j.ExecuteQueryWithReadersRouting())
			took := time.Since(start)
			cancel()
			mu.Lock()
			if err != nil {
				fails++
			} else {
				times = append(times, took)
			}
			mu.Unlock()
		}
	}()
	return func() ([]time.Duration, int) {
		close(done)
		<-finished
		mu.Lock()
		defer mu.Unlock()
		return times, fails
	}, nil
}
