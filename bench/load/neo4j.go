package main

import (
	"context"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/exportwatch/exportwatch/bench/graphbench"
)

// probeTimeout bounds one of the test's own probes of Neo4j; the server's
// probe (graph.Store.Watch) allows each a second, and takes Neo4j for
// down once probes have been late for ten seconds.
const probeTimeout = 10 * time.Second

// watchNeo4j asks Neo4j `RETURN 1`, as the server's health probe does,
// every interval over a driver of the test's own,
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
		times []time.Duration
		fails int
	)
	end := graphbench.Every(every, func() {
		pctx, cancel := context.WithTimeout(ctx, probeTimeout)
		defer cancel()
		start := time.Now()
		_, err := neo4j.ExecuteQuery(pctx, driver, "RETURN 1 AS one", nil, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithReadersRouting())
		if err != nil {
			fails++
		} else {
			times = append(times, time.Since(start))
		}
	})
	return func() ([]time.Duration, int) {
		end()
		driver.Close(context.Background())
		return times, fails
	}, nil
}
