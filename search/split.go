package search

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// Splitting a search over idle cores. A query that matches most of a large
// index spends most of its time walking postings (a quarter of the ×10
// corpus's 22,800 documents and more for the bench's slowest queries). When
// a core is idle, collect runs the query in parts, one per core, each over
// a range of document numbers: the first part's searcher stops at the
// middle of the index, the second's sees the index from there on (through
// fromReader, so that it starts there by Next, as the first would go on).
// Matches are the same, and so are scores, for every query whose searchers
// score a document the same whatever came before it (splittable). When
// every core is busy (a
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

// conjQuery is a conjunction whose searcher estimates its matches (Count)
// as its smallest clause's estimate, not as bleve's sum of them: a
// conjunction matches at most what its rarest clause matches and costs
// about what walking that clause costs, so several words and filtered
// searches split (splitMin) only when that is large. It reads as the
// conjunction (as JSON too). conjunctive makes a boolean's must clause one.
type conjQuery struct {
	*query.ConjunctionQuery
}

// conjunctive makes b's must clause a conjQuery and returns b.
func conjunctive(b *query.BooleanQuery) *query.BooleanQuery {
	if c, ok := b.Must.(*query.ConjunctionQuery); ok {
		b.Must = &conjQuery{c}
	}
	return b
}

// Searcher implements query.Query.
func (c *conjQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	cp := *c.ConjunctionQuery
	counts := make([]uint64, 0, len(c.Conjuncts))
	cp.Conjuncts = make([]query.Query, len(c.Conjuncts))
	for i, q := range c.Conjuncts {
		cp.Conjuncts[i] = &countedQuery{Query: q, counts: &counts}
	}
	s, err := cp.Searcher(ctx, r, m, options)
	if err != nil || len(counts) == 0 {
		return s, err
	}
	if _, none := s.(*searcher.MatchNoneSearcher); none {
		return s, nil
	}
	return &countSearcher{Searcher: s, count: slices.Min(counts)}, nil
}

// countedQuery is a query that appends its searcher's Count to counts.
type countedQuery struct {
	query.Query
	counts *[]uint64
}

// Searcher implements query.Query.
func (c *countedQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	s, err := c.Query.Searcher(ctx, r, m, options)
	if err == nil {
		*c.counts = append(*c.counts, s.Count())
	}
	return s, err
}

// countSearcher is a searcher with another estimate of its matches.
type countSearcher struct {
	search.Searcher
	count uint64
}

// Count implements search.Searcher.
func (c *countSearcher) Count() uint64 {
	return c.count
}

// splittable says whether every searcher of q scores a document the same
// whatever documents its traversal started from: terms, literals, text
// clauses (clauseQuery), filters (which score nothing), and boolean,
// conjunction and disjunction searchers over them, with two exceptions.
// bleve sums a disjunction of more than searcher.DisjunctionHeapTakeover
// clauses (prefixes, regular expressions, ranges: many terms) in the order
// of a heap that depends on the path, so its scores can differ in the last
// bit: a single character runs in one part. And bleve's own boolean
// searcher with a should clause can lose that clause's bonus for a
// document when its parent advances it (see boolean.go); our booleans with
// a should clause are clauseQuery and boolQuery, which keep it, so several
// words and filtered queries split. Match-all does not split (see there).
func splittable(q query.Query) bool {
	return splitSafe(q, false)
}

// splitSafe is splittable for q, advanced saying whether q's searcher is
// advanced by its parent (not only stepped with Next).
func splitSafe(q query.Query, advanced bool) bool {
	switch q := q.(type) {
	case *query.TermQuery, *literal, *query.MatchNoneQuery, *filterClause:
		return true
	case *query.MatchAllQuery:
		// Splittable, but walking the all-documents bitmap costs too
		// little per match for a second core to pay off (all-facets at
		// ×10 was slower split).
		return false
	case *clauseQuery:
		// One searcher over its leaves (or bleve's with the should
		// clause held, for a single character, whose prefix and regexp
		// clauses do not split).
		return splitSafe(q.BooleanQuery, false)
	case *boolQuery:
		return splitSafe(q.BooleanQuery, false)
	case *conjQuery:
		return splitSafe(q.ConjunctionQuery, advanced)
	case *query.BooleanQuery:
		if q.Must == nil && q.MustNot == nil && q.Filter == nil {
			// bleve runs it as its should searcher alone (the relaxed
			// query).
			return q.Should == nil || splitSafe(q.Should, advanced)
		}
		if q.Filter != nil || (q.Should != nil && advanced) {
			return false
		}
		return (q.Must == nil || splitSafe(q.Must, advanced)) &&
			(q.Should == nil || splitSafe(q.Should, true)) &&
			(q.MustNot == nil || splitSafe(q.MustNot, true))
	case *query.ConjunctionQuery:
		for _, c := range q.Conjuncts {
			if !splitSafe(c, true) {
				return false
			}
		}
		return true
	case *query.DisjunctionQuery:
		if len(q.Disjuncts) > searcher.DisjunctionHeapTakeover {
			return false
		}
		for _, c := range q.Disjuncts {
			if !splitSafe(c, advanced) {
				return false
			}
		}
		return true
	}
	return false
}

// fromReader is an index reader whose term and all-documents readers start
// at document lo: a later part's searcher steps from there with Next, as
// the one searcher of an unsplit search would go on, and is never advanced
// there (see splittable). Everything else is the snapshot's.
type fromReader struct {
	index.IndexReader
	lo index.IndexInternalID
}

// TermFieldReader implements index.IndexReader.
func (f *fromReader) TermFieldReader(ctx context.Context, term []byte, field string, includeFreq, includeNorm, includeTermVectors bool) (index.TermFieldReader, error) {
	r, err := f.IndexReader.TermFieldReader(ctx, term, field, includeFreq, includeNorm, includeTermVectors)
	if err != nil {
		return nil, err
	}
	return &fromTermReader{TermFieldReader: r, lo: f.lo}, nil
}

// DocIDReaderAll implements index.IndexReader.
func (f *fromReader) DocIDReaderAll() (index.DocIDReader, error) {
	r, err := f.IndexReader.DocIDReaderAll()
	if err != nil {
		return nil, err
	}
	return &fromDocIDReader{DocIDReader: r, lo: f.lo}, nil
}

// FieldCardinality implements index.BM25Reader, which term searchers look
// for to score with BM25 as on the snapshot.
func (f *fromReader) FieldCardinality(field string) (int, error) {
	br, ok := f.IndexReader.(index.BM25Reader)
	if !ok {
		return 0, fmt.Errorf("field cardinality: reader %T has no BM25 statistics", f.IndexReader)
	}
	return br.FieldCardinality(field)
}

// fromTermReader is a term reader that starts at lo.
type fromTermReader struct {
	index.TermFieldReader
	lo      index.IndexInternalID
	started bool
}

// Next implements index.TermFieldReader.
func (t *fromTermReader) Next(pre *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	if !t.started {
		t.started = true
		return t.TermFieldReader.Advance(t.lo, pre)
	}
	return t.TermFieldReader.Next(pre)
}

// Advance implements index.TermFieldReader.
func (t *fromTermReader) Advance(id index.IndexInternalID, pre *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	t.started = true
	if id.Compare(t.lo) < 0 {
		id = t.lo
	}
	return t.TermFieldReader.Advance(id, pre)
}

// fromDocIDReader is an all-documents reader that starts at lo.
type fromDocIDReader struct {
	index.DocIDReader
	lo      index.IndexInternalID
	started bool
}

// Next implements index.DocIDReader.
func (d *fromDocIDReader) Next() (index.IndexInternalID, error) {
	if !d.started {
		d.started = true
		return d.DocIDReader.Advance(d.lo)
	}
	return d.DocIDReader.Next()
}

// Advance implements index.DocIDReader.
func (d *fromDocIDReader) Advance(id index.IndexInternalID) (index.IndexInternalID, error) {
	d.started = true
	if id.Compare(d.lo) < 0 {
		id = d.lo
	}
	return d.DocIDReader.Advance(id)
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
			from := &fromReader{IndexReader: reader, lo: index.NewIndexInternalID(nil, bounds[i])}
			sr, err := q.Searcher(s.searchContext(ctx), from, s.idx.Mapping(), search.SearcherOptions{})
			if err != nil {
				errs[i] = fmt.Errorf("search: %w", err)
				return
			}
			bufs[i] = matchPool.Get().(*[]match)
			*bufs[i], errs[i] = collectRange(ctx, v, from, sr, bounds[i+1], (*bufs[i])[:0])
		})
	}
	ms, errs[0] = collectRange(ctx, v, reader, first, bounds[1], ms)
	wg.Wait()
	for _, b := range bufs[1:] {
		if b != nil {
			ms = append(ms, *b...)
			matchPool.Put(b)
		}
	}
	return ms, errors.Join(errs...)
}
