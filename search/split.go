package search

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// Splitting a search over idle cores. A query that matches most of a large
// index spends most of its time walking postings (a quarter of the ×10
// corpus's 22,800 documents and more for the bench's slowest queries). When
// a core is idle, collect runs the query in parts, one per core, each over
// a range of document numbers: the second part's searcher advances to the
// middle of the index and the first stops there. Matches are the same, and
// so are scores, for every searcher whose score of a document does not
// depend on how it got there (splittable). When every core is busy (a
// loaded server: serve runs one search per core), searches run in one
// part, as before, so throughput does not pay for the parts' extra
// searcher set-up.

// splitMin is the estimated number of matches (the searcher's Count, an
// upper bound) from which a search runs in parts: below it, opening a
// second searcher costs more than it saves.
const splitMin = 2000

// coreCount counts the goroutines running searches of a Service and hands
// out idle cores.
type coreCount struct {
	busy atomic.Int32
	// max is the number of cores; min the count from which to split.
	max int32
	min uint64
}

func newCoreCount() *coreCount {
	return &coreCount{max: int32(runtime.GOMAXPROCS(0)), min: splitMin}
}

// enter counts a search as running until the returned function is called.
func (c *coreCount) enter() (leave func()) {
	c.busy.Add(1)
	return func() { c.busy.Add(-1) }
}

// parts returns how many parts a search of q, with about count matches,
// runs in, having reserved an idle core for each part but the first (give
// them back with release).
func (c *coreCount) parts(count uint64, q query.Query) int {
	if count < c.min || c.max < 2 || !splittable(q) {
		return 1
	}
	n := 1
	for n < int(c.max) {
		b := c.busy.Load()
		if b >= c.max {
			break
		}
		if c.busy.CompareAndSwap(b, b+1) {
			n++
		}
	}
	return n
}

// release gives back the cores of a search's parts but the first.
func (c *coreCount) release(parts int) {
	c.busy.Add(-int32(parts - 1))
}

// splittable says whether every searcher of q scores a document the same
// whether it reached it by Next or by Advance from anywhere: terms,
// literals, match-all, and boolean, conjunction and disjunction searchers
// over them. bleve sums a disjunction of more than
// searcher.DisjunctionHeapTakeover clauses (prefixes, regular expressions,
// ranges: many terms) in the order of a heap that depends on the path, so
// its scores can differ in the last bit; such queries run in one part.
func splittable(q query.Query) bool {
	switch q := q.(type) {
	case *query.TermQuery, *literal, *query.MatchAllQuery, *query.MatchNoneQuery:
		return true
	case *query.BooleanQuery:
		for _, c := range []query.Query{q.Must, q.Should, q.MustNot} {
			if c != nil && !splittable(c) {
				return false
			}
		}
		return q.Filter == nil
	case *query.ConjunctionQuery:
		for _, c := range q.Conjuncts {
			if !splittable(c) {
				return false
			}
		}
		return true
	case *query.DisjunctionQuery:
		if len(q.Disjuncts) > searcher.DisjunctionHeapTakeover {
			return false
		}
		for _, c := range q.Disjuncts {
			if !splittable(c) {
				return false
			}
		}
		return true
	}
	return false
}

// collectParts is collect in parts over equal ranges of document numbers:
// first, q's searcher already open, runs the first range here, the others
// run in goroutines on cores reserved by coreCount.parts. The matches are
// appended to ms in document order, as one searcher would.
func (s *Service) collectParts(ctx context.Context, reader index.IndexReader, v *tableView, q query.Query, first search.Searcher, parts int, ms []match) ([]match, error) {
	defer s.cores.release(parts)
	n := v.offsets[len(v.segs)]
	bounds := make([]uint64, parts+1)
	for i := range bounds {
		bounds[i] = n * uint64(i) / uint64(parts)
	}
	bufs := make([]*[]match, parts)
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for i := 1; i < parts; i++ {
		wg.Go(func() {
			sr, err := q.Searcher(s.searchContext(ctx), reader, s.idx.Mapping(), search.SearcherOptions{})
			if err != nil {
				errs[i] = fmt.Errorf("search: %w", err)
				return
			}
			bufs[i] = matchPool.Get().(*[]match)
			*bufs[i], errs[i] = collectRange(ctx, v, reader, sr, bounds[i], bounds[i+1], (*bufs[i])[:0])
		})
	}
	ms, errs[0] = collectRange(ctx, v, reader, first, 0, bounds[1], ms)
	wg.Wait()
	for _, b := range bufs[1:] {
		if b != nil {
			ms = append(ms, *b...)
			matchPool.Put(b)
		}
	}
	return ms, errors.Join(errs...)
}
