package search

import (
	"context"
	"fmt"
	"log/slog"
	"slices"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"policysearch/indexer"
)

// Loading the page. Once execute has picked the page's documents, their
// stored fields are loaded, and highlighted from the stored text
// (highlight.go). Only explanations (Hit.Matches) need the term locations:
// for them the query runs once more, over the same snapshot seen through
// pageReader: every term the query reads skips straight from one page
// document to the next, so the query costs a few postings lookups per page
// document whatever the number of matches.

// pageReader is an index reader that shows only the documents docs
// (global numbers, ascending) with the IDs ids: the term readers and the
// all-documents reader it hands out skip every other document. Everything
// else is the snapshot's.
type pageReader struct {
	index.IndexReader
	docs []uint64
	ids  []string
}

// TermFieldReader implements index.IndexReader.
func (p *pageReader) TermFieldReader(ctx context.Context, term []byte, field string, includeFreq, includeNorm, includeTermVectors bool) (index.TermFieldReader, error) {
	r, err := p.IndexReader.TermFieldReader(ctx, term, field, includeFreq, includeNorm, includeTermVectors)
	if err != nil {
		return nil, err
	}
	return &pageTermReader{TermFieldReader: r, docs: p.docs}, nil
}

// DocIDReaderAll implements index.IndexReader: all documents are the page's.
func (p *pageReader) DocIDReaderAll() (index.DocIDReader, error) {
	return p.IndexReader.DocIDReaderOnly(p.ids)
}

// pageTermReader is a term reader that skips documents not in docs.
type pageTermReader struct {
	index.TermFieldReader
	docs []uint64
	next int // index in docs of the next document to look at
	id   index.IndexInternalID
}

// Next implements index.TermFieldReader.
func (t *pageTermReader) Next(pre *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	for t.next < len(t.docs) {
		t.id = index.NewIndexInternalID(t.id, t.docs[t.next])
		d, err := t.TermFieldReader.Advance(t.id, pre)
		if err != nil || d == nil {
			t.next = len(t.docs)
			return nil, err
		}
		n := d.ID.Value()
		for t.next < len(t.docs) && t.docs[t.next] < n {
			t.next++
		}
		if t.next < len(t.docs) && t.docs[t.next] == n {
			t.next++
			return d, nil
		}
	}
	return nil, nil
}

// Advance implements index.TermFieldReader.
func (t *pageTermReader) Advance(id index.IndexInternalID, pre *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	t.next, _ = slices.BinarySearch(t.docs, id.Value())
	return t.Next(pre)
}

// pageHits returns the hits of page (matches of q in r, ranked) with the
// fields, highlights and scores they show, and, when r asks for
// explanations, the page's document matches with their locations (in page
// order). reader is the snapshot the matches come from. Highlights come
// from the stored text (highlight.go); only explanations run q again.
func (s *Service) pageHits(ctx context.Context, reader index.IndexReader, v *tableView, r Request, q query.Query, page []match) ([]Hit, []*search.DocumentMatch, error) {
	var dms []*search.DocumentMatch
	if r.Explain {
		var err error
		if dms, err = s.pageLocations(ctx, reader, v, q, page); err != nil {
			return nil, nil, err
		}
	}
	var (
		plan *hlPlan
		hm   hlMatcher
		body indexer.Body
	)
	if r.Highlight {
		var err error
		if plan, err = newHLPlan(q, s.idx.Mapping()); err != nil {
			return nil, nil, err
		}
	}
	hits := make([]Hit, len(page))
	for i, m := range page {
		sf, title, stored, err := v.load(m, plan != nil)
		if err != nil {
			return nil, nil, err
		}
		id := v.segs[m.seg].ids[m.local]
		hits[i] = Hit{
			ID: id, Title: sf.title, Region: sf.region, Level: sf.level, Date: sf.date,
			Year: sf.year, Type: sf.typ, Score: m.score, DupGroup: sf.dupGroup,
		}
		if plan != nil {
			body.Reset(stored)
			if hits[i].Highlights, err = plan.highlights(&hm, title, &body, s.asker(ctx, id)); err != nil {
				return nil, nil, fmt.Errorf("highlight %s: %w", id, err)
			}
		}
	}
	return hits, dms, nil
}

// pageLocations runs q over the documents of page only and returns their
// matches with locations, in page order, with IDs and scores as ranked.
func (s *Service) pageLocations(ctx context.Context, reader index.IndexReader, v *tableView, q query.Query, page []match) ([]*search.DocumentMatch, error) {
	order := make(map[uint64]int, len(page)) // global number → index in page
	p := &pageReader{IndexReader: reader, docs: make([]uint64, len(page))}
	for i, m := range page {
		doc := v.offsets[m.seg] + uint64(m.local)
		order[doc] = i
		p.docs[i] = doc
	}
	slices.Sort(p.docs)
	for _, doc := range p.docs {
		m := page[order[doc]]
		p.ids = append(p.ids, v.segs[m.seg].ids[m.local])
	}
	sr, err := q.Searcher(s.searchContext(ctx), p, s.idx.Mapping(), search.SearcherOptions{IncludeTermVectors: true})
	if err != nil {
		return nil, fmt.Errorf("search page: %w", err)
	}
	sctx := &search.SearchContext{
		DocumentMatchPool: search.NewDocumentMatchPool(len(page)+sr.DocumentMatchPoolSize(), 0),
		IndexReader:       p,
	}
	dms := make([]*search.DocumentMatch, len(page))
	for {
		dm, err := sr.Next(sctx)
		if err != nil {
			return nil, closeAfter(sr, fmt.Errorf("search page: %w", err))
		}
		if dm == nil {
			break
		}
		i, ok := order[dm.IndexInternalID.Value()]
		if !ok {
			continue // a searcher that reads past pageReader; not ours to show
		}
		m := page[i]
		dm.ID, dm.Score = v.segs[m.seg].ids[m.local], m.score
		dm.Complete(nil)
		dms[i] = dm
	}
	if err := sr.Close(); err != nil {
		return nil, fmt.Errorf("close page searcher: %w", err)
	}
	for i, dm := range dms {
		if dm == nil {
			// Cannot happen on one snapshot; should it, the hit is shown
			// without highlights rather than failing the search.
			m := page[i]
			s.log.Warn("ranked document not matched again on its page", slog.String("doc_id", v.segs[m.seg].ids[m.local]))
			dms[i] = &search.DocumentMatch{ID: v.segs[m.seg].ids[m.local], Score: m.score}
		}
	}
	return dms, nil
}
