package indexer

import (
	"fmt"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/registry"
)

// Names registered with bleve. They are persisted in every index mapping, so
// renaming one is a schema change (see SchemaVersion).
const (
	// TokenizerZH is the gse word tokenizer (see Tokenizer).
	TokenizerZH = "policysearch_gse"
	// AnalyzerZH analyzes Chinese policy text: normalization and gse words
	// with their sub-words.
	AnalyzerZH = "policysearch_zh"
	// TokenizerBigram is the Han bigram tokenizer without byte offsets
	// (see BigramTokenizer).
	TokenizerBigram = "policysearch_bigram"
	// AnalyzerBigram analyzes text into normalized Han bigrams, for exact
	// literal matching.
	AnalyzerBigram = "policysearch_bigram"
)

// init registers the tokenizers and analyzers with bleve's
// registry, and with scorch's the event callback through which Build holds
// back merges. It does no I/O: the dictionaries load when bleve first builds
// the analyzer.
func init() {
	if err := registry.RegisterTokenizer(TokenizerZH, newRegisteredTokenizer); err != nil {
		panic(err)
	}
	if err := registry.RegisterAnalyzer(AnalyzerZH, newRegisteredAnalyzer); err != nil {
		panic(err)
	}
	if err := registry.RegisterTokenizer(TokenizerBigram, newBigramTokenizer); err != nil {
		panic(err)
	}
	if err := registry.RegisterAnalyzer(AnalyzerBigram, newBigramAnalyzer); err != nil {
		panic(err)
	}
	if _, dup := scorch.RegistryEventCallbacks[scorchEvents]; dup {
		panic("scorch event callback " + scorchEvents + " registered twice")
	}
	scorch.RegistryEventCallbacks[scorchEvents] = onScorchEvent
}

func newRegisteredTokenizer(config map[string]any, cache *registry.Cache) (analysis.Tokenizer, error) {
	return NewTokenizer()
}

func newRegisteredAnalyzer(config map[string]any, cache *registry.Cache) (analysis.Analyzer, error) {
	tok, err := cache.TokenizerNamed(TokenizerZH)
	if err != nil {
		return nil, fmt.Errorf("analyzer %s: %w", AnalyzerZH, err)
	}
	return &analysis.DefaultAnalyzer{Tokenizer: tok}, nil
}

func newBigramTokenizer(config map[string]any, cache *registry.Cache) (analysis.Tokenizer, error) {
	return positionsTokenizer{}, nil
}

func newBigramAnalyzer(config map[string]any, cache *registry.Cache) (analysis.Analyzer, error) {
	tok, err := cache.TokenizerNamed(TokenizerBigram)
	if err != nil {
		return nil, fmt.Errorf("analyzer %s: %w", AnalyzerBigram, err)
	}
	return &analysis.DefaultAnalyzer{Tokenizer: tok}, nil
}
