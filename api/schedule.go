package api

import (
	"context"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/exportwatch/exportwatch/api/model"
	"github.com/exportwatch/exportwatch/schedule"
)

// schedule lists the scheduled scrapes for an editor: their problems name
// the pages and sources the server reads, which readers need not see.
func (r *Resolver) schedule(ctx context.Context) ([]model.ScheduledJob, error) {
	if _, err := requireEditor(ctx); err != nil {
		return nil, err
	}
	out := []model.ScheduledJob{}
	if r.Schedule == nil {
		return out, nil
	}
	for _, j := range r.Schedule.Status() {
		m := model.ScheduledJob{Name: j.Name, Source: j.Source, When: j.When, Running: j.Running, Runs: j.Runs,
			LastStarted: timeOrNil(j.Started), LastEnded: timeOrNil(j.Ended), Error: optional(j.Error),
			RecordsWritten: int(j.Written), Unchanged: j.Unchanged, Loaded: j.Loaded, Problems: j.Problems,
			Failures: j.Failures, NextRun: timeOrNil(j.Next)}
		if m.Problems == nil {
			m.Problems = []string{}
		}
		if j.Outcome != "" {
			o := model.JobOutcome(strings.ToUpper(j.Outcome))
			m.Outcome = &o
		}
		out = append(out, m)
	}
	return out, nil
}

// timeOrNil is t in RFC 3339 (UTC, to the second), or null when unset.
func timeOrNil(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

// scheduleCollector reads the scheduled jobs' state at each scrape of
// /metrics: a job that stops running shows as a next run in the past, one
// that keeps failing as failures that grow.
type scheduleCollector struct{ s *schedule.Scheduler }

var (
	jobRunning  = prometheus.NewDesc("exportwatch_schedule_running", "1 while a run of the job is under way.", []string{"job"}, nil)
	jobRuns     = prometheus.NewDesc("exportwatch_schedule_runs_total", "Runs of the job finished.", []string{"job"}, nil)
	jobEnded    = prometheus.NewDesc("exportwatch_schedule_last_run_end_timestamp_seconds", "When the job's last run ended.", []string{"job"}, nil)
	jobNext     = prometheus.NewDesc("exportwatch_schedule_next_run_timestamp_seconds", "When the job runs next.", []string{"job"}, nil)
	jobWritten  = prometheus.NewDesc("exportwatch_schedule_last_run_records_written", "Records the job's last run added.", []string{"job"}, nil)
	jobProblems = prometheus.NewDesc("exportwatch_schedule_last_run_problems", "What the job's last run could not use.", []string{"job"}, nil)
	jobFailures = prometheus.NewDesc("exportwatch_schedule_failures", "The job's failed runs in a row.", []string{"job"}, nil)
)

func (scheduleCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{jobRunning, jobRuns, jobEnded, jobNext, jobWritten, jobProblems, jobFailures} {
		ch <- d
	}
}

func (c scheduleCollector) Collect(ch chan<- prometheus.Metric) {
	gauge := func(d *prometheus.Desc, v float64, job string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, job)
	}
	for _, j := range c.s.Status() {
		running := 0.0
		if j.Running {
			running = 1
		}
		gauge(jobRunning, running, j.Name)
		ch <- prometheus.MustNewConstMetric(jobRuns, prometheus.CounterValue, float64(j.Runs), j.Name)
		if !j.Ended.IsZero() {
			gauge(jobEnded, float64(j.Ended.Unix()), j.Name)
		}
		if !j.Next.IsZero() {
			gauge(jobNext, float64(j.Next.Unix()), j.Name)
		}
		gauge(jobWritten, float64(j.Written), j.Name)
		gauge(jobProblems, float64(j.ProblemCount), j.Name)
		gauge(jobFailures, float64(j.Failures), j.Name)
	}
}
