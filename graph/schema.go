package graph

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/exportwatch/exportwatch/records"
)

// schema is every constraint and index, each idempotent (IF NOT EXISTS).
var schema = append([]string{
	"CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE",
	"CREATE CONSTRAINT claim_id IF NOT EXISTS FOR (c:Claim) REQUIRE c.id IS UNIQUE",
	"CREATE CONSTRAINT document_id IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE",
	"CREATE INDEX entity_name IF NOT EXISTS FOR (e:Entity) ON (e.name)",
	"CREATE INDEX entity_country IF NOT EXISTS FOR (e:Entity) ON (e.country)",
	"CREATE INDEX entity_schema IF NOT EXISTS FOR (e:Entity) ON (e.schema)",
	"CREATE INDEX claim_relation IF NOT EXISTS FOR (c:Claim) ON (c.relation)",
	"CREATE INDEX claim_pair IF NOT EXISTS FOR (c:Claim) ON (c.pair)",
	"CREATE INDEX document_url IF NOT EXISTS FOR (d:Document) ON (d.url)",
	// A merged entity's id must stay unique too: it names its survivor.
	"CREATE CONSTRAINT merged_entity_id IF NOT EXISTS FOR (m:MergedEntity) REQUIRE m.id IS UNIQUE",
	"CREATE INDEX merged_entity_into IF NOT EXISTS FOR (m:MergedEntity) ON (m.merged_into)",
	"CREATE CONSTRAINT audit_id IF NOT EXISTS FOR (a:AuditEvent) REQUIRE a.id IS UNIQUE",
	"CREATE INDEX audit_at IF NOT EXISTS FOR (a:AuditEvent) ON (a.at)",
	// A claim's reviews and an entity's renamings, for reading as of a moment.
	"CREATE INDEX audit_target IF NOT EXISTS FOR (a:AuditEvent) ON (a.target)",
	// A state body's names in other languages find its country's bodies.
	"CREATE INDEX public_body_country IF NOT EXISTS FOR (e:PublicBody) ON (e.country)",
	// Full-text indexes take string properties, so aliases are also kept
	// joined in one string beside the list. The analyser folds accents
	// ("Türk" is "turk"); an index's analyser cannot change, so the
	// earlier one (entity_names, without folding) is dropped.
	"DROP INDEX entity_names IF EXISTS",
	"CREATE FULLTEXT INDEX entity_search IF NOT EXISTS FOR (e:Entity) ON EACH [e.name, e.aliases_text] OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding'}}",
	"CREATE CONSTRAINT judgement_id IF NOT EXISTS FOR (j:Judgement) REQUIRE j.id IS UNIQUE",
	"CREATE INDEX judgement_a IF NOT EXISTS FOR (j:Judgement) ON (j.a, j.decision)",
	"CREATE INDEX judgement_b IF NOT EXISTS FOR (j:Judgement) ON (j.b, j.decision)",
	"CREATE INDEX judgement_decision IF NOT EXISTS FOR (j:Judgement) ON (j.decision)",
	"CREATE CONSTRAINT suggestion_id IF NOT EXISTS FOR (s:Suggestion) REQUIRE s.id IS UNIQUE",
	"CREATE INDEX suggestion_status IF NOT EXISTS FOR (s:Suggestion) ON (s.status, s.created)",
	// The changes feed (changes.go).
	"CREATE CONSTRAINT change_counter_id IF NOT EXISTS FOR (k:ChangeCounter) REQUIRE k.id IS UNIQUE",
	"CREATE CONSTRAINT change_set_seq IF NOT EXISTS FOR (c:ChangeSet) REQUIRE c.seq IS UNIQUE",
	"CREATE INDEX change_set_at IF NOT EXISTS FOR (c:ChangeSet) ON (c.at)",
	"CREATE CONSTRAINT watch_id IF NOT EXISTS FOR (w:Watch) REQUIRE w.id IS UNIQUE",
	"CREATE INDEX watch_owner IF NOT EXISTS FOR (w:Watch) ON (w.owner)",
	"CREATE CONSTRAINT watch_entry_id IF NOT EXISTS FOR (e:WatchEntry) REQUIRE e.id IS UNIQUE",
	"CREATE INDEX watch_entry_watch IF NOT EXISTS FOR (e:WatchEntry) ON (e.watch, e.seq)",
	"CREATE CONSTRAINT watch_cursor_id IF NOT EXISTS FOR (n:WatchCursor) REQUIRE n.id IS UNIQUE",
	"CREATE INDEX watch_entry_delivery IF NOT EXISTS FOR (e:WatchEntry) ON (e.delivery, e.next_try)",
	// The suppliers of a country, in their order (supplyIndexSet).
	"CREATE INDEX supplied_country IF NOT EXISTS FOR ()-[r:SUPPLIED]-() ON (r.buyer_country, r.supply_order)",
}, identifierIndexes()...)

// identifierIndexes index each identifier property, which resolution looks
// entities up by.
func identifierIndexes() []string {
	out := make([]string, len(records.IdentifierSchemes))
	for i, scheme := range records.IdentifierSchemes {
		out[i] = fmt.Sprintf("CREATE INDEX entity_id_%[1]s IF NOT EXISTS FOR (e:Entity) ON (e.id_%[1]s)", scheme)
	}
	return out
}

// EnsureSchema creates the constraints and indexes and waits until they are
// online. Two processes starting at once may race to create the same index;
// the loser's error is benign, so a failed statement is tried once more,
// when IF NOT EXISTS sees the winner's index.
func (s *Store) EnsureSchema(ctx context.Context) error {
	for _, stmt := range schema {
		err := s.schemaStatement(ctx, stmt)
		if err != nil {
			err = s.schemaStatement(ctx, stmt)
		}
		if err != nil {
			return fmt.Errorf("schema %q: %w", strings.Fields(stmt)[2], err)
		}
	}
	if err := s.schemaStatement(ctx, "CALL db.awaitIndexes(120)"); err != nil {
		return fmt.Errorf("await indexes: %w", err)
	}
	if err := s.backfillHistory(ctx); err != nil {
		return err
	}
	return s.backfillSupplyIndex(ctx)
}

// backfillSupplyIndex gives the SUPPLIED edges of a store written before
// the supply index theirs, a batch to a transaction. On a store that has
// it, it reads the edges once.
func (s *Store) backfillSupplyIndex(ctx context.Context) error {
	_, err := s.inBatches(ctx, `
MATCH (s:Entity)-[r:SUPPLIED]->(b:Entity) WHERE r.supply_order IS NULL
WITH s, r, b LIMIT 10000
SET `+supplyIndexSet("r", "s", "b")+`
RETURN count(*) AS n`, nil)
	if err != nil {
		return fmt.Errorf("fill the supply index: %w", err)
	}
	return nil
}

// Schema statements cannot share a transaction with writes, and the managed
// transaction helpers may retry them, which IF NOT EXISTS makes harmless.
func (s *Store) schemaStatement(ctx context.Context, stmt string) error {
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(context.Background())
	_, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		_, err := s.run(ctx, tx, stmt, nil)
		return nil, err
	})
	return s.wrap(err)
}

// Reset deletes every node and relationship, in batches so a large graph
// does not need one huge transaction; constraints and indexes stay. Tests
// and benchmarks call it to start from an empty graph; of the commands,
// only a forced restore does, after checking the backup it restores.
func (s *Store) Reset(ctx context.Context) error {
	if _, err := s.inBatches(ctx, "MATCH (n) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS n", nil); err != nil {
		return fmt.Errorf("reset graph: %w", err)
	}
	return nil
}
