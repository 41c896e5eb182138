package graph

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/exportwatch/exportwatch/records"
)

// Watches. A watch is what someone follows: claims naming one of its
// entities, or a party in (or the state of) one of its countries, of one
// of its relations (any, when it names none), at its minimum status or
// stronger. Its entries are the claim changes of the changes feed that
// match it, each kept once (:WatchEntry, by watch and feed position),
// written by NotifyWatches, which reads the feed after its own cursor
// and moves the cursor in the transaction that writes the entries: a
// crash between a write and its entry loses nothing and repeats nothing.
// A change is matched against its claim as the notifier finds it (which
// is at once while the server runs it every few seconds), and a
// retraction of a claim the watch follows is always an entry, whatever
// the watch's minimum status, so that its readers learn of it.

// Watch is one watch and who owns it (an API key's name).
type Watch struct {
	ID        string
	Name      string
	Owner     string
	Entities  []string
	Countries []string
	Relations []string
	MinStatus string
	Created   string
}

// WatchEntry is a claim change that matched a watch, with what a reader
// of the watch's feed needs of the claim.
type WatchEntry struct {
	Watch  string
	Cursor string // the change's place in the feed
	At     string
	Kind   string
	Claim  Claim
}

// ErrWatchInvalid: a watch that would follow nothing, names what the
// graph does not know, or one more than its owner may keep.
var ErrWatchInvalid = errors.New("invalid watch")

// MaxWatches is how many watches one owner keeps at most.
const MaxWatches = 100

// CreateWatch stores a new watch, owned by owner, that follows the
// changes after the feed's head now. Entities must be in the graph (a
// merged id is taken as its survivor); countries are ISO codes.
func (s *Store) CreateWatch(ctx context.Context, w Watch) (Watch, error) {
	if strings.TrimSpace(w.Name) == "" {
		return Watch{}, fmt.Errorf("%w: it needs a name", ErrWatchInvalid)
	}
	if len(w.Entities) == 0 && len(w.Countries) == 0 {
		return Watch{}, fmt.Errorf("%w: name at least one entity or country to follow", ErrWatchInvalid)
	}
	if _, err := relTypes(w.Relations); err != nil {
		return Watch{}, fmt.Errorf("%w: %v", ErrWatchInvalid, err)
	}
	if w.MinStatus == "" {
		w.MinStatus = records.StatusReported
	}
	if !slices.Contains(records.Statuses, w.MinStatus) || w.MinStatus == records.StatusRetracted {
		return Watch{}, fmt.Errorf("%w: minimum status %q (one of reported, documented, confirmed, disputed)", ErrWatchInvalid, w.MinStatus)
	}
	for i, c := range w.Countries {
		w.Countries[i] = strings.ToUpper(strings.TrimSpace(c))
	}
	to, err := s.Redirects(ctx, w.Entities)
	if err != nil {
		return Watch{}, err
	}
	for i, id := range w.Entities {
		if t := to[id]; t != "" {
			w.Entities[i] = t
		}
	}
	found, err := s.ExistingIDs(ctx, "Entity", w.Entities)
	if err != nil {
		return Watch{}, err
	}
	for _, id := range w.Entities {
		if !found[id] {
			return Watch{}, fmt.Errorf("%w: no entity %q", ErrWatchInvalid, id)
		}
	}
	if ws, err := s.Watches(ctx, w.Owner); err != nil {
		return Watch{}, err
	} else if len(ws) >= MaxWatches {
		return Watch{}, fmt.Errorf("%w: %s keeps %d watches already, the most one key may; delete one first", ErrWatchInvalid, w.Owner, len(ws))
	}
	raw := make([]byte, 16)
	if _, err := rand.Read(raw); err != nil {
		return Watch{}, err
	}
	w.ID = hex.EncodeToString(raw)
	w.Created = time.Now().UTC().Format(time.RFC3339)
	_, err = s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		return s.run(ctx, tx, `
OPTIONAL MATCH (k:ChangeCounter {id: 'changes'})
CREATE (:Watch {id: $id, name: $name, owner: $owner, entities: $entities, countries: $countries, relations: $relations,
                min_status: $min, created: $created, from_seq: coalesce(k.last, 0)})`,
			map[string]any{"id": w.ID, "name": w.Name, "owner": w.Owner, "entities": orEmpty(w.Entities), "countries": orEmpty(w.Countries),
				"relations": orEmpty(w.Relations), "min": w.MinStatus, "created": w.Created})
	})
	if err != nil {
		return Watch{}, fmt.Errorf("create watch: %w", err)
	}
	return w, nil
}

func watchFrom(p map[string]any) Watch {
	return Watch{ID: str(p, "id"), Name: str(p, "name"), Owner: str(p, "owner"), Entities: strs(p, "entities"), Countries: strs(p, "countries"),
		Relations: strs(p, "relations"), MinStatus: str(p, "min_status"), Created: str(p, "created")}
}

// Watches lists the watches of owner, oldest first.
func (s *Store) Watches(ctx context.Context, owner string) ([]Watch, error) {
	recs, err := s.read(ctx, `MATCH (w:Watch {owner: $owner}) RETURN properties(w) AS w ORDER BY w.created, w.id`, map[string]any{"owner": owner})
	if err != nil {
		return nil, fmt.Errorf("watches of %s: %w", owner, err)
	}
	out := make([]Watch, len(recs))
	for i, r := range recs {
		p, _ := r.Get("w")
		out[i] = watchFrom(p.(map[string]any))
	}
	return out, nil
}

// WatchByID reads one watch; ErrNotFound when there is none.
func (s *Store) WatchByID(ctx context.Context, id string) (Watch, error) {
	recs, err := s.read(ctx, `MATCH (w:Watch {id: $id}) RETURN properties(w) AS w`, map[string]any{"id": id})
	if err != nil {
		return Watch{}, fmt.Errorf("watch %s: %w", id, err)
	}
	if len(recs) == 0 {
		return Watch{}, fmt.Errorf("watch %s: %w", id, ErrNotFound)
	}
	p, _ := recs[0].Get("w")
	return watchFrom(p.(map[string]any)), nil
}

// DeleteWatch removes a watch of owner's and its entries; ErrNotFound
// when owner has no such watch.
func (s *Store) DeleteWatch(ctx context.Context, id, owner string) error {
	out, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		recs, err := s.run(ctx, tx, `
MATCH (w:Watch {id: $id, owner: $owner})
OPTIONAL MATCH (e:WatchEntry {watch: $id})
DETACH DELETE e
WITH DISTINCT w
DELETE w
RETURN count(*) AS n`, map[string]any{"id": id, "owner": owner})
		if err != nil || len(recs) == 0 {
			return int64(0), err
		}
		n, _ := recs[0].Get("n")
		return n, nil
	})
	if err != nil {
		return fmt.Errorf("delete watch %s: %w", id, err)
	}
	if out.(int64) == 0 {
		return fmt.Errorf("watch %s of %s: %w", id, owner, ErrNotFound)
	}
	return nil
}

// notifyBatch bounds the change sets one NotifyWatches transaction reads.
const notifyBatch = 200

// notifyWatches matches the claim changes of the change sets after the
// notifier's cursor against every watch, writes an entry for each match
// (MERGE: a position and a watch make one entry), and moves the cursor
// past the sets read, in one statement.
const notifyWatches = `
MERGE (n:WatchCursor {id: 'watches'}) ON CREATE SET n.seq = 0
WITH n
CALL (n) {
  MATCH (cs:ChangeSet) WHERE cs.seq > n.seq
  WITH cs ORDER BY cs.seq LIMIT $batch
  RETURN collect(cs) AS sets, max(cs.seq) AS through
}
SET n.seq = coalesce(through, n.seq)
WITH sets
UNWIND sets AS cs
UNWIND range(0, size(cs.ids) - 1) AS i
WITH cs, i WHERE cs.types[i] = 'claim'
MATCH (c:Claim {id: cs.ids[i]})-[:SUBJECT]->(s:Entity)
MATCH (c)-[:OBJECT]->(o:Entity)
MATCH (w:Watch) WHERE cs.seq > w.from_seq
  AND (size(w.relations) = 0 OR c.relation IN w.relations)
  AND (c.status IN $statuses[w.min_status] OR cs.kinds[i] = 'retracted')
  AND (s.id IN w.entities OR o.id IN w.entities
       OR s.country IN w.countries OR o.country IN w.countries
       OR any(cc IN w.countries WHERE s.id = 'country:' + cc OR o.id = 'country:' + cc))
MERGE (e:WatchEntry {id: w.id + '|' + toString(cs.seq) + '.' + toString(i)})
ON CREATE SET e.watch = w.id, e.seq = cs.seq, e.index = i, e.at = cs.at, e.kind = cs.kinds[i], e.claim = c.id
RETURN count(e) AS entries`

// NotifyWatches writes the entries of every watch for the changes the
// notifier has not read yet, a batch of change sets to a transaction, and
// returns how many entries it wrote. Run again, it goes on where it
// stopped.
func (s *Store) NotifyWatches(ctx context.Context) (int, error) {
	statuses := map[string]any{}
	for _, st := range records.Statuses {
		statuses[st] = statusesFrom(st)
	}
	total := 0
	for {
		out, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			before, err := s.run(ctx, tx, `OPTIONAL MATCH (n:WatchCursor {id: 'watches'}) OPTIONAL MATCH (k:ChangeCounter {id: 'changes'})
RETURN coalesce(n.seq, 0) AS at, coalesce(k.last, 0) AS last, EXISTS { (:Watch) } AS watched`, nil)
			if err != nil {
				return nil, err
			}
			at, _ := before[0].Get("at")
			last, _ := before[0].Get("last")
			watched, _ := before[0].Get("watched")
			if at.(int64) >= last.(int64) {
				return []int64{0, 0}, nil
			}
			if !watched.(bool) {
				// Nobody watches: a load's changes need no reading.
				_, err := s.run(ctx, tx, `MERGE (n:WatchCursor {id: 'watches'}) SET n.seq = $last`, map[string]any{"last": last})
				return []int64{0, 0}, err
			}
			recs, err := s.run(ctx, tx, notifyWatches, map[string]any{"batch": notifyBatch, "statuses": statuses})
			if err != nil {
				return nil, err
			}
			n := int64(0)
			if len(recs) > 0 {
				v, _ := recs[0].Get("entries")
				n = v.(int64)
			}
			return []int64{n, 1}, nil
		})
		if err != nil {
			return total, fmt.Errorf("notify watches: %w", err)
		}
		r := out.([]int64)
		total += int(r[0])
		if r[1] == 0 {
			return total, nil
		}
	}
}

// WatchEntries reads a watch's newest entries (at most limit), newest
// first, each with its claim as it is now.
func (s *Store) WatchEntries(ctx context.Context, id string, limit int) ([]WatchEntry, error) {
	recs, err := s.read(ctx, `
MATCH (e:WatchEntry {watch: $id})
WITH e ORDER BY e.seq DESC, e.index DESC LIMIT $limit
MATCH (c:Claim {id: e.claim})
RETURN e.seq AS seq, e.index AS i, e.at AS at, e.kind AS kind, `+claimProjection+` AS claim`,
		map[string]any{"id": id, "limit": resultLimit(limit)})
	if err != nil {
		return nil, fmt.Errorf("entries of watch %s: %w", id, err)
	}
	out := make([]WatchEntry, 0, len(recs))
	for _, r := range recs {
		seq, _ := r.Get("seq")
		i, _ := r.Get("i")
		at, _ := r.Get("at")
		kind, _ := r.Get("kind")
		claim, _ := r.Get("claim")
		cs := claimsFromList([]any{claim})
		out = append(out, WatchEntry{Watch: id, Cursor: cursor{seq.(int64), int(i.(int64))}.String(), At: at.(string), Kind: kind.(string), Claim: cs[0]})
	}
	return out, nil
}
