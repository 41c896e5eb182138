// Package launcher runs the bundled Neo4j: Neo4j Community embedded in a small
// Java class (java/ beside this file) whose classpath Maven resolves once from
// Maven Central. After the first run everything is cached, so later starts
// need neither Maven nor a network. The database runs as a child JVM bound to
// loopback; exportwatch talks to it over Bolt like to any other Neo4j.
package launcher

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

//go:embed java/pom.xml java/src/main/java/exportwatch/Neo4jLauncher.java
var javaSources embed.FS

const mainClass = "exportwatch.Neo4jLauncher"

// Config says where and how the bundled Neo4j runs.
type Config struct {
	// DataDir holds the store (DataDir/neo4j), the pid file and the JVM's
	// output (neo4j.out).
	DataDir string
	// CacheDir holds the resolved classpath and the compiled launcher.
	CacheDir string
	// BoltAddr is host:port on loopback.
	BoltAddr string
	// Heap is the JVM's -Xmx, e.g. "1g".
	Heap string
	// PageCache is Neo4j's page cache in bytes.
	PageCache int64
	// Password enables auth with this password for user neo4j; empty means
	// no auth, which is safe only because Bolt listens on loopback.
	Password string
	// Progress receives Maven's output on the first run; nil discards it.
	Progress io.Writer
	// StartTimeout bounds the wait for Bolt; zero means two minutes.
	StartTimeout time.Duration
	// JVMOptions are added to the JVM's command line (tests trade peak
	// speed for less compilation work).
	JVMOptions []string
}

// URI is the Bolt URI clients use to reach the bundled Neo4j.
func (c Config) URI() string { return "bolt://" + c.BoltAddr }

func (c Config) pidFile() string { return filepath.Join(c.DataDir, "neo4j.pid") }
func (c Config) outFile() string { return filepath.Join(c.DataDir, "neo4j.out") }

// runtime is what Prepare finds or builds: the java binary and a classpath
// that includes the compiled launcher.
type runtime struct {
	java      string
	classpath string
	// archive is where the class-data archive for java is, or goes.
	archive string
}

// ErrPortInUse is returned when the Bolt port is taken by something that is
// not our own bundled Neo4j.
var ErrPortInUse = errors.New("bolt port in use")

func javaTool(name string) (string, error) {
	if home := os.Getenv("JAVA_HOME"); home != "" {
		p := filepath.Join(home, "bin", name)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%s not found: the bundled Neo4j needs a JDK 17 (Debian: apt-get install openjdk-17-jdk-headless), or set NEO4J_URI to use an existing Neo4j", name)
	}
	return p, nil
}

// sourcesKey names the cache entry after the launcher's sources, so editing
// the pom or the class rebuilds it and nothing else does.
func sourcesKey() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(javaSources, "java", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := javaSources.ReadFile(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// prepare resolves the classpath with Maven and compiles the launcher, once
// per version of the sources. A file lock makes concurrent first runs (test
// binaries start in parallel) wait for one another instead of racing.
func prepare(ctx context.Context, cfg Config) (runtime, error) {
	java, err := javaTool("java")
	if err != nil {
		return runtime{}, err
	}
	key, err := sourcesKey()
	if err != nil {
		return runtime{}, fmt.Errorf("hash launcher sources: %w", err)
	}
	dir := filepath.Join(cfg.CacheDir, "neo4j-launcher-"+key)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return runtime{}, fmt.Errorf("create launcher cache: %w", err)
	}
	unlock, err := lockFile(filepath.Join(dir, "lock"))
	if err != nil {
		return runtime{}, err
	}
	defer unlock()

	cpFile := filepath.Join(dir, "classpath.txt")
	classes := filepath.Join(dir, "classes")
	readyFile := filepath.Join(dir, "ready")
	jar := filepath.Join(dir, "launcher.jar")
	cached := func() (runtime, error) {
		cp, err := os.ReadFile(cpFile)
		if err != nil {
			return runtime{}, fmt.Errorf("read cached classpath: %w", err)
		}
		if _, err := os.Stat(jar); err != nil {
			if err := launcherJar(classes, jar); err != nil {
				return runtime{}, err
			}
		}
		archive, err := sharedArchive(dir, java)
		if err != nil {
			archive = "" // no sharing: the JVM starts as it always did
		}
		return runtime{java: java, classpath: jar + string(os.PathListSeparator) + strings.TrimSpace(string(cp)), archive: archive}, nil
	}
	if _, err := os.Stat(readyFile); err == nil {
		return cached()
	}

	mvn, err := exec.LookPath("mvn")
	if err != nil {
		return runtime{}, errors.New("mvn not found: the first start of the bundled Neo4j resolves it from Maven Central (Debian: apt-get install maven), or set NEO4J_URI to use an existing Neo4j")
	}
	javac, err := javaTool("javac")
	if err != nil {
		return runtime{}, err
	}
	src := filepath.Join(dir, "src")
	if err := writeSources(src); err != nil {
		return runtime{}, err
	}
	progress := cfg.Progress
	if progress == nil {
		progress = io.Discard
	}
	fmt.Fprintf(progress, "resolving Neo4j from Maven Central (first run only) into %s\n", dir)
	var mvnOut bytes.Buffer
	cmd := exec.CommandContext(ctx, mvn, "-B", "-ntp", "-Dstyle.color=never", "-f", filepath.Join(src, "java", "pom.xml"),
		"dependency:build-classpath", "-Dmdep.outputFile="+cpFile)
	cmd.Stdout = io.MultiWriter(progress, &mvnOut)
	cmd.Stderr = cmd.Stdout
	if err := cmd.Run(); err != nil {
		return runtime{}, fmt.Errorf("resolve Neo4j with Maven: %w\n%s", err, tail(mvnOut.String(), 20))
	}
	cp, err := os.ReadFile(cpFile)
	if err != nil {
		return runtime{}, fmt.Errorf("read resolved classpath: %w", err)
	}
	if err := os.RemoveAll(classes); err != nil {
		return runtime{}, fmt.Errorf("clear launcher classes: %w", err)
	}
	var javacOut bytes.Buffer
	cmd = exec.CommandContext(ctx, javac, "-nowarn", "--release", "17", "-d", classes, "-cp", strings.TrimSpace(string(cp)),
		filepath.Join(src, "java", "src", "main", "java", "exportwatch", "Neo4jLauncher.java"))
	cmd.Stdout = &javacOut
	cmd.Stderr = &javacOut
	if err := cmd.Run(); err != nil {
		return runtime{}, fmt.Errorf("compile Neo4j launcher: %w\n%s", err, javacOut.String())
	}
	if err := launcherJar(classes, jar); err != nil {
		return runtime{}, err
	}
	if err := os.WriteFile(readyFile, []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o644); err != nil {
		return runtime{}, fmt.Errorf("mark launcher cache ready: %w", err)
	}
	return cached()
}

func writeSources(dst string) error {
	return fs.WalkDir(javaSources, "java", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dst, filepath.FromSlash(path))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := javaSources.ReadFile(path)
		if err != nil {
			return err
		}
		if err := os.WriteFile(target, b, 0o644); err != nil {
			return fmt.Errorf("write launcher source: %w", err)
		}
		return nil
	})
}

func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// checkLoopback refuses a Bolt address that is not on loopback: the bundled
// database runs without a password by default.
func checkLoopback(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("bolt address %q: %w", addr, err)
	}
	if _, err := strconv.Atoi(port); err != nil {
		return fmt.Errorf("bolt address %q: port is not a number", addr)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("bolt address %q: the bundled Neo4j listens on loopback only (127.0.0.1 or ::1)", addr)
	}
	return nil
}

// Server is a running bundled Neo4j.
type Server struct {
	cfg  Config
	pid  int
	cmd  *exec.Cmd // nil when found running rather than started by us
	done chan struct{}
	// stdin is held open so the JVM exits if this process dies uncleanly.
	stdin io.Closer
}

// URI is the server's Bolt URI.
func (s *Server) URI() string { return s.cfg.URI() }

// PID is the JVM's process id.
func (s *Server) PID() int { return s.pid }

// Started reports whether this process started the server (and so should
// stop it), rather than finding it already running.
func (s *Server) Started() bool { return s.cmd != nil }

// Start starts the bundled Neo4j and waits until Bolt answers. A detached
// server outlives this process (exportwatch neo4j start); an attached one
// exits when this process does, even on kill -9.
func Start(ctx context.Context, cfg Config, detached bool) (*Server, error) {
	if err := checkLoopback(cfg.BoltAddr); err != nil {
		return nil, err
	}
	if running, err := Running(cfg); err != nil {
		return nil, err
	} else if running != nil {
		return nil, fmt.Errorf("bundled Neo4j already running (pid %d) at %s", running.pid, running.URI())
	}
	if err := portFree(cfg.BoltAddr); err != nil {
		return nil, err
	}
	rt, err := prepare(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	home, err := filepath.Abs(filepath.Join(cfg.DataDir, "neo4j"))
	if err != nil {
		return nil, err
	}
	out, err := os.OpenFile(cfg.outFile(), os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open neo4j output: %w", err)
	}
	defer out.Close()

	heap := cfg.Heap
	if heap == "" {
		heap = "1g"
	}
	pagecache := cfg.PageCache
	if pagecache <= 0 {
		pagecache = 512 << 20
	}
	args := []string{
		"-Xms256m", "-Xmx" + heap, "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError",
		// Keep the JVM's own thread pools small on a 2-core machine.
		"-XX:ActiveProcessorCount=2",
		"-Dfile.encoding=UTF-8",
	}
	sharing, pending := sharingOptions(rt.archive, !detached)
	args = append(args, sharing...)
	args = append(args, cfg.JVMOptions...)
	args = append(args,
		"-cp", rt.classpath, mainClass,
		"--home", home, "--bolt", cfg.BoltAddr, "--pagecache", strconv.FormatInt(pagecache, 10))
	if !detached {
		args = append(args, "--watch-stdin")
	}
	cmd := exec.Command(rt.java, args...)
	cmd.Stdout = out
	cmd.Stderr = out
	cmd.Env = append(os.Environ(), "EXPORTWATCH_NEO4J_PASSWORD="+cfg.Password)
	s := &Server{cfg: cfg, cmd: cmd, done: make(chan struct{})}
	if detached {
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	} else {
		stdin, err := cmd.StdinPipe()
		if err != nil {
			return nil, fmt.Errorf("neo4j stdin: %w", err)
		}
		s.stdin = stdin
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start java: %w", err)
	}
	s.pid = cmd.Process.Pid
	var waitErr error
	go func() {
		waitErr = cmd.Wait()
		keepArchive(pending, rt.archive, cmd.ProcessState)
		close(s.done)
	}()
	if err := os.WriteFile(cfg.pidFile(), []byte(fmt.Sprintf("%d\n%s\n", s.pid, cfg.BoltAddr)), 0o644); err != nil {
		_ = s.kill()
		return nil, fmt.Errorf("write pid file: %w", err)
	}

	timeout := cfg.StartTimeout
	if timeout == 0 {
		timeout = 2 * time.Minute
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-s.done:
			os.Remove(cfg.pidFile())
			log, _ := os.ReadFile(cfg.outFile())
			return nil, fmt.Errorf("bundled Neo4j exited during start (%v); its output (%s):\n%s", waitErr, cfg.outFile(), tail(string(log), 30))
		case <-ctx.Done():
			_ = s.kill()
			return nil, fmt.Errorf("start bundled Neo4j: %w", ctx.Err())
		case <-deadline.C:
			_ = s.kill()
			return nil, fmt.Errorf("bundled Neo4j did not answer on %s within %s; see %s", cfg.BoltAddr, timeout, cfg.outFile())
		case <-tick.C:
			if ready(cfg.outFile()) && dialable(cfg.BoltAddr) {
				return s, nil
			}
		}
	}
}

func ready(outFile string) bool {
	f, err := os.Open(outFile)
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "READY ") {
			return true
		}
	}
	return false
}

func dialable(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

func portFree(addr string) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("%w: %s is taken (%v); stop what holds it, choose another port with EXPORTWATCH_NEO4J_BOLT_ADDR, or point NEO4J_URI at the Neo4j already there", ErrPortInUse, addr, err)
	}
	return l.Close()
}

// Running finds a bundled Neo4j started earlier for this data directory, by
// its pid file. A stale pid file (the process is gone, or the pid now belongs
// to something else) is removed and reported as not running.
func Running(cfg Config) (*Server, error) {
	b, err := os.ReadFile(cfg.pidFile())
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read pid file: %w", err)
	}
	fields := strings.Fields(string(b))
	if len(fields) < 2 {
		os.Remove(cfg.pidFile())
		return nil, nil
	}
	pid, err := strconv.Atoi(fields[0])
	if err != nil || !isLauncher(pid) {
		os.Remove(cfg.pidFile())
		return nil, nil
	}
	c := cfg
	c.BoltAddr = fields[1]
	return &Server{cfg: c, pid: pid}, nil
}

func isLauncher(pid int) bool {
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return false
	}
	return bytes.Contains(cmdline, []byte(mainClass))
}

// Stop asks Neo4j to shut down cleanly (SIGTERM: the store is checkpointed
// and flushed) and waits; past ctx's deadline it kills the JVM.
func (s *Server) Stop(ctx context.Context) error {
	defer os.Remove(s.cfg.pidFile())
	proc, err := os.FindProcess(s.pid)
	if err != nil {
		return err
	}
	if err := proc.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("signal neo4j (pid %d): %w", s.pid, err)
	}
	exited := s.done
	if exited == nil {
		// Not our child: poll until the process is gone.
		ch := make(chan struct{})
		go func() {
			for isLauncher(s.pid) {
				time.Sleep(100 * time.Millisecond)
			}
			close(ch)
		}()
		exited = ch
	}
	select {
	case <-exited:
		if s.stdin != nil {
			s.stdin.Close()
		}
		return nil
	case <-ctx.Done():
		_ = proc.Kill()
		return fmt.Errorf("neo4j (pid %d) did not stop in time and was killed: %w", s.pid, ctx.Err())
	}
}

// Kill ends Neo4j at once with SIGKILL, as a crash or kill -9 would: no
// checkpoint is written, and the next start recovers the store from the
// transaction log. Only for a server this process started.
func (s *Server) Kill() error { return s.kill() }

func (s *Server) kill() error {
	os.Remove(s.cfg.pidFile())
	if s.cmd == nil {
		return nil
	}
	err := s.cmd.Process.Kill()
	<-s.done
	return err
}

// Wait blocks until the server exits; only for a server this process started.
func (s *Server) Wait() {
	if s.done != nil {
		<-s.done
	}
}
