// Package schedule runs the scrapes a schedule file lists, each on its
// interval or cron expression, and loads what each run writes. Each job
// keeps its record file, WARC archive, conditional-request validators and
// last run in a directory of its own, so an unchanged source costs a 304
// and a restart neither repeats a run nor skips one.
package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/exportwatch/exportwatch/config"
)

// A Loader loads a record file into the graph; the scheduler calls it
// with a job's record file whenever a run changed it.
type Loader func(ctx context.Context, path string) (LoadResult, error)

// LoadResult is what a load took: the lines loaded, and the lines it
// refused, each with its reason.
type LoadResult struct {
	Lines    int
	Problems []string
}

// Options set a scheduler up.
type Options struct {
	Config  config.Config
	Load    Loader
	Version string
	Log     *slog.Logger
	// Backoff is the first wait after a failed run, doubled for each
	// failure after it, up to MaxBackoff; the next run is the later of
	// that and the job's next time. Zero means a minute.
	Backoff time.Duration
}

// MaxBackoff is the longest wait after failures.
const MaxBackoff = 24 * time.Hour

// maxProblems bounds the problems a job's state keeps of one run.
const maxProblems = 50

// A Scheduler runs a schedule file's jobs, each in its own goroutine, one
// run of a job at a time.
type Scheduler struct {
	file *File
	opt  Options
	mu   sync.Mutex
	jobs map[string]*jobState
}

type jobState struct {
	job  Job
	dir  string
	lock *os.File
	st   state
}

// JobStatus is a job as the schedule query and /metrics show it.
type JobStatus struct {
	Name, Source, When string
	History
}

// New takes each job's lock and reads its state; a job another process
// runs, or a state it cannot read, stops it before anything runs.
func New(f *File, opt Options) (*Scheduler, error) {
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Backoff <= 0 {
		opt.Backoff = time.Minute
	}
	if opt.Load == nil {
		return nil, errors.New("schedule: no loader")
	}
	s := &Scheduler{file: f, opt: opt, jobs: map[string]*jobState{}}
	for _, j := range f.Jobs {
		dir := filepath.Join(f.State, j.Name)
		lock, err := lockDir(dir)
		if err == nil {
			var st state
			if st, err = readState(dir); err == nil {
				s.jobs[j.Name] = &jobState{job: j, dir: dir, lock: lock, st: st}
				continue
			}
			lock.Close()
		}
		s.Close()
		return nil, fmt.Errorf("schedule %s, job %q: %w", f.Path, j.Name, err)
	}
	return s, nil
}

// Close lets go of the jobs' locks.
func (s *Scheduler) Close() {
	for _, js := range s.jobs {
		js.lock.Close()
	}
}

// Run runs the jobs until ctx ends; a run under way then stops where it
// is and, its state still saying so, runs again at the next start.
func (s *Scheduler) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for _, j := range s.file.Jobs {
		wg.Go(func() { s.loop(ctx, s.jobs[j.Name]) })
	}
	wg.Wait()
}

// Status is every job's, in the file's order.
func (s *Scheduler) Status() []JobStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]JobStatus, 0, len(s.file.Jobs))
	for _, j := range s.file.Jobs {
		st := s.jobs[j.Name].st
		out = append(out, JobStatus{Name: j.Name, Source: j.Source, When: j.When, History: st.History})
	}
	return out
}

// due is when a job runs next: at once when its last run was cut short,
// when it never ran, or when its time passed while the program was down
// (several missed times make one run); when the file gives the job a new
// schedule, at the new schedule's first time after the last run's.
func due(st state, j Job, now time.Time) time.Time {
	at := st.Next
	switch {
	case st.Running || st.Next.IsZero():
		return now
	case st.When != j.When:
		at = j.sched.Next(st.Planned.UTC())
	}
	if at.Before(now) {
		return now
	}
	return at
}

func (s *Scheduler) loop(ctx context.Context, js *jobState) {
	for {
		s.mu.Lock()
		at := due(js.st, js.job, time.Now())
		s.mu.Unlock()
		t := time.NewTimer(time.Until(at))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		if err := s.runOnce(ctx, js, at); err != nil {
			if ctx.Err() != nil {
				return
			}
			// The state cannot be written: running on would repeat runs
			// the disk cannot record, so the job waits and tries again.
			s.opt.Log.Error("scheduled job", "job", js.job.Name, "err", err)
			select {
			case <-ctx.Done():
				return
			case <-time.After(s.opt.Backoff):
			}
		}
	}
}

// runOnce runs the job once: it scrapes into the job's record file, loads
// the file when it changed (loadNew), and records the outcome and the
// next time. It returns an error only when the state cannot be saved or
// ctx ended mid-run.
func (s *Scheduler) runOnce(ctx context.Context, js *jobState, planned time.Time) error {
	st := s.update(js, func(st *state) {
		st.Running, st.Planned, st.Started, st.When = true, planned, time.Now().UTC(), js.job.When
	})
	if err := writeState(js.dir, st); err != nil {
		return err
	}
	log := s.opt.Log.With("job", js.job.Name)
	log.Info("scheduled run starts", "source", js.job.Source)
	var res runResult
	var runErr error
	if sc, err := js.job.scrape(s.opt.Config, s.file.State, log); err != nil {
		runErr = err
	} else {
		r, err := sc.Run(ctx, s.opt.Version, nil)
		res.written, res.unchanged, res.problems, runErr = r.Written, r.Stats.NotModified, r.Problems, err
	}
	if ctx.Err() != nil {
		// Stopped, not failed: the state still says Running, so the next
		// start runs the job again and the record file continues.
		return ctx.Err()
	}
	// Whatever the scrape wrote is loaded, even when it stopped short.
	loadErr := s.loadNew(ctx, js, &res)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	ended := time.Now().UTC()
	st = s.update(js, func(st *state) {
		st.Running, st.Runs, st.Ended = false, st.Runs+1, ended
		st.Written, st.Unchanged, st.Loaded = res.written, res.unchanged, res.loaded
		st.Problems, st.ProblemCount = capped(res.problems), len(res.problems)
		st.Error, st.Outcome = "", "ok"
		switch {
		case runErr != nil || loadErr != nil:
			st.Error, st.Outcome = errors.Join(runErr, loadErr).Error(), "failed"
			st.Failures++
		case len(res.problems) > 0:
			st.Outcome, st.Failures = "problems", 0
		default:
			st.Failures = 0
		}
		if res.loadedFile != (fileMark{}) {
			st.LoadedFile = res.loadedFile
		}
		st.Next = next(js.job, planned, ended, st.Failures, s.opt.Backoff)
	})
	log.Info("scheduled run ends", "outcome", st.Outcome, "written", st.Written, "loaded", st.Loaded,
		"problems", len(st.Problems), "error", st.Error, "next", st.Next)
	return writeState(js.dir, st)
}

// runResult gathers a run's figures as it goes.
type runResult struct {
	written   int64
	unchanged int
	loaded    int
	problems  []string
	// loadedFile is the record file as the graph now has it (zero when
	// nothing was loaded).
	loadedFile fileMark
}

// fileMark tells one state of the record file from another: its size
// and modification time.
type fileMark struct {
	Size    int64 `json:"size"`
	ModTime int64 `json:"mod_time"`
}

// loadNew loads the job's record file when it changed since the graph
// last had all of it. The whole file is loaded, not the lines it gained:
// a record may name another by the file's own ref (an incident's later
// claims name the incident written by an earlier run), and loading what
// the graph has already changes nothing. A torn last line (a run stopped
// writing) is a problem of this load; the next run cuts it and the file
// changes again, so it is loaded again.
func (s *Scheduler) loadNew(ctx context.Context, js *jobState, res *runResult) error {
	s.mu.Lock()
	had := js.st.LoadedFile
	s.mu.Unlock()
	path := filepath.Join(js.dir, "records.jsonl")
	info, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("records: %w", err)
	}
	mark := fileMark{Size: info.Size(), ModTime: info.ModTime().UnixNano()}
	if mark == had {
		return nil
	}
	lr, err := s.opt.Load(ctx, path)
	res.loaded, res.problems = lr.Lines, append(res.problems, lr.Problems...)
	if err != nil {
		return fmt.Errorf("load %s: %w", path, err)
	}
	res.loadedFile = mark
	return nil
}

// next is a job's next time after a run planned at planned that ended at
// ended: the schedule's next time after planned (so runs do not drift),
// not before the run ended, and after failures not before the backoff.
func next(j Job, planned, ended time.Time, failures int, backoff time.Duration) time.Time {
	n := j.sched.Next(planned.UTC())
	if n.Before(ended) {
		n = ended
	}
	if failures > 0 {
		wait := MaxBackoff
		if failures < 20 {
			wait = min(backoff<<(failures-1), MaxBackoff)
		}
		if b := ended.Add(wait); n.Before(b) {
			n = b
		}
	}
	return n
}

func (s *Scheduler) update(js *jobState, fn func(*state)) state {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(&js.st)
	return js.st
}

func capped(p []string) []string {
	if len(p) <= maxProblems {
		return p
	}
	return append(p[:maxProblems:maxProblems], fmt.Sprintf("and %d more", len(p)-maxProblems))
}
