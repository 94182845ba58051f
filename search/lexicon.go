package search

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"policysearch/indexer"
)

//go:embed lexicon/synonyms-v1.txt
var defaultSynonyms string

//go:embed lexicon/filler-v1.txt
var defaultFiller string

// Lexicon holds the query-side vocabulary: synonym groups that widen a
// query and filler words (question words) that are dropped from it. A
// Lexicon is read-only after loading and safe for concurrent use.
type Lexicon struct {
	// Name identifies the lexicon in responses, e.g. "synonyms-v1".
	Name     string
	synonyms map[string][]string
	filler   map[string]bool
}

// DefaultLexicon returns the embedded lexicon (search/lexicon/*-v1.txt),
// parsed once.
var DefaultLexicon = sync.OnceValues(func() (*Lexicon, error) {
	return ParseLexicon("synonyms-v1", strings.NewReader(defaultSynonyms), strings.NewReader(defaultFiller))
})

// LoadSynonyms returns a lexicon with the synonym groups read from r (the
// format of ParseLexicon) and the embedded filler words.
func LoadSynonyms(name string, r io.Reader) (*Lexicon, error) {
	return ParseLexicon(name, r, strings.NewReader(defaultFiller))
}

// ParseLexicon reads synonym groups (one group a line, words separated by
// spaces, '#' starts a comment line) and filler words (one a line). Words are
// normalized as the index normalizes text.
func ParseLexicon(name string, synonyms, filler io.Reader) (*Lexicon, error) {
	lx := &Lexicon{Name: name, synonyms: map[string][]string{}, filler: map[string]bool{}}
	err := eachLine(synonyms, func(line string) error {
		words := strings.Fields(indexer.Normalize(line))
		if len(words) < 2 {
			return fmt.Errorf("synonym group %q needs at least two words", line)
		}
		for _, w := range words {
			for _, o := range words {
				if o != w && !slices.Contains(lx.synonyms[w], o) {
					lx.synonyms[w] = append(lx.synonyms[w], o)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("lexicon %s: synonyms: %w", name, err)
	}
	err = eachLine(filler, func(line string) error {
		lx.filler[indexer.Normalize(line)] = true
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("lexicon %s: filler: %w", name, err)
	}
	return lx, nil
}

func eachLine(r io.Reader, f func(string) error) error {
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := f(line); err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
	}
	return sc.Err()
}

// Synonyms returns the other words of w's synonym group (w normalized).
func (lx *Lexicon) Synonyms(w string) []string {
	return lx.synonyms[w]
}

// IsFiller reports whether the normalized word w is a question or filler
// word.
func (lx *Lexicon) IsFiller(w string) bool {
	return lx.filler[w]
}
