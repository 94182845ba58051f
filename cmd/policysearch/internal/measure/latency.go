package measure

import (
	"slices"
	"time"
)

// Latencies is a set of measured durations. The zero value is empty and
// ready to use; it is not safe for concurrent use.
type Latencies struct {
	d      []time.Duration
	sorted bool
}

// Add records one duration.
func (l *Latencies) Add(d time.Duration) {
	l.d = append(l.d, d)
	l.sorted = false
}

// Merge adds every duration of o.
func (l *Latencies) Merge(o *Latencies) {
	l.d = append(l.d, o.d...)
	l.sorted = false
}

// Len is the number of durations recorded.
func (l *Latencies) Len() int { return len(l.d) }

// Percentile returns the p-th percentile (0 < p ≤ 100) by the nearest-rank
// method: the smallest recorded duration that at least p% of them do not
// exceed. It returns 0 when nothing was recorded.
func (l *Latencies) Percentile(p float64) time.Duration {
	if len(l.d) == 0 {
		return 0
	}
	if !l.sorted {
		slices.Sort(l.d)
		l.sorted = true
	}
	rank := int(float64(len(l.d))*p/100+0.999999999) - 1
	return l.d[min(max(rank, 0), len(l.d)-1)]
}

// Milliseconds converts d to fractional milliseconds, the unit of the
// bench's JSON.
func Milliseconds(d time.Duration) float64 {
	return float64(d) / float64(time.Millisecond)
}
