package load_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/load"
	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/records/synthetic"
)

// benchClaims is the size of the generated file; EXPORTWATCH_BENCH_CLAIMS
// overrides it (bench/run.sh uses 100000).
func benchClaims(b *testing.B) int {
	n := 20000
	if v := os.Getenv("EXPORTWATCH_BENCH_CLAIMS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatal(err)
		}
	}
	return n
}

func benchFile(b *testing.B, claims int) string {
	path := filepath.Join(b.TempDir(), "bench.jsonl")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := synthetic.Write(f, synthetic.Size{Claims: claims, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkWriter loads a generated file through the real path (validation,
// MERGE, evidence, edge upkeep) and, in the same run and on the same
// database, writes the same rows with a bare UNWIND … CREATE: no idempotence,
// no edge upkeep. It reports claims/s for both and their ratio.
func BenchmarkWriter(b *testing.B) {
	claims := benchClaims(b)
	path := benchFile(b, claims)
	warm := benchFile(b, 5000)
	for _, batch := range []int{250, 1000, 5000} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			s := graphtest.Store(b)
			ctx := context.Background()
			// Warm both paths up first: the JVM compiles and Neo4j plans the
			// queries of whichever runs first, which would tilt the ratio.
			if _, err := load.File(ctx, s, warm, load.Options{BatchSize: batch}); err != nil {
				b.Fatal(err)
			}
			if err := s.Reset(ctx); err != nil {
				b.Fatal(err)
			}
			if err := bareCreate(ctx, warm, batch); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			var writer, baseline time.Duration
			for range b.N {
				if err := s.Reset(ctx); err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				sum, err := load.File(ctx, s, path, load.Options{BatchSize: batch})
				if err != nil {
					b.Fatal(err)
				}
				writer += time.Since(start)
				if sum.Claims.Written == 0 {
					b.Fatal("nothing written")
				}
				if err := s.Reset(ctx); err != nil {
					b.Fatal(err)
				}
				start = time.Now()
				if err := bareCreate(ctx, path, batch); err != nil {
					b.Fatal(err)
				}
				baseline += time.Since(start)
			}
			wRate := float64(claims*b.N) / writer.Seconds()
			bRate := float64(claims*b.N) / baseline.Seconds()
			b.ReportMetric(wRate, "claims/s")
			b.ReportMetric(bRate, "baseline-claims/s")
			b.ReportMetric(wRate/bRate, "ratio")
		})
	}
}

// bareCreate is the baseline: the same documents, entities, claims and
// relationships, created blindly in batches.
func bareCreate(ctx context.Context, path string, batch int) error {
	driver, err := neo4j.NewDriverWithContext(graphtest.URI(), neo4j.NoAuth())
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
		entities = "UNWIND $rows AS row CREATE (e:Entity) SET e = row"
		claims   = `UNWIND $rows AS row
MATCH (s:Entity {id: row.subject}) MATCH (o:Entity {id: row.object}) MATCH (d:Document {id: row.document})
CREATE (c:Claim) SET c = row.props
CREATE (c)-[:SUBJECT]->(s) CREATE (c)-[:OBJECT]->(o) CREATE (c)-[:EVIDENCED_BY {quote: row.quote}]->(d)`
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
				"publisher": line.Document.Publisher, "published": line.Document.Published})
			if len(d) == batch {
				if err := exec(docs, d); err != nil {
					return err
				}
				d = d[:0]
			}
		case line.Entity != nil:
			id := records.EntityID(*line.Entity)
			refs[line.Entity.Ref] = id
			e = append(e, map[string]any{"id": id, "name": line.Entity.Names[0], "aliases": line.Entity.Names, "country": line.Entity.Country})
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
			c = append(c, map[string]any{"subject": refs[cl.Subject], "object": refs[cl.Object], "document": cl.Evidence[0].Document,
				"quote": cl.Evidence[0].Quote, "props": map[string]any{"relation": cl.Relation, "status": cl.Status,
					"confidence": cl.Confidence, "start": cl.Start, "extractor": cl.Extractor}})
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
