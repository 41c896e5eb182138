package api

import (
	"net"
	"net/http"
	"sync"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/time/rate"
)

// rateLimiter gives each API key, or each client address for anonymous
// requests, its own token bucket.
type rateLimiter struct {
	perSecond rate.Limit
	burst     int
	once      sync.Once
	buckets   *lru.Cache[string, *rate.Limiter]
}

// maxBuckets bounds the memory the limiter can take. Past it, the bucket
// used least recently goes: a client that has been quiet longest starts
// over, while a busy (or exhausted) one keeps its bucket however many new
// addresses appear.
const maxBuckets = 10000

func (l *rateLimiter) allow(who string) bool {
	l.once.Do(func() {
		var err error
		if l.buckets, err = lru.New[string, *rate.Limiter](maxBuckets); err != nil {
			panic(err) // only for a size below one
		}
	})
	b, ok := l.buckets.Get(who)
	if !ok {
		b = rate.NewLimiter(l.perSecond, l.burst)
		if first, found, _ := l.buckets.PeekOrAdd(who, b); found {
			b = first // another request of the same client made it first
		}
	}
	return b.Allow()
}

// byPrincipal answers 429 to a client over its rate. It runs after
// authenticate: a key's requests share one bucket wherever they come from;
// anonymous requests get a bucket per address.
func (l *rateLimiter) byPrincipal(next http.Handler) http.Handler {
	return l.limit(next, func(r *http.Request) string {
		if p := principalFrom(r.Context()); p.Name != "anonymous" {
			return "key:" + p.Name
		}
		return "addr:" + clientAddr(r)
	})
}

// byAddress runs before authenticate with its own buckets, so guessing keys
// from one address is throttled too.
func (l *rateLimiter) byAddress(next http.Handler) http.Handler {
	return l.limit(next, func(r *http.Request) string { return "addr:" + clientAddr(r) })
}

func (l *rateLimiter) limit(next http.Handler, who func(*http.Request) string) http.Handler {
	if l == nil || l.perSecond <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !l.allow(who(r)) {
			// A token comes back within a second at any rate of at least
			// one request per second.
			w.Header().Set("Retry-After", "1")
			writeError(w, http.StatusTooManyRequests, CodeLimitExceeded, "too many requests; slow down")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
