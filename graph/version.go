package graph

import (
	"context"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// The graph's version. Every write that changes what the graph's reads
// return either appends a change set (the changes feed's counter grows)
// or, for upkeep that the feed does not report (Repair's rebuilt edges),
// increments a counter of its own. Both live on the feed's counter label,
// which the canonical hash leaves out, so a version that moves never
// makes two equal graphs differ. A counter made afresh, after the graph
// was emptied, starts again from 1 but with a new epoch, so the numbers
// of an earlier graph never name a state of this one.
const readVersion = `
OPTIONAL MATCH (c:ChangeCounter {id: 'changes'})
OPTIONAL MATCH (u:ChangeCounter {id: 'upkeep'})
RETURN coalesce(c.epoch, '') + ':' + toString(coalesce(c.last, 0)) + '/' +
       coalesce(u.epoch, '') + ':' + toString(coalesce(u.last, 0)) AS version`

const bumpUpkeep = `
MERGE (u:ChangeCounter {id: 'upkeep'})
ON CREATE SET u.last = 0, u.epoch = randomUUID()
SET u.last = u.last + 1`

// Version names the state of the graph: two reads that find the same
// version find the same answers. It grows with every committed write of
// exportwatch (loads, editors' changes, merges, suggestions, repairs),
// from any process. Writes made around exportwatch (cypher-shell) are not
// counted.
func (s *Store) Version(ctx context.Context) (string, error) {
	// One statement outside a transaction, the driver's shortest path: it
	// still costs a round trip, about a millisecond here (a bare RETURN
	// costs as much), which is why the API's cache trusts a version it
	// read for a while.
	recs, err := guarded(s, ctx, func(ctx context.Context) ([]*neo4j.Record, error) {
		sess := s.session(ctx, neo4j.AccessModeRead)
		defer sess.Close(context.Background())
		start := time.Now()
		res, err := sess.Run(ctx, readVersion, nil)
		var recs []*neo4j.Record
		if err == nil {
			recs, err = res.Collect(ctx)
		}
		s.counted(start, err)
		return recs, err
	})
	if err != nil {
		return "", fmt.Errorf("read the graph's version: %w", err)
	}
	if len(recs) != 1 {
		return "", fmt.Errorf("read the graph's version: %d rows", len(recs))
	}
	v, _ := recs[0].Get("version")
	version, _ := v.(string)
	return version, nil
}

// Writes counts the write transactions this store has committed that
// moved the graph's version. It moves with every such write of this
// process at no cost, where Version needs a statement and sees every
// process's.
func (s *Store) Writes() int64 { return s.writes.Load() }

// upkept counts a write of upkeep in the graph's version, in the write's
// own transaction.
func (s *Store) upkept(ctx context.Context, tx neo4j.ManagedTransaction) error {
	if _, err := s.run(ctx, tx, bumpUpkeep, nil); err != nil {
		return fmt.Errorf("count the upkeep in the graph's version: %w", err)
	}
	versionMoved(tx)
	return nil
}
