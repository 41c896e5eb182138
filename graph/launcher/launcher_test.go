package launcher

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestStartRefusals(t *testing.T) {
	java, javaErr := exec.LookPath("java")
	onlyJava := t.TempDir()
	if javaErr == nil {
		if err := os.Symlink(java, filepath.Join(onlyJava, "java")); err != nil {
			t.Fatal(err)
		}
	}
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()

	tests := []struct {
		name     string
		path     string // PATH for the call; "" leaves it
		addr     string
		want     []string
		sentinel error
	}{
		{name: "no java", path: t.TempDir(), addr: "127.0.0.1:1", want: []string{"java not found", "JDK 17", "NEO4J_URI"}},
		{name: "no maven on first run", path: onlyJava, addr: "127.0.0.1:1", want: []string{"mvn not found", "apt-get install maven", "NEO4J_URI"}},
		{name: "not loopback", addr: "0.0.0.0:7687", want: []string{"loopback only"}},
		{name: "public address", addr: "192.0.2.1:7687", want: []string{"loopback only"}},
		{name: "bad address", addr: "localhost", want: []string{"bolt address"}},
		{name: "port taken", addr: busy.Addr().String(), want: []string{"is taken", "EXPORTWATCH_NEO4J_BOLT_ADDR", "NEO4J_URI"}, sentinel: ErrPortInUse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "no maven on first run" && javaErr != nil {
				t.Fatalf("java is needed for this case: %v", javaErr)
			}
			t.Setenv("JAVA_HOME", "")
			if tt.path != "" {
				t.Setenv("PATH", tt.path)
			}
			cfg := Config{DataDir: t.TempDir(), CacheDir: t.TempDir(), BoltAddr: tt.addr}
			s, err := Start(context.Background(), cfg, false)
			if err == nil {
				s.Stop(context.Background())
				t.Fatal("started")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("error %v is not %v", err, tt.sentinel)
			}
		})
	}
}

func TestStalePidFileIsIgnored(t *testing.T) {
	cfg := Config{DataDir: t.TempDir()}
	// A pid that is certainly not our JVM: this test process.
	if err := os.WriteFile(cfg.pidFile(), []byte(strings.Join([]string{strconv.Itoa(os.Getpid()), "127.0.0.1:7687"}, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Running(cfg)
	if err != nil || s != nil {
		t.Fatalf("Running = %v, %v; want nothing", s, err)
	}
	if _, err := os.Stat(cfg.pidFile()); !os.IsNotExist(err) {
		t.Fatal("stale pid file left behind")
	}
}
