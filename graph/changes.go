package graph

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/exportwatch/exportwatch/records"
)

// The changes feed. Every transaction that creates, updates, merges or
// retracts a claim, an entity, a document or a suggestion appends one
// :ChangeSet node listing what it changed, in the same transaction, so a
// change set exists exactly when its changes were committed. Sets are
// numbered by a counter (:ChangeCounter) that each writer increments as
// its last statement: the counter's write lock is then held until the
// commit, so sets commit in the order of their numbers and a reader that
// has seen number n never later finds a set below n appear. One node per
// transaction, not per change, keeps a load's cost small.

// What changed, and how.
const (
	ChangeClaim      = "claim"
	ChangeEntity     = "entity"
	ChangeDocument   = "document"
	ChangeSuggestion = "suggestion"

	ChangeCreated   = "created"
	ChangeUpdated   = "updated"
	ChangeMerged    = "merged" // the entity was merged into another
	ChangeRetracted = "retracted"
)

// ChangeTypes are the kinds of thing the feed reports on.
var ChangeTypes = []string{ChangeClaim, ChangeEntity, ChangeDocument, ChangeSuggestion}

// Change is one change: what (Type and ID), how (Kind), when, and the
// cursor that names the feed's position just after it.
type Change struct {
	Cursor string
	At     string
	Type   string
	Kind   string
	ID     string
}

// changes collects what one transaction changes, for appendChanges.
type changes struct {
	types, kinds, ids []string
}

func (c *changes) add(typ, kind string, ids ...string) {
	for _, id := range ids {
		c.types = append(c.types, typ)
		c.kinds = append(c.kinds, kind)
		c.ids = append(c.ids, id)
	}
}

// appendChangeSet numbers and writes one change set. The first write to
// a graph creates the counter; its unique constraint makes two first
// writers at once find one counter. Its epoch tells a counter from the
// one an emptied graph had (Store.Version).
const appendChangeSet = `
MERGE (k:ChangeCounter {id: 'changes'})
ON CREATE SET k.last = 0, k.pruned = 0, k.epoch = randomUUID()
SET k.last = k.last + 1
CREATE (:ChangeSet {seq: k.last, at: $at, types: $types, kinds: $kinds, ids: $ids})`

// appendChanges writes what the transaction changed as its change set, as
// the transaction's last statement (see above); nothing when it changed
// nothing.
func (s *Store) appendChanges(ctx context.Context, tx neo4j.ManagedTransaction, c *changes) error {
	if len(c.ids) == 0 {
		return nil
	}
	_, err := s.run(ctx, tx, appendChangeSet, map[string]any{"at": time.Now().UTC().Format(time.RFC3339),
		"types": c.types, "kinds": c.kinds, "ids": c.ids})
	if err != nil {
		return fmt.Errorf("append the change set: %w", err)
	}
	versionMoved(tx)
	return nil
}

// claimChange is how a claim whose properties are now props changed: it
// was retracted, or updated.
func claimChange(props map[string]any) string {
	if str(props, "status") == records.StatusRetracted {
		return ChangeRetracted
	}
	return ChangeUpdated
}

// changed appends a change set of one type and kind of change.
func (s *Store) changed(ctx context.Context, tx neo4j.ManagedTransaction, typ, kind string, ids ...string) error {
	var ch changes
	ch.add(typ, kind, ids...)
	return s.appendChanges(ctx, tx, &ch)
}

// ErrCursorExpired: the changes after the cursor are no longer kept (the
// retention removed them); the client must read the graph afresh and
// follow the feed from its head.
var ErrCursorExpired = errors.New("the changes after this cursor are no longer kept")

// ErrBadCursor: the cursor was not made by this feed.
var ErrBadCursor = errors.New("not a cursor of the changes feed")

// A cursor is "N" after the whole of change set N, or "N.I" after its
// change I (from 0). "0" is the feed's start.
type cursor struct {
	seq   int64
	index int // -1: the whole set
}

func parseCursor(s string) (cursor, error) {
	if s == "" {
		return cursor{0, -1}, nil
	}
	seq, index, mid := strings.Cut(s, ".")
	n, err := strconv.ParseInt(seq, 10, 64)
	if err != nil || n < 0 {
		return cursor{}, fmt.Errorf("%w: %q", ErrBadCursor, s)
	}
	c := cursor{n, -1}
	if mid {
		if c.index, err = strconv.Atoi(index); err != nil || c.index < 0 {
			return cursor{}, fmt.Errorf("%w: %q", ErrBadCursor, s)
		}
	}
	return c, nil
}

func (c cursor) String() string {
	if c.index < 0 {
		return strconv.FormatInt(c.seq, 10)
	}
	return strconv.FormatInt(c.seq, 10) + "." + strconv.Itoa(c.index)
}

// ChangePage is a page of the feed: the changes, the cursor after the
// last one read (pass it as after to go on), whether more are known to
// follow, and the feed's head when it was read.
type ChangePage struct {
	Changes   []Change
	EndCursor string
	HasMore   bool
	Head      string
}

// maxChangeSets bounds the change sets one page reads, so a filter that
// matches little costs a bounded read; the page then ends early, with
// HasMore set.
const maxChangeSets = 500

const readChangeSets = `
MATCH (k:ChangeCounter {id: 'changes'})
CALL (k) {
  MATCH (c:ChangeSet) WHERE c.seq >= $from AND c.seq <= k.last
  WITH c ORDER BY c.seq LIMIT $sets
  RETURN collect(c {.seq, .at, .types, .kinds, .ids}) AS sets
}
RETURN k.last AS last, k.pruned AS pruned, sets`

// Changes reads up to first changes after the cursor after ("" for the
// feed's start), of the types given (all when none), oldest first.
// ErrCursorExpired when changes after the cursor were removed by the
// retention.
func (s *Store) Changes(ctx context.Context, after string, first int, types []string) (ChangePage, error) {
	from, err := parseCursor(after)
	if err != nil {
		return ChangePage{}, err
	}
	for _, t := range types {
		if !slices.Contains(ChangeTypes, t) {
			return ChangePage{}, fmt.Errorf("unknown change type %q (one of %s)", t, strings.Join(ChangeTypes, ", "))
		}
	}
	first = min(max(first, 0), MaxResults)
	start := from.seq + 1
	if from.index >= 0 {
		start = from.seq
	}
	recs, err := s.read(ctx, readChangeSets, map[string]any{"from": start, "sets": maxChangeSets})
	if err != nil {
		return ChangePage{}, fmt.Errorf("changes: %w", err)
	}
	if len(recs) == 0 { // nothing was ever written: the head is 0
		if from.seq > 0 {
			return ChangePage{}, fmt.Errorf("%w: %q is past the feed's head 0", ErrBadCursor, after)
		}
		return ChangePage{EndCursor: from.String(), Head: "0"}, nil
	}
	last, _ := recs[0].Get("last")
	pruned, _ := recs[0].Get("pruned")
	head := cursor{last.(int64), -1}
	if from.seq > head.seq {
		return ChangePage{}, fmt.Errorf("%w: %q is past the feed's head %s", ErrBadCursor, after, head)
	}
	if p := pruned.(int64); from.seq < p || from.seq == p && from.index >= 0 {
		return ChangePage{}, fmt.Errorf("%w: %s (changes up to %d were removed)", ErrCursorExpired, from, p)
	}
	raw, _ := recs[0].Get("sets")
	sets := raw.([]any)
	page := ChangePage{EndCursor: from.String(), Head: head.String()}
	pos := from
	for _, x := range sets {
		set := x.(map[string]any)
		seq := set["seq"].(int64)
		at, _ := set["at"].(string)
		ts, ks, ids := strs(set, "types"), strs(set, "kinds"), strs(set, "ids")
		i := 0
		if seq == from.seq {
			i = from.index + 1
		}
		for ; i < len(ids); i++ {
			if len(page.Changes) == first {
				page.EndCursor, page.HasMore = pos.String(), true
				return page, nil
			}
			pos = cursor{seq, i}
			if i == len(ids)-1 {
				pos = cursor{seq, -1}
			}
			if len(types) == 0 || slices.Contains(types, ts[i]) {
				page.Changes = append(page.Changes, Change{Cursor: pos.String(), At: at, Type: ts[i], Kind: ks[i], ID: ids[i]})
			}
		}
		pos = cursor{seq, -1}
	}
	page.EndCursor = pos.String()
	page.HasMore = pos.seq < head.seq
	return page, nil
}

// PruneChanges removes the change sets written before the cutoff, a
// batch to a transaction, and records the last number removed, which
// makes older cursors expire. It returns how many sets it removed.
func (s *Store) PruneChanges(ctx context.Context, before time.Time) (int, error) {
	n, err := s.inBatches(ctx, `
MATCH (k:ChangeCounter {id: 'changes'})
MATCH (c:ChangeSet) WHERE c.at < $cutoff
WITH k, c ORDER BY c.seq LIMIT 1000
WITH k, collect(c) AS old, max(c.seq) AS through
SET k.pruned = CASE WHEN through > k.pruned THEN through ELSE k.pruned END
FOREACH (c IN old | DELETE c)
RETURN size(old) AS n`, map[string]any{"cutoff": before.UTC().Format(time.RFC3339)})
	if err != nil {
		return int(n), fmt.Errorf("prune changes: %w", err)
	}
	return int(n), nil
}
