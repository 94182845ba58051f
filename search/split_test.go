package search

import (
	"fmt"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"policysearch/indexer"
)

// splitQueries add to executeQueries queries that must not be split (a
// single character, a year range) and ones with negation and OR.
var splitQueries = append([]string{
	"医", "医 养老", "year:2019..2023 就业", "(养老 OR 医养) 服务", "乡村振兴 -扶贫", "养老院",
	"养老 (服务 社区)", "(城市 更新) OR 医养", "三十", "如何申请公租房",
}, executeQueries...)

// splitting returns a copy of svc that splits every search over four
// parts, however few its matches.
func splitting(svc *Service) *Service {
	s := *svc
	s.cores = &coreCount{max: 4, min: 0}
	return &s
}

// compareSplit checks that searches split in parts answer exactly as
// searches in one part: totals, hits, scores, facets, copies, all of it.
func compareSplit(t *testing.T, svc *Service, queries []string, variants []Request) {
	t.Helper()
	split := splitting(svc)
	for _, q := range queries {
		for i, v := range variants {
			r := v
			r.Query = q
			t.Run(fmt.Sprintf("%s/%d", q, i), func(t *testing.T) {
				want, werr := svc.Search(t.Context(), r)
				got, gerr := split.Search(t.Context(), r)
				if (werr != nil) != (gerr != nil) {
					t.Fatalf("split Search(%+v) error = %v, in one part %v", r, gerr, werr)
				}
				if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Result{}, "Took"), cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("split Search(%+v) differs (-one part +split):\n%s", r, diff)
				}
			})
		}
	}
	if b := split.cores.busy.Load(); b != 0 {
		t.Errorf("after the searches, %d cores are still counted busy", b)
	}
}

func TestSplitSearchSame(t *testing.T) {
	t.Parallel()
	compareSplit(t, fixture(t).svc, shortened(splitQueries), executeVariants)
}

func TestSplitSearchSameShared(t *testing.T) {
	t.Parallel()
	f := sharedFixture(t)
	// The first four request shapes and the filtered ones by region and
	// by year.
	variants := append(slices.Clone(executeVariants[:4]), executeVariants[8:10]...)
	compareSplit(t, f.svc, append(splitQueries, sampleSubstrings(f.norm, 40)...), variants)
}

// TestSplitParts checks when a search is split: only from the minimum
// count, for splittable queries, and only onto idle cores.
func TestSplitParts(t *testing.T) {
	t.Parallel()
	lex, err := DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	tr := &translator{lex: lex}
	word, err := tr.translate(&Term{Text: "养老"}, false)
	if err != nil {
		t.Fatal(err)
	}
	single, err := tr.translate(&Term{Text: "医"}, false)
	if err != nil {
		t.Fatal(err)
	}
	n, err := Parse("养老 服务")
	if err != nil {
		t.Fatal(err)
	}
	words, err := tr.translate(n, false)
	if err != nil {
		t.Fatal(err)
	}
	c := &coreCount{max: 2, min: 100}
	filter := keywordQuery(indexer.FieldPlaces, "山东省")
	// Conjunctions advance their clauses, whose should bonus bleve's own
	// boolean searchers can then lose depending on the path; ours keep it.
	for name, q := range map[string]query.Query{"several words": words, "a filtered word": withFilter(word, filter)} {
		if n := c.parts(5000, bleveOnly(q)); n != 1 {
			t.Errorf("parts of %s on bleve's boolean searchers = %d, want 1", name, n)
		}
		if n := c.parts(5000, q); n != 2 {
			t.Errorf("parts of %s = %d, want 2", name, n)
		}
		c.release(2)
	}
	if n := c.parts(99, word); n != 1 {
		t.Errorf("parts below the minimum = %d, want 1", n)
	}
	if n := c.parts(5000, single); n != 1 {
		t.Errorf("parts of a single character (prefix and regexp clauses) = %d, want 1", n)
	}
	leave := c.enter()
	if n := c.parts(5000, word); n != 2 {
		t.Errorf("parts with a core idle = %d, want 2", n)
	}
	if n := c.parts(5000, word); n != 1 {
		t.Errorf("parts with both cores taken = %d, want 1", n)
	}
	c.release(2)
	leave()
	if b := c.busy.Load(); b != 0 {
		t.Errorf("busy = %d after release and leave, want 0", b)
	}
}

// TestConjunctionCount checks that a filtered word's searcher estimates
// its matches as the smaller of the word's and the filter's estimates,
// not their sum: the estimate that decides splitting.
func TestConjunctionCount(t *testing.T) {
	t.Parallel()
	svc := fixture(t).svc
	reader, _, release := testSnapshot(t, svc)
	defer release()
	count := func(q query.Query) uint64 {
		sr, err := q.Searcher(svc.searchContext(t.Context()), reader, svc.idx.Mapping(), search.SearcherOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer func() {
			if err := sr.Close(); err != nil {
				t.Error(err)
			}
		}()
		return sr.Count()
	}
	tr := &translator{lex: svc.lex}
	for _, c := range []struct {
		word   string
		filter Request
	}{
		{"发展", Request{Filters: map[string][]string{FacetYear: {"2023"}}}},
		{"医养", Request{Filters: map[string][]string{FacetRegion: {"山东省"}}}},
	} {
		word, err := tr.translate(&Term{Text: c.word}, false)
		if err != nil {
			t.Fatal(err)
		}
		f := svc.filterQuery(c.filter)
		w, n := count(word), count(f)
		if got, want := count(withFilter(word, f)), min(w, n); got != want || w == n {
			t.Errorf("%s filtered by %v: estimate %d, want the smaller of %d and %d", c.word, c.filter.Filters, got, w, n)
		}
	}
}
