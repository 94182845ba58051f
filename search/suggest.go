package search

import (
	"cmp"
	"context"
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
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		dict, err := s.idx.FieldDictPrefix(field, []byte(p))
		if err != nil {
			return nil, fmt.Errorf("suggest %q: %w", prefix, err)
		}
		for {
			e, err := dict.Next()
			if err != nil {
				dict.Close()
				return nil, fmt.Errorf("suggest %q: %w", prefix, err)
			}
			if e == nil {
				break
			}
			if len(e.Term) > len(p) && utf8.RuneCountInString(e.Term) >= 2 {
				docs[e.Term] = max(docs[e.Term], int(e.Count))
			}
		}
		if err := dict.Close(); err != nil {
			return nil, fmt.Errorf("suggest %q: %w", prefix, err)
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
