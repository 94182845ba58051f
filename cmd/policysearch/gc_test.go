package main

import (
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

func TestGCPercent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		live uint64
		want int
	}{
		{0, 100},       // nothing measured yet: the default
		{4 << 20, 800}, // searching alone: 32 MB to grow
		{8 << 20, 400},
		{gcHeadroom, 100}, // from here on, the default
		{3 * gcHeadroom / 2, 100},
		{1 << 30, 100},
	}
	for _, tt := range tests {
		if got := gcPercent(tt.live); got != tt.want {
			t.Errorf("gcPercent(%d) = %d, want %d", tt.live, got, tt.want)
		}
	}
}

// gogc reads the garbage collector's GOGC.
func gogc(t *testing.T) uint64 {
	t.Helper()
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// unsetenv unsets key for the test, restoring it after.
func unsetenv(t *testing.T, key string) {
	t.Setenv(key, "")
	if err := os.Unsetenv(key); err != nil {
		t.Fatal(err)
	}
}

func TestTuneGC(t *testing.T) {
	discard := slog.New(slog.DiscardHandler)
	unsetenv(t, "GOGC")
	unsetenv(t, "GOMEMLIMIT")
	prev := gogc(t)
	stop := tuneGC(discard)
	if got, want := gogc(t), uint64(gcPercent(liveHeap())); got != want {
		t.Errorf("after tuneGC: GOGC %d, want %d for a live heap of %d bytes", got, want, liveHeap())
	}
	// After collections it follows the live heap: set GOGC to something
	// else and let a collection's finalizer set it back.
	debug.SetGCPercent(12345)
	for i := 0; i < 50 && gogc(t) == 12345; i++ {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if got, want := gogc(t), uint64(gcPercent(liveHeap())); got != want {
		t.Errorf("after collections: GOGC %d, want %d for a live heap of %d bytes", got, want, liveHeap())
	}
	stop()
	if got := gogc(t); got != prev {
		t.Errorf("after stop: GOGC %d, want %d as before", got, prev)
	}

	// Set in the environment, the operator's values stand.
	t.Setenv("GOGC", "150")
	debug.SetGCPercent(int(prev))
	stop = tuneGC(discard)
	defer stop()
	if got := gogc(t); got != prev {
		t.Errorf("with GOGC set: GOGC %d, want it untouched (%d)", got, prev)
	}
}
