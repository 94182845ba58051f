package main

import (
	"log/slog"
	"os"
	"runtime/metrics"
	"testing"
)

// gcSettings reads the garbage collector's GOGC and memory limit.
func gcSettings(t *testing.T) (percent, limit uint64) {
	t.Helper()
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}, {Name: "/gc/gomemlimit:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64(), s[1].Value.Uint64()
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
	p0, l0 := gcSettings(t)
	restore := tuneGC(discard)
	if p, l := gcSettings(t); p != serveGCPercent || l != serveMemoryLimit {
		t.Errorf("after tuneGC: GOGC %d, memory limit %d; want %d, %d", p, l, serveGCPercent, serveMemoryLimit)
	}
	restore()
	if p, l := gcSettings(t); p != p0 || l != l0 {
		t.Errorf("after restore: GOGC %d, memory limit %d; want %d, %d as before", p, l, p0, l0)
	}

	// Set in the environment, the operator's values stand.
	t.Setenv("GOGC", "150")
	t.Setenv("GOMEMLIMIT", "1GiB")
	restore = tuneGC(discard)
	defer restore()
	if p, l := gcSettings(t); p != p0 || l != l0 {
		t.Errorf("with GOGC and GOMEMLIMIT set: GOGC %d, memory limit %d; want them untouched (%d, %d)", p, l, p0, l0)
	}
}
