package indexer

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/highlight/format/html"
	"github.com/blevesearch/bleve/v2/search/highlight/fragmenter/simple"
	simplehl "github.com/blevesearch/bleve/v2/search/highlight/highlighter/simple"

	"policysearch/corpus"
)

// TestHighlightLikeBleve checks that our highlighter's shortcut
// (firstFragment) picks and formats the same fragment as bleve's simple
// highlighter over merged spans, on the sample's texts with matches drawn
// at random: few and many, short and longer than a fragment, at the start
// and the end, touching and overlapping, and invalid UTF-8.
func TestHighlightLikeBleve(t *testing.T) {
	t.Parallel()
	var texts []string
	for d, err := range corpus.Load(t.Context(), corpus.Sample(), corpus.Options{}) {
		if err != nil {
			continue // skipped files
		}
		texts = append(texts, d.Title, d.Body)
	}
	texts = append(texts, "", "短", "前\xff后文本中的匹配", strings.Repeat("发展", 300))
	bleveHL := simplehl.NewHighlighter(simple.NewFragmenter(FragmentChars), html.NewFragmentFormatter("<mark>", "</mark>"), "…")
	ours := spanHighlighter{simplehl.NewHighlighter(simple.NewFragmenter(FragmentChars), html.NewFragmentFormatter("<mark>", "</mark>"), "…"), FragmentChars}
	rng := rand.New(rand.NewPCG(8, 8))
	cases := 0
	for i, text := range texts {
		for _, n := range []int{1, 2, 5, 40, 400} {
			locs := randomLocations(rng, text, n)
			doc := document.NewDocument("d")
			doc.AddField(document.NewTextField(FieldBody, nil, []byte(text)))
			want := bleveHL.BestFragmentsInField(&search.DocumentMatch{Locations: search.FieldTermLocationMap{FieldBody: mergeSpans(locs)}}, doc, FieldBody, 1)
			dm := &search.DocumentMatch{Locations: search.FieldTermLocationMap{FieldBody: locs}}
			got := ours.BestFragmentsInField(dm, doc, FieldBody, 1)
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("text %d, %d matches: fragments\n%q\nwant (bleve)\n%q", i, n, got, want)
			}
			if len(got) > 0 && strings.Join(dm.Fragments[FieldBody], "|") != strings.Join(got, "|") {
				t.Errorf("text %d, %d matches: hit fragments %q, want %q", i, n, dm.Fragments[FieldBody], got)
			}
			cases++
		}
	}
	if cases < 100 {
		t.Fatalf("only %d cases: the sample did not load", cases)
	}
}

// randomLocations returns n matches in text at random rune boundaries (any
// byte offset for invalid UTF-8), 2 to 8 runes long, sometimes far longer,
// split over two terms as a word and its bigram field would report them.
func randomLocations(rng *rand.Rand, text string, n int) search.TermLocationMap {
	var bounds []int
	for i := range text {
		bounds = append(bounds, i)
	}
	bounds = append(bounds, len(text))
	tlm := search.TermLocationMap{}
	if len(bounds) < 2 {
		return tlm
	}
	for range n {
		s := rng.IntN(len(bounds) - 1)
		l := 2 + rng.IntN(7)
		if rng.IntN(20) == 0 {
			l = FragmentChars + rng.IntN(60)
		}
		e := min(s+l, len(bounds)-1)
		term := []string{"a", "b"}[rng.IntN(2)]
		tlm[term] = append(tlm[term], &search.Location{Start: uint64(bounds[s]), End: uint64(bounds[e])})
	}
	return tlm
}
