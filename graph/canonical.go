package graph

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"slices"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// GraphDigest is the canonical hash of a graph and what it counted.
type GraphDigest struct {
	// Hash is the hex SHA-256 of the canonical form (CanonicalHash).
	Hash string
	// Nodes and Relationships are totals; Counts has nodes by label and
	// relationships by type.
	Nodes, Relationships int64
	Counts               Counts
}

// canonicalVersion starts the hashed bytes: a change to the canonical form
// must change it, so hashes of two forms never compare equal.
const canonicalVersion = "exportwatch canonical graph 1\n"

// canonicalNodes reads every node (that where admits) with its outgoing
// relationships, in the
// order of its id; each relationship names its end by labels and id, and
// by its properties when it has no id. Equal ids (a node of another kind
// with the same id) come together, and nodes without an id last; the type
// of the id is part of the order so that equal values of two types (1 and
// 1.0) do not interleave.
func canonicalNodes(where string) string {
	return `
MATCH (n) ` + where + `
WITH n ORDER BY n.id, valueType(n.id)
RETURN labels(n) AS labels, properties(n) AS props,
       [(n)-[r]->(m) | [type(r), properties(r), labels(m), m.id, CASE WHEN m.id IS NULL THEN properties(m) END]] AS out`
}

// CanonicalHash is a SHA-256 of everything the graph holds: every node
// with its labels and properties, every relationship with its type, both
// ends and its properties, each value with its type (the string "1", the
// integer 1 and the float 1.0 differ, as do a date and its text). It does
// not depend on Neo4j's internal ids or on the order anything was written
// in, so two graphs hash equal exactly when they hold the same things.
//
// A node is named by its labels and its id property, or, without an id,
// by a hash of its labels and properties. A graph in which two nodes have
// the same name (which the unique constraints prevent for every kind the
// schema has) is an error: relationships to them could not be told apart.
//
// The changes feed (:ChangeSet, :ChangeCounter) and the watches' entries
// drawn from it (:WatchEntry, :WatchCursor) are left out, as is each
// claim's load time: they record how and when the graph was written,
// which a load cut by a crash and resumed does in other transactions (and
// at other times) than one that ran through, while what the graph holds
// is the same.
//
// It streams: the nodes are sorted by Neo4j, and only the digests of the
// nodes sharing one id (nodes without an id share "none") are held here.
func (s *Store) CanonicalHash(ctx context.Context) (string, error) {
	d, err := s.digest(ctx, canonicalNodes("WHERE NOT (n:ChangeSet OR n:ChangeCounter OR n:WatchEntry OR n:WatchCursor)"),
		func(labels []string, props map[string]any) {
			if slices.Contains(labels, "Claim") {
				delete(props, "loaded")
			}
		})
	return d.Hash, err
}

// Digest is CanonicalHash of everything, the changes feed included, with
// the counts it made on the way: what a backup must carry.
func (s *Store) Digest(ctx context.Context) (GraphDigest, error) {
	return s.digest(ctx, canonicalNodes(""), nil)
}

// digest hashes what the nodes statement reads; forget, when set, takes
// out of a node's properties those the hash leaves out.
func (s *Store) digest(ctx context.Context, nodes string, forget func(labels []string, props map[string]any)) (GraphDigest, error) {
	d := digester{sum: sha256.New(), names: map[string]bool{},
		counts: Counts{Nodes: map[string]int64{}, Relationships: map[string]int64{}}}
	d.sum.Write([]byte(canonicalVersion))
	err := s.stream(ctx, nodes, nil, func(r *neo4j.Record) error {
		labels, _ := r.Get("labels")
		props, _ := r.Get("props")
		out, _ := r.Get("out")
		ls, ps := labelList(labels), props.(map[string]any)
		if forget != nil {
			forget(ls, ps)
		}
		return d.node(ls, ps, out.([]any))
	})
	if err != nil {
		return GraphDigest{}, fmt.Errorf("canonical hash: %w", err)
	}
	d.endGroup()
	return GraphDigest{Hash: hex.EncodeToString(d.sum.Sum(nil)), Nodes: d.nodes, Relationships: d.rels, Counts: d.counts}, nil
}

// digester folds nodes, in id order, into the hash. Each node's digest
// covers its labels, properties and outgoing relationships (sorted); the
// digests of a group of nodes with one id are sorted before they are
// added, since Neo4j orders such nodes as it likes.
type digester struct {
	sum    hash.Hash
	group  [][sha256.Size]byte
	key    []byte          // the id the current group shares; nil before the first
	names  map[string]bool // the names of the current group's nodes
	nodes  int64
	rels   int64
	counts Counts
	buf    []byte
}

func (d *digester) node(labels []string, props map[string]any, out []any) error {
	body, err := nodeForm(nil, labels, props)
	if err != nil {
		return fmt.Errorf("node %v: %w", props["id"], err)
	}
	name, groupKey, err := nodeName(labels, props["id"], body)
	if err != nil {
		return err
	}
	if d.key == nil || !bytes.Equal(groupKey, d.key) {
		d.endGroup()
		d.key = groupKey
	}
	if d.names[string(name)] {
		return fmt.Errorf("two nodes are named %s: relationships to them cannot be told apart", name)
	}
	d.names[string(name)] = true

	rels := make([][]byte, 0, len(out))
	for _, x := range out {
		rel := x.([]any)
		typ := rel[0].(string)
		endProps, _ := rel[4].(map[string]any)
		b, err := d.relForm(typ, rel[1].(map[string]any), labelList(rel[2]), rel[3], endProps)
		if err != nil {
			return fmt.Errorf("relationship %s of node %s: %w", typ, name, err)
		}
		rels = append(rels, b)
		d.counts.Relationships[typ]++
	}
	slices.SortFunc(rels, bytes.Compare)
	h := sha256.New()
	h.Write(body)
	for _, rel := range rels {
		h.Write([]byte{'\n'})
		h.Write(rel)
	}
	d.group = append(d.group, [sha256.Size]byte(h.Sum(nil)))
	for _, l := range labels {
		d.counts.Nodes[l]++
	}
	d.nodes++
	d.rels += int64(len(rels))
	return nil
}

// endGroup adds the digests of the nodes sharing the last id, sorted.
func (d *digester) endGroup() {
	slices.SortFunc(d.group, func(a, b [sha256.Size]byte) int { return bytes.Compare(a[:], b[:]) })
	for _, g := range d.group {
		d.sum.Write(g[:])
	}
	d.group = d.group[:0]
	clear(d.names)
}

// relForm is the canonical form of a relationship as its start node holds
// it: type, the end's name and the properties.
func (d *digester) relForm(typ string, props map[string]any, endLabels []string, endID any, endProps map[string]any) ([]byte, error) {
	var endBody []byte
	if endID == nil {
		var err error
		if endBody, err = nodeForm(d.buf[:0], endLabels, endProps); err != nil {
			return nil, fmt.Errorf("its end: %w", err)
		}
		d.buf = endBody
	}
	end, _, err := nodeName(endLabels, endID, endBody)
	if err != nil {
		return nil, err
	}
	b := []byte(`{"type":`)
	if b, err = appendString(b, typ); err != nil {
		return nil, err
	}
	b = append(b, `,"end":`...)
	b = append(b, end...)
	b = append(b, `,"props":`...)
	if b, err = appendProps(b, props); err != nil {
		return nil, err
	}
	return append(b, '}'), nil
}

// nodeForm is the canonical form of a node: its labels, sorted, and its
// properties.
func nodeForm(b []byte, labels []string, props map[string]any) ([]byte, error) {
	b = append(b, `{"labels":`...)
	b, err := appendStrings(b, labels)
	if err != nil {
		return nil, err
	}
	b = append(b, `,"props":`...)
	if b, err = appendProps(b, props); err != nil {
		return nil, err
	}
	return append(b, '}'), nil
}

// nodeName is what relationships call a node: its sorted labels and its
// id, or, for a node without an id, the hash of its form (body). group
// is the id alone, which the nodes of a group share (empty without one).
func nodeName(labels []string, id any, body []byte) (name, group []byte, err error) {
	if id == nil {
		sum := sha256.Sum256(body)
		return []byte(`{"node":"` + hex.EncodeToString(sum[:]) + `"}`), []byte{}, nil
	}
	if group, err = appendValue(nil, id); err != nil {
		return nil, nil, fmt.Errorf("id: %w", err)
	}
	if name, err = appendStrings([]byte(`{"labels":`), labels); err != nil {
		return nil, nil, err
	}
	name = append(name, `,"id":`...)
	name = append(name, group...)
	return append(name, '}'), group, nil
}

// labelList is a node's labels, sorted.
func labelList(raw any) []string {
	list, _ := raw.([]any)
	out := make([]string, len(list))
	for i, l := range list {
		out[i] = l.(string)
	}
	slices.Sort(out)
	return out
}
