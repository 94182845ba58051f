package search

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"policysearch/indexer"
)

// scanSentences returns, by a plain scan, the normalized sentences (split
// at 。！？；!?; and line ends) of the bodies of the documents whose title
// or body holds q, by document index, keeping those that hold q.
func scanSentences(f *sampleFixture, q string) map[int][]string {
	q = indexer.Normalize(q)
	out := map[int][]string{}
	for i, d := range f.docs {
		if !strings.Contains(f.norm[i], q) {
			continue
		}
		for s := range strings.FieldsFuncSeq(d.Body, func(r rune) bool { return strings.ContainsRune("。！？；!?;\n", r) }) {
			if n := indexer.Normalize(s); strings.Contains(n, q) {
				out[i] = append(out[i], n)
			}
		}
	}
	return out
}

func TestCooccurMatchesScan(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	for _, q := range []string{"医养", "养老"} {
		t.Run(q, func(t *testing.T) {
			t.Parallel()
			got, err := f.svc.Cooccur(t.Context(), CooccurRequest{Search: Request{Query: q}, Size: MaxCooccurSize})
			if err != nil {
				t.Fatalf("Cooccur(%s): %v", q, err)
			}
			sents := scanSentences(f, q)
			n := 0
			for _, ss := range sents {
				n += len(ss)
			}
			if got.Docs != len(sents) || got.Sentences != n {
				t.Errorf("Cooccur(%s) read %d documents, %d sentences; the scan finds %d, %d", q, got.Docs, got.Sentences, len(sents), n)
			}
			words := 0
			for _, term := range got.Terms {
				if utf8.RuneCountInString(term.Term) < 2 || strings.Contains(q, term.Term) || stopWords()[term.Term] {
					t.Errorf("Cooccur(%s) lists %q, which it should leave out", q, term.Term)
				}
				if term.Kind != KindWord {
					if term.Count < 1 || term.Docs < 1 || term.Docs > len(sents) {
						t.Errorf("Cooccur(%s) entity %+v: counts out of range", q, term)
					}
					continue
				}
				words++
				count, docs := 0, 0
				for _, ss := range sents {
					c := 0
					for _, s := range ss {
						if strings.Contains(s, term.Term) {
							c++
						}
					}
					count += c
					if c > 0 {
						docs++
					}
				}
				if term.Count != count || term.Docs != docs {
					t.Errorf("Cooccur(%s) %q: count %d in %d documents, the scan finds %d in %d", q, term.Term, term.Count, term.Docs, count, docs)
				}
			}
			if words < 10 {
				t.Errorf("Cooccur(%s) lists %d words, want at least 10", q, words)
			}
			if !slices.IsSortedFunc(got.Terms, func(a, b CoTerm) int { return cmpFloat(b.Score, a.Score) }) {
				t.Errorf("Cooccur(%s) terms not sorted by score", q)
			}
		})
	}
}

// TestCooccurDistinctive checks the weighting: near 医养 the words of care
// rise above the words every policy uses.
func TestCooccurDistinctive(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	got, err := f.svc.Cooccur(t.Context(), CooccurRequest{Search: Request{Query: "医养"}, Size: MaxCooccurSize})
	if err != nil {
		t.Fatal(err)
	}
	rank := func(term string) int {
		i := slices.IndexFunc(got.Terms, func(c CoTerm) bool { return c.Term == term })
		if i < 0 {
			return len(got.Terms)
		}
		return i
	}
	var top []string
	for _, c := range got.Terms[:min(15, len(got.Terms))] {
		top = append(top, c.Term+"/"+c.Kind)
	}
	if r := rank("养老"); r >= 15 {
		t.Errorf("养老 ranks %d near 医养, want in the top 15: %v", r, top)
	}
	for _, generic := range []string{"发展", "建设"} {
		if rank(generic) < rank("养老") {
			t.Errorf("%s ranks above 养老 near 医养: %v", generic, top)
		}
	}
}

func TestCooccurInvalid(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	for _, tc := range []struct {
		req   CooccurRequest
		param string
	}{
		{CooccurRequest{}, "q"},
		{CooccurRequest{Search: Request{Query: "医养"}, Size: MaxCooccurSize + 1}, "size"},
	} {
		_, err := f.svc.Cooccur(t.Context(), tc.req)
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Param != tc.param {
			t.Errorf("Cooccur(%+v) = %v, want a validation error on %s", tc.req, err, tc.param)
		}
	}
}

// TestCooccurInRegion checks a district's own words: its quoted slogan is
// found as a term, and its own name is left out.
func TestCooccurInRegion(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	got, err := f.svc.Cooccur(t.Context(), CooccurRequest{Search: Request{Query: "医养", Filters: map[string][]string{FacetRegion: {"槐荫区"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Docs == 0 {
		t.Fatal("Cooccur(医养 in 槐荫区) read no document")
	}
	slogan := false
	for _, c := range got.Terms {
		if strings.HasSuffix(c.Term, "槐荫区") {
			t.Errorf("Cooccur(医养 in 槐荫区) lists the region itself: %+v", c)
		}
		if c.Kind == string(indexer.KindTerm) && strings.Contains(c.Term, "医养之都") {
			slogan = true
		}
	}
	if !slogan {
		t.Errorf("Cooccur(医养 in 槐荫区) misses the slogan 齐鲁门户、医养之都: %+v", got.Terms)
	}
}
