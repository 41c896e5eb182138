package graph_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
)

// BenchmarkBackupRestore backs up the seed with a generated file of
// claims (EXPORTWATCH_BENCH_CLAIMS, default 20,000) and what fillGraph
// adds, then restores it into the emptied database (emptying it is not
// timed). It reports the seconds of each, the file's size, the seconds
// of a canonical hash and what the graph holds; the restored graph must hash as the backed up one did.
//
//	EXPORTWATCH_TEST_NEO4J_HEAP=2g EXPORTWATCH_BENCH_CLAIMS=100000 \
//	  go test -run '^$' -bench BackupRestore -benchtime 1x -timeout 60m ./graph
func BenchmarkBackupRestore(b *testing.B) {
	claims := 20000
	if v := os.Getenv("EXPORTWATCH_BENCH_CLAIMS"); v != "" {
		var err error
		if claims, err = strconv.Atoi(v); err != nil {
			b.Fatal(err)
		}
	}
	s := graphtest.Store(b)
	ctx := context.Background()
	fillGraph(b, s, claims)
	start := time.Now()
	want := digest(b, s)
	hashTime := time.Since(start)
	path := filepath.Join(b.TempDir(), "graph.backup.gz")
	var backupTime, restoreTime time.Duration
	var size int64
	b.ResetTimer()
	for range b.N {
		start = time.Now()
		if err := backupFile(ctx, s, path); err != nil {
			b.Fatal(err)
		}
		backupTime += time.Since(start)
		info, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		size = info.Size()

		b.StopTimer()
		if err := s.Reset(ctx); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start = time.Now()
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		_, err = s.Restore(ctx, f, graph.RestoreOptions{})
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		restoreTime += time.Since(start)
	}
	b.StopTimer()
	if diff := cmp.Diff(want, digest(b, s)); diff != "" {
		b.Fatalf("restored (-backed up +restored):\n%s", diff)
	}
	b.ReportMetric(backupTime.Seconds()/float64(b.N), "backup-s")
	b.ReportMetric(restoreTime.Seconds()/float64(b.N), "restore-s")
	b.ReportMetric(float64(size)/1e6, "MB")
	b.ReportMetric(hashTime.Seconds(), "hash-s")
	b.ReportMetric(float64(want.Nodes), "nodes")
	b.ReportMetric(float64(want.Relationships), "relationships")
}

// backupFile writes a backup to path, on disk when it returns, as the
// backup command does.
func backupFile(ctx context.Context, s *graph.Store, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := s.Backup(ctx, f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
