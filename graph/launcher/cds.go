package launcher

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// Class-data sharing: the JVM maps the classes a previous run loaded from
// an archive instead of loading and verifying them again, which took a
// start of the bundled Neo4j from 15.6 to 8.0 s, and 27 to 17 s, on the
// two cores this project is sized for. The first attached start of a JVM
// writes the archive when it exits; later starts use it. An archive is
// made per launcher cache (the classpath) and per java binary, since the
// JVM refuses one from another build.

// launcherJar packs the compiled launcher into a jar: class-data sharing
// refuses a classpath with a non-empty directory on it.
func launcherJar(classes, jar string) error {
	tmp := jar + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("launcher jar: %w", err)
	}
	zw := zip.NewWriter(f)
	err = filepath.WalkDir(classes, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(classes, path)
		if err != nil {
			return err
		}
		w, err := zw.Create(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		src, err := os.Open(path)
		if err != nil {
			return err
		}
		defer src.Close()
		_, err = io.Copy(w, src)
		return err
	})
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, jar)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("launcher jar: %w", err)
	}
	return nil
}

// sharedArchive is the class-data archive for this java binary in the
// launcher cache dir: named after the binary's real path, size and time,
// so an upgraded JDK makes a new one.
func sharedArchive(dir, java string) (string, error) {
	real, err := filepath.EvalSymlinks(java)
	if err != nil {
		return "", err
	}
	st, err := os.Stat(real)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%d\x00%d", real, st.Size(), st.ModTime().UnixNano())))
	return filepath.Join(dir, "neo4j-"+hex.EncodeToString(sum[:])[:16]+".jsa"), nil
}

// sharingOptions are the JVM options that use the archive, or, when there
// is none yet and this process will see the JVM exit (attached), that
// write one at exit into a file of its own; keep then moves it into place.
func sharingOptions(archive string, attached bool) (opts []string, pending string) {
	if archive == "" {
		return nil, ""
	}
	quiet := "-Xlog:cds=off,cds+dynamic=off" // its warnings are about classes it skips, not about the store
	if _, err := os.Stat(archive); err == nil {
		return []string{"-XX:SharedArchiveFile=" + archive, quiet}, ""
	}
	if !attached || !claimDump(archive) {
		return nil, ""
	}
	pending = fmt.Sprintf("%s.%d.tmp", archive, os.Getpid())
	return []string{"-XX:ArchiveClassesAtExit=" + pending, quiet}, pending
}

// claimDump makes this start the one that writes the archive: test
// binaries start their Neo4j together, and each writing 100 MB as it
// stops would slow the first run on a new machine. A claim older than
// ten minutes was left by a start that never stopped cleanly.
func claimDump(archive string) bool {
	marker := archive + ".writing"
	if st, err := os.Stat(marker); err == nil && time.Since(st.ModTime()) > 10*time.Minute {
		os.Remove(marker)
	}
	f, err := os.OpenFile(marker, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

// keepArchive moves an archive the JVM wrote at exit into place, unless
// the JVM was killed (the file may be cut short) or another start put one
// there first.
func keepArchive(pending, archive string, state *os.ProcessState) {
	if pending == "" {
		return
	}
	defer os.Remove(archive + ".writing")
	defer os.Remove(pending)
	if state == nil {
		return
	}
	if ws, ok := state.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return
	}
	if st, err := os.Stat(pending); err != nil || st.Size() == 0 {
		return
	}
	_ = os.Link(pending, archive) // fails, harmlessly, when one is there already
}
