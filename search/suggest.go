package search

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"policysearch/indexer"
)

// MaxSuggestions is the most completions Suggest returns.
const MaxSuggestions = 20

// Suggestion is a completion of a typed prefix: an indexed word and the
// number of documents whose body or title contains it.
type Suggestion struct {
	Text string `json:"text"`
	Docs int    `json:"docs"`
}

// Suggest returns up to n words from the index vocabulary (gse words of
// titles and bodies) that start with prefix and are longer than it, by
// descending document frequency: 医 → 医疗, 医院, 医养 ... The prefix is
// normalized like the text, so 醫 works too. An empty prefix gives none.
func (s *Service) Suggest(ctx context.Context, prefix string, n int) ([]Suggestion, error) {
	if n <= 0 || n > MaxSuggestions {
		return nil, &ValidationError{Param: "size", Msg: fmt.Sprintf("must be between 1 and %d", MaxSuggestions)}
	}
	if len(prefix) > MaxQueryBytes || !utf8.ValidString(prefix) {
		return nil, &ValidationError{Param: "q", Msg: "must be valid UTF-8 of at most 1000 bytes"}
	}
	p := strings.TrimSpace(indexer.Normalize(prefix))
	if p == "" {
		return []Suggestion{}, nil
	}
	docs := map[string]int{}
	for _, field := range []string{indexer.FieldBody, indexer.FieldTitle} {
		terms, err := s.termsWithPrefix(ctx, field, p)
		if err != nil {
			return nil, fmt.Errorf("suggest %q: %w", prefix, err)
		}
		for _, t := range terms {
			if len(t) <= len(p) || utf8.RuneCountInString(t) < 2 {
				continue
			}
			// bleve's merged dictionary can misreport the document count
			// of a term under a short prefix (城 gives 城市:2, 城市 gives
			// 城市:1318), so each candidate is counted on its own.
			n, err := s.docFreq(field, t)
			if err != nil {
				return nil, fmt.Errorf("suggest %q: %w", prefix, err)
			}
			docs[t] = max(docs[t], n)
		}
	}
	out := make([]Suggestion, 0, len(docs))
	for t, c := range docs {
		out = append(out, Suggestion{Text: t, Docs: c})
	}
	slices.SortFunc(out, func(a, b Suggestion) int {
		if c := cmp.Compare(b.Docs, a.Docs); c != 0 {
			return c
		}
		return strings.Compare(a.Text, b.Text)
	})
	return out[:min(n, len(out))], nil
}

// termsWithPrefix lists the distinct terms of field that start with prefix.
func (s *Service) termsWithPrefix(ctx context.Context, field, prefix string) ([]string, error) {
	dict, err := s.idx.FieldDictPrefix(field, []byte(prefix))
	if err != nil {
		return nil, err
	}
	var terms []string
	for {
		if err := ctx.Err(); err != nil {
			return nil, errors.Join(err, dict.Close())
		}
		e, err := dict.Next()
		if err != nil {
			return nil, errors.Join(err, dict.Close())
		}
		if e == nil {
			break
		}
		terms = append(terms, strings.Clone(e.Term))
	}
	slices.Sort(terms)
	return slices.Compact(terms), dict.Close()
}

// docFreq returns the number of documents whose field holds term.
func (s *Service) docFreq(field, term string) (int, error) {
	dict, err := s.idx.FieldDictPrefix(field, []byte(term))
	if err != nil {
		return 0, err
	}
	n := 0
	for {
		e, err := dict.Next()
		if err != nil {
			return 0, errors.Join(err, dict.Close())
		}
		if e == nil || e.Term != term {
			break
		}
		n += int(e.Count)
	}
	return n, dict.Close()
}
