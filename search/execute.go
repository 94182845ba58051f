package search

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// Executing a search. Search runs the query's searcher itself and keeps of
// each matching document only where it lies and its score; everything else
// a request needs of the matches (facet counts, near-duplicate groups, the
// order, the page) comes from the snapshot's document table (doctable.go)
// in plain array passes. Only the page's documents are then loaded, with
// their stored fields, and highlighted from their stored text (page.go,
// highlight.go); only explain runs the query a second time, over the page's
// documents. bleve's own collector would decode every match's doc values
// and, with highlighting on, every match's term locations.

// match is one matching document: its segment and number in the segment
// (see tableView), and its score.
type match struct {
	seg   int32
	local uint32
	score float64
}

// matchPool recycles match slices between searches.
var matchPool = sync.Pool{New: func() any { return new([]match) }}

// snapshot opens a reader on the index's current snapshot with its document
// table. It returns a nil view when the index is not a scorch index, whose
// searches then go through bleve's collector. The caller calls release
// when done with the reader, also after an error; release logs a failure
// to close the reader and returns it, for callers that check.
func (s *Service) snapshot() (index.IndexReader, *tableView, func() error, error) {
	adv, err := s.idx.Advanced()
	if err != nil {
		return nil, nil, func() error { return nil }, fmt.Errorf("open index: %w", err)
	}
	reader, err := adv.Reader()
	if err != nil {
		return nil, nil, func() error { return nil }, fmt.Errorf("open index reader: %w", err)
	}
	release := func() error {
		err := reader.Close()
		if err != nil {
			s.log.Warn("close index reader", slog.Any("err", err))
		}
		return err
	}
	snap, ok := reader.(*scorch.IndexSnapshot)
	if !ok {
		return reader, nil, release, nil
	}
	v, err := s.tables.view(snap)
	if err != nil {
		return reader, nil, release, err
	}
	return reader, v, release, nil
}

// collect appends every document q matches in reader to ms, scored as
// bleve scores them. A query expected to match many documents runs in
// parts on idle cores (see split.go).
func (s *Service) collect(ctx context.Context, reader index.IndexReader, v *tableView, q query.Query, ms []match) ([]match, error) {
	sr, err := q.Searcher(s.searchContext(ctx), reader, s.idx.Mapping(), search.SearcherOptions{})
	if err != nil {
		return ms, fmt.Errorf("search: %w", err)
	}
	if _, ok := q.(*query.MatchAllQuery); ok {
		return collectAll(ctx, v, reader, sr, ms)
	}
	if parts := s.cores.parts(sr.Count(), q); parts > 1 {
		return s.collectParts(ctx, reader, v, q, sr, parts, ms)
	}
	return collectRange(ctx, v, reader, sr, v.offsets[len(v.segs)], ms)
}

// collectRange appends the matches of sr, over reader, below document
// number hi to ms, and closes sr.
func collectRange(ctx context.Context, v *tableView, reader index.IndexReader, sr search.Searcher, hi uint64, ms []match) ([]match, error) {
	sctx := &search.SearchContext{
		DocumentMatchPool: search.NewDocumentMatchPool(sr.DocumentMatchPoolSize()+1, 0),
		IndexReader:       reader,
	}
	if err := ctx.Err(); err != nil {
		return ms, closeAfter(sr, err)
	}
	dm, err := sr.Next(sctx)
	seg := 0
	for n := 1; ; n++ {
		if err != nil {
			return ms, closeAfter(sr, fmt.Errorf("search: %w", err))
		}
		if dm == nil {
			break
		}
		doc := dm.IndexInternalID.Value()
		if doc >= hi {
			break
		}
		var local uint32
		seg, local = v.locate(doc, seg)
		ms = append(ms, match{seg: int32(seg), local: local, score: dm.Score})
		sctx.DocumentMatchPool.Put(dm)
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return ms, closeAfter(sr, err)
			}
		}
		dm, err = sr.Next(sctx)
	}
	if err := sr.Close(); err != nil {
		return ms, fmt.Errorf("close searcher: %w", err)
	}
	return ms, nil
}

// searchContext returns ctx with what bleve's SearchInContext puts in the
// context of a search, so that searchers score as there.
func (s *Service) searchContext(ctx context.Context) context.Context {
	model := index.DefaultScoringModel
	if m, ok := s.idx.Mapping().(*mapping.IndexMappingImpl); ok && m.ScoringModel == index.BM25Scoring {
		model = index.BM25Scoring
	}
	ctx = context.WithValue(ctx, search.GetScoringModelCallbackKey, search.GetScoringModelCallbackFn(func() string { return model }))
	return search.ContextWithTermSearchersCounter(ctx)
}

// closeAfter closes sr after err, reporting both.
func closeAfter(sr search.Searcher, err error) error {
	if cerr := sr.Close(); cerr != nil {
		return fmt.Errorf("%w (and closing the searcher: %v)", err, cerr)
	}
	return err
}

// termCount is one value of a facet and its count.
type termCount struct {
	term  string
	count int
}

// executed is what execute found for a request: everything but the page's
// stored fields and highlights.
type executed struct {
	total, groups uint64
	// page holds the page's documents, in order.
	page []match
	// copies holds, by group, what the page's collapsed hits stand for.
	copies map[string]*copySet
	// facets holds the requested facets' values, by facet name, in
	// bleve's order (count descending, then value).
	facets map[string][]termCount
}

// execute ranks, counts and pages the matches ms of r in v.
func (v *tableView) execute(r Request, ms []match) *executed {
	x := &executed{total: uint64(len(ms)), groups: uint64(len(ms))}
	if len(r.Facets) > 0 {
		x.facets = v.countFacets(ms, r)
	}
	rank := v.order(r.Sort == SortDate)
	want := r.From + r.Size
	var page []match
	if r.collapsing() {
		reps, count := v.fold(ms, rank.compare)
		x.groups = uint64(len(reps))
		page = pageOf(reps, r.From, want, rank)
		x.copies = v.copies(ms, page, count, rank.compare)
	} else {
		page = pageOf(ms, r.From, want, rank)
	}
	x.page = page
	return x
}

// ranking is the order of matches of sortOrder: score, then newer, then
// ID; or with byDate newer, then score, then ID.
type ranking struct {
	v      *tableView
	byDate bool
}

// order returns the ranking of v's matches, by date with byDate.
func (v *tableView) order(byDate bool) ranking {
	return ranking{v: v, byDate: byDate}
}

// published returns m's publication date, or noPublished.
func (o ranking) published(m match) int64 {
	return o.v.segs[m.seg].published[m.local]
}

// compare is negative when a ranks ahead of b, positive when after it.
func (o ranking) compare(a, b match) int {
	c := 0
	if o.byDate {
		if c = cmp.Compare(o.published(b), o.published(a)); c == 0 {
			c = cmp.Compare(b.score, a.score)
		}
	} else if c = cmp.Compare(b.score, a.score); c == 0 {
		c = cmp.Compare(o.published(b), o.published(a))
	}
	if c != 0 {
		return c
	}
	return strings.Compare(o.v.segs[a.seg].ids[a.local], o.v.segs[b.seg].ids[b.local])
}

// after reports whether m ranks after a match of the given score and
// publication date by those alone, which compare looks at before IDs.
func (o ranking) after(m match, score float64, published int64) bool {
	p := o.published(m)
	if o.byDate {
		return p < published || (p == published && m.score < score)
	}
	return m.score < score || (m.score == score && p < published)
}

// pageOf returns ms[from:want] in the order of rank, sorting no more of ms
// than it must. It may reorder ms.
func pageOf(ms []match, from, want int, rank ranking) []match {
	want = min(want, len(ms))
	if from >= want {
		return nil
	}
	if want*4 >= len(ms) {
		slices.SortFunc(ms, rank.compare)
		return ms[from:want]
	}
	// A heap of the want best so far, the worst on top.
	h := ms[:want]
	worse := func(i, j int) bool { return rank.compare(h[i], h[j]) > 0 }
	down := func(i int) {
		for {
			c := 2*i + 1
			if c >= len(h) {
				return
			}
			if c+1 < len(h) && worse(c+1, c) {
				c++
			}
			if !worse(c, i) {
				return
			}
			h[i], h[c] = h[c], h[i]
			i = c
		}
	}
	for i := len(h)/2 - 1; i >= 0; i-- {
		down(i)
	}
	// Most matches rank after the worst kept by score and date alone:
	// those are turned away without a full comparison.
	score, published := h[0].score, rank.published(h[0])
	for _, m := range ms[want:] {
		if rank.after(m, score, published) || rank.compare(m, h[0]) >= 0 {
			continue
		}
		h[0] = m
		down(0)
		score, published = h[0].score, rank.published(h[0])
	}
	slices.SortFunc(h, rank.compare)
	return h[from:]
}

// fold keeps the best match of each near-duplicate group of ms (documents
// without a group are groups of their own), in no particular order, and
// returns the number of matches of each group by ordinal.
func (v *tableView) fold(ms []match, less func(a, b match) int) ([]match, []int32) {
	best := make([]int32, len(v.terms[fieldGroup])) // index+1 into reps
	count := make([]int32, len(best))
	reps := make([]match, 0, len(ms))
	for _, m := range ms {
		g := v.segs[m.seg].first(fieldGroup, m.local)
		if g < 0 {
			reps = append(reps, m)
			continue
		}
		count[g]++
		switch b := best[g]; {
		case b == 0:
			reps = append(reps, m)
			best[g] = int32(len(reps))
		case less(m, reps[b-1]) < 0:
			reps[b-1] = m
		}
	}
	return reps, count
}

// copies returns, for each hit of page whose group has other matches among
// ms (count holds the matches per group ordinal), their number and their
// distinct regions in rank order, keyed by group.
func (v *tableView) copies(ms, page []match, count []int32, less func(a, b match) int) map[string]*copySet {
	members := map[int][]match{}
	for _, p := range page {
		if g := v.segs[p.seg].first(fieldGroup, p.local); g >= 0 && count[g] > 1 {
			members[g] = make([]match, 0, count[g])
		}
	}
	out := map[string]*copySet{}
	if len(members) == 0 {
		return out
	}
	for _, m := range ms {
		g := v.segs[m.seg].first(fieldGroup, m.local)
		if g < 0 {
			continue
		}
		if mem, ok := members[g]; ok {
			members[g] = append(mem, m)
		}
	}
	for g, mem := range members {
		slices.SortFunc(mem, less)
		// The first member is the page's hit, the best of its group.
		c := &copySet{n: len(mem) - 1, regions: []string{}}
		for _, m := range mem[1:] {
			if r := v.segs[m.seg].first(fieldRegion, m.local); r >= 0 {
				if reg := v.terms[fieldRegion][r]; reg != "" && !slices.Contains(c.regions, reg) {
					c.regions = append(c.regions, reg)
				}
			}
		}
		out[v.terms[fieldGroup][g]] = c
	}
	return out
}
