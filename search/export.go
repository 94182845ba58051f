package search

import (
	"context"
	"fmt"
	"iter"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// MaxExport is the most hits Export yields: an export of a broader search
// stops there (Export reports the full total).
const MaxExport = 10000

// exportPage is the number of hits Export fetches per engine request.
const exportPage = 500

// Export runs r for all its hits rather than one page: it returns the total
// number of matching documents and the hits in r's order, at most
// MaxExport, without highlights, explanations or facets. From and Size of
// r are ignored. The hits are ranked before Export returns, so a bad
// request fails here with a *SyntaxError or *ValidationError; their stored
// fields are loaded a page at a time as the iteration reaches them (a
// document deleted meanwhile is left out).
func (s *Service) Export(ctx context.Context, r Request) (uint64, iter.Seq2[Hit, error], error) {
	r.From, r.Size = 0, 0
	r.Highlight, r.Explain, r.Facets, r.Collapse = false, false, nil, false
	if err := r.validate(); err != nil {
		return 0, nil, err
	}
	strict, relaxed, _, err := s.query(r)
	if err != nil {
		return 0, nil, err
	}
	reader, view, release, err := s.snapshot()
	defer release()
	if err != nil {
		return 0, nil, err
	}
	if view == nil {
		return s.exportCollector(ctx, r, strict, relaxed)
	}
	ms, err := s.collect(ctx, reader, view, s.scoped(ctx, strict), nil)
	if err == nil && len(ms) < relaxBelow && relaxed != nil {
		ms, err = s.collect(ctx, reader, view, s.scoped(ctx, relaxed), ms[:0])
	}
	if err != nil {
		return 0, nil, fmt.Errorf("export %q: %w", r.Query, err)
	}
	total := uint64(len(ms))
	ranked := pageOf(ms, 0, MaxExport, view.order(r.Sort == SortDate))
	ids := make([]string, len(ranked))
	score := make(map[string]float64, len(ranked))
	for i, m := range ranked {
		ids[i] = view.segs[m.seg].ids[m.local]
		score[ids[i]] = m.score
	}
	hits := func(yield func(Hit, error) bool) {
		for from := 0; from < len(ids); from += exportPage {
			page := ids[from:min(from+exportPage, len(ids))]
			req := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery(page), len(page), 0, false)
			req.Fields = hitFields
			res, err := s.idx.SearchInContext(ctx, req)
			if err != nil {
				yield(Hit{}, fmt.Errorf("export %q: %w", r.Query, err))
				return
			}
			byID := make(map[string]*search.DocumentMatch, len(res.Hits))
			for _, h := range res.Hits {
				byID[h.ID] = h
			}
			for _, id := range page {
				h := byID[id]
				if h == nil {
					continue
				}
				h.Score = score[id]
				if !yield(toHit(h), nil) {
					return
				}
			}
		}
	}
	return total, hits, nil
}

// exportCollector is Export over an index that is not a scorch index, a
// page of bleve's collector at a time.
func (s *Service) exportCollector(ctx context.Context, r Request, strict, relaxed query.Query) (uint64, iter.Seq2[Hit, error], error) {
	r.Size = exportPage
	first, err := s.run(ctx, r, strict)

	if err != nil {
		return 0, nil, err
	}
	q := strict
	if first.Total < relaxBelow && relaxed != nil {
		if first, err = s.run(ctx, r, relaxed); err != nil {
			return 0, nil, err
		}
		q = relaxed
	}
	total := first.Total
	limit := int(min(total, MaxExport))
	hits := func(yield func(Hit, error) bool) {
		page := first.Hits
		for from := 0; from < limit; {
			for _, h := range page {
				if from >= limit {
					return
				}
				if !yield(toHit(h), nil) {
					return
				}
				from++
			}
			if from >= limit || len(page) == 0 {
				return
			}
			r.From, r.Size = from, min(exportPage, limit-from)
			res, err := s.run(ctx, r, q)
			if err != nil {
				yield(Hit{}, err)
				return
			}
			page = res.Hits
		}
	}
	return total, hits, nil
}
