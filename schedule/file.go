package schedule

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"gopkg.in/yaml.v3"

	"github.com/exportwatch/exportwatch/config"
	"github.com/exportwatch/exportwatch/scrapers"
)

// A File is a schedule file read and checked: where the jobs keep their
// state and the jobs themselves.
type File struct {
	Path string
	// State is the directory that holds a directory per job.
	State string
	Jobs  []Job
}

// A Job is one scrape that runs on a schedule.
type Job struct {
	Name, Source string
	// When is the job's schedule: "every" and the interval as it runs
	// (whole seconds, "every 6h0m0s"), or "cron" and the expression as
	// the file gives it.
	When string
	// Flags are the source's command line without --out and --archive,
	// which the job's state directory sets.
	Flags []string
	Line  int
	sched cron.Schedule
	reg   scrapers.Registration
}

// A FileError is every problem of a schedule file, each with its line: a
// file with one problem is refused whole, so no job runs on a schedule
// that was half understood.
type FileError struct {
	Path     string
	Problems []string
}

func (e *FileError) Error() string {
	return fmt.Sprintf("schedule %s is refused (nothing runs): %d problems\n  %s",
		e.Path, len(e.Problems), strings.Join(e.Problems, "\n  "))
}

// MinEvery is the shortest interval a job may ask for; the collector's
// per-host rate still paces its requests.
const MinEvery = time.Second

// jobName is what a job may be called: its name is its state directory's.
var jobName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// Read reads a schedule file and checks each job against the sources: its
// source exists, its interval or cron expression parses and comes round,
// and its flags are ones the source accepts and complete (the source's own
// check runs, as the scrape command runs it). A relative state directory
// is taken from the file's directory; it defaults to "schedule-state"
// there.
func Read(path string, sources scrapers.Registry, cfg config.Config) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read schedule: %w", err)
	}
	f := &File{Path: path, State: "schedule-state"}
	p := &problems{}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, &FileError{Path: path, Problems: []string{err.Error()}}
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return nil, &FileError{Path: path, Problems: []string{fmt.Sprintf("line %d: the file is a mapping with `state:` and `jobs:`", max(root.Line, 1))}}
	}
	var jobsNode *yaml.Node
	for k, v := range pairs(root) {
		switch k.Value {
		case "state":
			if s, ok := p.scalar(k, v); ok && s != "" {
				f.State = s
			}
		case "jobs":
			jobsNode = v
		default:
			p.add(k.Line, "unknown key %q (the file has `state:` and `jobs:`)", k.Value)
		}
	}
	if !filepath.IsAbs(f.State) {
		f.State = filepath.Join(filepath.Dir(path), f.State)
	}
	switch {
	case jobsNode == nil:
		p.add(root.Line, "no `jobs:` list")
	case jobsNode.Kind != yaml.SequenceNode:
		p.add(jobsNode.Line, "`jobs:` is a list of jobs")
	default:
		for _, n := range jobsNode.Content {
			if j, ok := readJob(n, sources, cfg, f.State, p); ok {
				if slices.ContainsFunc(f.Jobs, func(o Job) bool { return o.Name == j.Name }) {
					p.add(j.Line, "a second job named %q (a name is its state directory)", j.Name)
					continue
				}
				f.Jobs = append(f.Jobs, j)
			}
		}
	}
	if len(p.list) > 0 {
		return nil, &FileError{Path: path, Problems: p.list}
	}
	return f, nil
}

// readJob reads one job; ok is false when it has a problem, which p holds.
func readJob(n *yaml.Node, sources scrapers.Registry, cfg config.Config, state string, p *problems) (Job, bool) {
	j := Job{Line: n.Line}
	if n.Kind != yaml.MappingNode {
		p.add(n.Line, "a job is a mapping with name, source, every or cron, and flags")
		return j, false
	}
	before := len(p.list)
	var every, spec string
	var everyLine, cronLine int
	for k, v := range pairs(n) {
		switch k.Value {
		case "name":
			j.Name, _ = p.scalar(k, v)
		case "source":
			j.Source, _ = p.scalar(k, v)
		case "every":
			every, _ = p.scalar(k, v)
			everyLine = v.Line
		case "cron":
			spec, _ = p.scalar(k, v)
			cronLine = v.Line
		case "flags":
			if v.Kind != yaml.SequenceNode {
				p.add(v.Line, "flags is a list, one flag or value per item: [--url, https://…]")
				continue
			}
			for _, x := range v.Content {
				if x.Kind != yaml.ScalarNode {
					p.add(x.Line, "a flag or value is a plain string")
					continue
				}
				j.Flags = append(j.Flags, x.Value)
			}
		default:
			p.add(k.Line, "unknown key %q (a job has name, source, every or cron, and flags)", k.Value)
		}
	}
	what := "job"
	if j.Name != "" {
		what = fmt.Sprintf("job %q", j.Name)
	}
	switch {
	case j.Name == "":
		p.add(n.Line, "%s has no name", what)
	case !jobName.MatchString(j.Name):
		p.add(n.Line, "%s: a name is lower-case letters, digits, '.', '_' and '-' (it names the job's state directory)", what)
	}
	reg, known := sources.Lookup(j.Source)
	switch {
	case j.Source == "":
		p.add(n.Line, "%s has no source", what)
	case !known:
		names := make([]string, len(sources))
		for i, s := range sources {
			names[i] = s.Name
		}
		p.add(n.Line, "%s: unknown source %q (the sources: %s)", what, j.Source, strings.Join(names, ", "))
	}
	switch {
	case every != "" && spec != "":
		p.add(n.Line, "%s has both every and cron; give one", what)
	case every != "":
		d, err := time.ParseDuration(every)
		switch {
		case err != nil:
			p.add(everyLine, "%s: every %q is not an interval such as 30m or 6h", what, every)
		case d < MinEvery:
			p.add(everyLine, "%s: every %q is shorter than %s", what, every, MinEvery)
		default:
			// robfig/cron runs intervals in whole seconds.
			d = d.Truncate(time.Second)
			j.sched, j.When = cron.Every(d), "every "+d.String()
		}
	case spec != "":
		s, err := parseCron(spec)
		if err != nil {
			p.add(cronLine, "%s: cron %q: %v", what, spec, err)
		} else {
			j.sched, j.When = s, "cron "+spec
		}
	default:
		p.add(n.Line, "%s has neither every nor cron", what)
	}
	for _, fl := range j.Flags {
		name, _, _ := strings.Cut(strings.TrimLeft(fl, "-"), "=")
		if strings.HasPrefix(fl, "-") && (name == "out" || name == "archive") {
			p.add(n.Line, "%s: %s is the job's own (its state directory holds its records and archive)", what, fl)
		}
	}
	if len(p.list) > before {
		return j, false
	}
	j.reg = reg
	if _, err := j.scrape(cfg, state, nil); err != nil {
		p.add(n.Line, "%s: %s: %v", what, strings.Join(append([]string{j.Source}, j.Flags...), " "), err)
		return j, false
	}
	return j, true
}

// scrape is the job's run as the scrape command would run it, writing to
// the job's state directory.
func (j Job) scrape(cfg config.Config, state string, log *slog.Logger) (*scrapers.Scrape, error) {
	dir := filepath.Join(state, j.Name)
	args := append(slices.Clone(j.Flags), "--out", filepath.Join(dir, "records.jsonl"), "--archive", filepath.Join(dir, "archive"))
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return scrapers.ParseScrape(j.reg, args, cfg, log)
}

// parseCron reads a cron expression with robfig/cron's standard parser
// (five fields, or a descriptor such as @daily; CRON_TZ=Zone first picks
// the zone, UTC otherwise), and refuses one that never comes round.
func parseCron(spec string) (s cron.Schedule, err error) {
	defer func() {
		// The parser has panicked on malformed input in the past; a
		// schedule file must get an error, not a crash.
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("not a cron expression (%v)", r)
		}
	}()
	s, err = cron.ParseStandard(spec)
	if err != nil {
		return nil, err
	}
	if s.Next(time.Now().UTC()).IsZero() {
		return nil, errors.New("no time matches it")
	}
	return s, nil
}

// problems gathers a file's problems, each with its line.
type problems struct{ list []string }

func (p *problems) add(line int, format string, args ...any) {
	p.list = append(p.list, fmt.Sprintf("line %d: ", line)+fmt.Sprintf(format, args...))
}

// scalar is v's text, or a problem when v is a list or a mapping.
func (p *problems) scalar(k, v *yaml.Node) (string, bool) {
	if v.Kind != yaml.ScalarNode {
		p.add(v.Line, "%s is a plain value", k.Value)
		return "", false
	}
	return strings.TrimSpace(v.Value), true
}

// pairs yields a mapping's keys and values.
func pairs(m *yaml.Node) func(yield func(k, v *yaml.Node) bool) {
	return func(yield func(k, v *yaml.Node) bool) {
		for i := 0; i+1 < len(m.Content); i += 2 {
			if !yield(m.Content[i], m.Content[i+1]) {
				return
			}
		}
	}
}
