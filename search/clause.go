package search

import (
	"context"
	"errors"
	"math"
	"reflect"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/size"
	index "github.com/blevesearch/bleve_index_api"
)

// clauseQuery is the query literalQuery builds for a text of two or more
// characters: the boolean query
//
//	must:   conjunction[ disjunction[ literal(title_bg), literal(body_bg) ] ]
//	should: disjunction[ disjunction[ term(title), term(body) ] ]
//
// (one literal and one term per field; the should clause only for a text
// without spaces). Run by bleve, each match goes through four composite
// searchers, each with its own DocumentMatch bookkeeping and scorer, which
// on a query matching most of the index costs as much as the literal and
// term searchers below them. clauseSearcher runs the same leaves in one
// loop and combines their scores with bleve's arithmetic in bleve's order.
// It is the reference for a text's score: a document scores the same
// whatever path the search took to it (advanced by a conjunction for a
// filter or another word, or stepped), which bleve's own boolean searcher
// does not ensure (see boolean.go). With term vectors or explanations asked
// for (the page's explain search, a non-scorch index), for a single
// character (whose prefix and regexp clauses only bleve runs), or with
// nested set (tests), bleve's searchers run as a boolQuery, with the same
// documents and scores to the bit (TestClauseSearcherSame).
type clauseQuery struct {
	*query.BooleanQuery
	// lits and words are the must and should disjunctions' disjuncts.
	lits, words []query.Query
	nested      bool
}

// Searcher implements query.Query.
func (c *clauseQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	if c.nested || options.IncludeTermVectors || options.Explain || options.Score == "none" {
		return (&boolQuery{c.BooleanQuery}).Searcher(ctx, r, m, options)
	}
	s := &clauseSearcher{}
	open := func(qs []query.Query) ([]clauseLeaf, error) {
		leaves := make([]clauseLeaf, len(qs))
		for i, q := range qs {
			sr, err := q.Searcher(ctx, r, m, options)
			if err != nil {
				return nil, errors.Join(err, s.Close())
			}
			leaves[i].s = sr
		}
		return leaves, nil
	}
	var err error
	if s.lits, err = open(c.lits); err != nil {
		return nil, err
	}
	if s.words, err = open(c.words); err != nil {
		return nil, err
	}
	// bleve's boolean searcher sets the query norm of the whole clause
	// on its leaves once built: 1/√weight.
	s.SetQueryNorm(1 / math.Sqrt(s.Weight()))
	return s, nil
}

// clauseLeaf is one leaf searcher of a clause and its current match.
type clauseLeaf struct {
	s    search.Searcher
	cur  *search.DocumentMatch
	done bool
}

// clauseSearcher implements search.Searcher for a clauseQuery (see there).
type clauseSearcher struct {
	lits, words []clauseLeaf
	started     bool
	matched     []int
}

var reflectStaticSizeClauseSearcher = int(reflect.TypeFor[clauseSearcher]().Size())

// Weight implements search.Searcher: the boolean searcher's, the sum of the
// must and should searchers' weights, each the sum of its leaves'.
func (s *clauseSearcher) Weight() float64 {
	must := 0.0 + sumWeights(s.lits)
	if len(s.words) == 0 {
		return 0.0 + must
	}
	return 0.0 + must + (0.0 + sumWeights(s.words))
}

func sumWeights(leaves []clauseLeaf) float64 {
	var w float64
	for _, l := range leaves {
		w += l.s.Weight()
	}
	return w
}

// SetQueryNorm implements search.Searcher.
func (s *clauseSearcher) SetQueryNorm(qnorm float64) {
	for _, ls := range [][]clauseLeaf{s.lits, s.words} {
		for _, l := range ls {
			l.s.SetQueryNorm(qnorm)
		}
	}
}

// Count implements search.Searcher: the boolean searcher's worst case, the
// sum of its leaves' counts.
func (s *clauseSearcher) Count() uint64 {
	var n uint64
	for _, ls := range [][]clauseLeaf{s.lits, s.words} {
		for _, l := range ls {
			n += l.s.Count()
		}
	}
	return n
}

// Min implements search.Searcher.
func (s *clauseSearcher) Min() int {
	return 0
}

// DocumentMatchPoolSize implements search.Searcher: the leaves' current
// matches, one returned, and what the leaves need.
func (s *clauseSearcher) DocumentMatchPoolSize() int {
	n := 2 + len(s.lits) + len(s.words)
	for _, ls := range [][]clauseLeaf{s.lits, s.words} {
		for _, l := range ls {
			n += l.s.DocumentMatchPoolSize()
		}
	}
	return n
}

// Size implements search.Searcher.
func (s *clauseSearcher) Size() int {
	n := reflectStaticSizeClauseSearcher + size.SizeOfPtr
	for _, ls := range [][]clauseLeaf{s.lits, s.words} {
		for _, l := range ls {
			n += l.s.Size()
		}
	}
	return n
}

// Close implements search.Searcher.
func (s *clauseSearcher) Close() error {
	var errs []error
	for _, ls := range [][]clauseLeaf{s.lits, s.words} {
		for _, l := range ls {
			if l.s != nil {
				errs = append(errs, l.s.Close())
			}
		}
	}
	return errors.Join(errs...)
}

// start reads every literal's first match, as bleve's disjunction does.
func (s *clauseSearcher) start(ctx *search.SearchContext) error {
	s.started = true
	for i := range s.lits {
		if err := s.lits[i].next(ctx); err != nil {
			return err
		}
	}
	return nil
}

// next moves l to its next match.
func (l *clauseLeaf) next(ctx *search.SearchContext) error {
	dm, err := l.s.Next(ctx)
	l.cur, l.done = dm, dm == nil
	return err
}

// advance moves l to its first match at or after id, unless it is there.
func (l *clauseLeaf) advance(ctx *search.SearchContext, id index.IndexInternalID) error {
	if l.done || (l.cur != nil && l.cur.IndexInternalID.Compare(id) >= 0) {
		return nil
	}
	if l.cur != nil {
		ctx.DocumentMatchPool.Put(l.cur)
	}
	dm, err := l.s.Advance(ctx, id)
	l.cur, l.done = dm, dm == nil
	return err
}

// Next implements search.Searcher.
func (s *clauseSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if !s.started {
		if err := s.start(ctx); err != nil {
			return nil, err
		}
	}
	return s.match(ctx)
}

// Advance implements search.Searcher.
func (s *clauseSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	if !s.started {
		if err := s.start(ctx); err != nil {
			return nil, err
		}
	}
	for i := range s.lits {
		if err := s.lits[i].advance(ctx, id); err != nil {
			return nil, err
		}
	}
	return s.match(ctx)
}

// match returns the literals' first document, scored, and moves the
// literals that matched it on.
func (s *clauseSearcher) match(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	// The must disjunction: the literals on the smallest document, in
	// their order.
	s.matched = s.matched[:0]
	for i, l := range s.lits {
		if l.cur == nil {
			continue
		}
		if len(s.matched) > 0 {
			c := l.cur.IndexInternalID.Compare(s.lits[s.matched[0]].cur.IndexInternalID)
			if c > 0 {
				continue
			}
			if c < 0 {
				s.matched = s.matched[:0]
			}
		}
		s.matched = append(s.matched, i)
	}
	if len(s.matched) == 0 {
		return nil, nil
	}
	rv := s.lits[s.matched[0]].cur
	id := rv.IndexInternalID
	// bleve's disjunction scorer: the sum times matched/total; the
	// conjunction of one around it adds it to 0.
	var sum float64
	for _, i := range s.matched {
		sum += s.lits[i].cur.Score
	}
	must := sum * (float64(len(s.matched)) / float64(len(s.lits)))
	score := 0.0 + must
	if len(s.words) > 0 {
		n := 0
		var wsum float64
		for i := range s.words {
			w := &s.words[i]
			if err := w.advance(ctx, id); err != nil {
				return nil, err
			}
			if w.cur != nil && w.cur.IndexInternalID.Equals(id) {
				wsum += w.cur.Score
				n++
			}
		}
		if n > 0 {
			// The inner disjunction, then the outer disjunction of one
			// (times 1/1), then the boolean's conjunction scorer.
			should := (0.0 + wsum*(float64(n)/float64(len(s.words)))) * 1.0
			score = 0.0 + must + should
		}
	}
	// Move the matched literals on, keeping rv, as bleve's disjunction
	// does before returning.
	for _, i := range s.matched {
		l := &s.lits[i]
		if l.cur != rv {
			ctx.DocumentMatchPool.Put(l.cur)
		}
		if err := l.next(ctx); err != nil {
			return nil, err
		}
	}
	rv.Score = score
	return rv, nil
}
