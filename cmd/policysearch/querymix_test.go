package main

import (
	"log/slog"
	"os"
	"testing"

	"policysearch/cmd/policysearch/internal/measure"
	"policysearch/indexer"
	"policysearch/search"
)

// BenchmarkQueryMix runs each query of the bench's mix in process, as
// `policysearch bench` does sequentially, on the index named by
// POLICYSEARCH_BENCH_INDEX (built by `policysearch index`). Profile it with
//
//	policysearch index --corpus ../shared/corpus --index /tmp/ps-idx
//	POLICYSEARCH_BENCH_INDEX=/tmp/ps-idx go test ./cmd/policysearch -run '^$' -bench QueryMix -cpuprofile cpu.out
//
// The bench keeps the index of a scaled corpus with --keep-index:
//
//	policysearch bench --corpus ../shared/corpus --scale 10 --baseline=false --keep-index /tmp/ps-x10
func BenchmarkQueryMix(b *testing.B) {
	dir := os.Getenv("POLICYSEARCH_BENCH_INDEX")
	if dir == "" {
		b.Skip("set POLICYSEARCH_BENCH_INDEX to an index built by `policysearch index` (the shared corpus, say)")
	}
	// The dictionaries from the cache, outside the Go heap, as serve and
	// the bench load them: loaded from text, they are 116 MB of pointers
	// the garbage collector would scan, and the profile would show it.
	indexer.UseDictionaryCache(dictCacheDir(Config{}))
	// And the garbage collector as serve sets it.
	b.Cleanup(tuneGC(slog.New(slog.DiscardHandler)))
	idx, err := indexer.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if err := idx.Close(); err != nil {
			b.Error(err)
		}
	})
	svc, err := search.New(idx, search.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range queryMix {
		b.Run(q.Name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := measure.CPUTime()
			for b.Loop() {
				if _, err := svc.Search(b.Context(), q.Req); err != nil {
					b.Fatal(err)
				}
			}
			// CPU time moves much less than wall time with the load of a
			// shared machine; it counts the garbage collector's work too.
			b.ReportMetric(float64(measure.CPUTime()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}
