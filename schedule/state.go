package schedule

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// History is what a job's runs have come to: how many, whether one is
// under way, the last finished one, and when the next is due. The
// schedule query and /metrics show it; state.json keeps it.
type History struct {
	Runs int `json:"runs"`
	// Running is set while a run is under way; a state read with it set
	// is a run a crash or a stop cut short, and it is run again at once
	// (the record file continues and loading is idempotent, so nothing
	// is written twice).
	Running bool      `json:"running"`
	Started time.Time `json:"started,omitzero"`
	Ended   time.Time `json:"ended,omitzero"`
	// Outcome is the last finished run's: "ok", "problems" or "failed"
	// (empty before the first).
	Outcome string `json:"outcome,omitempty"`
	Error   string `json:"error,omitempty"`
	// Written is the records the last run added; Unchanged the pages a
	// 304 answered; Loaded the lines of the record file it loaded (all of
	// them, when the file had changed); Problems what it could not use,
	// the first 50 of ProblemCount.
	Written      int64    `json:"written"`
	Unchanged    int      `json:"unchanged"`
	Loaded       int      `json:"loaded"`
	Problems     []string `json:"problems,omitempty"`
	ProblemCount int      `json:"problem_count"`
	// Failures counts the failed runs since the last that did not fail.
	Failures int       `json:"failures"`
	Next     time.Time `json:"next,omitzero"`
}

// state is a job's memory between runs and restarts, kept in its state
// directory as state.json. It is written before a run starts (Running)
// and when it ends, each time whole and renamed into place, so a crash
// leaves the last complete state.
type state struct {
	History
	// When is the schedule the next run was computed from: a job whose
	// every or cron the file changes is planned again.
	When    string    `json:"when"`
	Planned time.Time `json:"planned,omitzero"`
	// LoadedFile is records.jsonl as the graph last had all of it: a run
	// that finds the file otherwise loads it, so records a failed load
	// left behind are loaded by the next run.
	LoadedFile fileMark `json:"loaded_file"`
}

func readState(dir string) (state, error) {
	var st state
	b, err := os.ReadFile(filepath.Join(dir, "state.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("read job state: %w", err)
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return st, fmt.Errorf("job state %s: %w (move it away to start the job afresh)", filepath.Join(dir, "state.json"), err)
	}
	return st, nil
}

func writeState(dir string, st state) error {
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, "state.json.tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("write job state: %w", err)
	}
	_, err = f.Write(append(b, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, "state.json"))
	}
	if err != nil {
		return fmt.Errorf("write job state: %w", err)
	}
	return nil
}

// lockDir takes the job directory's lock for as long as the returned file
// stays open, so two processes never run one job at once. It does not
// wait: a job another process runs is an error at start-up.
func lockDir(dir string) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("job directory: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("job lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("another process runs this job (it holds %s)", f.Name())
		}
		return nil, fmt.Errorf("job lock %s: %w", f.Name(), err)
	}
	return f, nil
}
