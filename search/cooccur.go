package search

import (
	"cmp"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"

	"policysearch/indexer"
)

//go:embed lexicon/stop-v1.txt
var stopData string

// stopWords are the function words Cooccur leaves out.
var stopWords = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for line := range strings.Lines(stopData) {
		if w := strings.TrimSpace(line); w != "" && w[0] != '#' {
			m[indexer.Normalize(w)] = true
		}
	}
	return m
})

// Limits of Cooccur.
const (
	// DefaultCooccurSize is the number of terms when CooccurRequest.Size
	// is 0.
	DefaultCooccurSize = 30
	// MaxCooccurSize is the most terms Cooccur returns.
	MaxCooccurSize = 100
	// MaxCooccurSentences is the most sentences read around the query;
	// beyond them (a very common query) the counts cover the first
	// sentences of the matching documents in ID order.
	MaxCooccurSentences = 5000
)

// Kinds of co-occurring terms besides the entity kinds of indexer.Kind.
const (
	// KindWord is a word of the text as gse segments it.
	KindWord = "word"
)

// CooccurRequest asks for the words and entities found near a query.
type CooccurRequest struct {
	// Search holds the query (required) and filters, as for Compare.
	Search Request
	// Size is the number of terms; 0 means DefaultCooccurSize.
	Size int
}

// Cooccurrence lists the terms found in the same sentences as a query.
type Cooccurrence struct {
	Query string
	// Docs is the number of matching documents with a sentence holding
	// the query, and Sentences the number of those sentences read.
	Docs, Sentences int
	// Terms are the distinctive terms, highest Score first.
	Terms []CoTerm
	Took  time.Duration
}

// CoTerm is a term found near a query.
type CoTerm struct {
	// Term is the word, or an entity's canonical value (山东省济南市槐荫区
	// for a place).
	Term string
	// Kind is KindWord or an entity kind (org, person, place, term).
	Kind string
	// Count is the number of sentences holding the query in which the term
	// occurs (for a word: as a substring of the normalized sentence; for
	// an entity: a mention inside the sentence).
	Count int
	// Docs is the number of documents with such a sentence.
	Docs int
	// Score is the z-score of the log-odds ratio (smoothed by 0.5) of the
	// term's documents near the query among the matching documents against
	// its documents among all documents: high for terms common near the
	// query and rare elsewhere.
	Score float64
}

// coKey identifies a candidate term.
type coKey struct {
	term, kind string
}

// coTally counts a candidate.
type coTally struct {
	count, docs int
	lastDoc     int
	// dfField and dfTerm look its document frequency up in the index.
	dfField, dfTerm string
}

// sentenceEnd reports whether r ends a sentence.
func sentenceEnd(r rune) bool {
	switch r {
	case '。', '！', '？', '；', '!', '?', ';', '\n':
		return true
	}
	return false
}

// sentence is one sentence of a body: its normalized text and its rune
// span in the body.
type sentence struct {
	norm       string
	start, end int
}

// sentencesWith splits body at sentence ends and returns the sentences
// whose normalized text holds one of literals.
func sentencesWith(body string, literals []string) []sentence {
	has := func(n string) bool {
		return slices.ContainsFunc(literals, func(l string) bool { return l != "" && strings.Contains(n, l) })
	}
	norm := indexer.Normalize(body)
	if !has(norm) {
		return nil
	}
	// Normalization maps each character to one or more; when no character
	// grew, rune offsets in the normalized text are those of the body, and
	// the body is normalized once rather than sentence by sentence.
	text, perSentence := norm, utf8.RuneCountInString(norm) != utf8.RuneCountInString(body)
	if perSentence {
		text = body
	}
	var out []sentence
	start, pos, from := 0, 0, 0
	flush := func(to, end int) {
		if to <= from {
			return
		}
		n := text[from:to]
		if perSentence {
			n = indexer.Normalize(n)
		}
		if has(n) {
			out = append(out, sentence{norm: n, start: start, end: end})
		}
	}
	for i, r := range text {
		pos++
		if sentenceEnd(r) {
			flush(i+utf8.RuneLen(r), pos)
			from, start = i+utf8.RuneLen(r), pos
		}
	}
	flush(len(text), pos)
	return out
}

// candidate reports whether a word may be listed near literals: two
// characters or more, some letter, no digit, no stop word, no part of the
// query.
func candidate(w string, literals []string) bool {
	if utf8.RuneCountInString(w) < 2 || stopWords()[w] || !strings.ContainsFunc(w, unicode.IsLetter) {
		return false
	}
	if strings.ContainsFunc(w, unicode.IsDigit) {
		return false // dates, numbers and amounts say little as words
	}
	return !slices.ContainsFunc(literals, func(l string) bool { return strings.Contains(l, w) })
}

// inRegions reports whether a term names one of the regions of the region
// filter (槐荫区, or 山东省济南市槐荫区 for it): within 槐荫区 its own name
// says nothing about how it speaks of the query.
func inRegions(term string, regions []string) bool {
	return slices.ContainsFunc(regions, func(r string) bool { return term == r || strings.HasSuffix(term, r) })
}

// entityDF names the index field counting documents with an entity of a
// kind, and the term to look up there.
func entityDF(e indexer.DocumentEntity) (field, term string, ok bool) {
	switch e.Kind {
	case indexer.KindOrg:
		return indexer.FieldOrg, e.Value, true
	case indexer.KindPerson:
		return indexer.FieldPerson, e.Value, true
	case indexer.KindTerm:
		return indexer.FieldTerm, e.Value, true
	case indexer.KindPlace:
		return indexer.FieldPlace, e.Code, e.Code != ""
	}
	// Amounts are numbers, not terms; topics belong to whole documents,
	// not to the sentences around the query.
	return "", "", false
}

// Cooccur lists the words and entities that occur in the same sentences as
// r's query in the documents it matches, weighted against the whole index so
// that distinctive terms rise. It returns a *ValidationError for bad
// parameters and a *SyntaxError for a malformed query.
func (s *Service) Cooccur(ctx context.Context, r CooccurRequest) (*Cooccurrence, error) {
	start := time.Now()
	if r.Size == 0 {
		r.Size = DefaultCooccurSize
	}
	if r.Size < 0 || r.Size > MaxCooccurSize {
		return nil, &ValidationError{Param: "size", Msg: fmt.Sprintf("must be between 1 and %d", MaxCooccurSize)}
	}
	p, err := s.prepare(&r.Search, MaxCompareRegions)
	if err != nil {
		return nil, err
	}
	total, err := s.idx.DocCount()
	if err != nil {
		return nil, fmt.Errorf("count documents: %w", err)
	}
	out := &Cooccurrence{Query: r.Search.Query, Terms: []CoTerm{}}
	if total == 0 {
		return out, nil
	}
	req := bleve.NewSearchRequestOptions(s.scoped(ctx, p.strict), int(total), 0, false)
	req.Score = "none"
	req.Fields = []string{indexer.FieldStoredBody, indexer.FieldEntities}
	req.SortBy([]string{"_id"})
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("find matching documents: %w", err)
	}
	matching := len(res.Hits)
	tallies := map[coKey]*coTally{}
	bump := func(k coKey, doc int, field, term string) {
		t := tallies[k]
		if t == nil {
			t = &coTally{lastDoc: -1, dfField: field, dfTerm: term}
			tallies[k] = t
		}
		t.count++
		if t.lastDoc != doc {
			t.docs++
			t.lastDoc = doc
		}
	}
	// Words are gathered by segmenting the sentences, then counted as
	// substrings of every sentence, so a count does not depend on where
	// gse drew word boundaries.
	// Documents are read a batch at a time, in parallel, until the
	// sentence cap is reached.
	var docs []docSentences
	for from := 0; from < len(res.Hits); from += cooccurBatch {
		batch, err := readSentences(ctx, res.Hits[from:min(from+cooccurBatch, len(res.Hits))], p)
		if err != nil {
			return nil, err
		}
		docs = append(docs, batch...)
		n := 0
		for _, d := range docs {
			n += len(d.sentences)
		}
		if n >= MaxCooccurSentences {
			break
		}
	}
	var sents [][]sentence
	words := map[string]bool{}
	for i, d := range docs {
		if out.Sentences >= MaxCooccurSentences {
			break
		}
		ss := d.sentences
		if len(ss) > MaxCooccurSentences-out.Sentences {
			ss = ss[:MaxCooccurSentences-out.Sentences]
		}
		sents = append(sents, ss)
		if len(ss) == 0 {
			continue
		}
		out.Docs++
		out.Sentences += len(ss)
		for _, e := range d.entities {
			field, term, _ := entityDF(e)
			for _, sn := range ss {
				if e.Start >= sn.start && e.End <= sn.end {
					bump(coKey{term: e.Value, kind: string(e.Kind)}, i, field, term)
				}
			}
		}
		for _, ws := range d.words[:len(ss)] {
			for _, w := range ws {
				words[w] = true
			}
		}
	}
	byFirst := map[rune][]string{}
	for w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		byFirst[r] = append(byFirst[r], w)
	}
	found := map[string]bool{}
	for i, ss := range sents {
		for _, sn := range ss {
			clear(found)
			for j, r := range sn.norm {
				for _, w := range byFirst[r] {
					if !found[w] && strings.HasPrefix(sn.norm[j:], w) {
						found[w] = true
						bump(coKey{term: w, kind: KindWord}, i, indexer.FieldBody, w)
					}
				}
			}
		}
	}
	// At least two documents where there are many, so that one document's
	// quirks do not fill the list.
	minDocs := 1
	if out.Docs >= 10 {
		minDocs = 2
	}
	for k, t := range tallies {
		if t.docs < minDocs {
			continue
		}
		df, err := s.docFreq(t.dfField, t.dfTerm)
		if err != nil {
			return nil, err
		}
		out.Terms = append(out.Terms, CoTerm{
			Term: k.term, Kind: k.kind, Count: t.count, Docs: t.docs,
			Score: logOddsZ(t.docs, matching, max(df, t.docs), int(total)),
		})
	}
	slices.SortFunc(out.Terms, func(a, b CoTerm) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(b.Count, a.Count), cmp.Compare(a.Term, b.Term), cmp.Compare(a.Kind, b.Kind))
	})
	if len(out.Terms) > r.Size {
		out.Terms = out.Terms[:r.Size]
	}
	out.Took = time.Since(start)
	return out, nil
}

// cooccurBatch is the number of documents Cooccur reads at a time.
const cooccurBatch = 64

// docSentences is what Cooccur reads in one matching document: the
// sentences holding the query, the candidate words of each, and the
// entities that may be listed.
type docSentences struct {
	sentences []sentence
	words     [][]string
	entities  []indexer.DocumentEntity
}

// readSentences reads the sentences holding p's literals in each hit, with
// their candidate words and entities, on all CPUs: segmenting and decoding
// is most of Cooccur's work. The result is in the order of hits.
func readSentences(ctx context.Context, hits search.DocumentMatchCollection, p *prepared) ([]docSentences, error) {
	out := make([]docSentences, len(hits))
	errs := make([]error, len(hits))
	workers := min(runtime.GOMAXPROCS(0), len(hits))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(hits); i += workers {
				if errs[i] = ctx.Err(); errs[i] != nil {
					return
				}
				out[i], errs[i] = readDocSentences(hits[i], p)
			}
		})
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// readDocSentences is readSentences for one hit.
func readDocSentences(h *search.DocumentMatch, p *prepared) (docSentences, error) {
	var d docSentences
	body, err := indexer.StoredBody(h.Fields[indexer.FieldStoredBody])
	if err != nil {
		return d, fmt.Errorf("body of %s: %w", h.ID, err)
	}
	if d.sentences = sentencesWith(body, p.literals); len(d.sentences) == 0 {
		return d, nil
	}
	stored, _ := h.Fields[indexer.FieldEntities].(string) // absent when the document has none
	ents, err := indexer.DecodeEntities(stored)
	if err != nil {
		return d, fmt.Errorf("entities of %s: %w", h.ID, err)
	}
	for _, e := range ents {
		if _, _, ok := entityDF(e); ok && candidate(indexer.Normalize(e.Value), p.literals) && !inRegions(e.Value, p.regions) {
			d.entities = append(d.entities, e)
		}
	}
	d.words = make([][]string, len(d.sentences))
	for j, sn := range d.sentences {
		ws, err := indexer.Words(sn.norm)
		if err != nil {
			return d, err
		}
		for _, w := range ws {
			if candidate(w, p.literals) && !inRegions(w, p.regions) {
				d.words[j] = append(d.words[j], w)
			}
		}
	}
	return d, nil
}

// logOddsZ is the z-score of the log-odds ratio of k of n documents
// against K of N, each count smoothed by 0.5.
func logOddsZ(k, n, bigK, bigN int) float64 {
	const a = 0.5
	x, y := float64(k)+a, float64(n-k)+a
	bx, by := float64(bigK)+a, float64(bigN-bigK)+a
	lor := math.Log(x/y) - math.Log(bx/by)
	return lor / math.Sqrt(1/x+1/y+1/bx+1/by)
}
