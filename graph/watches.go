package graph

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
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
	// Webhook, when set, is the URL each entry is posted to, signed with
	// Secret (made when the watch is).
	Webhook string
	Secret  string
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
	if w.Webhook != "" {
		if u, err := url.Parse(w.Webhook); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return Watch{}, fmt.Errorf("%w: webhook %q is not an http or https address", ErrWatchInvalid, w.Webhook)
		}
		if w.Secret, err = randomHex(32); err != nil {
			return Watch{}, err
		}
	}
	if w.ID, err = randomHex(16); err != nil {
		return Watch{}, err
	}
	w.Created = time.Now().UTC().Format(time.RFC3339)
	_, err = s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		return s.run(ctx, tx, `
OPTIONAL MATCH (k:ChangeCounter {id: 'changes'})
CREATE (:Watch {id: $id, name: $name, owner: $owner, entities: $entities, countries: $countries, relations: $relations,
                min_status: $min, created: $created, from_seq: coalesce(k.last, 0), webhook: $webhook, secret: $secret})`,
			map[string]any{"id": w.ID, "name": w.Name, "owner": w.Owner, "entities": orEmpty(w.Entities), "countries": orEmpty(w.Countries),
				"relations": orEmpty(w.Relations), "min": w.MinStatus, "created": w.Created, "webhook": nullable(w.Webhook), "secret": nullable(w.Secret)})
	})
	if err != nil {
		return Watch{}, fmt.Errorf("create watch: %w", err)
	}
	return w, nil
}

// randomHex is n random bytes in hex: ids and secrets nobody can guess.
func randomHex(n int) (string, error) {
	raw := make([]byte, n)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("random bytes: %w", err)
	}
	return hex.EncodeToString(raw), nil
}

// watchFrom reads a watch's node; its webhook's secret stays in the store.
func watchFrom(p map[string]any) Watch {
	return Watch{ID: str(p, "id"), Name: str(p, "name"), Owner: str(p, "owner"), Entities: strs(p, "entities"), Countries: strs(p, "countries"),
		Relations: strs(p, "relations"), MinStatus: str(p, "min_status"), Created: str(p, "created"), Webhook: str(p, "webhook")}
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
ON CREATE SET e.watch = w.id, e.seq = cs.seq, e.index = i, e.at = cs.at, e.kind = cs.kinds[i], e.claim = c.id,
              e.delivery = CASE WHEN w.webhook IS NULL THEN null ELSE 'pending' END,
              e.next_try = CASE WHEN w.webhook IS NULL THEN null ELSE 0 END, e.attempts = 0
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
	// One batch's outcome: the entries it wrote, and whether it read any
	// change set (when not, the notifier has caught up).
	type batch struct {
		entries int64
		read    bool
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
				return batch{}, nil
			}
			if !watched.(bool) {
				// Nobody watches: a load's changes need no reading.
				_, err := s.run(ctx, tx, `MERGE (n:WatchCursor {id: 'watches'}) SET n.seq = $last`, map[string]any{"last": last})
				return batch{}, err
			}
			recs, err := s.run(ctx, tx, notifyWatches, map[string]any{"batch": notifyBatch, "statuses": statuses})
			if err != nil {
				return nil, err
			}
			b := batch{read: true}
			if len(recs) > 0 {
				v, _ := recs[0].Get("entries")
				b.entries = v.(int64)
			}
			return b, nil
		})
		if err != nil {
			return total, fmt.Errorf("notify watches: %w", err)
		}
		b := out.(batch)
		total += int(b.entries)
		if !b.read {
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
RETURN e.watch AS watch, `+entryFields+`, `+claimProjection+` AS claim`,
		map[string]any{"id": id, "limit": resultLimit(limit)})
	if err != nil {
		return nil, fmt.Errorf("entries of watch %s: %w", id, err)
	}
	out := make([]WatchEntry, 0, len(recs))
	for _, r := range recs {
		out = append(out, entryFrom(r.AsMap()))
	}
	return out, nil
}

// entryFields are what entryFrom reads of the entry e, beside its watch
// and its claim's projection.
const entryFields = "e.seq AS seq, e.index AS i, e.at AS at, e.kind AS kind"

// entryFrom reads a watch entry from a record with watch, entryFields and
// claim.
func entryFrom(m map[string]any) WatchEntry {
	return WatchEntry{Watch: str(m, "watch"), Cursor: cursor{m["seq"].(int64), int(m["i"].(int64))}.String(), At: str(m, "at"), Kind: str(m, "kind"),
		Claim: claimsFromList([]any{m["claim"]})[0]}
}

// The states of an entry's webhook delivery.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// Delivery is an entry due to be posted to its watch's webhook.
type Delivery struct {
	Entry    WatchEntry
	ID       string // the entry's id: receivers de-duplicate by it
	Name     string // the watch's
	Webhook  string
	Secret   string
	Attempts int
	// FirstTry is when the first attempt was made (Unix milliseconds), 0
	// before it.
	FirstTry int64
}

// TakeDeliveries takes up to limit pending entries whose next attempt is
// due at now (Unix milliseconds), oldest first, and leases each until
// lease: another deliverer (a second server) does not take them before,
// and a deliverer that dies while posting leaves them to be taken again
// then. A receiver may so get an entry twice, never none.
func (s *Store) TakeDeliveries(ctx context.Context, now, lease int64, limit int) ([]Delivery, error) {
	out, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		return s.run(ctx, tx, `
MATCH (e:WatchEntry {delivery: 'pending'}) WHERE e.next_try <= $now
WITH e ORDER BY e.next_try, e.seq, e.index LIMIT $limit
MATCH (w:Watch {id: e.watch})
MATCH (c:Claim {id: e.claim})
SET e.next_try = $lease
RETURN e.id AS id, `+entryFields+`, e.attempts AS attempts, coalesce(e.first_try, 0) AS first,
       w.id AS watch, w.name AS name, w.webhook AS webhook, w.secret AS secret, `+claimProjection+` AS claim`,
			map[string]any{"now": now, "lease": lease, "limit": limit})
	})
	if err != nil {
		return nil, fmt.Errorf("take deliveries: %w", err)
	}
	recs := out.([]*neo4j.Record)
	ds := make([]Delivery, 0, len(recs))
	for _, r := range recs {
		m := r.AsMap()
		ds = append(ds, Delivery{ID: str(m, "id"), Name: str(m, "name"), Webhook: str(m, "webhook"), Secret: str(m, "secret"),
			Attempts: int(m["attempts"].(int64)), FirstTry: m["first"].(int64), Entry: entryFrom(m)})
	}
	return ds, nil
}

// DeliveryOutcome is what one attempt came to: delivered, or the error
// and when to try next (At, Unix milliseconds), or given up (State
// failed, with the last error).
type DeliveryOutcome struct {
	State string
	Error string
	At    int64 // when the attempt was made
	Next  int64 // the next attempt, while pending
}

// RecordDelivery records an attempt to post entry id.
func (s *Store) RecordDelivery(ctx context.Context, id string, o DeliveryOutcome) error {
	_, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		return s.run(ctx, tx, `
MATCH (e:WatchEntry {id: $id})
SET e.delivery = $state, e.attempts = e.attempts + 1, e.first_try = coalesce(e.first_try, $at), e.last_try = $at,
    e.last_error = $error, e.next_try = CASE WHEN $state = 'pending' THEN $next END`,
			map[string]any{"id": id, "state": o.State, "error": nullable(o.Error), "at": o.At, "next": o.Next})
	})
	if err != nil {
		return fmt.Errorf("record the delivery of %s: %w", id, err)
	}
	return nil
}

// DeliveryState is an entry's delivery as the store has it.
type DeliveryState struct {
	State, LastError string
	Attempts         int
}

// DeliveryStates reads the delivery of each entry of a watch, by entry
// id.
func (s *Store) DeliveryStates(ctx context.Context, watch string) (map[string]DeliveryState, error) {
	recs, err := s.read(ctx, `MATCH (e:WatchEntry {watch: $id}) RETURN e.id AS id, e.delivery AS state, e.last_error AS err, e.attempts AS n`,
		map[string]any{"id": watch})
	if err != nil {
		return nil, fmt.Errorf("deliveries of watch %s: %w", watch, err)
	}
	out := map[string]DeliveryState{}
	for _, r := range recs {
		m := r.AsMap()
		out[str(m, "id")] = DeliveryState{State: str(m, "state"), LastError: str(m, "err"), Attempts: int(m["n"].(int64))}
	}
	return out, nil
}

// RetryDeliveries puts a watch's failed deliveries back in the queue,
// as new (their attempts and first try forgotten), and returns how many;
// ErrNotFound when there is no such watch.
func (s *Store) RetryDeliveries(ctx context.Context, watch string) (int, error) {
	out, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		recs, err := s.run(ctx, tx, `
MATCH (w:Watch {id: $id})
OPTIONAL MATCH (e:WatchEntry {watch: $id, delivery: 'failed'})
SET e.delivery = 'pending', e.attempts = 0, e.first_try = null, e.next_try = 0
RETURN count(DISTINCT w) AS watches, count(e) AS n`, map[string]any{"id": watch})
		if err != nil {
			return int64(-1), err
		}
		if w, _ := recs[0].Get("watches"); w.(int64) == 0 {
			return int64(-1), nil
		}
		n, _ := recs[0].Get("n")
		return n, nil
	})
	if err != nil {
		return 0, fmt.Errorf("retry the deliveries of watch %s: %w", watch, err)
	}
	if out.(int64) < 0 {
		return 0, fmt.Errorf("watch %s: %w", watch, ErrNotFound)
	}
	return int(out.(int64)), nil
}

// FeedStatus is how far the changes feed and its readers are: the feed's
// head, the watches' notifier's cursor, and the webhook deliveries by
// state.
type FeedStatus struct {
	Head, Notified  int64
	Pending, Failed int64
}

// Feed reads the feed's status, for /metrics.
func (s *Store) Feed(ctx context.Context) (FeedStatus, error) {
	recs, err := s.read(ctx, `
OPTIONAL MATCH (k:ChangeCounter {id: 'changes'})
OPTIONAL MATCH (n:WatchCursor {id: 'watches'})
CALL () { MATCH (e:WatchEntry {delivery: 'pending'}) RETURN count(e) AS pending }
CALL () { MATCH (e:WatchEntry {delivery: 'failed'}) RETURN count(e) AS failed }
RETURN coalesce(k.last, 0) AS head, coalesce(n.seq, 0) AS notified, pending, failed`, nil)
	if err != nil {
		return FeedStatus{}, fmt.Errorf("the feed's status: %w", err)
	}
	m := recs[0].AsMap()
	return FeedStatus{Head: m["head"].(int64), Notified: m["notified"].(int64), Pending: m["pending"].(int64), Failed: m["failed"].(int64)}, nil
}
