package search

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"unicode/utf8"

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
	// Tokens are the analyzer's tokens of the query text, as indexed in the
	// title and body fields: words and the sub-words inside them.
	Tokens []string `json:"tokens"`
	// Dictionary names the segmentation dictionaries in force.
	Dictionary string `json:"dictionary"`
	// Lexicon names the synonym and filler lists in force.
	Lexicon string `json:"lexicon"`
	// Query is the bleve query tree that ran, as JSON.
	Query json.RawMessage `json:"query"`
}

// FieldMatch says why a hit matched: in which field, which indexed terms.
type FieldMatch struct {
	Field string `json:"field"`
	// Words are matched terms of two or more characters: whole words as
	// gse segmented the document.
	Words []string `json:"words,omitempty"`
	// Chars are matched single characters: the query matched there only
	// across gse's word boundaries, character by character.
	Chars []string `json:"chars,omitempty"`
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
	var tokens []string
	for _, t := range tk.Tokenize([]byte(r.Query)) {
		tokens = append(tokens, string(t.Term))
	}
	tree, err := json.Marshal(q)
	if err != nil {
		return nil, fmt.Errorf("explain query: %w", err)
	}
	return &Explanation{
		Normalized: indexer.Normalize(r.Query),
		Words:      words,
		Tokens:     tokens,
		Dictionary: indexer.DictVersion(),
		Lexicon:    s.lex.Name,
		Query:      tree,
	}, nil
}

// matches lists, per field, the terms that matched in a hit.
func matches(h *search.DocumentMatch) []FieldMatch {
	var out []FieldMatch
	for field, terms := range h.Locations {
		m := FieldMatch{Field: field}
		for term := range terms {
			if utf8.RuneCountInString(term) > 1 {
				m.Words = append(m.Words, term)
			} else {
				m.Chars = append(m.Chars, term)
			}
		}
		slices.Sort(m.Words)
		slices.Sort(m.Chars)
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b FieldMatch) int { return cmp.Compare(a.Field, b.Field) })
	return out
}
