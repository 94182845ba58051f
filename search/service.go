package search

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"policysearch/corpus"
	"policysearch/indexer"
)

// Options configure a Service.
type Options struct {
	// Logger receives query logs at debug level. Nil means discard.
	Logger *slog.Logger
	// Lexicon supplies synonyms and filler words. Nil means the embedded
	// DefaultLexicon.
	Lexicon *Lexicon
	// Gazetteer resolves place filters and names place facets. Nil means
	// corpus.DefaultGazetteer.
	Gazetteer *corpus.Gazetteer
}

// relaxBelow is the strict hit count under which a query of several words
// is retried as an any-words query (see Result.Relaxed): only when it finds
// nothing, so that a precise query keeps its precise answer.
const relaxBelow = 1

// Service answers searches over one bleve index built by indexer. It is safe
// for concurrent use; it does not own the index and never closes it.
type Service struct {
	idx bleve.Index
	log *slog.Logger
	lex *Lexicon
	gaz *corpus.Gazetteer
	// tables caches the document tables of the index's segments.
	tables *docTables
	// cores counts running searches, for splitting big ones (split.go).
	cores *coreCount
}

// New returns a Service over idx. It fails only when the embedded lexicon
// or gazetteer does not parse, which tests rule out.
func New(idx bleve.Index, opts Options) (*Service, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	lex := opts.Lexicon
	if lex == nil {
		var err error
		if lex, err = DefaultLexicon(); err != nil {
			return nil, err
		}
	}
	gaz := opts.Gazetteer
	if gaz == nil {
		var err error
		if gaz, err = corpus.DefaultGazetteer(); err != nil {
			return nil, err
		}
	}
	return &Service{idx: idx, log: log, lex: lex, gaz: gaz, tables: newDocTables(), cores: newCoreCount()}, nil
}

// hitFields are the stored fields loaded for each hit.
var hitFields = []string{
	indexer.FieldTitle, indexer.FieldRegion, indexer.FieldLevel, indexer.FieldDate,
	indexer.FieldYear, indexer.FieldType, indexer.FieldDupGroup,
}

// Search runs r. It returns a *SyntaxError for a malformed query and a
// *ValidationError for out-of-range parameters.
func (s *Service) Search(ctx context.Context, r Request) (*Result, error) {
	if err := r.validate(); err != nil {
		return nil, err
	}
	strict, relaxed, words, err := s.query(r)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	defer s.cores.enter()()
	reader, view, release, err := s.snapshot()
	defer release()
	if err != nil {
		return nil, err
	}
	if view == nil {
		return s.searchCollector(ctx, r, strict, relaxed, words)
	}
	buf := matchPool.Get().(*[]match)
	defer matchPool.Put(buf)
	ran, isRelaxed := strict, false
	ms, err := s.collect(ctx, reader, view, s.scoped(ctx, strict), (*buf)[:0])
	if err == nil && len(ms) < relaxBelow && relaxed != nil {
		ran, isRelaxed = relaxed, true
		ms, err = s.collect(ctx, reader, view, s.scoped(ctx, relaxed), ms[:0])
	}
	*buf = ms
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", r.Query, err)
	}
	x := view.execute(r, ms)
	out := &Result{Total: x.total, Groups: x.groups, Relaxed: isRelaxed, Hits: make([]Hit, 0, len(x.page))}
	var dms []*search.DocumentMatch
	if len(x.page) > 0 {
		if out.Hits, dms, err = s.pageHits(ctx, reader, view, r, s.scoped(ctx, ran), x.page); err != nil {
			return nil, err
		}
	}
	out.Took = time.Since(start)
	s.log.Debug("search", slog.String("query", r.Query), slog.Uint64("hits", out.Total), slog.Duration("took", out.Took))
	for i := range out.Hits {
		if c := x.copies[out.Hits[i].DupGroup]; c != nil {
			out.Hits[i].Copies, out.Hits[i].CopyRegions = c.n, c.regions
		}
	}
	if r.Explain {
		if out.Explanation, err = s.explain(r, ran); err != nil {
			return nil, err
		}
		if err := s.explainHits(ctx, dms, words, out.Hits); err != nil {
			return nil, err
		}
	}
	out.Facets = s.facetValues(r, x.facets)
	return out, nil
}

// searchCollector is Search over an index that is not a scorch index, with
// bleve's collector: r is validated, and strict, relaxed and words are its
// queries and words.
func (s *Service) searchCollector(ctx context.Context, r Request, strict, relaxed query.Query, words []string) (*Result, error) {
	res, err := s.run(ctx, r, strict)
	if err != nil {
		return nil, err
	}
	ran, isRelaxed := strict, false
	if res.Total < relaxBelow && relaxed != nil {
		if res, err = s.run(ctx, r, relaxed); err != nil {
			return nil, err
		}
		ran, isRelaxed = relaxed, true
	}
	out := &Result{Total: res.Total, Groups: res.Total, Took: res.Took, Relaxed: isRelaxed, Hits: make([]Hit, 0, len(res.Hits))}
	var (
		plan *hlPlan
		hm   hlMatcher
		body indexer.Body
	)
	if r.Highlight {
		if plan, err = newHLPlan(s.scoped(ctx, ran), s.idx.Mapping()); err != nil {
			return nil, err
		}
	}
	var copies map[string]*copySet
	if r.collapsing() {
		start := time.Now()
		if res.Hits, copies, out.Groups, err = s.collapse(ctx, r, ran, res); err != nil {
			return nil, err
		}
		out.Took += time.Since(start)
	}
	for _, h := range res.Hits {
		hit := toHit(h)
		if plan != nil {
			body.Reset(storedText(h, indexer.FieldStoredBody))
			if hit.Highlights, err = plan.highlights(&hm, storedText(h, indexer.FieldTitle), &body, s.asker(ctx, h.ID)); err != nil {
				return nil, fmt.Errorf("highlight %s: %w", h.ID, err)
			}
		}
		if c := copies[hit.DupGroup]; c != nil {
			hit.Copies, hit.CopyRegions = c.n, c.regions
		}
		out.Hits = append(out.Hits, hit)
	}
	if r.Explain {
		if out.Explanation, err = s.explain(r, ran); err != nil {
			return nil, err
		}
		if err := s.explainHits(ctx, res.Hits, words, out.Hits); err != nil {
			return nil, err
		}
	}
	counted := make(map[string][]termCount, len(r.Facets))
	for _, name := range r.Facets {
		if fr := res.Facets[name]; fr != nil && fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				counted[name] = append(counted[name], termCount{term: t.Term, count: t.Count})
			}
		}
	}
	out.Facets = s.facetValues(r, counted)
	return out, nil
}

// facetValues returns the facets r asks for from the counted values, by
// facet name; nil when r asks for none.
func (s *Service) facetValues(r Request, counted map[string][]termCount) map[string][]FacetValue {
	if len(r.Facets) == 0 {
		return nil
	}
	out := make(map[string][]FacetValue, len(r.Facets))
	for _, name := range r.Facets {
		vals := []FacetValue{}
		if facetKinds[name].ranges {
			// In the order of the ranges, empty ones too.
			counts := map[string]int{}
			for _, t := range counted[name] {
				counts[t.term] = t.count
			}
			for _, ar := range indexer.AmountRanges {
				vals = append(vals, FacetValue{Value: ar.Name, Count: counts[ar.Name]})
			}
			out[name] = vals
			continue
		}
		for _, t := range counted[name] {
			v := FacetValue{Value: t.term, Count: t.count}
			if name == FacetPlace {
				if p, ok := s.gaz.ByCode(t.term); ok {
					v.Name, v.Level = indexer.PlaceChain(s.gaz, p), string(p.Level)
				}
			} else if lv := facetKinds[name].level; lv != "" {
				v.Name, v.Level = regionChain(s.gaz, t.term, lv), string(lv)
			}
			vals = append(vals, v)
		}
		out[name] = vals
	}
	return out
}

// run executes q for the page, sort, highlights and facets of r.
func (s *Service) run(ctx context.Context, r Request, q query.Query) (*bleve.SearchResult, error) {
	req := bleve.NewSearchRequestOptions(s.scoped(ctx, q), r.Size, r.From, false)
	req.Fields = hitFields
	if r.Highlight {
		// Highlighted from the stored text, as Search does.
		req.Fields = append(slices.Clip(hitFields), indexer.FieldStoredBody)
	}
	req.SortByCustom(sortOrder(r.Sort))
	req.IncludeLocations = r.Explain
	for _, name := range r.Facets {
		req.AddFacet(name, bleve.NewFacetRequest(facetKinds[name].field, r.facetSize(name)))
	}
	if r.collapsing() {
		req.AddFacet(dupFacet, bleve.NewFacetRequest(indexer.FieldDupGroup, maxDupGroups))
	}
	start := time.Now()
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", r.Query, err)
	}
	s.log.Debug("search", slog.String("query", r.Query), slog.Uint64("hits", res.Total), slog.Duration("took", time.Since(start)))
	return res, nil
}

// query builds the bleve queries for r: the strict one (the parsed query,
// filtered) and, when the query has several words, the relaxed any-words
// one (nil otherwise).
func (s *Service) query(r Request) (strict, relaxed query.Query, words []string, err error) {
	strict, relaxed, tr, err := s.translate(r)
	if err != nil {
		return nil, nil, nil, err
	}
	return strict, relaxed, tr.words, nil
}

// translate is query, returning the translator with what it collected.
func (s *Service) translate(r Request) (strict, relaxed query.Query, tr *translator, err error) {
	n, err := Parse(r.Query)
	if err != nil {
		return nil, nil, nil, err
	}
	tr = &translator{q: r.Query, lex: s.lex}
	strict, err = tr.translate(n, false)
	if err != nil {
		return nil, nil, nil, err
	}
	if strict == nil {
		return nil, nil, nil, &SyntaxError{Query: r.Query, Msg: "the query has only question words; add what to search for"}
	}
	relaxed = tr.relaxed()
	f := s.filterQuery(r)
	if f == nil {
		return strict, relaxed, tr, nil
	}
	return withFilter(strict, f), withFilter(relaxed, f), tr, nil
}

// sortOrder returns the bleve sort for a Sort value. Ties always break
// toward the newer document, then by ID, so paging is stable.
func sortOrder(sort string) search.SortOrder {
	score := &search.SortScore{Desc: true}
	newest := &search.SortField{Field: indexer.FieldPublished, Desc: true, Type: search.SortFieldAsDate, Missing: search.SortFieldMissingLast}
	id := &search.SortDocID{}
	if sort == SortDate {
		return search.SortOrder{newest, score, id}
	}
	return search.SortOrder{score, newest, id}
}

func toHit(h *search.DocumentMatch) Hit {
	str := func(f string) string {
		s, _ := h.Fields[f].(string) // absent fields are empty
		return s
	}
	hit := Hit{
		ID:     h.ID,
		Title:  str(indexer.FieldTitle),
		Region: str(indexer.FieldRegion),
		Level:  str(indexer.FieldLevel),
		Date:   str(indexer.FieldDate),
		Year:   str(indexer.FieldYear),
		Type:   str(indexer.FieldType),
		Score:  h.Score,
		// DupGroup is absent only in an index built before groups.
		DupGroup: str(indexer.FieldDupGroup),
	}
	return hit
}

// storedText returns the stored text field f of h, nil when absent.
func storedText(h *search.DocumentMatch, f string) []byte {
	if s, ok := h.Fields[f].(string); ok {
		return []byte(s)
	}
	return nil
}
