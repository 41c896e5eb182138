package graphbench

import (
	"runtime/metrics"
	"time"
)

const heapObjects = "/memory/classes/heap/objects:bytes"

// HeapNow is the Go heap's objects now, live and not yet collected.
func HeapNow() uint64 {
	sample := []metrics.Sample{{Name: heapObjects}}
	metrics.Read(sample)
	return sample[0].Value.Uint64()
}

// PeakHeap samples the Go heap every few milliseconds until the returned
// stop is called, and stop returns the highest value seen: how much a
// streaming export (or anything else) held at once.
func PeakHeap() (stop func() uint64) {
	var peak uint64
	end := Every(2*time.Millisecond, func() { peak = max(peak, HeapNow()) })
	return func() uint64 { end(); return max(peak, HeapNow()) }
}
