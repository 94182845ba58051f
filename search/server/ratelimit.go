package server

import (
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	tokenbucket "golang.org/x/time/rate"
)

// RateLimit is a token bucket: Rate requests per second on average, with
// bursts of up to Burst. The zero value means no limit.
type RateLimit struct {
	// Rate is the sustained number of requests per second; zero or less
	// means no limit.
	Rate float64
	// Burst is the most requests allowed at once; zero means twice Rate
	// (at least 1).
	Burst int
}

// on reports whether l limits anything.
func (l RateLimit) on() bool { return l.Rate > 0 }

func (l RateLimit) burst() int {
	if l.Burst > 0 {
		return l.Burst
	}
	return max(1, int(math.Ceil(2*l.Rate)))
}

// maxBuckets bounds the number of client buckets kept; idle ones are
// dropped first, so a flood of addresses cannot grow memory without end.
const maxBuckets = 100_000

// idleBucket is how long an unused bucket is kept.
const idleBucket = 10 * time.Minute

// limiter holds one token bucket per client (IP address or key name).
type limiter struct {
	limit   RateLimit
	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	lim  *tokenbucket.Limiter
	last time.Time
}

func newLimiter(l RateLimit) *limiter {
	return &limiter{limit: l, buckets: map[string]*bucket{}}
}

// allow takes a token for client; when none is left it returns false and
// how long until one is.
func (l *limiter) allow(client string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[client]
	if b == nil {
		if len(l.buckets) >= maxBuckets {
			l.sweep(now)
		}
		b = &bucket{lim: tokenbucket.NewLimiter(tokenbucket.Limit(l.limit.Rate), l.limit.burst())}
		l.buckets[client] = b
	}
	b.last = now
	r := b.lim.ReserveN(now, 1)
	if !r.OK() {
		return false, time.Second
	}
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// sweep drops idle buckets, or all of them if none is idle; the caller
// holds mu.
func (l *limiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if now.Sub(b.last) > idleBucket {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= maxBuckets {
		clear(l.buckets)
	}
}

// rateLimitError means a client sent too many requests; it may retry after
// RetryAfter.
type rateLimitError struct {
	// By says what was limited: "ip" or "key".
	By         string
	RetryAfter time.Duration
}

func (e *rateLimitError) Error() string {
	return fmt.Sprintf("too many requests for this %s; retry after %s", e.By, e.RetryAfter.Round(time.Second))
}

// rateLimit applies the per-key limit to requests with a key and the
// per-IP limit to those without. Admin keys are not limited. The client
// address is the connection's (gin's ClientIP with no trusted proxies).
func (s *Server) rateLimit() gin.HandlerFunc {
	return func(c *gin.Context) {
		switch c.Request.URL.Path {
		case "/healthz", "/readyz", "/metrics":
			c.Next() // probes and scrapes are not limited
			return
		}
		now := time.Now()
		var (
			ok    = true
			after time.Duration
			by    string
		)
		switch k := keyOf(c); {
		case k != nil && k.Scope == ScopeAdmin:
		case k != nil && s.keyLimit != nil:
			ok, after = s.keyLimit.allow(k.Name, now)
			by = "key"
		case k == nil && s.ipLimit != nil:
			ok, after = s.ipLimit.allow(c.ClientIP(), now)
			by = "ip"
		}
		if !ok {
			s.metrics.rateLimited.WithLabelValues(by).Inc()
			s.renderError(c, &rateLimitError{By: by, RetryAfter: max(after, time.Second)})
			return
		}
		c.Next()
	}
}
