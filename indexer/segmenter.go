package indexer

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"

	"github.com/go-ego/gse"
)

// DictVersion names the dictionaries the tokenizer segments with: gse's
// embedded simplified-Chinese dictionary plus dict/policy-v1.txt. It is
// persisted in the analyzer config of every index, so changing either
// dictionary means a new version and a rebuilt index.
const DictVersion = "gse-zh_s+policy-v1"

//go:embed dict/policy-v1.txt
var policyDict string

// segmenter is the process-wide gse segmenter, loaded once on first use and
// read-only afterwards, which makes it safe for concurrent use.
var segmenter = sync.OnceValues(loadSegmenter)

func loadSegmenter() (*gse.Segmenter, error) {
	seg := &gse.Segmenter{
		// The tokenizer uses dictionary segmentation only: HMM guessing of
		// unknown words is super-linear on long runs of unknown text (raw
		// Word XML) and adds nothing once sub-words are indexed.
		NotLoadHMM: true,
		SkipLog:    true,
	}
	// gse keeps the first entry of a word, so the policy dictionary goes
	// first to win over the general dictionary's frequencies.
	user := stripComments(policyDict)
	if err := seg.LoadDictStr(user); err != nil {
		return nil, fmt.Errorf("load policy dictionary: %w", err)
	}
	if err := seg.LoadDictEmbed("zh_s"); err != nil {
		return nil, fmt.Errorf("load gse dictionary zh_s: %w", err)
	}
	return seg, nil
}

// stripComments drops blank lines and lines starting with '#'.
func stripComments(s string) string {
	var b strings.Builder
	for line := range strings.Lines(s) {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		b.WriteString(t)
		b.WriteByte('\n')
	}
	return b.String()
}
