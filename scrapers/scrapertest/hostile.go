package scrapertest

import (
	"bytes"
	"compress/gzip"
	"runtime"
	"runtime/metrics"
	"sync"
	"time"
)

// GzipBomb is size bytes of zeros gzipped (64 MiB come to about 64 KiB):
// a body that grows a thousandfold when the transport inflates it.
func GzipBomb(size int) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zeros := make([]byte, 1<<20)
	for ; size > 0; size -= len(zeros) {
		zw.Write(zeros[:min(size, len(zeros))])
	}
	zw.Close()
	return b.Bytes()
}

// PeakHeap runs fn and returns the most heap its run held above what was
// live when it started, sampled every millisecond (a briefer peak can be
// missed, so the figure is a floor).
func PeakHeap(fn func()) uint64 {
	const heap = "/memory/classes/heap/objects:bytes"
	sample := []metrics.Sample{{Name: heap}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	runtime.GC()
	base := read()
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: heap}}
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	fn()
	close(done)
	wg.Wait()
	peak = max(peak, read())
	if peak < base {
		return 0
	}
	return peak - base
}
