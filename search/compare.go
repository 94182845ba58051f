package search

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"policysearch/indexer"
)

// Dimensions a comparison groups by (CompareRequest.By).
const (
	// ByRegion groups by the document's own region (its full name, so
	// that 槐荫区 and 济南市槐荫区 are one group), or by the regions of the
	// region filter when one is given: each takes in the regions inside it.
	ByRegion = "region"
	// ByYear groups by the document's year.
	ByYear = "year"
	// ByType groups by the document type (政府工作报告, 地方性法规 ...).
	ByType = "type"
)

// Orders of a comparison's groups (CompareRequest.Sort).
const (
	// CompareSortRate orders by rate, highest first (the default).
	CompareSortRate = "rate"
	// CompareSortMatches orders by matching documents, most first.
	CompareSortMatches = "matches"
	// CompareSortName orders by label (by year for year groups).
	CompareSortName = "name"
)

// MaxCompareRegions is the most regions a comparison may name.
const MaxCompareRegions = 30

// RatePer is the number of characters a Group's Rate is counted per.
const RatePer = 10000

// CompareRequest compares how much a query is spoken of across groups of
// documents. Search.Query is required; Search.Filters and the date and
// amount ranges of Search restrict the documents as in a search, and the
// values of the region filter, when given, are the region groups. Paging,
// facet, sort and highlight fields of Search are ignored.
type CompareRequest struct {
	Search Request
	// By names the dimensions to group by: ByRegion, ByYear, ByType, or
	// ByRegion and ByYear together. Empty means ByRegion.
	By []string
	// Sort is CompareSortRate (also when empty), CompareSortMatches or
	// CompareSortName.
	Sort string
}

// Comparison is the answer to a CompareRequest.
type Comparison struct {
	Query string
	// By is the grouping applied, as validated.
	By     []string
	Groups []Group
	// Took is the time the comparison took.
	Took time.Duration
}

// Group is one group of documents in a Comparison. Docs and Chars count
// every document of the group that passes the filters; the other counts
// only those matching the query.
type Group struct {
	// Label names the group for display: 槐荫区, 2023, 政府工作报告.
	Label string
	// Region is the full name of the group's region (山东省济南市槐荫区),
	// empty when not grouped by region.
	Region string
	// Year is the group's year, 0 when not grouped by year or unknown.
	Year int
	// Type is the group's document type, empty when not grouped by type.
	Type string
	// Docs is the number of documents in the group.
	Docs int
	// MatchingDocs is the number of them the query matches.
	MatchingDocs int
	// Occurrences counts the literal occurrences (non-overlapping, after
	// indexer.Normalize) of the query's positive terms in the bodies of
	// the matching documents. Synonyms match documents but are not counted.
	Occurrences int
	// Chars is the total length of the group's bodies in characters (runes).
	Chars int
	// Rate is Occurrences per RatePer characters of Chars; 0 when Chars is 0.
	Rate float64
	// FirstYear and LatestYear are the earliest and latest years of the
	// matching documents with a known year; 0 when none.
	FirstYear, LatestYear int
}

// docStat is what a comparison knows of one document that passes the
// filters, read from doc values.
type docStat struct {
	region, province, city, county, typ string
	year, chars                         int
}

// inRegion reports whether d lies in the region r as the region filter
// matches it (see indexer.FieldPlaces).
func (d docStat) inRegion(r string) bool {
	return r != "" && (r == d.region || r == d.province || r == d.city || r == d.county)
}

// chain returns the full name of d's region: its province, city and county
// joined without repeats (上海市 is province and city), or its region name
// when it has none (全国).
func (d docStat) chain() string {
	var b strings.Builder
	prev := ""
	for _, p := range []string{d.province, d.city, d.county} {
		if p != "" && p != prev {
			b.WriteString(p)
			prev = p
		}
	}
	if b.Len() == 0 {
		return d.region
	}
	return b.String()
}

// label returns the shortest name of d's region: county, city, province or
// region.
func (d docStat) label() string {
	for _, p := range []string{d.county, d.city, d.province} {
		if p != "" {
			return p
		}
	}
	return d.region
}

// statFields are read for each document in scope, in this order.
var statFields = []string{
	indexer.FieldRegion, indexer.FieldProvince, indexer.FieldCity, indexer.FieldCounty,
	indexer.FieldType, indexer.FieldYear, indexer.FieldChars,
}

// scope returns the statistics of every document f matches (every document
// when f is nil), by ID. It reads doc values through the sort order, which
// is far cheaper than loading stored fields.
func (s *Service) scope(ctx context.Context, f query.Query) (map[string]docStat, error) {
	if f == nil {
		f = bleve.NewMatchAllQuery()
	}
	n, err := s.idx.DocCount()
	if err != nil {
		return nil, fmt.Errorf("count documents: %w", err)
	}
	out := make(map[string]docStat, n)
	if n == 0 {
		return out, nil
	}
	req := bleve.NewSearchRequestOptions(s.scoped(ctx, f), int(n), 0, false)
	req.Score = "none"
	order := make(search.SortOrder, 0, len(statFields))
	for _, name := range statFields {
		typ := search.SortFieldAsString
		if name == indexer.FieldChars {
			typ = search.SortFieldAsNumber
		}
		order = append(order, &search.SortField{Field: name, Type: typ, Missing: search.SortFieldMissingLast})
	}
	req.SortByCustom(order)
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("read document statistics: %w", err)
	}
	for _, h := range res.Hits {
		if len(h.DecodedSort) != len(statFields) {
			continue // cannot happen: bleve fills one value per sort field
		}
		v := func(i int) string {
			if x := h.DecodedSort[i]; x != search.HighTerm && x != search.LowTerm {
				return x
			}
			return ""
		}
		d := docStat{region: v(0), province: v(1), city: v(2), county: v(3), typ: v(4)}
		// Unknown years and lengths are 0.
		d.year, _ = strconv.Atoi(v(5))
		if c, err := strconv.ParseFloat(v(6), 64); err == nil {
			d.chars = int(c)
		}
		out[h.ID] = d
	}
	return out, nil
}

// mentions returns, for every document q matches, the number of literal
// occurrences of literals in its body.
func (s *Service) mentions(ctx context.Context, q query.Query, literals []string) (map[string]int, error) {
	n, err := s.idx.DocCount()
	if err != nil {
		return nil, fmt.Errorf("count documents: %w", err)
	}
	out := map[string]int{}
	if n == 0 {
		return out, nil
	}
	req := bleve.NewSearchRequestOptions(s.scoped(ctx, q), int(n), 0, false)
	req.Score = "none"
	req.Fields = []string{indexer.FieldStoredBody}
	req.SortBy([]string{"_id"})
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("find matching documents: %w", err)
	}
	// Normalizing the bodies is most of the work: spread it over the CPUs.
	counts := make([]int, len(res.Hits))
	errs := make([]error, len(res.Hits))
	workers := min(runtime.GOMAXPROCS(0), len(res.Hits))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(res.Hits); i += workers {
				body, err := indexer.StoredBody(res.Hits[i].Fields[indexer.FieldStoredBody])
				if err != nil {
					errs[i] = fmt.Errorf("body of %s: %w", res.Hits[i].ID, err)
					continue
				}
				counts[i] = countLiterals(indexer.Normalize(body), literals)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for i, h := range res.Hits {
		out[h.ID] = counts[i]
	}
	return out, nil
}

// countLiterals returns the non-overlapping occurrences of each literal in
// text, summed. text and literals are normalized.
func countLiterals(text string, literals []string) int {
	n := 0
	for _, l := range literals {
		if l != "" {
			n += strings.Count(text, l)
		}
	}
	return n
}

// prepared is a validated comparison query: the query with its filters,
// the filters alone (nil for none), and the literals to count.
type prepared struct {
	strict   query.Query
	filter   query.Query
	literals []string
	regions  []string
}

// prepare validates r for Compare, Timeline and Cooccur, which need a
// query, and builds its queries.
func (s *Service) prepare(r *Request, maxRegions int) (*prepared, error) {
	if strings.TrimSpace(r.Query) == "" {
		return nil, &ValidationError{Param: "q", Msg: "is required: give the words to count"}
	}
	if err := r.validate(); err != nil {
		return nil, err
	}
	regions := r.Filters[FacetRegion]
	if len(regions) > maxRegions {
		return nil, &ValidationError{Param: "region", Msg: fmt.Sprintf("at most %d regions, got %d", maxRegions, len(regions))}
	}
	strict, _, tr, err := s.translate(*r)
	if err != nil {
		return nil, err
	}
	var literals []string
	for _, l := range tr.literals {
		if l != "" && !slices.Contains(literals, l) {
			literals = append(literals, l)
		}
	}
	return &prepared{strict: strict, filter: s.filterQuery(*r), literals: literals, regions: slices.Compact(slices.Clone(regions))}, nil
}

// validateBy checks and normalizes a grouping.
func validateBy(by []string) ([]string, error) {
	var out []string
	for _, b := range by {
		switch b {
		case ByRegion, ByYear, ByType:
		default:
			return nil, &ValidationError{Param: "by", Msg: fmt.Sprintf("unknown grouping %q (known: region, year, type, or region,year)", b)}
		}
		if !slices.Contains(out, b) {
			out = append(out, b)
		}
	}
	switch {
	case len(out) == 0:
		return []string{ByRegion}, nil
	case len(out) == 1:
		return out, nil
	case len(out) == 2 && slices.Contains(out, ByRegion) && slices.Contains(out, ByYear):
		return []string{ByRegion, ByYear}, nil
	}
	return nil, &ValidationError{Param: "by", Msg: fmt.Sprintf("cannot group by %s together (only region,year combine)", strings.Join(out, ","))}
}

// groupKey identifies a group.
type groupKey struct {
	region, typ string
	year        int
}

// tally accumulates a group's counts.
type tally struct {
	Group
}

func (t *tally) add(d docStat, matched bool, occ int) {
	t.Docs++
	t.Chars += d.chars
	if !matched {
		return
	}
	t.MatchingDocs++
	t.Occurrences += occ
	if d.year > 0 {
		if t.FirstYear == 0 || d.year < t.FirstYear {
			t.FirstYear = d.year
		}
		t.LatestYear = max(t.LatestYear, d.year)
	}
}

func (t *tally) finish() Group {
	g := t.Group
	if g.Chars > 0 {
		g.Rate = float64(g.Occurrences) * RatePer / float64(g.Chars)
	}
	return g
}

// Compare counts how many documents of each group match r's query, how
// often its words occur there and at what rate per RatePer characters. It
// returns a *ValidationError for bad parameters and a *SyntaxError for a
// malformed query.
//
// Groups of the region filter's regions are always listed, with zeros
// where nothing matches; other groups are listed when the query matches at
// least one of their documents.
func (s *Service) Compare(ctx context.Context, r CompareRequest) (*Comparison, error) {
	start := time.Now()
	by, err := validateBy(r.By)
	if err != nil {
		return nil, err
	}
	switch r.Sort {
	case "":
		r.Sort = CompareSortRate
	case CompareSortRate, CompareSortMatches, CompareSortName:
	default:
		return nil, &ValidationError{Param: "sort", Msg: fmt.Sprintf("must be %q, %q or %q", CompareSortRate, CompareSortMatches, CompareSortName)}
	}
	p, err := s.prepare(&r.Search, MaxCompareRegions)
	if err != nil {
		return nil, err
	}
	docs, occ, err := s.counts(ctx, p)
	if err != nil {
		return nil, err
	}
	byRegion, byYear, byType := slices.Contains(by, ByRegion), slices.Contains(by, ByYear), slices.Contains(by, ByType)
	explicit := byRegion && len(p.regions) > 0
	groups := map[groupKey]*tally{}
	add := func(k groupKey, d docStat, matched bool, n int, region, label string) {
		t := groups[k]
		if t == nil {
			t = &tally{Group{Region: region, Label: label, Year: k.year, Type: k.typ}}
			switch {
			case byType:
				t.Label = k.typ
			case byYear && !byRegion:
				t.Label = yearLabel(k.year)
			}
			groups[k] = t
		}
		t.add(d, matched, n)
	}
	for id, d := range docs {
		n, matched := occ[id]
		k := groupKey{}
		if byYear {
			k.year = d.year
		}
		if byType {
			k.typ = d.typ
		}
		switch {
		case explicit:
			for _, reg := range p.regions {
				if d.inRegion(reg) {
					k.region = reg
					add(k, d, matched, n, s.regionChain(reg, d), reg)
				}
			}
		case byRegion:
			// By the full name, so that 槐荫区 and 济南市槐荫区 are one group.
			k.region = d.chain()
			add(k, d, matched, n, d.chain(), d.label())
		default:
			add(k, d, matched, n, "", "")
		}
	}
	out := &Comparison{Query: r.Search.Query, By: by, Groups: []Group{}}
	seen := map[string]bool{}
	for k, t := range groups {
		if t.MatchingDocs == 0 && !explicit {
			continue
		}
		out.Groups = append(out.Groups, t.finish())
		seen[k.region] = true
	}
	if explicit {
		for _, reg := range p.regions {
			if !seen[reg] {
				out.Groups = append(out.Groups, Group{Label: reg, Region: s.regionChain(reg, docStat{})})
			}
		}
	}
	sortGroups(out.Groups, r.Sort)
	out.Took = time.Since(start)
	return out, nil
}

// yearLabel is the label of a year group.
func yearLabel(y int) string {
	if y == 0 {
		return "未知年份"
	}
	return strconv.Itoa(y)
}

// counts returns the statistics of the documents in p's scope and the
// occurrences in those the query matches, by ID.
func (s *Service) counts(ctx context.Context, p *prepared) (map[string]docStat, map[string]int, error) {
	type scoped struct {
		docs map[string]docStat
		err  error
	}
	ch := make(chan scoped, 1)
	go func() {
		docs, err := s.scope(ctx, p.filter)
		ch <- scoped{docs, err}
	}()
	occ, err := s.mentions(ctx, p.strict, p.literals)
	sc := <-ch
	if err != nil {
		return nil, nil, err
	}
	if sc.err != nil {
		return nil, nil, sc.err
	}
	return sc.docs, occ, nil
}

// regionChain returns the full name of the region reg as named in a region
// filter: the chain of a document in it cut at reg, or the gazetteer's
// name, or reg itself.
func (s *Service) regionChain(reg string, d docStat) string {
	switch reg {
	case "":
		return ""
	case d.county:
		return d.chain()
	case d.city:
		return docStat{province: d.province, city: d.city}.chain()
	case d.province:
		return d.province
	case d.region:
		return d.chain()
	}
	if ms := s.gaz.FindIn(reg); len(ms) > 0 && ms[len(ms)-1].End == len(reg) {
		return indexer.PlaceChain(s.gaz, ms[len(ms)-1].Place)
	}
	return reg
}

// sortGroups orders gs by the CompareSort order; ties go to more matching
// documents, then more occurrences, then by label and year.
func sortGroups(gs []Group, order string) {
	byName := func(a, b Group) int {
		return cmp.Or(cmp.Compare(a.Label, b.Label), cmp.Compare(a.Year, b.Year), cmp.Compare(a.Region, b.Region), cmp.Compare(a.Type, b.Type))
	}
	slices.SortFunc(gs, func(a, b Group) int {
		switch order {
		case CompareSortName:
			return byName(a, b)
		case CompareSortMatches:
			return cmp.Or(cmp.Compare(b.MatchingDocs, a.MatchingDocs), cmp.Compare(b.Occurrences, a.Occurrences), cmp.Compare(b.Rate, a.Rate), byName(a, b))
		}
		return cmp.Or(cmp.Compare(b.Rate, a.Rate), cmp.Compare(b.MatchingDocs, a.MatchingDocs), cmp.Compare(b.Occurrences, a.Occurrences), byName(a, b))
	})
}
