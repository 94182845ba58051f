package indexer

import (
	"slices"
	"unicode/utf8"

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
	// size is the fragmenter's fragment size in runes.
	size int
}

// BestFragmentsInField implements highlight.Highlighter.
func (h spanHighlighter) BestFragmentsInField(dm *search.DocumentMatch, doc index.Document, field string, num int) []string {
	merged := *dm
	// Matches in the field's bigram twin are on the same text.
	merged.Locations = search.FieldTermLocationMap{field: mergeSpans(dm.Locations[field], dm.Locations[BigramField(field)])}
	merged.Fragments = nil
	frags, ok := h.firstFragment(&merged, doc, field, num)
	if !ok {
		frags = h.Highlighter.BestFragmentsInField(&merged, doc, field, num)
	}
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

// firstFragment is bleve's simple highlighter for the common case of one
// fragment of a single-valued field over merged spans (one term), without
// its cost: bleve builds and scores a fragment around every match of the
// field and keeps the best-scoring one, which reads the text around each
// of thousands of matches of a frequent word. Over one term a fragment
// scores 1 when it holds a whole match and 0 otherwise, and bleve's heap
// then yields the first fragment scoring 1 (or, if none does, the first
// one), so fragments are built in bleve's order only until one holds a
// match. The fragment is built exactly as bleve's simple fragmenter does
// (fragmentAt) and formatted by the highlighter's formatter. ok is false
// when the case is not the common one; the caller then runs bleve's
// highlighter.
func (h spanHighlighter) firstFragment(dm *search.DocumentMatch, doc index.Document, field string, num int) (frags []string, ok bool) {
	if num != 1 {
		return nil, false
	}
	var (
		text      []byte
		positions search.ArrayPositions
		values    int
	)
	doc.VisitFields(func(f index.Field) {
		if f.Name() == field {
			if _, isText := f.(index.TextField); isText {
				text, positions = f.Value(), f.ArrayPositions()
				values++
			}
		}
	})
	tlm := dm.Locations[field]
	if values != 1 || len(tlm) != 1 {
		return nil, false
	}
	ordered := highlight.OrderTermLocations(tlm)
	var ot highlight.TermLocations
	for _, l := range ordered {
		if l.ArrayPositions.Equals(positions) {
			ot = append(ot, l)
		}
	}
	if len(ot) == 0 {
		return nil, false // bleve's fragment from the start of the text
	}
	var best *highlight.Fragment
	maxbegin := 0
	for i := range ot {
		f := fragmentAt(text, ot, i, maxbegin, h.size)
		if f == nil {
			continue
		}
		maxbegin = ot[i].End
		if best == nil {
			best = f
		}
		if holdsMatch(tlm, positions, f) {
			best = f
			break
		}
	}
	if best == nil {
		return nil, true
	}
	best.ArrayPositions = positions
	ordered.MergeOverlapping()
	out := ""
	if best.Start != 0 {
		out += h.Separator()
	}
	out += h.FragmentFormatter().Format(best, ordered)
	if best.End != len(best.Orig) {
		out += h.Separator()
	}
	return []string{out}, true
}

// holdsMatch reports whether f holds a whole location of tlm: bleve's
// simple fragment score, over one term.
func holdsMatch(tlm search.TermLocationMap, positions search.ArrayPositions, f *highlight.Fragment) bool {
	for _, locs := range tlm {
		for _, l := range locs {
			if l.ArrayPositions.Equals(positions) && int(l.Start) >= f.Start && int(l.End) <= f.End {
				return true
			}
		}
	}
	return false
}

// fragmentAt is the fragment bleve's simple fragmenter (v2.6.3,
// fragmenter/simple) builds around the i-th of the ordered locations ot of
// orig, where maxbegin is the end of the previous location that made a
// fragment; nil where bleve bails (invalid UTF-8).
func fragmentAt(orig []byte, ot highlight.TermLocations, i, maxbegin, fragmentSize int) *highlight.Fragment {
	start := ot[i].Start
	end := start
	used := 0
	for end < len(orig) && used < fragmentSize {
		r, size := utf8.DecodeRune(orig[end:])
		if r == utf8.RuneError {
			return nil
		}
		end += size
		used++
	}
	for start > 0 && used < fragmentSize {
		if start > len(orig) {
			return nil
		}
		r, size := utf8.DecodeLastRune(orig[0:start])
		if r == utf8.RuneError {
			return nil
		}
		if start-size >= maxbegin {
			start -= size
			used++
		} else {
			break
		}
	}
	minend := end
	for _, inner := range ot[i:] {
		if inner.End > end {
			break
		}
		minend = inner.End
	}
	roomToMove := utf8.RuneCount(orig[minend:end])
	if start < maxbegin {
		roomToMove = 0
	} else if before := orig[maxbegin:start]; len(before) < 4*roomToMove {
		// bleve counts every rune back to the previous match; only
		// whether there are fewer than roomToMove matters, and a text of
		// 4*roomToMove bytes holds at least that many.
		roomToMove = min(roomToMove, utf8.RuneCount(before))
	}
	for offset := roomToMove / 2; offset > 0; offset-- {
		r, size := utf8.DecodeLastRune(orig[0:start])
		if r == utf8.RuneError {
			return nil
		}
		start -= size
		r, size = utf8.DecodeLastRune(orig[0:end])
		if r == utf8.RuneError {
			return nil
		}
		end -= size
	}
	return &highlight.Fragment{Orig: orig, Start: start, End: end}
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
	return spanHighlighter{simplehl.NewHighlighter(fr, fm, "…"), FragmentChars}, nil
}
