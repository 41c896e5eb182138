package api_test

import (
	"os"
	"runtime/debug"
	"testing"

	"github.com/exportwatch/exportwatch/api"
)

func TestTuneGC(t *testing.T) {
	before := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(before) })
	for _, tc := range []struct {
		name, gogc string
		unset      bool
		want       int
		wantErr    bool
	}{
		{name: "unset", unset: true, want: api.GCPercent},
		{name: "empty", gogc: "", want: api.GCPercent},
		// A GOGC from .env arrives after the runtime read the
		// environment, so TuneGC applies it.
		{name: "a percentage", gogc: "150", want: 150},
		{name: "off", gogc: "off", want: -1},
		{name: "nonsense", gogc: "fast", want: 100, wantErr: true},
		{name: "negative", gogc: "-5", want: 100, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("GOGC", tc.gogc)
			if tc.unset {
				os.Unsetenv("GOGC") // t.Setenv restores it afterwards
			}
			debug.SetGCPercent(100)
			err := api.TuneGC()
			if (err != nil) != tc.wantErr {
				t.Fatalf("TuneGC() error = %v, want an error: %v", err, tc.wantErr)
			}
			if got := debug.SetGCPercent(100); got != tc.want {
				t.Errorf("GC percent after TuneGC = %d, want %d", got, tc.want)
			}
		})
	}
}
