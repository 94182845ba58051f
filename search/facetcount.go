package search

import (
	"cmp"
	"slices"
	"strings"
	"sync"
)

// Counting facets. execute counts the values of every facet a request asks
// for over the search's matches, from the snapshot's document table
// (doctable.go), in one of two ways:
//
//   - over the matches, a pass per facet, each over one field's values of
//     one segment at a time;
//   - when the matches are more than half of the snapshot's documents, over
//     the documents that do not match: each value's count over all the
//     segments' documents (facetTotals, counted once per set of segments)
//     less its count over the others. A segment's table holds its
//     documents' values in document order, so the documents between two
//     matches are one stretch of each field's values. The landing view
//     (the match-all query) subtracts only deleted documents.
//
// Both give the same counts: a document is counted once per value it holds,
// deleted documents never match, and a snapshot's segments never change.

// facetTotals holds, for one list of segment tables, how many documents of
// those segments (deleted ones included) hold each value of each table
// field, by ordinal. A field is counted on first use. It is safe for
// concurrent use.
type facetTotals struct {
	segs   []*segTable
	once   []sync.Once
	counts [][]int32
}

func newFacetTotals(segs []*segTable) *facetTotals {
	return &facetTotals{segs: segs, once: make([]sync.Once, len(tableFields)), counts: make([][]int32, len(tableFields))}
}

// field returns the counts of field f; terms are at least the ordinals the
// segments use.
func (ft *facetTotals) field(f, terms int) []int32 {
	ft.once[f].Do(func() {
		c := make([]int32, terms)
		for _, t := range ft.segs {
			for _, o := range t.vals[f] {
				c[o]++
			}
		}
		ft.counts[f] = c
	})
	return ft.counts[f]
}

// facetCounter is the count of one requested facet: counts by ordinal of
// field f (all zero between uses) and the ordinals counted, recycled
// between searches.
type facetCounter struct {
	f      int
	counts []int32
	seen   []uint32
}

// facetScratch holds the counters of one search's facets.
type facetScratch struct {
	fcs []facetCounter
}

var facetPool = sync.Pool{New: func() any { return new(facetScratch) }}

// histCap bounds the histogram of counts that finds a facet's cut-off.
const histCap = 256

// countFacets counts the facets r asks for over ms, the matches in document
// order (as collect appends them), and returns each facet's most frequent
// values, as bleve's terms facet does, by facet name.
func (v *tableView) countFacets(ms []match, r Request) map[string][]termCount {
	sc := facetPool.Get().(*facetScratch)
	defer facetPool.Put(sc)
	if cap(sc.fcs) < len(r.Facets) {
		sc.fcs = append(sc.fcs[:cap(sc.fcs)], make([]facetCounter, len(r.Facets)-cap(sc.fcs))...)
	}
	fcs := sc.fcs[:len(r.Facets)]
	for i, name := range r.Facets {
		c := &fcs[i]
		c.f = tableField[facetKinds[name].field]
		if n := len(v.terms[c.f]); len(c.counts) < n {
			c.counts = make([]int32, n)
		}
	}
	if 2*uint64(len(ms)) <= v.offsets[len(v.segs)] || !v.countRest(ms, fcs) {
		v.countMatches(ms, fcs)
	}
	out := make(map[string][]termCount, len(r.Facets))
	for i, name := range r.Facets {
		out[name] = v.topValues(&fcs[i], r.facetSize(name))
	}
	return out
}

// countMatches counts every facet of fcs over ms, one facet at a time: a
// pass per facet over the matches is quicker than one pass for all (the
// loop over one field's values stays tight).
func (v *tableView) countMatches(ms []match, fcs []facetCounter) {
	for i := range fcs {
		c := &fcs[i]
		counts, seen := c.counts, c.seen
		for j := 0; j < len(ms); {
			s := ms[j].seg
			t := v.segs[s]
			st, vals := t.start[c.f], t.vals[c.f]
			for ; j < len(ms) && ms[j].seg == s; j++ {
				l := ms[j].local
				for _, o := range vals[st[l]:st[l+1]] {
					if counts[o] == 0 {
						seen = append(seen, o)
					}
					counts[o]++
				}
			}
		}
		c.seen = seen
	}
}

// countRest counts every facet of fcs over ms as the totals of the view's
// segments less the counts over the documents not in ms. It returns false,
// having counted nothing, when ms is not in strictly increasing document
// order.
func (v *tableView) countRest(ms []match, fcs []facetCounter) bool {
	for i := range fcs {
		c := &fcs[i]
		copy(c.counts, v.totals.field(c.f, len(v.terms[c.f])))
	}
	// subtract takes documents from..to-1 of segment table t.
	subtract := func(t *segTable, from, to uint32) {
		for i := range fcs {
			c := &fcs[i]
			st := t.start[c.f]
			for _, o := range t.vals[c.f][st[from]:st[to]] {
				c.counts[o]--
			}
		}
	}
	j := 0
	ordered := true
	for s, t := range v.segs {
		d := uint32(0)
		for ; j < len(ms) && ms[j].seg == int32(s); j++ {
			l := ms[j].local
			if l < d {
				ordered = false
				break
			}
			if l > d {
				subtract(t, d, l)
			}
			d = l + 1
		}
		if !ordered {
			break
		}
		subtract(t, d, uint32(len(t.ids)))
	}
	if !ordered || j < len(ms) {
		for i := range fcs {
			clear(fcs[i].counts)
		}
		return false
	}
	for i := range fcs {
		c := &fcs[i]
		for o, n := range c.counts[:len(v.terms[c.f])] {
			if n != 0 {
				c.seen = append(c.seen, uint32(o))
			}
		}
	}
	return true
}

// topValues returns the size most frequent values c counted, count
// descending, then by value, and leaves c zeroed for its next use.
func (v *tableView) topValues(c *facetCounter, size int) []termCount {
	counts, seen, terms := c.counts, c.seen, v.terms[c.f]
	// Only values counted at least as often as the size-th most frequent
	// one can be among the first size: find that count (or a lower
	// bound of it, histCap-1, when it is higher).
	var cut int32
	if len(seen) > size {
		var hist [histCap]int32
		for _, o := range seen {
			hist[min(counts[o], histCap-1)]++
		}
		n := int32(0)
		for k := int32(histCap - 1); k > 0; k-- {
			if n += hist[k]; n >= int32(size) {
				cut = k
				break
			}
		}
	}
	out := make([]termCount, 0, min(len(seen), 2*size))
	for _, o := range seen {
		if counts[o] >= cut {
			out = append(out, termCount{term: terms[o], count: int(counts[o])})
		}
		counts[o] = 0
	}
	c.seen = seen[:0]
	slices.SortFunc(out, func(a, b termCount) int {
		if c := cmp.Compare(b.count, a.count); c != 0 {
			return c
		}
		return strings.Compare(a.term, b.term)
	})
	return out[:min(size, len(out))]
}
