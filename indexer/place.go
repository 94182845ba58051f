package indexer

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"policysearch/corpus"
)

// ParsePlaces finds administrative divisions named in text, normalized
// against the gazetteer: 槐荫 in a Jinan document and 济南市槐荫区 are the
// same place. context holds the document's own places, which settle
// ambiguous short names (a county name found in several provinces) or,
// where nothing settles them, leave them out. Entities have KindPlace,
// Value the full chain of names ("山东省济南市槐荫区"), Code and Level.
func ParsePlaces(g *corpus.Gazetteer, text string, context ...corpus.Place) []Entity {
	var out []Entity
	for _, m := range g.FindIn(text, context...) {
		if m.Kind == corpus.NameShort {
			// A short name must stand as a word of its own (新平 is not
			// in 创新平台), and a county's short name must lie in the
			// document's province (河西 in a Jinan report is a road).
			if !isWord(text, m.Start, m.End) {
				continue
			}
			if m.Place.Level == corpus.LevelCounty && !inProvinceOf(m.Place, context) {
				continue
			}
		}
		if n := len(out); n > 0 && out[n-1].End == m.Start && strings.HasPrefix(PlaceChain(g, m.Place), out[n-1].Value) {
			// A city directly followed by its county (济南市槐荫区) is one
			// mention of the county.
			m.Start, m.Text = out[n-1].Start, text[out[n-1].Start:m.End]
			out = out[:n-1]
		}
		var within []string
		for _, parent := range g.Parents(m.Place) {
			within = append(within, parent.Code)
		}
		out = append(out, Entity{
			Within: within,
			Kind:   KindPlace,
			Value:  PlaceChain(g, m.Place),
			Text:   m.Text,
			Start:  m.Start,
			End:    m.End,
			Code:   m.Place.Code,
			Level:  string(m.Place.Level),
		})
	}
	return out
}

// PlaceChain returns the full names of p's province, city and p itself,
// joined: "山东省济南市槐荫区". A municipality's district reads
// "北京市朝阳区".
func PlaceChain(g *corpus.Gazetteer, p corpus.Place) string {
	var b strings.Builder
	for _, parent := range g.Parents(p) {
		b.WriteString(parent.Name)
	}
	b.WriteString(p.Name)
	return b.String()
}

// documentPlaces returns the gazetteer places of a document's own region,
// the context for ParsePlaces.
func documentPlaces(g *corpus.Gazetteer, d corpus.Document) []corpus.Place {
	var out []corpus.Place
	for _, name := range []string{d.Province, d.City, d.County} {
		if name == "" {
			continue
		}
		cands := g.Lookup(name)
		if len(out) > 0 {
			// Of several places of that name, the one inside the
			// document's wider region.
			outer := out[len(out)-1]
			cands = slices.DeleteFunc(cands, func(p corpus.Place) bool { return !g.Contains(outer, p) })
		}
		if len(cands) == 1 || len(out) == 0 && len(cands) > 0 {
			out = append(out, cands[0])
		}
	}
	return out
}

// isWord reports whether text[start:end] is one or more whole gse words of
// the clause around it.
func isWord(text string, start, end int) bool {
	seg, err := segmenter()
	if err != nil {
		return true // the tokenizer reports dictionary errors
	}
	from, to := clauseAround(text, start, end)
	startOK, endOK := start == from, end == to
	for _, s := range seg.Segment([]byte(text[from:to])) {
		startOK = startOK || from+s.Start() == start
		endOK = endOK || from+s.End() == end
	}
	return startOK && endOK
}

// clauseAround returns the bounds of the clause (text between punctuation
// or spaces) holding text[start:end].
func clauseAround(text string, start, end int) (int, int) {
	from := start
	for from > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:from])
		if unicode.IsPunct(r) || unicode.IsSpace(r) || unicode.IsSymbol(r) {
			break
		}
		from -= size
	}
	to := end
	for to < len(text) {
		r, size := utf8.DecodeRuneInString(text[to:])
		if unicode.IsPunct(r) || unicode.IsSpace(r) || unicode.IsSymbol(r) {
			break
		}
		to += size
	}
	return from, to
}

// inProvinceOf reports whether p lies in the province of one of the
// context places; with no context, whether p is unambiguous is all that
// counts, and it is.
func inProvinceOf(p corpus.Place, context []corpus.Place) bool {
	if len(context) == 0 {
		return true
	}
	for _, c := range context {
		if c.ProvinceCode == p.ProvinceCode {
			return true
		}
	}
	return false
}
