package main

import (
	"log/slog"
	"os"
	"runtime/debug"
)

// How serve runs the garbage collector. A search allocates about 2 MB (its
// searchers, the page's stored documents and highlights) over a live heap
// of under 10 MB on the shared corpus (the dictionaries live outside the Go
// heap): with Go's default GOGC=100 the collector ran every few searches,
// and while it marks, every pointer write of a search pays a write barrier.
// GOGC=400 runs it a quarter as often for about 16 MB more RSS; the memory
// limit brings back collections as frequent as the default's when the live
// heap passes a quarter of it, so that the heap never grows past it.
const (
	serveGCPercent   = 400
	serveMemoryLimit = 192 << 20
)

// tuneGC sets serve's garbage collector settings, each unless its variable
// (GOGC, GOMEMLIMIT) is set in the environment, and returns a function that
// restores the previous ones. The bench's in-process query phase runs with
// them too, so that it measures searches as serve runs them.
func tuneGC(log *slog.Logger) (restore func()) {
	percent, limit := -2, int64(-1) // -2: leave as is
	if _, ok := os.LookupEnv("GOGC"); !ok {
		percent = debug.SetGCPercent(serveGCPercent)
	}
	if _, ok := os.LookupEnv("GOMEMLIMIT"); !ok {
		limit = debug.SetMemoryLimit(serveMemoryLimit)
	}
	log.Debug("garbage collector", slog.Bool("gogc_from_env", percent == -2), slog.Bool("gomemlimit_from_env", limit < 0))
	return func() {
		if percent != -2 {
			debug.SetGCPercent(percent)
		}
		if limit >= 0 {
			debug.SetMemoryLimit(limit)
		}
	}
}
