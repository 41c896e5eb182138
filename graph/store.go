// Package graph owns Neo4j: the connection, the schema, the idempotent
// batched writer and the read queries the API and briefs build on. Cypher
// lives here and nowhere else; input reaches it only as parameters, and the
// few labels and relationship types that Cypher cannot take as parameters
// come from the allowlists in package records.
package graph

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
)

// Options say how to reach Neo4j.
type Options struct {
	URI      string
	User     string
	Password string
	Database string
	// Timeout bounds connecting and each attempt to reach the server, so a
	// Neo4j that is down fails a command in seconds, not minutes.
	Timeout time.Duration
}

// Store is a connection to one Neo4j database.
type Store struct {
	driver neo4j.DriverWithContext
	// newDriver makes another driver to the same server with a pool of
	// the given size (Watch's probes have one of their own).
	newDriver func(pool int) (neo4j.DriverWithContext, error)
	db        string
	uri       string
	queries   atomic.Int64
	writes    atomic.Int64
	observe   func(time.Duration, error)
	health    health
}

// QueryCount is how many Cypher statements this store has run; tests use
// it to show that a response costs a fixed number of round trips.
func (s *Store) QueryCount() int64 { return s.queries.Load() }

// Observe sets a function called after every statement with its duration
// and error (for metrics). Set it before the store is shared.
func (s *Store) Observe(fn func(time.Duration, error)) { s.observe = fn }

// ErrUnavailable wraps every failure to reach Neo4j, so callers can tell
// "the database is down" from "the query was wrong".
var ErrUnavailable = errors.New("neo4j unavailable")

// Open connects to Neo4j and checks that it answers.
func Open(ctx context.Context, o Options) (*Store, error) {
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Database == "" {
		o.Database = "neo4j"
	}
	auth := neo4j.NoAuth()
	if o.Password != "" {
		auth = neo4j.BasicAuth(o.User, o.Password, "")
	}
	newDriver := func(pool int) (neo4j.DriverWithContext, error) {
		return neo4j.NewDriverWithContext(o.URI, auth, func(c *config.Config) {
			c.SocketConnectTimeout = o.Timeout
			c.ConnectionAcquisitionTimeout = o.Timeout
			c.MaxTransactionRetryTime = o.Timeout
			if pool > 0 {
				c.MaxConnectionPoolSize = pool
			}
		})
	}
	driver, err := newDriver(0)
	if err != nil {
		return nil, fmt.Errorf("neo4j at %s: %w", o.URI, err)
	}
	s := &Store{driver: driver, newDriver: newDriver, db: o.Database, uri: o.URI}
	s.health.init()
	vctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	if err := waitFor(vctx, driver); err != nil {
		driver.Close(context.Background())
		var n4jErr *neo4j.Neo4jError
		if errors.As(err, &n4jErr) && strings.HasPrefix(n4jErr.Code, "Neo.ClientError.Security.") {
			return nil, fmt.Errorf("neo4j at %s refused the credentials of user %q (check NEO4J_USER and NEO4J_PASSWORD): %s", o.URI, o.User, n4jErr.Msg)
		}
		return nil, fmt.Errorf("%w: cannot reach Neo4j at %s within %s (is it running? unset NEO4J_URI to use the bundled one): %v", ErrUnavailable, o.URI, o.Timeout, err)
	}
	return s, nil
}

// waitFor asks Neo4j until it answers or ctx ends: a refused connection
// fails at once, and a Neo4j still starting (a container started beside
// the server, a store recovering after a crash) refuses for a while before
// it answers. Wrong credentials are final.
func waitFor(ctx context.Context, driver neo4j.DriverWithContext) error {
	for {
		err := driver.VerifyConnectivity(ctx)
		var n4jErr *neo4j.Neo4jError
		if err == nil || errors.As(err, &n4jErr) && strings.HasPrefix(n4jErr.Code, "Neo.ClientError.Security.") {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// URI is the server this store talks to.
func (s *Store) URI() string { return s.uri }

// Close releases the connections.
func (s *Store) Close(ctx context.Context) error { return s.driver.Close(ctx) }

// Ping checks that Neo4j answers a query, whatever Watch last found;
// /readyz uses it.
func (s *Store) Ping(ctx context.Context) error { return s.probe(ctx) }

func (s *Store) probe(ctx context.Context) error { return s.probeWith(ctx, s.driver) }

// probeWith asks Neo4j for RETURN 1 once, in an auto-commit statement: a
// managed transaction would retry a refused connection until ctx ends,
// and a probe must tell "refused" (gone) from "no answer yet" (busy).
func (s *Store) probeWith(ctx context.Context, driver neo4j.DriverWithContext) error {
	sess := driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: neo4j.AccessModeRead, DatabaseName: s.db})
	defer sess.Close(context.Background())
	res, err := sess.Run(ctx, "RETURN 1 AS one", nil)
	if err == nil {
		_, err = res.Consume(ctx)
	}
	return s.wrap(err)
}

// ServerVersion reports the Neo4j product and version, e.g. "Neo4j/5.26.30".
func (s *Store) ServerVersion(ctx context.Context) (string, error) {
	info, err := s.driver.GetServerInfo(ctx)
	if err != nil {
		return "", s.wrap(err)
	}
	return info.Agent(), nil
}

func (s *Store) session(ctx context.Context, mode neo4j.AccessMode) neo4j.SessionWithContext {
	return s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.db, AccessMode: mode})
}

// read runs one query in a read transaction (retried by the driver) and
// returns its records.
func (s *Store) read(ctx context.Context, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	return guarded(s, ctx, func(ctx context.Context) ([]*neo4j.Record, error) {
		sess := s.session(ctx, neo4j.AccessModeRead)
		defer sess.Close(context.Background())
		return neo4j.ExecuteRead(ctx, sess, func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
			return s.run(ctx, tx, cypher, params)
		})
	})
}

// write runs fn in one write transaction, retried by the driver on
// transient errors; fn must be safe to run again (every writer query is).
func (s *Store) write(ctx context.Context, fn func(tx neo4j.ManagedTransaction) (any, error)) (any, error) {
	var moved bool
	out, err := guarded(s, ctx, func(ctx context.Context) (any, error) {
		sess := s.session(ctx, neo4j.AccessModeWrite)
		defer sess.Close(context.Background())
		return sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			moved = false // each attempt afresh
			return fn(versionedTx{tx, &moved})
		})
	})
	if err == nil && moved {
		s.writes.Add(1)
	}
	return out, err
}

// versionedTx is a write transaction that notes whether it moved the
// graph's version (versionMoved), so Writes counts it once committed.
type versionedTx struct {
	neo4j.ManagedTransaction
	moved *bool
}

// versionMoved notes that tx moves the graph's version.
func versionMoved(tx neo4j.ManagedTransaction) {
	if v, ok := tx.(versionedTx); ok {
		*v.moved = true
	}
}

// inBatches runs a write statement that handles a batch of rows and
// returns how many as n, each time in a transaction of its own, until it
// handles none; it returns the total. A large graph is changed so without
// one huge transaction, and what a failure leaves is whole batches.
func (s *Store) inBatches(ctx context.Context, stmt string, params map[string]any) (int64, error) {
	var total int64
	for {
		out, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			recs, err := s.run(ctx, tx, stmt, params)
			if err != nil || len(recs) == 0 {
				return int64(0), err
			}
			n, _ := recs[0].Get("n")
			return n, nil
		})
		if err != nil {
			return total, err
		}
		if out.(int64) == 0 {
			return total, nil
		}
		total += out.(int64)
	}
}

// ErrStoreFailed: Neo4j could not write its store or transaction log
// (Neo.DatabaseError…) and refuses every transaction until it is
// restarted. A full disk where it keeps its data is the usual cause.
var ErrStoreFailed = errors.New("neo4j could not write its store")

// wrap marks connectivity failures with ErrUnavailable and names the server.
func (s *Store) wrap(err error) error {
	if err == nil {
		return nil
	}
	var n4jErr *neo4j.Neo4jError
	if errors.As(err, &n4jErr) && strings.HasPrefix(n4jErr.Code, "Neo.DatabaseError.") {
		return fmt.Errorf("%w at %s (%w: %s): its disk is probably full. Free space where it keeps its data, restart it, "+
			"and run the load again; what was committed is kept and counted once", ErrUnavailable, s.uri, ErrStoreFailed, n4jErr.Code)
	}
	// Retries exhausted (the driver's TransactionExecutionLimit does not
	// unwrap to its causes) or a broken connection both mean the database
	// cannot be reached now.
	var connErr *neo4j.ConnectivityError
	var limitErr *neo4j.TransactionExecutionLimit
	if errors.As(err, &connErr) || errors.As(err, &limitErr) || neo4j.IsRetryable(err) {
		return fmt.Errorf("%w at %s: %v", ErrUnavailable, s.uri, err)
	}
	return err
}

// run runs one statement in a transaction; every statement of the store
// goes through it, so QueryCount and the observer see them all.
func (s *Store) run(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	start := time.Now()
	recs, err := collect(ctx, tx, cypher, params)
	s.counted(start, err)
	return recs, err
}

// counted counts a statement begun at start, for QueryCount and the
// observer.
func (s *Store) counted(start time.Time, err error) {
	s.queries.Add(1)
	if s.observe != nil {
		s.observe(time.Since(start), err)
	}
}

func collect(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	return res.Collect(ctx)
}
