package indexer

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/go-ego/gse"

	"policysearch/corpus"
)

// Extract returns the entities of a document: places, organisations,
// people, amounts and quoted terms found in its body (offsets into Body),
// and the topics of its title and body (no offsets). Entities are ordered
// by position, topics last.
func Extract(g *corpus.Gazetteer, d corpus.Document) []Entity {
	body := normalize([]byte(d.Body))
	var segs []gse.Segment
	// Without dictionaries there are no organisations; the tokenizer
	// reports the error.
	if seg, err := segmenter(); err == nil {
		segs = seg.Segment(body.text)
	}
	return extract(g, d, normalize([]byte(d.Title)).text, body, segs)
}

// extract is Extract given the normalized title, the normalized body and
// gse's segmentation of it (see analyzeDoc).
func extract(g *corpus.Gazetteer, d corpus.Document, title []byte, body normalized, segs []gse.Segment) []Entity {
	var out []Entity
	orgs := orgsIn(d.Body, body, segs)
	titles := bookTitles(d.Body)
	for _, p := range ParsePlaces(g, d.Body, documentPlaces(g, d)...) {
		// A place inside an organisation's name (山东 in 山东大学) or a
		// document title (《济南市养老服务条例》) is not a mention of its own.
		if !inside(p, orgs) && !inside(p, titles) {
			out = append(out, p)
		}
	}
	out = append(out, orgs...)
	out = append(out, ParsePeople(d.Body)...)
	out = append(out, ParseAmounts(d.Body)...)
	out = append(out, QuotedTerms(d.Body)...)
	slices.SortStableFunc(out, func(a, b Entity) int { return cmp.Compare(a.Start, b.Start) })
	// Topics match simplified keywords: traditional text is normalized
	// first. Normalization works character by character, so the title and
	// the body normalized apart are the two normalized together.
	text := make([]byte, 0, len(title)+1+len(body.text))
	text = append(append(append(text, title...), '\n'), body.text...)
	return append(out, Topics(string(text))...)
}

// DocumentEntity is an entity as stored in FieldEntities and returned by
// the document API: offsets in characters (runes) of the body, for pages
// that underline mentions.
type DocumentEntity struct {
	Entity
	// Start and End are rune offsets into the body; both 0 for topics.
	Start int `json:"start"`
	End   int `json:"end"`
}

// encodeEntities turns entities with byte offsets into body into the JSON
// stored in FieldEntities, with rune offsets.
func encodeEntities(body string, ents []Entity) (string, error) {
	stored := make([]DocumentEntity, len(ents))
	// Entities are sorted by Start (topics, at 0, last), so one pass over
	// the body converts the offsets.
	var (
		bytePos, runePos int
	)
	toRunes := func(b int) int {
		if b < bytePos {
			return utf8.RuneCountInString(body[:b])
		}
		runePos += utf8.RuneCountInString(body[bytePos:b])
		bytePos = b
		return runePos
	}
	for i, e := range ents {
		stored[i].Entity = e
		if e.Start == 0 && e.End == 0 {
			continue
		}
		stored[i].Start = toRunes(e.Start)
		stored[i].End = stored[i].Start + utf8.RuneCountInString(body[e.Start:e.End])
	}
	b, err := json.Marshal(stored)
	if err != nil {
		return "", fmt.Errorf("encode entities: %w", err)
	}
	return string(b), nil
}

// DecodeEntities parses the JSON stored in FieldEntities.
func DecodeEntities(s string) ([]DocumentEntity, error) {
	if s == "" {
		return nil, nil
	}
	var out []DocumentEntity
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return nil, fmt.Errorf("decode entities: %w", err)
	}
	return out, nil
}

// inside reports whether e lies within one of spans.
func inside(e Entity, spans []Entity) bool {
	for _, s := range spans {
		if s.Start <= e.Start && e.End <= s.End {
			return true
		}
	}
	return false
}

// bookTitles returns the spans of text inside 《》, as entities with
// offsets only.
func bookTitles(text string) []Entity {
	var out []Entity
	start := -1
	for i, r := range text {
		switch r {
		case '《':
			start = i + len("《")
		case '》':
			if start >= 0 {
				out = append(out, Entity{Start: start, End: i})
			}
			start = -1
		}
	}
	return out
}
