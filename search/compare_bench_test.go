package search

import (
	"os"
	"slices"
	"testing"
	"time"
)

// benchService returns the service a benchmark runs on: an index built by
// `policysearch index` named by POLICYSEARCH_BENCH_INDEX (the shared corpus,
// say), else the embedded sample.
func benchService(b *testing.B) *Service {
	b.Helper()
	if dir := os.Getenv("POLICYSEARCH_BENCH_INDEX"); dir != "" {
		svc := openTestService(b, dir)
		return svc
	}
	f, err := sample()
	if err != nil {
		b.Fatal(err)
	}
	return f.svc
}

// analysisQueries are a rare word, a topic, a common topic and a word
// nearly every document has.
var analysisQueries = []string{"医养", "城市更新", "养老", "发展"}

// BenchmarkCompare compares by county-level region, as the compare page
// does. Run it on the shared corpus with
//
//	policysearch index --corpus ../shared/corpus --index /tmp/ps-idx
//	POLICYSEARCH_BENCH_INDEX=/tmp/ps-idx go test ./search -run '^$' -bench 'Compare|Timeline|Cooccur'
func BenchmarkCompare(b *testing.B) {
	svc := benchService(b)
	for _, q := range analysisQueries {
		b.Run(q, func(b *testing.B) {
			r := CompareRequest{Search: Request{Query: q, Filters: map[string][]string{FacetLevel: {"county"}}}}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := svc.Compare(b.Context(), r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkTimeline follows a query in two provinces.
func BenchmarkTimeline(b *testing.B) {
	svc := benchService(b)
	for _, q := range analysisQueries {
		b.Run(q, func(b *testing.B) {
			r := Request{Query: q, Filters: map[string][]string{FacetRegion: {"山东省", "上海市"}}}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := svc.Timeline(b.Context(), r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCooccur lists the words around a query over all documents.
func BenchmarkCooccur(b *testing.B) {
	svc := benchService(b)
	for _, q := range analysisQueries {
		b.Run(q, func(b *testing.B) {
			r := CooccurRequest{Search: Request{Query: q}}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := svc.Cooccur(b.Context(), r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// latencies runs f n times and returns the median and 99th percentile.
func latencies(n int, f func() error) (p50, p99 time.Duration, err error) {
	ds := make([]time.Duration, 0, n)
	for range n {
		start := time.Now()
		if err := f(); err != nil {
			return 0, 0, err
		}
		ds = append(ds, time.Since(start))
	}
	slices.Sort(ds)
	return ds[len(ds)/2], ds[min(len(ds)-1, len(ds)*99/100)], nil
}
