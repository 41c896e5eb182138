package schedule

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/exportwatch/exportwatch/config"
	"github.com/exportwatch/exportwatch/scrapers"
	"github.com/exportwatch/exportwatch/scrapers/gleif"
	"github.com/exportwatch/exportwatch/scrapers/report"
)

var testSources = scrapers.Registry{report.Source, gleif.Source}

func writeFile(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "schedule.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReadJobs(t *testing.T) {
	path := writeFile(t, `# two jobs
state: state
jobs:
  - name: watch-feed
    source: report
    every: 6h
    flags: [--feed, "https://www.example-watch.org/feed.atom", --rate, "0.5"]
  - name: lei
    source: gleif
    cron: "CRON_TZ=Europe/Berlin 30 5 * * 1"
    flags:
      - --lei
      - 549300EXAMPLE0000001
`)
	f, err := Read(path, testSources, config.Config{})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Name, Source, When string
		Flags              []string
		Line               int
	}
	var got []row
	for _, j := range f.Jobs {
		got = append(got, row{j.Name, j.Source, j.When, j.Flags, j.Line})
	}
	want := []row{
		{"watch-feed", "report", "every 6h0m0s", []string{"--feed", "https://www.example-watch.org/feed.atom", "--rate", "0.5"}, 4},
		{"lei", "gleif", "cron CRON_TZ=Europe/Berlin 30 5 * * 1", []string{"--lei", "549300EXAMPLE0000001"}, 8},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("jobs (-want +got):\n%s", d)
	}
	if want := filepath.Join(filepath.Dir(path), "state"); f.State != want {
		t.Errorf("state %q, want %q (beside the file)", f.State, want)
	}
}

// TestReadRefuses: a file with any problem is refused whole, with the line
// and the reason of each problem, and nothing is created on disk.
func TestReadRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		says       []string
	}{
		{"unknown source", "jobs:\n  - name: a\n    source: nosuch\n    every: 1h\n",
			[]string{`line 2: job "a": unknown source "nosuch" (the sources: report, gleif)`}},
		{"bad interval", "jobs:\n  - name: a\n    source: report\n    every: 5 minutes\n    flags: [--url, https://a.example/r]\n",
			[]string{`line 4: job "a": every "5 minutes" is not an interval such as 30m or 6h`}},
		{"interval too short", "jobs:\n  - name: a\n    source: report\n    every: 10ms\n    flags: [--url, https://a.example/r]\n",
			[]string{`line 4: job "a": every "10ms" is shorter than 1s`}},
		{"missing flag", "jobs:\n  - name: a\n    source: report\n    every: 1h\n",
			[]string{`line 2: job "a": report: give a --url or a --feed`}},
		{"unknown flag", "jobs:\n  - name: a\n    source: report\n    every: 1h\n    flags: [--url, https://a.example/r, --depth, '2']\n",
			[]string{`line 2: job "a": report --url https://a.example/r --depth 2: flag provided but not defined: -depth`}},
		{"flag value not a URL", "jobs:\n  - name: a\n    source: report\n    every: 1h\n    flags: [--feed, a.example/feed]\n",
			[]string{`"a.example/feed" is not an http(s) URL`}},
		{"the job's own flag", "jobs:\n  - name: a\n    source: report\n    every: 1h\n    flags: [--url, https://a.example/r, --out=x.jsonl]\n",
			[]string{`line 2: job "a": --out=x.jsonl is the job's own`}},
		{"bad cron", "jobs:\n  - name: a\n    source: report\n    cron: '61 * * * *'\n    flags: [--url, https://a.example/r]\n",
			[]string{`line 4: job "a": cron "61 * * * *": end of range (61) above maximum (59): 61`}},
		{"cron that never comes", "jobs:\n  - name: a\n    source: report\n    cron: '0 0 30 2 *'\n    flags: [--url, https://a.example/r]\n",
			[]string{`line 4: job "a": cron "0 0 30 2 *": no time matches it`}},
		{"both", "jobs:\n  - name: a\n    source: report\n    every: 1h\n    cron: '@daily'\n    flags: [--url, https://a.example/r]\n",
			[]string{`line 2: job "a" has both every and cron; give one`}},
		{"neither", "jobs:\n  - name: a\n    source: report\n    flags: [--url, https://a.example/r]\n",
			[]string{`line 2: job "a" has neither every nor cron`}},
		{"unknown key", "jobs:\n  - name: a\n    source: report\n    evry: 1h\n    flags: [--url, https://a.example/r]\n",
			[]string{`line 4: unknown key "evry"`, `line 2: job "a" has neither every nor cron`}},
		{"two of one name", "jobs:\n  - {name: a, source: report, every: 1h, flags: [--url, 'https://a.example/r']}\n  - {name: a, source: report, every: 2h, flags: [--url, 'https://a.example/s']}\n",
			[]string{`line 3: a second job named "a"`}},
		{"bad name", "jobs:\n  - {name: ../up, source: report, every: 1h, flags: [--url, 'https://a.example/r']}\n",
			[]string{`line 2: job "../up": a name is lower-case letters`}},
		{"no jobs", "state: s\n", []string{"line 1: no `jobs:` list"}},
		{"not a mapping", "- a\n- b\n", []string{"line 1: the file is a mapping"}},
		{"not YAML", "jobs:\n  - name: a\n   source: report\n", []string{"did not find expected"}},
		{"several at once", "jobs:\n  - name: a\n    source: nosuch\n    every: 1h\n  - name: b\n    source: report\n    every: never\n",
			[]string{`line 2: job "a": unknown source`, `line 7: job "b": every "never"`, "2 problems"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, tc.text)
			f, err := Read(path, testSources, config.Config{})
			var fe *FileError
			if !errors.As(err, &fe) || f != nil {
				t.Fatalf("Read gave %v, %v; want a FileError", f, err)
			}
			for _, s := range tc.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error\n%v\ndoes not say %q", err, s)
				}
			}
			if !strings.Contains(err.Error(), "nothing runs") {
				t.Errorf("error does not say that nothing runs: %v", err)
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(path), "schedule-state")); err == nil {
				t.Error("a refused file left a state directory")
			}
		})
	}
}
