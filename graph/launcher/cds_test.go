package launcher

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestSharedArchive: the first start, with no archive, writes one when
// Neo4j stops; the next start maps it. It runs on a copy of this
// machine's launcher cache (made by the first start of any test's Neo4j)
// so that the archive it makes is its own.
func TestSharedArchive(t *testing.T) {
	ctx := context.Background()
	home, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	shared := filepath.Join(home, "exportwatch")
	if c := os.Getenv("EXPORTWATCH_CACHE_DIR"); c != "" {
		shared = c
	}
	rt, err := prepare(ctx, Config{CacheDir: shared, Progress: os.Stderr})
	if err != nil {
		t.Fatal(err)
	}
	cache := t.TempDir()
	src := filepath.Dir(rt.archive)
	dst := filepath.Join(cache, filepath.Base(src))
	for _, name := range []string{"classpath.txt", "ready", "launcher.jar"} {
		b, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(dst, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cfg := Config{DataDir: t.TempDir(), CacheDir: cache, BoltAddr: addr, Heap: "768m", PageCache: 64 << 20,
		JVMOptions: []string{"-XX:TieredStopAtLevel=1"}}
	archive := filepath.Join(dst, filepath.Base(rt.archive))

	start := func() (*Server, time.Duration) {
		t.Helper()
		began := time.Now()
		s, err := Start(ctx, cfg, false)
		if err != nil {
			t.Fatal(err)
		}
		return s, time.Since(began)
	}
	stop := func(s *Server) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		if err := s.Stop(sctx); err != nil {
			t.Fatal(err)
		}
	}
	s, first := start()
	stop(s)
	if _, err := os.Stat(archive); err != nil {
		t.Fatalf("no archive after the first start stopped: %v", err)
	}
	s, second := start()
	defer stop(s)
	maps, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(s.PID()), "maps"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(maps), archive) {
		t.Errorf("the second start does not map %s", archive)
	}
	t.Logf("start without the archive %s, with it %s", first.Round(100*time.Millisecond), second.Round(100*time.Millisecond))
}
