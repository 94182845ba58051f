package search

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"policysearch/indexer"
)

// RelatedOptions shape a Related request. The zero value asks for
// DefaultSize documents from anywhere.
type RelatedOptions struct {
	// Size is the number of documents; 0 means DefaultSize, at most
	// MaxSize.
	Size int
	// ExcludeRegions leaves out documents of these regions and of the
	// regions inside them (as a region filter matches them).
	ExcludeRegions []string
	// OtherRegions leaves out documents of the document's own region and
	// of the regions inside it: "what do other districts say about the
	// same things?"
	OtherRegions bool
}

// Limits of the query Related builds from a document.
const (
	// relatedTerms is the number of distinctive words asked for.
	relatedTerms = 25
	// relatedCandidates is the number of the document's most frequent
	// words whose document frequency is looked up.
	relatedCandidates = 200
	// relatedEntities is the most organisations, quoted terms or topics
	// (each) asked for.
	relatedEntities = 8
)

// relatedEntityFields are the entity kinds Related asks for, with their
// fields.
var relatedEntityFields = map[indexer.Kind]string{
	indexer.KindOrg:   indexer.FieldOrg,
	indexer.KindTerm:  indexer.FieldTerm,
	indexer.KindTopic: indexer.FieldTopic,
}

// weighted is a query word with its tf-idf weight.
type weighted struct {
	word   string
	weight float64
}

// Related returns the documents most like the document id: those sharing
// its most distinctive words (the top words by tf-idf of its title and
// body, as gse segments them) and its organisations, quoted terms and
// topics, best first. The document itself and its near-duplicates (its
// group, see indexer.FieldDupGroup) are left out, and of other groups only
// the best-ranked member is kept. It returns ErrNotFound for an unknown
// document and a *ValidationError for a bad size.
func (s *Service) Related(ctx context.Context, id string, o RelatedOptions) (*Result, error) {
	if o.Size == 0 {
		o.Size = DefaultSize
	}
	if o.Size < 0 || o.Size > MaxSize {
		return nil, &ValidationError{Param: "size", Msg: fmt.Sprintf("must be between 1 and %d", MaxSize)}
	}
	if len(o.ExcludeRegions) > MaxFilterValues {
		return nil, &ValidationError{Param: "exclude_region", Msg: fmt.Sprintf("at most %d values", MaxFilterValues)}
	}
	start := time.Now()
	d, err := s.Document(ctx, id)
	if err != nil {
		return nil, err
	}
	words, err := s.distinctive(d)
	if err != nil {
		return nil, fmt.Errorf("related to %s: %w", id, err)
	}
	like := bleve.NewDisjunctionQuery()
	for _, w := range words {
		tq := bleve.NewTermQuery(w.word)
		tq.SetField(indexer.FieldBody)
		tq.SetBoost(w.weight)
		like.AddQuery(tq)
	}
	// Distinct entity values, the first few of each kind.
	seen := map[string]int{}
	for _, e := range d.Entities {
		field, ok := relatedEntityFields[e.Kind]
		key := string(e.Kind) + "\x00" + e.Value
		if !ok || seen[key] > 0 || seen[string(e.Kind)] >= relatedEntities {
			continue
		}
		seen[key]++
		seen[string(e.Kind)]++
		tq := bleve.NewTermQuery(e.Value)
		tq.SetField(field)
		like.AddQuery(tq)
	}
	if len(like.Disjuncts) == 0 {
		return &Result{Hits: []Hit{}, Took: time.Since(start)}, nil
	}
	q := bleve.NewBooleanQuery()
	q.AddMust(like)
	not := []query.Query{bleve.NewDocIDQuery([]string{id})}
	if d.DupGroup != "" {
		not = append(not, keywordQuery(indexer.FieldDupGroup, d.DupGroup))
	}
	exclude := slices.Clone(o.ExcludeRegions)
	if o.OtherRegions && d.Region != "" {
		exclude = append(exclude, d.Region)
	}
	for _, r := range exclude {
		not = append(not, keywordQuery(indexer.FieldPlaces, r))
	}
	q.AddMustNot(not...)

	// Fetch more than asked, to keep one document per group.
	req := bleve.NewSearchRequestOptions(s.scoped(ctx, q), 2*o.Size+10, 0, false)
	req.Fields = hitFields
	req.SortByCustom(sortOrder(SortRelevance))
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("related to %s: %w", id, err)
	}
	out := &Result{Total: res.Total, Groups: res.Total, Hits: []Hit{}}
	groups := map[string]bool{}
	for _, h := range res.Hits {
		g := groupOf(h)
		if groups[g] || len(out.Hits) == o.Size {
			continue
		}
		groups[g] = true
		out.Hits = append(out.Hits, toHit(h))
	}
	out.Took = time.Since(start)
	return out, nil
}

// distinctive returns the words of d with the highest tf-idf, weighted
// so that the best has weight 1.
func (s *Service) distinctive(d *Document) ([]weighted, error) {
	words, err := indexer.Words(d.Title + "\n" + d.Body)
	if err != nil {
		return nil, err
	}
	tf := map[string]int{}
	for _, w := range words {
		if utf8.RuneCountInString(w) >= 2 && hasLetter(w) {
			tf[w]++
		}
	}
	// Title words count as if they were frequent.
	title, err := indexer.Words(d.Title)
	if err != nil {
		return nil, err
	}
	for _, w := range title {
		if _, ok := tf[w]; ok {
			tf[w] += 3
		}
	}
	cands := make([]string, 0, len(tf))
	for w := range tf {
		cands = append(cands, w)
	}
	slices.SortFunc(cands, func(a, b string) int {
		return cmp.Or(cmp.Compare(tf[b], tf[a]), cmp.Compare(a, b))
	})
	cands = cands[:min(len(cands), relatedCandidates)]
	total, err := s.idx.DocCount()
	if err != nil {
		return nil, fmt.Errorf("count documents: %w", err)
	}
	var out []weighted
	for _, w := range cands {
		df, err := s.docFreq(indexer.FieldBody, w)
		if err != nil {
			return nil, err
		}
		// A word in most documents says nothing; one only here finds
		// nothing else.
		if df < 2 || float64(df) > 0.3*float64(total) {
			continue
		}
		idf := math.Log(float64(total) / float64(df))
		out = append(out, weighted{word: w, weight: (1 + math.Log(float64(tf[w]))) * idf})
	}
	slices.SortFunc(out, func(a, b weighted) int {
		return cmp.Or(cmp.Compare(b.weight, a.weight), cmp.Compare(a.word, b.word))
	})
	out = out[:min(len(out), relatedTerms)]
	if len(out) > 0 {
		top := out[0].weight
		for i := range out {
			out[i].weight /= top
		}
	}
	return out, nil
}

// hasLetter reports whether s has a letter (Han characters are letters).
func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
