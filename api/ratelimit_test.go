package api

import (
	"fmt"
	"testing"
)

// An exhausted client stays exhausted however many other clients come and
// go: the table drops the buckets used least recently, not all of them.
func TestRateLimiterKeepsBusyBuckets(t *testing.T) {
	l := &rateLimiter{perSecond: 0.001, burst: 2}
	for range 2 {
		if !l.allow("key:busy") {
			t.Fatal("a fresh bucket refused its burst")
		}
	}
	for i := range 3 * maxBuckets {
		if !l.allow(fmt.Sprintf("addr:10.0.%d.%d", i/256, i%256)) {
			t.Fatalf("new client %d refused", i)
		}
		if i%100 == 0 && l.allow("key:busy") {
			t.Fatalf("the exhausted client got tokens back after %d other clients", i+1)
		}
	}
	if n := l.buckets.Len(); n > maxBuckets {
		t.Fatalf("%d buckets kept; the bound is %d", n, maxBuckets)
	}
}
