package search

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"policysearch/indexer"
)

// Explanation says how a query was understood, for users asking "why didn't
// it find X?".
type Explanation struct {
	// Normalized is the query text after normalization (traditional →
	// simplified, full-width → half-width, lower case).
	Normalized string `json:"normalized"`
	// Words are gse's words of the query, the units of relaxed matching.
	Words []string `json:"words"`
	// Tokens are the word analyzer's tokens of the query text, as indexed in
	// the title and body fields: words and the sub-words inside them.
	Tokens []string `json:"tokens"`
	// Bigrams are the bigram analyzer's tokens of the query text: what must
	// occur on consecutive positions for a literal match.
	Bigrams []string `json:"bigrams"`
	// Dictionary names the segmentation dictionaries in force.
	Dictionary string `json:"dictionary"`
	// Lexicon names the synonym and filler lists in force.
	Lexicon string `json:"lexicon"`
	// Query is the bleve query tree that ran, as JSON.
	Query json.RawMessage `json:"query"`
}

// FieldMatch says why a hit matched: in which field, which indexed terms.
type FieldMatch struct {
	// Field is "title" or "body".
	Field string `json:"field"`
	// Words are the query's words found as whole words in the field, as
	// gse segmented the document. A hit with bigrams but no words matched
	// across gse's word boundaries only.
	Words []string `json:"words,omitempty"`
	// Bigrams are the matched pairs of characters of a literal match.
	Bigrams []string `json:"bigrams,omitempty"`
}

// explain builds the Explanation of r's query q.
func (s *Service) explain(r Request, q query.Query) (*Explanation, error) {
	words, err := indexer.Words(r.Query)
	if err != nil {
		return nil, err
	}
	tk, err := indexer.NewTokenizer()
	if err != nil {
		return nil, err
	}
	var tokens, bigrams []string
	for _, t := range tk.Tokenize([]byte(r.Query)) {
		tokens = append(tokens, string(t.Term))
	}
	for _, t := range (indexer.BigramTokenizer{}).Tokenize([]byte(r.Query)) {
		bigrams = append(bigrams, string(t.Term))
	}
	tree, err := json.Marshal(q)
	if err != nil {
		return nil, fmt.Errorf("explain query: %w", err)
	}
	return &Explanation{
		Normalized: indexer.Normalize(r.Query),
		Words:      words,
		Tokens:     tokens,
		Bigrams:    bigrams,
		Dictionary: indexer.DictVersion(),
		Lexicon:    s.lex.Name,
		Query:      tree,
	}, nil
}

// explainHits fills Hit.Matches for a page: the bigrams of literal matches
// from the hits' term locations, and the query words that occur as whole
// words in each field (the word fields keep no term vectors, so this asks
// the index, one small query per field and word).
func (s *Service) explainHits(ctx context.Context, dms []*search.DocumentMatch, words []string, hits []Hit) error {
	ids := make([]string, len(dms))
	for i, h := range dms {
		ids[i] = h.ID
	}
	whole := map[string]map[string][]string{} // field → doc ID → words
	for _, field := range []string{indexer.FieldTitle, indexer.FieldBody} {
		whole[field] = map[string][]string{}
		for _, w := range slices.Compact(slices.Sorted(slices.Values(words))) {
			tq := bleve.NewTermQuery(w)
			tq.SetField(field)
			req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(bleve.NewDocIDQuery(ids), tq), len(ids), 0, false)
			res, err := s.idx.SearchInContext(ctx, req)
			if err != nil {
				return fmt.Errorf("explain matches: %w", err)
			}
			for _, h := range res.Hits {
				whole[field][h.ID] = append(whole[field][h.ID], w)
			}
		}
	}
	for i, h := range dms {
		for _, field := range []string{indexer.FieldTitle, indexer.FieldBody} {
			m := FieldMatch{Field: field, Words: whole[field][h.ID]}
			for term := range h.Locations[indexer.BigramField(field)] {
				m.Bigrams = append(m.Bigrams, term)
			}
			if len(m.Words)+len(m.Bigrams) == 0 {
				continue
			}
			slices.Sort(m.Bigrams)
			hits[i].Matches = append(hits[i].Matches, m)
		}
	}
	return nil
}
