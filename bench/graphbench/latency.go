package graphbench

import (
	"fmt"
	"slices"
	"time"
)

// Latencies summarises a run's timings: how many, the median, the 99th
// percentile, and the rate one client asking one after another gets (the
// count over the total time).
type Latencies struct {
	N         int
	P50, P99  time.Duration
	PerSecond float64
}

// Summarise sorts a copy of ts and reads its percentiles.
func Summarise(ts []time.Duration) Latencies {
	if len(ts) == 0 {
		return Latencies{}
	}
	s := slices.Clone(ts)
	slices.Sort(s)
	var total time.Duration
	for _, t := range s {
		total += t
	}
	return Latencies{N: len(s), P50: s[len(s)/2], P99: s[len(s)*99/100], PerSecond: float64(len(s)) / total.Seconds()}
}

// Ms writes a duration in milliseconds as the docs' tables do: two
// decimals under 10 ms, one above, a dash for none.
func Ms(d time.Duration) string {
	switch {
	case d == 0:
		return "–"
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
}

// Every runs fn at once and then every interval in a goroutine of its own
// until the returned stop is called; stop returns once fn has run for the
// last time, so what fn gathered can be read without a race.
func Every(interval time.Duration, fn func()) (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			fn()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}
