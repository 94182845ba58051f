package search

import (
	"context"
	"errors"
	"slices"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"policysearch/indexer"
)

// Collapsing near-duplicates. The first search of a request also counts the
// matching documents per near-duplicate group (a facet on
// indexer.FieldDupGroup). When no group has two matching members, that
// search's page is the answer. When the first page has no two members of
// one group, it is the answer too, and only search 3 below runs. Otherwise
// three more searches run, 2 and 3 at once:
//
//  1. the ranked IDs and groups of the first From+Size+C matches, where C
//     is the number of matches that are not the best of their group: the
//     requested page of groups lies within them, since at most C matches
//     before it are folded away;
//  2. the page's best members, with fields and highlights;
//  3. every match of the page's groups, for the copies and their regions.

// dupFacet is the name of the internal facet counting matches per group.
const dupFacet = "_dup_group"

// maxDupGroups is the most groups with several matches that collapsing
// knows of; beyond them, copies count as hits of their own.
const maxDupGroups = 2000

// copySet is what a collapsed hit stands for.
type copySet struct {
	n       int
	regions []string
}

// collapsing reports whether r asks for near-duplicates to be collapsed.
func (r Request) collapsing() bool { return r.Collapse && r.DupGroup == "" }

// collapse returns the page of r over the matches of q with near-duplicates
// folded into their best-ranked member, the copies behind each hit's group,
// and the number of groups. res is the first search of r over q.
func (s *Service) collapse(ctx context.Context, r Request, q query.Query, res *bleve.SearchResult) ([]*search.DocumentMatch, map[string]*copySet, uint64, error) {
	q = s.scoped(ctx, q) // as run scoped the search being collapsed
	multi := map[string]int{}
	folded := 0
	if fr := res.Facets[dupFacet]; fr != nil && fr.Terms != nil {
		for _, t := range fr.Terms.Terms() {
			if t.Count > 1 {
				multi[t.Term] = t.Count
				folded += t.Count - 1
			}
		}
	}
	groups := res.Total - uint64(folded)
	if folded == 0 {
		return res.Hits, nil, groups, nil
	}
	// The first page is the first search's page when no two of its hits
	// share a group: only the copies are missing.
	if r.From == 0 {
		seen := map[string]bool{}
		score := map[string]float64{}
		var page []string
		for _, h := range res.Hits {
			g := groupOf(h)
			if seen[g] {
				page = nil
				break
			}
			seen[g] = true
			score[h.ID] = h.Score
			if multi[g] > 1 {
				page = append(page, g)
			}
		}
		if len(seen) == len(res.Hits) {
			copies, err := s.copies(ctx, r, q, page, multi, score)
			return res.Hits, copies, groups, err
		}
	}

	// 1. The ranked window.
	req := bleve.NewSearchRequestOptions(q, r.From+r.Size+folded, 0, false)
	req.Fields = []string{indexer.FieldDupGroup}
	req.SortByCustom(sortOrder(r.Sort))
	win, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, nil, 0, err
	}
	var (
		seen  = map[string]bool{}
		ids   []string
		score = map[string]float64{}
		page  []string // groups of the page with copies
		rank  = 0
	)
	for _, h := range win.Hits {
		g := groupOf(h)
		if seen[g] {
			continue
		}
		seen[g] = true
		if rank >= r.From && rank < r.From+r.Size {
			ids = append(ids, h.ID)
			score[h.ID] = h.Score
			if multi[g] > 1 {
				page = append(page, g)
			}
		}
		rank++
	}
	if len(ids) == 0 {
		return nil, nil, groups, nil
	}

	// 2 and 3 at once. Both are conjunctions with a sparse query (the
	// page's IDs, the page's groups), which bleve walks by skipping ahead,
	// so they cost far less than the window.
	var (
		wg             sync.WaitGroup
		hits           []*search.DocumentMatch
		copies         map[string]*copySet
		pageErr, cpErr error
	)
	wg.Go(func() { hits, pageErr = s.collapsedPage(ctx, r, q, ids, score) })
	wg.Go(func() { copies, cpErr = s.copies(ctx, r, q, page, multi, score) })
	wg.Wait()
	if err := errors.Join(pageErr, cpErr); err != nil {
		return nil, nil, 0, err
	}
	return hits, copies, groups, nil
}

// collapsedPage returns the hits ids of the page with fields and
// highlights as r asks, in that order, scored as in the window (score).
func (s *Service) collapsedPage(ctx context.Context, r Request, q query.Query, ids []string, score map[string]float64) ([]*search.DocumentMatch, error) {
	pr := r
	pr.From, pr.Size, pr.Facets, pr.Collapse = 0, len(ids), nil, false
	pq := bleve.NewConjunctionQuery(q, bleve.NewDocIDQuery(ids))
	pres, err := s.run(ctx, pr, pq)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*search.DocumentMatch, len(pres.Hits))
	for _, h := range pres.Hits {
		byID[h.ID] = h
	}
	hits := make([]*search.DocumentMatch, 0, len(ids))
	for _, id := range ids {
		if h := byID[id]; h != nil {
			// The conjunction scores differently; the window's score is
			// the one the page was ranked by.
			h.Score = score[id]
			hits = append(hits, h)
		}
	}
	return hits, nil
}

// copies returns, for each group of page, the number and regions of its
// matching documents that are not on the page (score holds the page's
// IDs). multi holds the number of matching documents per group.
func (s *Service) copies(ctx context.Context, r Request, q query.Query, page []string, multi map[string]int, score map[string]float64) (map[string]*copySet, error) {
	copies := map[string]*copySet{}
	if len(page) == 0 {
		return copies, nil
	}
	d := bleve.NewDisjunctionQuery()
	n := 0
	for _, g := range page {
		d.AddQuery(keywordQuery(indexer.FieldDupGroup, g))
		n += multi[g]
	}
	req := bleve.NewSearchRequestOptions(s.scoped(ctx, bleve.NewConjunctionQuery(q, d)), n, 0, false)
	req.Fields = []string{indexer.FieldDupGroup, indexer.FieldRegion}
	req.SortByCustom(sortOrder(r.Sort))
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	for _, h := range res.Hits {
		if _, self := score[h.ID]; self {
			continue // a hit of the page
		}
		g := groupOf(h)
		c := copies[g]
		if c == nil {
			c = &copySet{regions: []string{}}
			copies[g] = c
		}
		c.n++
		if reg, _ := h.Fields[indexer.FieldRegion].(string); reg != "" && !slices.Contains(c.regions, reg) { // absent region: not listed
			c.regions = append(c.regions, reg)
		}
	}
	return copies, nil
}

// groupOf returns the near-duplicate group of a hit; a document indexed
// without one is a group of its own.
func groupOf(h *search.DocumentMatch) string {
	if g, _ := h.Fields[indexer.FieldDupGroup].(string); g != "" {
		return g
	}
	return "id:" + h.ID
}
