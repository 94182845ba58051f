package search

import (
	"context"
	"encoding/json"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// withFilter returns q restricted to the documents f matches (nil for a
// nil q). Filters narrow, they do not rank: a document's score is the
// same filtered as unfiltered (TestFilteredScoresSame). The filter runs
// beside q in a conjunction, so that q's searcher skips to the filter's
// documents, but scores nothing (see filterClause).
func withFilter(q, f query.Query) query.Query {
	if q == nil {
		return nil
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(q, &filterClause{Query: f})
	return conjunctive(b)
}

// filterClause is a query that selects documents without scoring them:
// its searcher scores 0 and weighs 0, so the conjunction it stands in sums
// to the other clauses' score under the same query norm. (As a plain
// clause, a filter's term added its own BM25 score, which varies with the
// length of the document's facet field, and its weight lowered the query
// norm.) It reads as the filter (as JSON too).
type filterClause struct {
	query.Query
}

// Searcher implements query.Query.
func (f *filterClause) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	s, err := f.Query.Searcher(ctx, r, m, search.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, err
	}
	if _, none := s.(*searcher.MatchNoneSearcher); none {
		// The conjunction then matches nothing at once.
		return s, nil
	}
	return &filterSearcher{Searcher: s}, nil
}

// MarshalJSON reads as the filter.
func (f *filterClause) MarshalJSON() ([]byte, error) {
	return json.Marshal(f.Query)
}

// filterSearcher is a filterClause's searcher.
type filterSearcher struct {
	search.Searcher
}

// Weight implements search.Searcher: a filter adds nothing to the query
// norm.
func (f *filterSearcher) Weight() float64 {
	return 0
}

// SetQueryNorm implements search.Searcher: a filter's scores are 0 under
// any norm.
func (f *filterSearcher) SetQueryNorm(float64) {}

// Next implements search.Searcher.
func (f *filterSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	return unscored(f.Searcher.Next(ctx))
}

// Advance implements search.Searcher.
func (f *filterSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	return unscored(f.Searcher.Advance(ctx, id))
}

func unscored(dm *search.DocumentMatch, err error) (*search.DocumentMatch, error) {
	if dm != nil {
		dm.Score, dm.Expl = 0, nil
	}
	return dm, err
}
