package search

import (
	"bytes"
	"fmt"
	"maps"
	"math"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/numeric"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"policysearch/indexer"
)

// The document table holds, for every document of the index, what ranking,
// facet counting and collapsing read of it: its ID, its publication date,
// and the values of the facet fields and of the near-duplicate group as
// small integers (ordinals into one dictionary per field). The search path
// (see execute.go) reads it instead of bleve's doc values, which it would
// otherwise decode per matching document and per request.
//
// Segments of a scorch index never change once written, so there is one
// table per segment, built on first use from the segment's doc values and
// kept while the segment is in the index. A document is addressed as bleve
// addresses it: its global number in a snapshot is the segment's offset (the
// document counts of the segments before it) plus its number in the
// segment. Deleted documents keep their rows; searchers never return them.

// noPublished marks a document without a publication date: it sorts after
// every dated document, as bleve's SortFieldMissingLast does.
const noPublished = math.MinInt64

// tableFields are the keyword fields held as ordinals: every facet's field
// and the near-duplicate group.
var tableFields = func() []string {
	set := map[string]bool{indexer.FieldDupGroup: true, indexer.FieldRegion: true}
	for _, k := range facetKinds {
		set[k.field] = true
	}
	return slices.Sorted(maps.Keys(set))
}()

// tableField maps a field of tableFields to its index.
var tableField = func() map[string]int {
	m := make(map[string]int, len(tableFields))
	for i, f := range tableFields {
		m[f] = i
	}
	return m
}()

// Indexes into tableFields of the fields read on every collapsed request.
var (
	fieldGroup  = tableField[indexer.FieldDupGroup]
	fieldRegion = tableField[indexer.FieldRegion]
)

// visitFields are the doc-value fields read to build a table.
var visitFields = append(slices.Clone(tableFields), indexer.FieldPublished)

// segTable is the table of one segment, indexed by document number in the
// segment. It is read-only once built.
type segTable struct {
	ids       []string
	published []int64 // Unix nanoseconds, or noPublished
	// shown holds the stored fields a hit shows (hitFields), read from
	// the stored document the first time it is on a page (see
	// tableView.load), so that later pages show it without loading it.
	shown []atomic.Pointer[shownFields]
	// start[f][d]..start[f][d+1] is the range of vals[f] holding document
	// d's values of field tableFields[f], in doc-value order.
	start [][]uint32
	vals  [][]uint32
}

// shownFields are a document's stored values of hitFields, as toHit reads
// them: "" for a field the document lacks or holds several values of.
type shownFields struct {
	title, region, level, date, year, typ, dupGroup string
}

// field returns a pointer to the value of stored field f, or nil when f is
// not one of hitFields.
func (sf *shownFields) field(f string) *string {
	switch f {
	case indexer.FieldTitle:
		return &sf.title
	case indexer.FieldRegion:
		return &sf.region
	case indexer.FieldLevel:
		return &sf.level
	case indexer.FieldDate:
		return &sf.date
	case indexer.FieldYear:
		return &sf.year
	case indexer.FieldType:
		return &sf.typ
	case indexer.FieldDupGroup:
		return &sf.dupGroup
	}
	return nil
}

// first returns the ordinal of document d's first value of field f, or -1.
func (t *segTable) first(f int, d uint32) int {
	if s, e := t.start[f][d], t.start[f][d+1]; s < e {
		return int(t.vals[f][s])
	}
	return -1
}

// bytes estimates the memory the table holds.
func (t *segTable) bytes() int {
	n := len(t.ids)*16 + len(t.published)*8 + len(t.shown)*8
	for i, id := range t.ids {
		n += len(id)
		if sf := t.shown[i].Load(); sf != nil {
			n += 7*16 + len(sf.title) + len(sf.region) + len(sf.level) + len(sf.date) + len(sf.year) + len(sf.typ) + len(sf.dupGroup)
		}
	}
	for f := range t.start {
		n += 4 * (len(t.start[f]) + len(t.vals[f]))
	}
	return n
}

// termDict numbers the distinct values of one field, in order of first
// appearance. It only grows, so ordinals stay valid across segments and
// snapshots.
type termDict struct {
	ord   map[string]uint32
	terms []string
}

// docTables is the cache of segment tables and the dictionaries they share.
// It is safe for concurrent use.
type docTables struct {
	mu   sync.Mutex
	segs map[segment.Segment]*segEntry

	// dictMu guards dicts: writers append while building a segment's
	// table; readers copy the slice headers (see view), and the entries
	// they can see are never written again.
	dictMu sync.RWMutex
	dicts  []termDict

	// totals are the facet totals of the latest view's segments.
	totals atomic.Pointer[facetTotals]
}

// segEntry builds one segment's table once, however many searches ask.
type segEntry struct {
	once sync.Once
	t    *segTable
	err  error
}

func newDocTables() *docTables {
	dicts := make([]termDict, len(tableFields))
	for i := range dicts {
		dicts[i].ord = map[string]uint32{}
	}
	return &docTables{segs: map[segment.Segment]*segEntry{}, dicts: dicts}
}

// tableView is the table of one index snapshot.
type tableView struct {
	segs []*segTable
	// snap are the snapshot's segments, in the order of segs.
	snap []*scorch.SegmentSnapshot
	// offsets[i] is the global number of segment i's first document;
	// offsets[len(segs)] is one past the last document.
	offsets []uint64
	// terms[f] are the values of tableFields[f] by ordinal, as far as
	// these segments use them.
	terms [][]string
	// totals counts the values of the segments' documents.
	totals *facetTotals
}

// view returns the table of snap, building the tables of segments it has
// not seen yet. Searches of the same new segment wait for one build.
func (dt *docTables) view(snap *scorch.IndexSnapshot) (*tableView, error) {
	ss := snap.Segments()
	v := &tableView{segs: make([]*segTable, len(ss)), snap: ss, offsets: make([]uint64, len(ss)+1)}
	entries := make([]*segEntry, len(ss))
	dt.mu.Lock()
	for i, s := range ss {
		e := dt.segs[s.Segment()]
		if e == nil {
			e = &segEntry{}
			dt.segs[s.Segment()] = e
		}
		entries[i] = e
	}
	if len(dt.segs) > 2*len(ss)+8 {
		// Forget segments merged away. A search still on an older
		// snapshot rebuilds what it needs.
		live := make(map[segment.Segment]bool, len(ss))
		for _, s := range ss {
			live[s.Segment()] = true
		}
		maps.DeleteFunc(dt.segs, func(s segment.Segment, _ *segEntry) bool { return !live[s] })
	}
	dt.mu.Unlock()
	var running uint64
	for i, s := range ss {
		e := entries[i]
		e.once.Do(func() { e.t, e.err = dt.build(s) })
		if e.err != nil {
			return nil, e.err
		}
		v.segs[i] = e.t
		v.offsets[i] = running
		running += s.Segment().Count()
	}
	v.offsets[len(ss)] = running
	v.totals = dt.totals.Load()
	if v.totals == nil || !slices.Equal(v.totals.segs, v.segs) {
		v.totals = newFacetTotals(v.segs)
		dt.totals.Store(v.totals)
	}
	dt.dictMu.RLock()
	v.terms = make([][]string, len(dt.dicts))
	for f := range dt.dicts {
		v.terms[f] = dt.dicts[f].terms
	}
	dt.dictMu.RUnlock()
	return v, nil
}

// build reads the table of one segment from its IDs and doc values.
func (dt *docTables) build(s *scorch.SegmentSnapshot) (*segTable, error) {
	seg := s.Segment()
	dvv, ok := seg.(segment.DocValueVisitable)
	if !ok {
		return nil, fmt.Errorf("document table: segment %T has no doc values", seg)
	}
	n := int(seg.Count())
	t := &segTable{
		ids:       make([]string, n),
		published: make([]int64, n),
		shown:     make([]atomic.Pointer[shownFields], n),
		start:     make([][]uint32, len(tableFields)),
		vals:      make([][]uint32, len(tableFields)),
	}
	for f := range tableFields {
		t.start[f] = make([]uint32, 1, n+1)
	}
	dt.dictMu.Lock()
	defer dt.dictMu.Unlock()
	var (
		state segment.DocVisitState
		d     int
	)
	visit := func(field string, term []byte) {
		if field == indexer.FieldPublished {
			// Dates are indexed at several precisions; the full one
			// (shift 0) is what bleve sorts by.
			if valid, shift := numeric.ValidPrefixCodedTermBytes(term); valid && shift == 0 && t.published[d] == noPublished {
				if v, err := numeric.PrefixCoded(term).Int64(); err == nil {
					t.published[d] = v
				}
			}
			return
		}
		f, ok := tableField[field]
		if !ok {
			return
		}
		dict := &dt.dicts[f]
		o, ok := dict.ord[string(term)]
		if !ok {
			o = uint32(len(dict.terms))
			term := string(term)
			dict.ord[term] = o
			dict.terms = append(dict.terms, term)
		}
		t.vals[f] = append(t.vals[f], o)
	}
	for d = range n {
		id, err := seg.DocID(uint64(d))
		if err != nil {
			return nil, fmt.Errorf("document table: id of document %d: %w", d, err)
		}
		t.ids[d] = string(id)
		t.published[d] = noPublished
		if state, err = dvv.VisitDocValues(uint64(d), visitFields, visit, state); err != nil {
			return nil, fmt.Errorf("document table: doc values of %s: %w", id, err)
		}
		for f := range tableFields {
			t.start[f] = append(t.start[f], uint32(len(t.vals[f])))
		}
	}
	return t, nil
}

// load returns the fields match m shows as a hit, from the table or else
// from its stored document, and with text set also its stored title and
// body as stored (see indexer.Body) (copies; nil if absent), for
// highlighting.
func (v *tableView) load(m match, text bool) (sf *shownFields, title, body []byte, err error) {
	t := v.segs[m.seg]
	sf = t.shown[m.local].Load()
	if sf != nil && !text {
		return sf, nil, nil, nil
	}
	fresh := sf == nil
	if fresh {
		sf = &shownFields{}
	}
	var seen [8]int
	err = v.snap[m.seg].VisitDocument(uint64(m.local), func(field string, typ byte, value []byte, pos []uint64) bool {
		if typ != 't' {
			return true
		}
		switch {
		case text && field == indexer.FieldTitle:
			title = bytes.Clone(value)
		case text && field == indexer.FieldStoredBody:
			body = bytes.Clone(value)
		}
		if p := sf.field(field); p != nil && fresh {
			i := slices.Index(hitFields, field)
			if seen[i]++; seen[i] == 1 {
				*p = string(value)
			} else {
				*p = "" // several values: toHit reads none
			}
		}
		return true
	})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("load %s: %w", t.ids[m.local], err)
	}
	if fresh {
		t.shown[m.local].Store(sf)
	}
	return sf, title, body, nil
}

// locate returns the segment and the number in it of global document doc;
// hint is the segment of the previous document, where the next one usually
// lies, since searchers return documents in increasing order.
func (v *tableView) locate(doc uint64, hint int) (int, uint32) {
	if hint < 0 || hint >= len(v.segs) || doc < v.offsets[hint] || doc >= v.offsets[hint+1] {
		// The last segment whose offset is at most doc.
		hint, _ = slices.BinarySearch(v.offsets, doc+1)
		hint--
	}
	return hint, uint32(doc - v.offsets[hint])
}

// bytes estimates the memory the view's segment tables hold.
func (v *tableView) bytes() int {
	n := 0
	for _, t := range v.segs {
		n += t.bytes()
	}
	for _, terms := range v.terms {
		for _, s := range terms {
			n += len(s) + 16 + 24 // the string, its header and its map entry
		}
	}
	return n
}
