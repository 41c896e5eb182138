package api_test

import (
	"runtime/debug"
	"testing"

	"github.com/exportwatch/exportwatch/api"
)

func TestTuneGC(t *testing.T) {
	before := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(before) })
	for _, tc := range []struct {
		gogc string
		// atStart is what the runtime took from GOGC when the process
		// started; TuneGC must leave an operator's setting alone.
		atStart, want int
	}{
		{"", 100, api.GCPercent},
		{"150", 150, 150},
		{"off", -1, -1},
	} {
		t.Run("GOGC="+tc.gogc, func(t *testing.T) {
			t.Setenv("GOGC", tc.gogc)
			debug.SetGCPercent(tc.atStart)
			api.TuneGC()
			if got := debug.SetGCPercent(100); got != tc.want {
				t.Errorf("GC percent after TuneGC = %d, want %d", got, tc.want)
			}
		})
	}
}
