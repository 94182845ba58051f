package search

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"unicode"
)

// sharedCorpusDir returns ../shared/corpus of the checkout (or
// $POLICYSEARCH_SHARED_CORPUS), or "" when it is absent.
func sharedCorpusDir() string {
	dir := os.Getenv("POLICYSEARCH_SHARED_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "corpus")
	}
	if _, err := os.Stat(filepath.Join(dir, "manifest.jsonl")); err != nil {
		return ""
	}
	return dir
}

// shared is the shared corpus indexed on disk once for the package's tests.
var shared = sync.OnceValues(func() (*sampleFixture, error) {
	return buildFixture(os.DirFS(sharedCorpusDir()))
})

func sharedFixture(t *testing.T) *sampleFixture {
	t.Helper()
	if sharedCorpusDir() == "" {
		t.Skip("../shared/corpus is absent (set POLICYSEARCH_SHARED_CORPUS to run this test); CI has it")
	}
	if testing.Short() {
		t.Skip("indexing the shared corpus takes a while; skipped with -short")
	}
	f, err := shared()
	if err != nil {
		t.Fatalf("build shared index: %v", err)
	}
	return f
}

// sampleSubstrings draws n distinct substrings of 2–6 Han characters from
// normalized document texts, deterministically.
func sampleSubstrings(norm []string, n int) []string {
	rng := rand.New(rand.NewPCG(2024, 11))
	seen := map[string]bool{}
	var out []string
	for tries := 0; len(out) < n && tries < n*50; tries++ {
		body := []rune(norm[rng.IntN(len(norm))])
		if len(body) < 10 {
			continue
		}
		l := 2 + rng.IntN(5)
		i := rng.IntN(len(body) - l)
		s := body[i : i+l]
		if slices.ContainsFunc(s, func(r rune) bool { return !unicode.Is(unicode.Han, r) }) {
			continue
		}
		q := string(s)
		if !seen[q] {
			seen[q] = true
			out = append(out, q)
		}
	}
	return out
}

// TestLiteralRecallShared is the literal-recall evaluation on the shared
// corpus: substrings of 2–6 characters sampled from the documents must each
// return every document that contains them (found by a string scan), and
// nothing that does not.
func TestLiteralRecallShared(t *testing.T) {
	f := sharedFixture(t)
	queries := sampleSubstrings(f.norm, 300)
	var missed, extra, expected int
	for _, q := range queries {
		want := f.containing(q)
		got := all(t, f.svc, Request{Query: `"` + q + `"`})
		expected += len(want)
		for _, id := range want {
			if _, ok := slices.BinarySearch(got, id); !ok {
				missed++
				t.Errorf("%q: document %s contains it but was not found", q, id)
			}
		}
		for _, id := range got {
			if _, ok := slices.BinarySearch(want, id); !ok {
				extra++
			}
		}
	}
	recall := 1 - float64(missed)/float64(max(expected, 1))
	t.Logf("literal recall over %d substrings: %.4f (%d of %d expected documents missed; %d found beyond literal matches, e.g. across line breaks)",
		len(queries), recall, missed, expected, extra)
	if len(queries) < 250 {
		t.Errorf("sampled only %d substrings", len(queries))
	}
}
