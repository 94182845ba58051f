package indexer

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/highlight/format/html"
	"github.com/blevesearch/bleve/v2/search/highlight/fragmenter/simple"
	simplehl "github.com/blevesearch/bleve/v2/search/highlight/highlighter/simple"

	"policysearch/corpus"
)

// TestHighlightLikeBleve checks that Highlight picks and formats the same
// fragment as bleve's simple highlighter over merged spans, on the sample's
// texts with matches drawn at random: few and many, short and longer than
// a fragment, at the start and the end, touching and overlapping, and
// invalid UTF-8. It also checks the protocol for partial spans: given only
// the spans that start before some offset, Highlight either gives the same
// fragment or says it needs more.
func TestHighlightLikeBleve(t *testing.T) {
	t.Parallel()
	var texts []string
	for d, err := range corpus.Load(t.Context(), corpus.Sample(), corpus.Options{}) {
		if err != nil {
			continue // skipped files
		}
		texts = append(texts, d.Title, d.Body)
	}
	texts = append(texts, "", "短", "前\xff后文本中的匹配", strings.Repeat("发展", 300), "<a href=\"x\">&amp;医养</a>")
	bleveHL := simplehl.NewHighlighter(simple.NewFragmenter(FragmentChars), html.NewFragmentFormatter("<mark>", "</mark>"), "…")
	rng := rand.New(rand.NewPCG(8, 8))
	cases, partial := 0, 0
	for i, text := range texts {
		for _, n := range []int{0, 1, 2, 5, 40, 400} {
			locs := randomLocations(rng, text, n)
			doc := document.NewDocument("d")
			doc.AddField(document.NewTextField(FieldBody, nil, []byte(text)))
			want := bleveHL.BestFragmentsInField(&search.DocumentMatch{Locations: search.FieldTermLocationMap{FieldBody: bleveMerged(locs)}}, doc, FieldBody, 1)
			var spans []Span
			for _, ls := range locs {
				for _, l := range ls {
					spans = append(spans, Span{int(l.Start), int(l.End)})
				}
			}
			got, ok := Highlight([]byte(text), spans, len(text))
			if !ok || strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("text %d, %d matches: fragments (ok %v)\n%q\nwant (bleve)\n%q", i, n, ok, got, want)
			}
			cases++
			for _, known := range []int{0, 1, len(text) / 3, len(text) / 2} {
				var some []Span
				for _, s := range spans {
					if s.Start < known {
						some = append(some, s)
					}
				}
				if got, ok := Highlight([]byte(text), some, known); ok {
					partial++
					if strings.Join(got, "|") != strings.Join(want, "|") {
						t.Errorf("text %d, %d matches, spans before %d: fragments\n%q\nwant (bleve)\n%q", i, n, known, got, want)
					}
				}
			}
		}
	}
	if cases < 100 || partial < 50 {
		t.Fatalf("only %d cases, %d with partial spans: the sample did not load", cases, partial)
	}
}

// bleveMerged is the location map the old highlighter handed bleve: all
// terms' locations merged where they overlap or touch.
func bleveMerged(tlm search.TermLocationMap) search.TermLocationMap {
	var all []*search.Location
	for _, locs := range tlm {
		all = append(all, locs...)
	}
	slices.SortFunc(all, func(a, b *search.Location) int {
		if a.Start != b.Start {
			return int(a.Start) - int(b.Start)
		}
		return int(b.End) - int(a.End)
	})
	var out search.Locations
	for _, l := range all {
		if n := len(out); n > 0 && l.Start <= out[n-1].End {
			out[n-1].End = max(out[n-1].End, l.End)
			continue
		}
		c := *l
		out = append(out, &c)
	}
	return search.TermLocationMap{"": out}
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
