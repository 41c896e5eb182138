// Package graphbench is what the benchmarks share: the hand-written Cypher
// that they measure exportwatch's real paths against (BareCreate for the
// writer, APIBaselines for the API), the API's representative GraphQL
// queries that the API benchmark, the load test and the peer benchmark
// send (APIQueries), a bundled Neo4j holding the seed plus a generated
// graph loaded through the real loader (Prepare), and a sampler of the
// live heap (PeakHeap). It lives under bench/, not graph/, because
// loading a benchmark graph needs seed and load, which come before graph
// in the data flow, and graph must not depend on them. Nothing outside
// benchmarks uses it.
package graphbench

import (
	"cmp"
	"context"
	"errors"
	"io"
	"os"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/exportwatch/exportwatch/records"
)

// BareCreate is the writer benchmark's baseline: it reads a record file and
// writes the same documents, entities, claims and relationships as the
// loader, created blindly in batches of batch rows: no idempotence, no
// validation beyond the reader's, no edge upkeep. Each row is written
// whole, as the file has it: ids (a claim's as the loader derives it),
// an entity's type label, every field of a claim and its evidence.
func BareCreate(ctx context.Context, uri, path string, batch int) error {
	driver, err := neo4j.NewDriverWithContext(uri, neo4j.NoAuth())
	if err != nil {
		return err
	}
	defer driver.Close(ctx)
	sess := driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: neo4j.AccessModeWrite})
	defer sess.Close(ctx)
	exec := func(cypher string, rows []map[string]any) error {
		if len(rows) == 0 {
			return nil
		}
		_, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
			res, err := tx.Run(ctx, cypher, map[string]any{"rows": rows})
			if err != nil {
				return nil, err
			}
			return res.Consume(ctx)
		})
		return err
	}
	const (
		docs     = "UNWIND $rows AS row CREATE (d:Document) SET d = row"
		entities = "UNWIND $rows AS row CREATE (e:Entity:$(row.props.schema)) SET e = row.props"
		claims   = `UNWIND $rows AS row
MATCH (s:Entity {id: row.subject}) MATCH (o:Entity {id: row.object}) MATCH (d:Document {id: row.document})
CREATE (c:Claim) SET c = row.props
CREATE (c)-[:SUBJECT]->(s) CREATE (c)-[:OBJECT]->(o) CREATE (c)-[:EVIDENCED_BY {quote: row.quote, locator: row.locator}]->(d)`
	)
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	rd := records.NewReader(f, path)
	refs := map[string]string{}
	var d, e, c []map[string]any
	for {
		line, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		switch {
		case line.Document != nil:
			d = append(d, map[string]any{"id": line.Document.ID, "url": line.Document.URL, "title": line.Document.Title,
				"publisher": line.Document.Publisher, "published": line.Document.Published, "origin": line.Document.Origin})
			if len(d) == batch {
				if err := exec(docs, d); err != nil {
					return err
				}
				d = d[:0]
			}
		case line.Entity != nil:
			id := records.EntityID(*line.Entity)
			refs[line.Entity.Ref] = id
			e = append(e, map[string]any{"props": map[string]any{"id": id, "schema": line.Entity.Schema, "name": line.Entity.Names[0],
				"aliases": line.Entity.Names, "country": line.Entity.Country}})
			if len(e) == batch {
				if err := exec(entities, e); err != nil {
					return err
				}
				e = e[:0]
			}
		case line.Claim != nil:
			if err := exec(docs, d); err != nil {
				return err
			}
			if err := exec(entities, e); err != nil {
				return err
			}
			d, e = nil, nil
			cl := line.Claim
			s, o := refs[cl.Subject], refs[cl.Object]
			c = append(c, map[string]any{"subject": s, "object": o, "document": cl.Evidence[0].Document,
				"quote": cl.Evidence[0].Quote, "locator": cl.Evidence[0].Locator,
				"props": map[string]any{"id": records.ClaimID(*cl, s, o, ""), "relation": cl.Relation, "status": cl.Status,
					"stance": cmp.Or(cl.Stance, records.StanceAsserts), "confidence": cl.Confidence, "start": orNil(cl.Start),
					"end": orNil(cl.End), "stage": orNil(cl.Stage), "extractor": cl.Extractor}})
			if len(c) == batch {
				if err := exec(claims, c); err != nil {
					return err
				}
				c = c[:0]
			}
		}
	}
	return exec(claims, c)
}

// orNil leaves an empty field out of a node, as the writer does.
func orNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}
