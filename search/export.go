package search

import (
	"context"
	"iter"
)

// MaxExport is the most hits Export yields: an export of a broader search
// stops there (Export reports the full total).
const MaxExport = 10000

// exportPage is the number of hits Export fetches per engine request.
const exportPage = 500

// Export runs r for all its hits rather than one page: it returns the total
// number of matching documents and the hits in r's order, at most
// MaxExport, without highlights, explanations or facets. From and Size of
// r are ignored. The first page is fetched before Export returns, so a bad
// request fails here with a *SyntaxError or *ValidationError; later pages
// are fetched as the iteration reaches them.
func (s *Service) Export(ctx context.Context, r Request) (uint64, iter.Seq2[Hit, error], error) {
	r.From, r.Size = 0, 0
	r.Highlight, r.Explain, r.Facets = false, false, nil
	if err := r.validate(); err != nil {
		return 0, nil, err
	}
	strict, relaxed, _, err := s.query(r)
	if err != nil {
		return 0, nil, err
	}
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
