package graph_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/records/synthetic"
)

// fillGraph loads the seed, testdata/duplicates.jsonl and a synthetic
// file of claims, then has editors write one of each thing they write,
// and adds nodes and relationships of kinds the schema does not have,
// with a property of every type: what a backup must carry.
func fillGraph(t testing.TB, s *graph.Store, claims int) {
	t.Helper()
	ctx := context.Background()
	if _, err := load.Seed(ctx, s, load.Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := load.File(ctx, s, "testdata/duplicates.jsonl", load.Options{}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "synthetic.jsonl")
	if err := synthetic.WriteFile(path, synthetic.Size{Claims: claims, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	if _, err := load.File(ctx, s, path, load.Options{}); err != nil {
		t.Fatal(err)
	}

	// One of each editor's change, each with its audit event.
	sv, svClaims, err := s.EntityWithClaims(ctx, "company/sandvine")
	if err != nil || len(svClaims) < 2 {
		t.Fatalf("sandvine's claims: %d, %v", len(svClaims), err)
	}
	if _, err := s.ReviewClaim(ctx, svClaims[0].ID, records.StatusConfirmed, "seen the contract", "editor-ana", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReviewClaim(ctx, svClaims[1].ID, records.StatusDisputed, "", "editor-ana", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UndoReview(ctx, svClaims[1].ID, "editor-ana", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.EditEntity(ctx, sv.ID, graph.EntityEdit{AddAliases: []string{"Sandvine Corporation"}, Description: ptr("Deep packet inspection.")}, "editor-ana", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MergeEntities(ctx, alpha, alphaLtd, "editor-ana"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Decide(ctx, graph.JudgementID(alpha, alphaLtd), graph.JudgeSame, "same registry address", "editor-bo"); err != nil {
		t.Fatal(err)
	}
	docs, _, err := s.Documents(ctx, 0, 1)
	if err != nil || len(docs) == 0 {
		t.Fatalf("documents: %v", err)
	}
	var sugs []records.Suggestion
	for _, body := range []string{"Ministry of Transport", "Ministry of Energy"} {
		sugs = append(sugs, records.Suggestion{Relation: records.RelSupplied,
			Subject:    records.Party{ID: "company/sandvine", Name: "Sandvine", Schema: records.SchemaCompany},
			Object:     records.Party{Name: body, Schema: records.SchemaPublicBody, Country: "AZ"},
			Evidence:   records.Evidence{Document: docs[0].ID, Quote: "Sandvine may have equipped the " + body + " as well."},
			Confidence: 0.3, Reasons: []string{"a guess: may equipped"}, Extractor: "report-parsed/1"})
	}
	if _, err := s.WriteSuggestions(ctx, sugs); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AcceptSuggestion(ctx, records.SuggestionID(sugs[0]), "", "editor-bo"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RejectSuggestion(ctx, records.SuggestionID(sugs[1]), "a guess", "editor-bo"); err != nil {
		t.Fatal(err)
	}

	// Kinds the schema does not have: a node with a property of every
	// type, one without an id, one without labels, odd names, a loop.
	execWith(t, `
CREATE (o:Oddity {id: 'odd:1', date: date('2024-02-29'), zoned: datetime('2024-07-01T10:00:00.123456789+02:00[Europe/Paris]'),
  offset: datetime('2024-01-01T10:00:00-05:30'), local: localdatetime('2024-01-31T10:00:00.5'), time: time('10:00:01.5+01:00'),
  localTime: localtime('23:59:59.999999999'), duration: duration('P1Y2M3DT4H5M6.7S'), point: point({x: 1.5, y: -2}),
  point3d: point({latitude: 1, longitude: 2, height: 3}), ints: [1, 2, 3], floats: [1.0, 2.5], strings: ['a', '"q"\n\\'],
  bools: [true, false], dates: [date('2020-01-01')], empty: [], one: 1, oneFloat: 1.0, negativeZero: -0.0, nan: 0.0 / 0.0,
  infinity: 1.0 / 0.0, text: 'é 𝄞 \u0001', bytes: $bytes})
CREATE (n:Note {text: 'a node without an id'})
CREATE (bare {id: 'bare:1'})
CREATE (q:`+"`Odd ``Label`` here`"+` {id: 'odd:2'})
CREATE (n)-[:ABOUT {since: date('2020-01-01'), weight: 0.5}]->(o)
CREATE (o)-[:HAS_NOTE]->(n)
CREATE (o)-[:`+"`RELATES TO`"+`]->(q)
CREATE (o)-[:LOOP {n: 1}]->(o)
CREATE (bare)-[:LOOP {n: 1}]->(bare)
WITH o MATCH (e:Entity {id: 'company/sandvine'}) CREATE (e)-[:NOTED {by: 'test'}]->(o)`, map[string]any{"bytes": []byte{0, 1, 2, 255}})
}

// execWith is graphtest.Exec with parameters, for values Cypher has no
// literal for (bytes).
func execWith(t testing.TB, cypher string, params map[string]any) {
	t.Helper()
	ctx := context.Background()
	driver, err := neo4j.NewDriverWithContext(graphtest.URI(), neo4j.NoAuth())
	if err != nil {
		t.Fatal(err)
	}
	defer driver.Close(ctx)
	if _, err := neo4j.ExecuteQuery(ctx, driver, cypher, params, neo4j.EagerResultTransformer); err != nil {
		t.Fatalf("%v\n%s", err, cypher)
	}
}

func digest(t testing.TB, s *graph.Store) graph.GraphDigest {
	t.Helper()
	d, err := s.Digest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func backup(t testing.TB, s *graph.Store) ([]byte, graph.BackupSummary) {
	t.Helper()
	var buf bytes.Buffer
	sum, err := s.Backup(context.Background(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), sum
}

// TestBackupRoundTrip backs up a graph holding every kind of node and
// relationship, restores it into an empty database, and finds it as it
// was, to the last property's type.
func TestBackupRoundTrip(t *testing.T) {
	s := graphtest.Store(t)
	ctx := context.Background()
	fillGraph(t, s, 500)
	counts, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{"Entity", "Claim", "Document", "AuditEvent", "Judgement", "MergedEntity", "Suggestion", "Oddity", "Note"} {
		if counts.Nodes[l] == 0 {
			t.Errorf("the graph has no %s to back up", l)
		}
	}
	before := digest(t, s)
	if diff := cmp.Diff(counts, before.Counts); diff != "" {
		t.Errorf("the digest's counts (-Counts +Digest):\n%s", diff)
	}

	file, sum := backup(t, s)
	// Every label and relationship type the graph has, the backup carries
	// as often: a kind it left out fails here.
	if diff := cmp.Diff(counts, sum.Counts); diff != "" {
		t.Errorf("the backup carries (-graph +backup):\n%s", diff)
	}
	if sum.Nodes != before.Nodes || sum.Relationships != before.Relationships {
		t.Errorf("backed up %d nodes and %d relationships of %d and %d", sum.Nodes, sum.Relationships, before.Nodes, before.Relationships)
	}

	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := s.Restore(ctx, bytes.NewReader(file), graph.RestoreOptions{BatchSize: 700})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sum, got); diff != "" {
		t.Errorf("restore's summary (-backup +restore):\n%s", diff)
	}
	if diff := cmp.Diff(before, digest(t, s)); diff != "" {
		t.Fatalf("the restored graph (-before +after):\n%s", diff)
	}
	// The restored graph works as the store wants it: its invariants hold
	// and its indexes answer.
	if problems, err := s.Check(ctx); err != nil || len(problems) > 0 {
		t.Errorf("check after the restore: %v, %v", problems, err)
	}
	if hits, err := s.Search(ctx, "Sandvine Corporation", nil, 1); err != nil || len(hits) == 0 || hits[0].Entity.ID != "company/sandvine" {
		t.Errorf("search after the restore: %+v, %v", hits, err)
	}
	if e, err := s.Entity(ctx, alphaLtd); err != nil || e.ID != alpha {
		t.Errorf("the merged id after the restore: %+v, %v", e, err)
	}
}

// TestRestoreRefusesBadFiles: a file that is damaged, cut short, of an
// unknown version or not a backup is refused before anything is written:
// an empty database stays empty, and a forced restore does not empty a
// full one.
func TestRestoreRefusesBadFiles(t *testing.T) {
	s := graphtest.Seeded(t)
	ctx := context.Background()
	good, _ := backup(t, s)
	seeded := digest(t, s)

	for _, tc := range []struct {
		name string
		file []byte
		says string
	}{
		{"a flipped byte", flipByte(good, len(good)/2), "damaged"},
		{"cut in half", good[:len(good)/2], "truncated: it ends in the middle of its compressed data"},
		{"without its trailer", rewrite(t, good, func(lines []string) []string { return lines[:len(lines)-1] }), "truncated: it ends after line"},
		{"a changed line", rewrite(t, good, func(lines []string) []string {
			lines[3] = strings.Replace(lines[3], `"props":{`, `"props":{"added":1,`, 1)
			return lines
		}), "does not match the SHA-256 in its trailer"},
		{"a line after the trailer", rewrite(t, good, func(lines []string) []string { return append(lines, lines[1]) }), "follows the trailer"},
		{"an unknown version", readFixture(t, "testdata/backup/version-99.jsonl"), "version 99 of the backup format, and this exportwatch reads version 1 only"},
		{"another format", readFixture(t, "testdata/backup/other-format.jsonl"), "not an exportwatch backup"},
		{"not gzip'd", []byte(`{"format":"exportwatch-backup","version":1}`), "not an exportwatch backup (not gzip'd)"},
		{"empty", nil, "not an exportwatch backup"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Restore(ctx, bytes.NewReader(tc.file), graph.RestoreOptions{Force: true})
			if !errors.Is(err, graph.ErrBadBackup) || !strings.Contains(err.Error(), tc.says) || !strings.Contains(err.Error(), "nothing was written") {
				t.Fatalf("forced restore: %v, want ErrBadBackup saying %q", err, tc.says)
			}
			if diff := cmp.Diff(seeded, digest(t, s)); diff != "" {
				t.Fatalf("a refused forced restore changed the graph (-before +after):\n%s", diff)
			}
		})
	}
	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	_, err := s.Restore(ctx, bytes.NewReader(flipByte(good, len(good)/2)), graph.RestoreOptions{})
	if !errors.Is(err, graph.ErrBadBackup) {
		t.Fatalf("restore of a damaged file: %v", err)
	}
	if d := digest(t, s); d.Nodes != 0 {
		t.Fatalf("a refused restore wrote %d nodes", d.Nodes)
	}
}

// TestRestoreRefusesANonEmptyDatabase unless forced, and forced, replaces
// what the database held.
func TestRestoreRefusesANonEmptyDatabase(t *testing.T) {
	s := graphtest.Seeded(t)
	ctx := context.Background()
	file, _ := backup(t, s)
	seeded := digest(t, s)
	graphtest.Exec(t, "MATCH (e:Entity {id: 'company/sandvine'}) SET e.description = 'changed after the backup'")
	changed := digest(t, s)
	if changed.Hash == seeded.Hash {
		t.Fatal("a changed property left the hash as it was")
	}
	_, err := s.Restore(ctx, bytes.NewReader(file), graph.RestoreOptions{})
	if !errors.Is(err, graph.ErrNotEmpty) || !strings.Contains(err.Error(), "force") {
		t.Fatalf("restore into a full database: %v, want ErrNotEmpty", err)
	}
	if diff := cmp.Diff(changed, digest(t, s)); diff != "" {
		t.Fatalf("a refused restore changed the graph (-before +after):\n%s", diff)
	}
	if _, err := s.Restore(ctx, bytes.NewReader(file), graph.RestoreOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(seeded, digest(t, s)); diff != "" {
		t.Fatalf("after a forced restore (-backed up +restored):\n%s", diff)
	}
}

// TestRestoreVersion1 restores a backup written by hand in version 1 of
// the format, so that a change to the reader that would refuse or misread
// the files already written fails here; its canonical hash is pinned, so
// a change to the hash's form fails too.
func TestRestoreVersion1(t *testing.T) {
	s := graphtest.Store(t)
	ctx := context.Background()
	sum, err := s.Restore(ctx, bytes.NewReader(readFixture(t, "testdata/backup/version-1.jsonl")), graph.RestoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := graph.BackupSummary{Created: sum.Created, Server: "Neo4j/5.26.0", Database: "neo4j", Nodes: 4, Relationships: 3,
		Counts: graph.Counts{Nodes: map[string]int64{"Claim": 1, "Document": 1, "Entity": 2, "Company": 1, "PublicBody": 1},
			Relationships: map[string]int64{"SUBJECT": 1, "OBJECT": 1, "EVIDENCED_BY": 1}},
		SHA256: sum.SHA256}
	if diff := cmp.Diff(want, sum); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	c, err := s.ClaimsByID(ctx, []string{"claim:fixture"})
	if err != nil {
		t.Fatal(err)
	}
	if got := c["claim:fixture"]; got.Confidence != 1.0 || got.Version != 2 || got.Subject != "company/fixture" || len(got.Evidence) != 1 {
		t.Errorf("the restored claim: %+v", got)
	}
	const pinned = "dae44cfe0a3c03e3d1e33b869ffdf6744bc2decd167c95dcdc21b52e1d17c01b"
	if d := digest(t, s); d.Hash != pinned {
		t.Errorf("canonical hash %s, pinned %s: if the canonical form changed on purpose, change canonicalVersion and this", d.Hash, pinned)
	}
}

// readFixture gzips a backup kept as text in testdata.
func readFixture(t testing.TB, path string) []byte {
	t.Helper()
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return gzipped(t, text)
}

func gzipped(t testing.TB, text []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(text); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rewrite changes the lines of a backup and compresses it again, leaving
// its trailer as it was.
func rewrite(t testing.TB, file []byte, change func([]string) []string) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return gzipped(t, []byte(strings.Join(change(lines), "\n")+"\n"))
}

func flipByte(file []byte, i int) []byte {
	out := bytes.Clone(file)
	out[i] ^= 0x10
	return out
}
