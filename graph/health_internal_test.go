package graph

import (
	"errors"
	"testing"
	"time"
)

// TestBreakerTellsBusyFromGone: a probe refused opens the breaker at once;
// probes that time out open it only once they have for hangAfter, and one
// good probe between them starts the count again.
func TestBreakerTellsBusyFromGone(t *testing.T) {
	refused, late := errors.New("connection refused"), errors.New("context deadline exceeded")
	for _, tc := range []struct {
		name  string
		steps []func(h *health)
		down  bool
	}{
		{"refused", []func(*health){func(h *health) { h.set(refused, false) }}, true},
		{"one late probe", []func(*health){func(h *health) { h.set(late, true) }}, false},
		{"late past hangAfter", []func(*health){
			func(h *health) { h.set(late, true) },
			func(*health) { time.Sleep(60 * time.Millisecond) },
			func(h *health) { h.set(late, true) },
		}, true},
		{"a good probe between late ones", []func(*health){
			func(h *health) { h.set(late, true) },
			func(*health) { time.Sleep(60 * time.Millisecond) },
			func(h *health) { h.set(nil, false) },
			func(h *health) { h.set(late, true) },
		}, false},
		{"refused, then answering", []func(*health){
			func(h *health) { h.set(refused, false) },
			func(h *health) { h.set(nil, false) },
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &health{hangAfter: 50 * time.Millisecond}
			h.init()
			for _, step := range tc.steps {
				step(h)
			}
			if h.down != tc.down {
				t.Errorf("down = %v, want %v", h.down, tc.down)
			}
			if tc.down && h.gone.Err() == nil {
				t.Error("the statements running were not ended")
			}
		})
	}
}
