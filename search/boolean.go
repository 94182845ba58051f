package search

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	"github.com/blevesearch/bleve/v2/size"
	index "github.com/blevesearch/bleve_index_api"
)

// A document's score does not depend on how the search reached it. bleve's
// BooleanSearcher (v2.6.3) breaks this: its Advance advances the should
// searcher again whenever the boolean's own current document is behind the
// target, even when the should searcher already stands on the target or
// past it. The should searcher (a disjunction) has moved its clauses past
// the document it returned, so that document is skipped, and a must
// document there loses its should bonus (the whole-word clause of a text,
// the phrase of several words). A boolean is advanced when a conjunction
// holds it: a text among several words, a text under a filter. So, on
// bleve's searchers, 三十 filtered to 山东省 scored document
// a2c3dce3954cbbc7 4.36e-5 (literal only) where 三十 alone scored it 2.91e-4
// (literal and whole word). The text clauses run as clauseSearchers, which
// do not have the bug; every other boolean with a should clause is a
// boolQuery, whose should searcher is a heldSearcher.

// boolQuery is a bleve boolean query whose should clause keeps its bonus
// whatever path reaches a document: its searcher is bleve's, with the
// should searcher wrapped in a heldSearcher. It reads as the boolean query
// (as JSON too).
type boolQuery struct {
	*query.BooleanQuery
}

// Searcher implements query.Query.
func (b *boolQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	if b.Should == nil {
		return b.BooleanQuery.Searcher(ctx, r, m, options)
	}
	c := *b.BooleanQuery
	c.Should = &heldQuery{Query: b.Should}
	return c.Searcher(ctx, r, m, options)
}

// heldQuery is a query whose searcher is a heldSearcher.
type heldQuery struct {
	query.Query
}

// Searcher implements query.Query.
func (h *heldQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	s, err := h.Query.Searcher(ctx, r, m, options)
	if err != nil {
		return nil, err
	}
	if _, none := s.(*searcher.MatchNoneSearcher); none {
		// The boolean drops a should clause that matches nothing.
		return s, nil
	}
	return &heldSearcher{Searcher: s}, nil
}

// MarshalJSON reads as the wrapped query.
func (h *heldQuery) MarshalJSON() ([]byte, error) {
	return json.Marshal(h.Query)
}

// heldSearcher is a searcher that, advanced to a document at or before the
// one it last returned, returns that one again (a copy) instead of moving
// on: what BooleanSearcher.Advance needs of its should searcher (see the
// top of this file).
type heldSearcher struct {
	search.Searcher
	// held says whether the last call returned a match; id, score, expl
	// and locs are that match's.
	held  bool
	id    index.IndexInternalID
	score float64
	expl  *search.Explanation
	locs  []search.FieldTermLocation
}

var reflectStaticSizeHeldSearcher = int(reflect.TypeFor[heldSearcher]().Size())

// Next implements search.Searcher.
func (h *heldSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	dm, err := h.Searcher.Next(ctx)
	h.hold(dm)
	return dm, err
}

// Advance implements search.Searcher.
func (h *heldSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	if h.held && h.id.Compare(id) >= 0 {
		dm := ctx.DocumentMatchPool.Get()
		dm.IndexInternalID = append(dm.IndexInternalID[:0], h.id...)
		dm.Score, dm.Expl = h.score, h.expl
		for _, l := range h.locs {
			l.Location.ArrayPositions = slices.Clone(l.Location.ArrayPositions)
			dm.FieldTermLocations = append(dm.FieldTermLocations, l)
		}
		return dm, nil
	}
	dm, err := h.Searcher.Advance(ctx, id)
	h.hold(dm)
	return dm, err
}

// hold copies what the caller may recycle of dm before it is advanced
// again.
func (h *heldSearcher) hold(dm *search.DocumentMatch) {
	h.held = dm != nil
	if dm == nil {
		return
	}
	h.id = append(h.id[:0], dm.IndexInternalID...)
	h.score, h.expl = dm.Score, dm.Expl
	h.locs = h.locs[:0]
	for _, l := range dm.FieldTermLocations {
		l.Location.ArrayPositions = slices.Clone(l.Location.ArrayPositions)
		h.locs = append(h.locs, l)
	}
}

// DocumentMatchPoolSize implements search.Searcher: one more for the copy.
func (h *heldSearcher) DocumentMatchPoolSize() int {
	return h.Searcher.DocumentMatchPoolSize() + 1
}

// Size implements search.Searcher.
func (h *heldSearcher) Size() int {
	return reflectStaticSizeHeldSearcher + size.SizeOfPtr + len(h.id) + h.Searcher.Size()
}
