package graph

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// A backup is everything the graph holds, in one file: every node with
// its labels and properties and every relationship with its type, ends
// and properties, read by label and type from the database rather than
// from a list here, so a kind added later is carried without a change.
// The file is gzip'd JSON lines:
//
//	{"format":"exportwatch-backup","version":1,"created":"…","server":"Neo4j/5.26.0","database":"neo4j"}
//	{"node":"4:…:0","labels":["Company","Entity"],"props":{…}}        every node, then
//	{"rel":"SUBJECT","from":"4:…:12","to":"4:…:0","props":{}}         every relationship
//	{"end":{"nodes":N,"relationships":M,"labels":{…},"types":{…},"sha256":"…"}}
//
// A node's "node" is its element id in the database it came from, which
// relationships name their ends by; it means nothing elsewhere. Property
// values keep their Neo4j types (values.go). The trailer's SHA-256 covers
// every line before it, uncompressed, so Restore finds a changed byte or
// a file cut short before it writes anything.

// BackupFormat is the name in every backup's first line; BackupVersion is
// the version Backup writes and the only one Restore reads.
const (
	BackupFormat  = "exportwatch-backup"
	BackupVersion = 1
)

// ErrBadBackup is wrapped by every refusal of a backup file: not a backup,
// an unknown version, damaged or truncated.
var ErrBadBackup = errors.New("backup file refused")

// ErrNotEmpty is Restore's refusal of a database that holds anything,
// unless forced.
var ErrNotEmpty = errors.New("the database is not empty")

// BackupSummary says what a backup holds.
type BackupSummary struct {
	Created  time.Time
	Server   string // the Neo4j it was taken from, e.g. "Neo4j/5.26.0"
	Database string
	// Nodes and Relationships are totals; Counts has nodes by label and
	// relationships by type.
	Nodes, Relationships int64
	Counts               Counts
	// SHA256 is the checksum in the trailer.
	SHA256 string
}

type backupHeader struct {
	Format   string    `json:"format"`
	Version  int       `json:"version"`
	Created  time.Time `json:"created"`
	Server   string    `json:"server"`
	Database string    `json:"database"`
}

type backupTrailer struct {
	Nodes         int64            `json:"nodes"`
	Relationships int64            `json:"relationships"`
	Labels        map[string]int64 `json:"labels"`
	Types         map[string]int64 `json:"types"`
	SHA256        string           `json:"sha256"`
}

// backupLine is any line after the header: a node, a relationship or the
// trailer.
type backupLine struct {
	Node   string         `json:"node"`
	Labels []string       `json:"labels"`
	Rel    string         `json:"rel"`
	From   string         `json:"from"`
	To     string         `json:"to"`
	Props  map[string]any `json:"props"`
	End    *backupTrailer `json:"end"`
}

// A restore names each node it creates by its element id in the backup
// (restoreRef), under a label of its own (restoreLabel) with a unique
// constraint, so relationships find their ends by one index seek whatever
// kind the nodes are; both go when the restore ends. A graph that still
// has them holds a restore that did not finish.
const (
	restoreLabel      = "RestoreInProgress"
	restoreRef        = "_restore_ref"
	restoreConstraint = "CREATE CONSTRAINT restore_ref IF NOT EXISTS FOR (n:" + restoreLabel + ") REQUIRE n." + restoreRef + " IS UNIQUE"
	restoreDrop       = "DROP CONSTRAINT restore_ref IF EXISTS"
)

var errUnfinished = errors.New("the graph holds a restore that did not finish (nodes labelled " + restoreLabel + "): restore the backup again, with force")

const backupNodes = `MATCH (n) RETURN elementId(n) AS ref, labels(n) AS labels, properties(n) AS props`

const backupRelationships = `
MATCH (a)-[r]->(b)
RETURN elementId(a) AS from, type(r) AS type, elementId(b) AS to, properties(r) AS props`

// totals counts nodes and relationships from Neo4j's count store, at once.
const totals = `
CALL () { MATCH (n) RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS rels }
RETURN nodes, rels`

func (s *Store) totals(ctx context.Context) (nodes, rels int64, err error) {
	recs, err := s.read(ctx, totals, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("count nodes and relationships: %w", err)
	}
	n, _ := recs[0].Get("nodes")
	r, _ := recs[0].Get("rels")
	return n.(int64), r.(int64), nil
}

// Backup writes everything the graph holds to w, streamed: it holds one
// line at a time. Nothing should write to the graph meanwhile (Neo4j
// gives no snapshot across the two reads); a write that adds or deletes
// nodes or relationships is found, and the backup fails.
func (s *Store) Backup(ctx context.Context, w io.Writer) (BackupSummary, error) {
	server, err := s.ServerVersion(ctx)
	if err != nil {
		return BackupSummary{}, fmt.Errorf("backup: %w", err)
	}
	nodesBefore, relsBefore, err := s.totals(ctx)
	if err != nil {
		return BackupSummary{}, fmt.Errorf("backup: %w", err)
	}
	sum := BackupSummary{Created: time.Now().UTC().Truncate(time.Second), Server: server, Database: s.db,
		Counts: Counts{Nodes: map[string]int64{}, Relationships: map[string]int64{}}}
	zw := gzip.NewWriter(w)
	digest := sha256.New()
	bw := bufio.NewWriterSize(io.MultiWriter(digest, zw), 64<<10)
	header, err := json.Marshal(backupHeader{Format: BackupFormat, Version: BackupVersion, Created: sum.Created, Server: server, Database: s.db})
	if err != nil {
		return BackupSummary{}, fmt.Errorf("backup header: %w", err)
	}
	if _, err := bw.Write(append(header, '\n')); err != nil {
		return BackupSummary{}, fmt.Errorf("write backup: %w", err)
	}

	var line []byte
	err = s.stream(ctx, backupNodes, nil, func(r *neo4j.Record) error {
		ref, _ := r.Get("ref")
		labels, _ := r.Get("labels")
		props, _ := r.Get("props")
		ls := labelList(labels)
		if err := checkMarks(ref.(string), ls, props.(map[string]any)); err != nil {
			return err
		}
		var err error
		line = append(line[:0], `{"node":`...)
		if line, err = appendString(line, ref.(string)); err != nil {
			return err
		}
		line = append(line, `,"labels":`...)
		if line, err = appendStrings(line, ls); err != nil {
			return fmt.Errorf("node %s: %w", ref, err)
		}
		line = append(line, `,"props":`...)
		if line, err = appendProps(line, props.(map[string]any)); err != nil {
			return fmt.Errorf("node %s %v: %w", ref, ls, err)
		}
		line = append(line, "}\n"...)
		if _, err := bw.Write(line); err != nil {
			return fmt.Errorf("write backup: %w", err)
		}
		sum.Nodes++
		for _, l := range ls {
			sum.Counts.Nodes[l]++
		}
		return nil
	})
	if err != nil {
		return BackupSummary{}, fmt.Errorf("back up nodes: %w", err)
	}
	err = s.stream(ctx, backupRelationships, nil, func(r *neo4j.Record) error {
		from, _ := r.Get("from")
		typ, _ := r.Get("type")
		to, _ := r.Get("to")
		props, _ := r.Get("props")
		var err error
		line = append(line[:0], `{"rel":`...)
		if line, err = appendString(line, typ.(string)); err != nil {
			return err
		}
		line = append(line, `,"from":`...)
		if line, err = appendString(line, from.(string)); err != nil {
			return err
		}
		line = append(line, `,"to":`...)
		if line, err = appendString(line, to.(string)); err != nil {
			return err
		}
		line = append(line, `,"props":`...)
		if line, err = appendProps(line, props.(map[string]any)); err != nil {
			return fmt.Errorf("relationship %s from %s to %s: %w", typ, from, to, err)
		}
		line = append(line, "}\n"...)
		if _, err := bw.Write(line); err != nil {
			return fmt.Errorf("write backup: %w", err)
		}
		sum.Relationships++
		sum.Counts.Relationships[typ.(string)]++
		return nil
	})
	if err != nil {
		return BackupSummary{}, fmt.Errorf("back up relationships: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return BackupSummary{}, fmt.Errorf("write backup: %w", err)
	}
	sum.SHA256 = hex.EncodeToString(digest.Sum(nil))
	trailer, err := json.Marshal(map[string]backupTrailer{"end": {Nodes: sum.Nodes, Relationships: sum.Relationships,
		Labels: sum.Counts.Nodes, Types: sum.Counts.Relationships, SHA256: sum.SHA256}})
	if err != nil {
		return BackupSummary{}, fmt.Errorf("backup trailer: %w", err)
	}
	if _, err := zw.Write(append(trailer, '\n')); err != nil {
		return BackupSummary{}, fmt.Errorf("write backup: %w", err)
	}
	if err := zw.Close(); err != nil {
		return BackupSummary{}, fmt.Errorf("write backup: %w", err)
	}
	nodesAfter, relsAfter, err := s.totals(ctx)
	if err != nil {
		return BackupSummary{}, fmt.Errorf("backup: %w", err)
	}
	if nodesBefore != nodesAfter || relsBefore != relsAfter || sum.Nodes != nodesAfter || sum.Relationships != relsAfter {
		return BackupSummary{}, fmt.Errorf("the graph changed during the backup (%d nodes and %d relationships before, %d and %d read, %d and %d after): back up again while nothing writes to it",
			nodesBefore, relsBefore, sum.Nodes, sum.Relationships, nodesAfter, relsAfter)
	}
	return sum, nil
}

// RestoreOptions say how Restore writes.
type RestoreOptions struct {
	// Force empties a database that is not empty first; without it, such
	// a database is refused with ErrNotEmpty.
	Force bool
	// BatchSize is nodes or relationships per transaction; 0 means 2,000.
	BatchSize int
}

// Restore writes the backup r holds into the database, which must be
// empty unless opt.Force is set. It reads r twice: first through to the
// end, checking the format, the version, every line and the checksum, so
// that a file it refuses (ErrBadBackup) leaves the database as it was;
// then, after emptying the database if forced and setting up the schema
// (EnsureSchema), it writes the nodes and then the relationships in
// batches. A restore that fails part way leaves part of the backup in the
// database: run it again with force.
func (s *Store) Restore(ctx context.Context, r io.ReadSeeker, opt RestoreOptions) (BackupSummary, error) {
	if opt.BatchSize <= 0 {
		opt.BatchSize = 2000
	}
	into := "restore into " + s.uri
	nodes, rels, err := s.totals(ctx)
	if err != nil {
		return BackupSummary{}, fmt.Errorf("%s: %w", into, err)
	}
	if nodes > 0 && !opt.Force {
		return BackupSummary{}, fmt.Errorf("%s: %w: it holds %d nodes and %d relationships; restore into an empty database, or force the restore to delete them first",
			into, ErrNotEmpty, nodes, rels)
	}
	// The file's own errors say what is wrong with it, not where it was
	// going.
	sum, err := readBackup(r, nil)
	if err != nil {
		return BackupSummary{}, fmt.Errorf("%w (nothing was written)", err)
	}
	slog.Info("backup file checked", "nodes", sum.Nodes, "relationships", sum.Relationships, "created", sum.Created, "server", sum.Server)
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return BackupSummary{}, fmt.Errorf("read the backup again: %w (nothing was written)", err)
	}
	if nodes > 0 {
		slog.Info("emptying the database before the restore, as forced", "nodes", nodes, "relationships", rels)
		if err := s.Reset(ctx); err != nil {
			return BackupSummary{}, fmt.Errorf("%s: %w", into, err)
		}
	}
	if err := s.EnsureSchema(ctx); err != nil {
		return BackupSummary{}, fmt.Errorf("%s: %w", into, err)
	}
	for _, stmt := range []string{restoreConstraint, "CALL db.awaitIndexes(120)"} {
		if err := s.schemaStatement(ctx, stmt); err != nil {
			return BackupSummary{}, fmt.Errorf("%s: set up: %w", into, err)
		}
	}
	if err := s.restoreLines(ctx, r, opt.BatchSize); err != nil {
		return BackupSummary{}, fmt.Errorf("%s: %w; the database holds part of the backup: restore it again with force", into, err)
	}
	if err := s.endRestore(ctx); err != nil {
		return BackupSummary{}, fmt.Errorf("%s: %w; the database holds the backup, still marked: restore it again with force", into, err)
	}
	got, err := s.Counts(ctx)
	if err != nil {
		return BackupSummary{}, fmt.Errorf("%s: %w", into, err)
	}
	if !maps.Equal(got.Nodes, sum.Counts.Nodes) || !maps.Equal(got.Relationships, sum.Counts.Relationships) {
		return BackupSummary{}, fmt.Errorf("%s: the database holds %v nodes and %v relationships, the backup %v and %v: restore it again with force",
			into, got.Nodes, got.Relationships, sum.Counts.Nodes, sum.Counts.Relationships)
	}
	return sum, nil
}

// restoreNodes creates nodes with their restore marks. Labels cannot be
// parameters, but dynamic labels take any name as data.
const restoreNodes = `
UNWIND $rows AS row
CREATE (n:` + restoreLabel + `)
SET n = row.props, n.` + restoreRef + ` = row.ref, n:$(row.labels)`

const restoreRelationships = `
UNWIND $rows AS row
MATCH (a:` + restoreLabel + ` {` + restoreRef + `: row.from})
MATCH (b:` + restoreLabel + ` {` + restoreRef + `: row.to})
CREATE (a)-[r:$(row.type)]->(b)
SET r = row.props
RETURN count(r) AS n`

const unmarkRestored = `
MATCH (n:` + restoreLabel + `) WITH n LIMIT 10000
REMOVE n:` + restoreLabel + `, n.` + restoreRef + `
RETURN count(*) AS n`

// restoreBatch is a batch of rows of one statement.
type restoreBatch struct {
	nodes bool
	rows  []map[string]any
}

// restoreLines reads the backup a second time and writes its lines in
// batches; the reading and decoding of the next batch overlaps the
// writing of the last.
func (s *Store) restoreLines(ctx context.Context, r io.Reader, size int) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	batches := make(chan restoreBatch, 2)
	written := make(chan error, 1)
	go func() {
		var err error
		for b := range batches {
			if err == nil {
				if err = s.writeRestoreBatch(ctx, b); err != nil {
					cancel(err)
				}
			}
		}
		written <- err
	}()
	cur := restoreBatch{nodes: true}
	send := func() error {
		if len(cur.rows) == 0 {
			return nil
		}
		select {
		case batches <- cur:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
		cur = restoreBatch{nodes: cur.nodes, rows: make([]map[string]any, 0, size)}
		return nil
	}
	_, err := readBackup(r, func(l *backupLine) error {
		if l.Node == "" && cur.nodes {
			if err := send(); err != nil {
				return err
			}
			cur.nodes = false
		}
		if l.Node != "" {
			cur.rows = append(cur.rows, map[string]any{"ref": l.Node, "labels": l.Labels, "props": l.Props})
		} else {
			cur.rows = append(cur.rows, map[string]any{"type": l.Rel, "from": l.From, "to": l.To, "props": l.Props})
		}
		if len(cur.rows) >= size {
			return send()
		}
		return nil
	})
	if err == nil {
		err = send()
	}
	close(batches)
	if werr := <-written; werr != nil {
		return werr
	}
	if err != nil && !errors.Is(err, ErrBadBackup) {
		return err
	}
	if err != nil {
		return fmt.Errorf("the file changed since it was checked: %w", err)
	}
	return nil
}

func (s *Store) writeRestoreBatch(ctx context.Context, b restoreBatch) error {
	_, err := s.write(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		if b.nodes {
			_, err := s.run(ctx, tx, restoreNodes, map[string]any{"rows": b.rows})
			return nil, err
		}
		recs, err := s.run(ctx, tx, restoreRelationships, map[string]any{"rows": b.rows})
		if err != nil {
			return nil, err
		}
		if n, _ := recs[0].Get("n"); int(n.(int64)) != len(b.rows) {
			return nil, fmt.Errorf("%d of %d relationships name an end the backup does not hold", len(b.rows)-int(n.(int64)), len(b.rows))
		}
		return nil, nil
	})
	if err != nil {
		what := "relationships"
		if b.nodes {
			what = "nodes"
		}
		return fmt.Errorf("write %d %s: %w", len(b.rows), what, err)
	}
	return nil
}

// endRestore takes the restore's marks off every node, in batches, and
// drops its constraint.
func (s *Store) endRestore(ctx context.Context) error {
	if _, err := s.inBatches(ctx, unmarkRestored, nil); err != nil {
		return fmt.Errorf("unmark restored nodes: %w", err)
	}
	if err := s.schemaStatement(ctx, restoreDrop); err != nil {
		return fmt.Errorf("drop the restore's constraint: %w", err)
	}
	return nil
}

// readBackup reads a backup through to its end, checking everything the
// format promises, and hands each node and relationship line to fn (when
// set) as it goes. Every refusal of the file wraps ErrBadBackup.
func readBackup(r io.Reader, fn func(*backupLine) error) (BackupSummary, error) {
	zr, err := gzip.NewReader(bufio.NewReaderSize(r, 64<<10))
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, gzip.ErrHeader) || errors.Is(err, io.ErrUnexpectedEOF) {
			return BackupSummary{}, fmt.Errorf("%w: it is not an exportwatch backup (not gzip'd)", ErrBadBackup)
		}
		return BackupSummary{}, fmt.Errorf("read backup: %w", err)
	}
	br := bufio.NewReaderSize(zr, 64<<10)
	digest := sha256.New()
	lineNo := 0
	// next returns the next line, nil at a clean end of the file.
	next := func() ([]byte, error) {
		line, err := br.ReadBytes('\n')
		switch {
		case err == nil:
			lineNo++
			return line, nil
		case errors.Is(err, io.EOF) && len(line) == 0:
			return nil, nil
		case errors.Is(err, io.EOF):
			return nil, fmt.Errorf("%w: it is truncated: line %d ends without its newline", ErrBadBackup, lineNo+1)
		}
		return nil, gzipError(err, lineNo)
	}

	first, err := next()
	if err != nil {
		return BackupSummary{}, err
	}
	var h backupHeader
	if first == nil || json.Unmarshal(first, &h) != nil || h.Format != BackupFormat {
		// A damaged file can look like another kind; the rest of it says
		// which.
		if _, err := io.Copy(io.Discard, br); err != nil {
			return BackupSummary{}, gzipError(err, lineNo)
		}
		return BackupSummary{}, fmt.Errorf("%w: it is not an exportwatch backup (its first line does not name the format %q)", ErrBadBackup, BackupFormat)
	}
	if h.Version != BackupVersion {
		return BackupSummary{}, fmt.Errorf("%w: it is in version %d of the backup format, and this exportwatch reads version %d only: restore it with the exportwatch that wrote it",
			ErrBadBackup, h.Version, BackupVersion)
	}
	digest.Write(first)

	sum := BackupSummary{Created: h.Created, Server: h.Server, Database: h.Database,
		Counts: Counts{Nodes: map[string]int64{}, Relationships: map[string]int64{}}}
	var end *backupTrailer
	for {
		line, err := next()
		if err != nil {
			return BackupSummary{}, err
		}
		if line == nil {
			break
		}
		if end != nil {
			return BackupSummary{}, fmt.Errorf("%w: it is damaged: line %d follows the trailer", ErrBadBackup, lineNo)
		}
		var l backupLine
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.UseNumber()
		if err := dec.Decode(&l); err != nil {
			return BackupSummary{}, fmt.Errorf("%w: it is damaged: line %d: %v", ErrBadBackup, lineNo, err)
		}
		if l.End != nil {
			end = l.End
			continue
		}
		digest.Write(line)
		if err := checkLine(&l, sum.Relationships > 0); err != nil {
			return BackupSummary{}, fmt.Errorf("%w: it is damaged: line %d: %v", ErrBadBackup, lineNo, err)
		}
		if l.Node != "" {
			sum.Nodes++
			for _, label := range l.Labels {
				sum.Counts.Nodes[label]++
			}
		} else {
			sum.Relationships++
			sum.Counts.Relationships[l.Rel]++
		}
		if fn != nil {
			if err := fn(&l); err != nil {
				return BackupSummary{}, err
			}
		}
	}
	if end == nil {
		return BackupSummary{}, fmt.Errorf("%w: it is truncated: it ends after line %d without its trailer", ErrBadBackup, lineNo)
	}
	sum.SHA256 = hex.EncodeToString(digest.Sum(nil))
	switch {
	case end.SHA256 != sum.SHA256:
		return BackupSummary{}, fmt.Errorf("%w: it is damaged: its content does not match the SHA-256 in its trailer", ErrBadBackup)
	case end.Nodes != sum.Nodes || end.Relationships != sum.Relationships ||
		!maps.Equal(end.Labels, sum.Counts.Nodes) || !maps.Equal(end.Types, sum.Counts.Relationships):
		return BackupSummary{}, fmt.Errorf("%w: it is damaged: it holds %d nodes and %d relationships, and its trailer counts %d and %d",
			ErrBadBackup, sum.Nodes, sum.Relationships, end.Nodes, end.Relationships)
	}
	return sum, nil
}

// checkLine checks a node or relationship line and decodes its property
// values, in place. Nodes come before relationships, so that a
// relationship's ends are written before it.
func checkLine(l *backupLine, afterNodes bool) error {
	switch {
	case l.Node != "" && l.Rel == "" && l.From == "" && l.To == "":
		if afterNodes {
			return errors.New("a node after the relationships")
		}
		if err := checkMarks(l.Node, l.Labels, l.Props); err != nil {
			return err
		}
	case l.Node == "" && l.Rel != "" && l.From != "" && l.To != "" && l.Labels == nil:
	default:
		return errors.New("neither a node nor a relationship")
	}
	if l.Props == nil {
		return errors.New("no properties")
	}
	props, err := decodeProps(l.Props)
	if err != nil {
		return err
	}
	l.Props = props
	if l.Labels == nil {
		l.Labels = []string{}
	}
	return nil
}

// checkMarks refuses a node that carries a restore's marks: a backup of
// it could not be restored.
func checkMarks(ref string, labels []string, props map[string]any) error {
	if slices.Contains(labels, restoreLabel) {
		return errUnfinished
	}
	if _, ok := props[restoreRef]; ok {
		return fmt.Errorf("node %s has the property %s, which a restore uses", ref, restoreRef)
	}
	return nil
}

// gzipError says what a failure to read the compressed stream means.
func gzipError(err error, lineNo int) error {
	var corrupt flate.CorruptInputError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: it is truncated: it ends in the middle of its compressed data, after %d whole lines", ErrBadBackup, lineNo)
	case errors.Is(err, gzip.ErrChecksum), errors.Is(err, gzip.ErrHeader), errors.As(err, &corrupt):
		return fmt.Errorf("%w: it is damaged after %d whole lines: %v", ErrBadBackup, lineNo, err)
	}
	return fmt.Errorf("read backup: %w", err)
}
