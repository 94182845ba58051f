package main

import (
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// How serve runs the garbage collector. A search allocates about 2 MB (its
// searchers, the page's stored documents and highlights). Searching alone,
// the live heap is under 10 MB on the shared corpus (the dictionaries live
// outside the Go heap), so with Go's default GOGC=100 the collector ran
// every few searches, and while it marks, every pointer write of a search
// pays a write barrier. Under HTTP load the live heap is several times
// larger and the default spaces collections well. So serve gives the heap a
// minimum headroom instead: after every collection GOGC is set so that the
// next starts when the heap has grown by gcHeadroom over the live heap, or
// by the live heap itself (the default) when that is more. Searching alone, that is GOGC≈500
// and about 30 MB more heap; under load, the default, and the same RSS.
const gcHeadroom = 32 << 20

// gcPercent returns the GOGC that gives a heap of live bytes gcHeadroom to
// grow, and never less than Go's default of 100.
func gcPercent(live uint64) int {
	if live == 0 {
		return 100
	}
	return max(100, int(100*gcHeadroom/live))
}

// tuneGC keeps serve's GOGC at gcPercent of the live heap, set again after
// every collection, until the returned function is called, which restores
// the previous GOGC. With GOGC or GOMEMLIMIT set in the environment it
// leaves the collector as they say. The bench's in-process query phase and
// BenchmarkQueryMix run with it too, so that they measure searches as serve
// runs them.
func tuneGC(log *slog.Logger) (stop func()) {
	_, gogc := os.LookupEnv("GOGC")
	_, limit := os.LookupEnv("GOMEMLIMIT")
	if gogc || limit {
		log.Debug("garbage collector as the environment says")
		return func() {}
	}
	t := &gcTuner{}
	t.prev = debug.SetGCPercent(gcPercent(liveHeap()))
	t.arm()
	return func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		t.stopped = true
		debug.SetGCPercent(t.prev)
	}
}

// gcTuner sets GOGC after every collection, from a finalizer: an object
// that nothing references is finalized after the collection that found it
// unreachable, and its finalizer arms the next one.
type gcTuner struct {
	mu      sync.Mutex
	stopped bool
	prev    int
}

// gcSentinel is the object whose finalizer runs after a collection.
type gcSentinel struct{ t *gcTuner }

func (t *gcTuner) arm() {
	runtime.SetFinalizer(&gcSentinel{t}, func(s *gcSentinel) {
		s.t.mu.Lock()
		defer s.t.mu.Unlock()
		if s.t.stopped {
			return
		}
		debug.SetGCPercent(gcPercent(liveHeap()))
		s.t.arm()
	})
}

// liveHeap returns the heap the last collection found live, in bytes.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}
