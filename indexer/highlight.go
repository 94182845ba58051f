package indexer

import (
	"html"
	"slices"
	"strings"
	"unicode/utf8"
)

// FragmentChars is the length of a highlight fragment in characters
// (runes). bleve's fragmenter counts runes and never cuts inside one.
const FragmentChars = 120

// fragmentSeparator marks a fragment that does not start or end with its
// text.
const fragmentSeparator = "…"

// Span is a matched stretch of a text: byte offsets [Start, End).
type Span struct {
	Start, End int
}

// Highlight returns the highlight fragment of a text with the matches
// spans: what bleve's simple highlighter (v2.6.3, html formatter with
// <mark>, "…" as separator, a fragmenter of FragmentChars runes) makes of
// one fragment over the merged spans, without its cost.
//
// Overlapping and touching spans are merged first, so each matched stretch
// gets one <mark> (bleve's own merge assumes that no location lies inside
// another and leaves touching ones apart: <mark>医</mark><mark>养</mark>).
// bleve builds and scores a fragment around every match and keeps the
// best-scoring one; over merged spans a fragment scores 1 when it holds a
// whole span and 0 otherwise, and bleve's heap then yields the first
// fragment scoring 1 (or, if none does, the first one), so fragments are
// built in bleve's order only until one holds a span. With no spans the
// fragment is the start of the text. Everything outside <mark> is
// HTML-escaped.
//
// spans need not be sorted. They must hold every match that starts before
// known (len(text) or more when they hold all of them); ok is false when
// the fragment depends on matches past known, and the caller then finds
// more and calls again. frags is empty only when bleve bails on invalid
// UTF-8 around every match.
func Highlight(text []byte, spans []Span, known int) (frags []string, ok bool) {
	complete := known >= len(text)
	ot := mergeSpans(spans)
	if len(ot) == 0 {
		if !complete {
			return nil, false
		}
		return []string{formatFragment(text, startFragment(text), nil)}, true
	}
	var best *Span
	held := false
	maxbegin := 0
	for i := range ot {
		f, good := fragmentAt(text, ot, i, maxbegin, FragmentChars)
		if !complete && (f.End >= known || ot[i].End >= known) {
			return nil, false
		}
		if !good {
			continue
		}
		maxbegin = ot[i].End
		if best == nil {
			best = &f
		}
		if holdsSpan(ot, f) {
			best, held = &f, true
			break
		}
	}
	if !held && !complete {
		return nil, false // a span past known might make a fragment that holds one
	}
	if best == nil {
		return nil, true
	}
	return []string{formatFragment(text, *best, ot)}, true
}

// startFragment is bleve's fragment when there is nothing to highlight:
// the first FragmentChars runes, up to any invalid UTF-8.
func startFragment(text []byte) Span {
	end, used := 0, 0
	for end < len(text) && used < FragmentChars {
		r, size := utf8.DecodeRune(text[end:])
		if r == utf8.RuneError {
			break
		}
		end += size
		used++
	}
	return Span{0, end}
}

// formatFragment is bleve's html fragment formatter with <mark>, and the
// simple highlighter's separators, over the merged spans ot.
func formatFragment(text []byte, f Span, ot []Span) string {
	var b strings.Builder
	if f.Start != 0 {
		b.WriteString(fragmentSeparator)
	}
	curr := f.Start
	for _, s := range ot {
		if s.Start < curr {
			continue
		}
		if s.End > f.End {
			break
		}
		b.WriteString(html.EscapeString(string(text[curr:s.Start])))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(string(text[s.Start:s.End])))
		b.WriteString("</mark>")
		curr = s.End
	}
	b.WriteString(html.EscapeString(string(text[curr:f.End])))
	if f.End != len(text) {
		b.WriteString(fragmentSeparator)
	}
	return b.String()
}

// holdsSpan reports whether f holds a whole span of ot: bleve's simple
// fragment score, over one term.
func holdsSpan(ot []Span, f Span) bool {
	for _, s := range ot {
		if s.Start >= f.Start && s.End <= f.End {
			return true
		}
	}
	return false
}

// fragmentAt is the fragment bleve's simple fragmenter (v2.6.3,
// fragmenter/simple) builds around the i-th of the ordered spans ot of
// orig, where maxbegin is the end of the previous span that made a
// fragment; ok is false where bleve bails (invalid UTF-8). f.End is the
// furthest the fragment reached even then.
func fragmentAt(orig []byte, ot []Span, i, maxbegin, fragmentSize int) (f Span, ok bool) {
	start := ot[i].Start
	end := start
	used := 0
	for end < len(orig) && used < fragmentSize {
		r, size := utf8.DecodeRune(orig[end:])
		if r == utf8.RuneError {
			return Span{start, end}, false
		}
		end += size
		used++
	}
	for start > 0 && used < fragmentSize {
		if start > len(orig) {
			return Span{start, end}, false
		}
		r, size := utf8.DecodeLastRune(orig[0:start])
		if r == utf8.RuneError {
			return Span{start, end}, false
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
	reach := end
	for offset := roomToMove / 2; offset > 0; offset-- {
		r, size := utf8.DecodeLastRune(orig[0:start])
		if r == utf8.RuneError {
			return Span{start, reach}, false
		}
		start -= size
		r, size = utf8.DecodeLastRune(orig[0:end])
		if r == utf8.RuneError {
			return Span{start, reach}, false
		}
		end -= size
	}
	return Span{start, end}, true
}

// mergeSpans sorts spans and joins overlapping and touching ones into
// maximal spans.
func mergeSpans(spans []Span) []Span {
	spans = slices.Clone(spans)
	slices.SortFunc(spans, func(a, b Span) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return b.End - a.End
	})
	out := spans[:0]
	for _, s := range spans {
		if n := len(out); n > 0 && s.Start <= out[n-1].End {
			out[n-1].End = max(out[n-1].End, s.End)
			continue
		}
		out = append(out, s)
	}
	return out
}
