package search

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
)

// collectAll appends every live document of v to ms, as the match-all
// searcher sr would return them, and closes sr. That searcher steps through
// each segment's documents less its deleted ones and gives every document
// the same score (bleve's ConstantScorer), so its first document's score is
// every document's, and the rest come from the deleted-document bitmaps
// without a DocumentMatch each. The search page's landing view and its
// facets run this query.
func collectAll(ctx context.Context, v *tableView, reader index.IndexReader, sr search.Searcher, ms []match) ([]match, error) {
	sctx := &search.SearchContext{
		DocumentMatchPool: search.NewDocumentMatchPool(sr.DocumentMatchPoolSize()+1, 0),
		IndexReader:       reader,
	}
	dm, err := sr.Next(sctx)
	if err != nil {
		return ms, closeAfter(sr, fmt.Errorf("search: %w", err))
	}
	if err := sr.Close(); err != nil {
		return ms, fmt.Errorf("close searcher: %w", err)
	}
	if dm == nil {
		return ms, nil
	}
	score := dm.Score
	for s, ss := range v.snap {
		if err := ctx.Err(); err != nil {
			return ms, err
		}
		seg, n, d := int32(s), uint32(len(v.segs[s].ids)), uint32(0)
		if del := ss.Deleted(); del != nil {
			it := del.Iterator()
			for it.HasNext() {
				for x := it.Next(); d < x; d++ {
					ms = append(ms, match{seg: seg, local: d, score: score})
				}
				d++
			}
		}
		for ; d < n; d++ {
			ms = append(ms, match{seg: seg, local: d, score: score})
		}
	}
	return ms, nil
}
