package indexer

import (
	"slices"

	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/highlight"
	"github.com/blevesearch/bleve/v2/search/highlight/format/html"
	"github.com/blevesearch/bleve/v2/search/highlight/fragmenter/simple"
	simplehl "github.com/blevesearch/bleve/v2/search/highlight/highlighter/simple"
	index "github.com/blevesearch/bleve_index_api"
)

// HighlighterHTML is the name of the highlighter registered with bleve for
// search results: bleve's html highlighter (fragments with <mark> around
// matches, everything else HTML-escaped) over merged match spans.
const HighlighterHTML = "policysearch_html"

// FragmentChars is the length of a highlight fragment in characters
// (runes). bleve's fragmenter counts runes and never cuts inside one.
const FragmentChars = 120

// spanHighlighter is bleve's simple highlighter fed with merged spans.
//
// A match on "城市更新" reports the word and the sub-words inside it
// (城市, 市, 更新 ...). bleve's own merge of overlapping locations assumes
// that no location lies inside another and can shrink a span to a nested
// sub-word, and it leaves touching matches as separate marks
// (<mark>医</mark><mark>养</mark>). Merging overlapping and touching
// locations first gives one <mark> per matched stretch of text.
type spanHighlighter struct {
	*simplehl.Highlighter
}

// BestFragmentsInField implements highlight.Highlighter.
func (h spanHighlighter) BestFragmentsInField(dm *search.DocumentMatch, doc index.Document, field string, num int) []string {
	merged := *dm
	// Matches in the field's bigram twin are on the same text.
	merged.Locations = search.FieldTermLocationMap{field: mergeSpans(dm.Locations[field], dm.Locations[BigramField(field)])}
	merged.Fragments = nil
	frags := h.Highlighter.BestFragmentsInField(&merged, doc, field, num)
	if len(frags) > 0 {
		// bleve reads the fragments from the hit, not the return value.
		dm.AddFragments(field, frags)
	}
	return frags
}

// BestFragmentInField implements highlight.Highlighter.
func (h spanHighlighter) BestFragmentInField(dm *search.DocumentMatch, doc index.Document, field string) string {
	if f := h.BestFragmentsInField(dm, doc, field, 1); len(f) > 0 {
		return f[0]
	}
	return ""
}

// mergeSpans joins the byte ranges of all matched terms of the given
// location maps (one text, several fields) into maximal non-overlapping,
// non-touching spans, per array position.
func mergeSpans(tlms ...search.TermLocationMap) search.TermLocationMap {
	var all []*search.Location
	for _, tlm := range tlms {
		for _, locs := range tlm {
			all = append(all, locs...)
		}
	}
	slices.SortFunc(all, func(a, b *search.Location) int {
		if c := a.ArrayPositions.Compare(b.ArrayPositions); c != 0 {
			return c
		}
		if a.Start != b.Start {
			return int(a.Start) - int(b.Start)
		}
		return int(b.End) - int(a.End)
	})
	var out search.Locations
	for _, l := range all {
		if n := len(out); n > 0 {
			last := out[n-1]
			if last.ArrayPositions.Equals(l.ArrayPositions) && l.Start <= last.End {
				last.End = max(last.End, l.End)
				continue
			}
		}
		c := *l
		out = append(out, &c)
	}
	return search.TermLocationMap{"": out}
}

func newHighlighter(config map[string]any, cache *registry.Cache) (highlight.Highlighter, error) {
	fr := simple.NewFragmenter(FragmentChars)
	fm := html.NewFragmentFormatter("<mark>", "</mark>")
	return spanHighlighter{simplehl.NewHighlighter(fr, fm, "…")}, nil
}
