package scrapers

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Progress shows a run as it goes: on a terminal, a live line (pages,
// records, errors, rate); otherwise a log line every interval, so a
// scheduled run's log says how far it got.
type Progress struct {
	stop chan struct{}
	done sync.WaitGroup
}

// StartProgress reports c and out on w until Stop.
func StartProgress(w io.Writer, c *Collector, out *Output, log *slog.Logger, interval time.Duration) *Progress {
	p := &Progress{stop: make(chan struct{})}
	start := time.Now()
	line := func() string {
		st := c.Stats()
		rate := float64(st.Requests) / max(time.Since(start).Seconds(), 0.001)
		return fmt.Sprintf("%s: %d pages, %d records, %d errors, %.1f requests/s",
			c.cfg.Source, st.Fetched+st.NotModified, out.Written(), st.Failed, rate)
	}
	var bar *progressbar.ProgressBar
	if isTerminal(w) {
		bar = progressbar.NewOptions64(-1, progressbar.OptionSetWriter(w), progressbar.OptionSpinnerType(14),
			progressbar.OptionSetDescription(line()), progressbar.OptionClearOnFinish())
		interval = 200 * time.Millisecond
	}
	p.done.Go(func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				if bar != nil {
					bar.Finish()
				}
				return
			case <-t.C:
				if bar != nil {
					bar.Describe(line())
					bar.Add(1)
				} else {
					log.Info(line())
				}
			}
		}
	})
	return p
}

// Stop ends the display.
func (p *Progress) Stop() {
	close(p.stop)
	p.done.Wait()
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
