package search

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/scorer"
	"github.com/blevesearch/bleve/v2/size"
	index "github.com/blevesearch/bleve_index_api"

	"policysearch/indexer"
)

// literal is a query for the literal occurrences of a text in a bigram
// field: the same documents, term locations and scores as bleve's
// MatchPhraseQuery on that field, found at about the cost of a conjunction of
// the bigrams' postings.
//
// bleve's phrase searcher decodes every location of every term of the phrase
// in every candidate document, allocates one Location per occurrence and
// matches them recursively. The literal searcher walks the terms' postings
// as a conjunction, rarest first, without locations. A candidate in which
// the text is a word of the field's word twin (Witness: gse made
// 人民代表大会 one word there) holds it literally and is a match at once.
// Elsewhere it reads, for that document alone, the locations of a cover of
// the phrase and merges them linearly: for a run of bigrams c1c2 c2c3 c3c4
// …, the bigrams at even offsets and the last one. A skipped bigram c2c3
// between c1c2 at position p and c3c4 at p+2 is there: the bigram tokenizer
// leaves at least two empty positions between the pairs of different runs,
// so the two are of one run and the pair on p+1 is c2c3 (see
// BigramTokenizer). The skipped bigrams' postings still take part in the
// conjunction, without locations, for their frequencies, which the score
// needs.
//
// With IncludeTermVectors (explain) every term's locations are reported, as
// the phrase searcher reports them: positions (the bigram fields keep no
// byte offsets); a skipped bigram's is its neighbours' plus or minus one.
type literal struct {
	// Text is the text to find, analysed by the field's analyzer.
	Text string `json:"literal"`
	// FieldVal is the bigram field.
	FieldVal string `json:"field"`
	// BoostVal weights the query's score; nil is 1.
	BoostVal *query.Boost `json:"boost,omitempty"`
	// Witness is the word field indexing the same text, or "". A
	// document in which the text is a word (or sub-word) of that field
	// holds it literally, so its positions need not be read.
	Witness string `json:"witness,omitempty"`
}

// newLiteral returns a literal query for text in the bigram field.
func newLiteral(text, field string) *literal {
	return &literal{Text: text, FieldVal: field}
}

// SetBoost implements query.BoostableQuery.
func (q *literal) SetBoost(b float64) {
	boost := query.Boost(b)
	q.BoostVal = &boost
}

// Boost implements query.BoostableQuery.
func (q *literal) Boost() float64 {
	return q.BoostVal.Value()
}

// SetField implements query.FieldableQuery.
func (q *literal) SetField(f string) {
	q.FieldVal = f
}

// Field implements query.FieldableQuery.
func (q *literal) Field() string {
	return q.FieldVal
}

// Searcher implements query.Query.
func (q *literal) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	field := q.FieldVal
	if field == "" {
		field = m.DefaultSearchField()
	}
	an := m.AnalyzerNamed(m.AnalyzerNameForPath(field))
	if an == nil {
		return nil, fmt.Errorf("literal query: no analyzer for field %q", field)
	}
	phrase := literalPhrase(an.Analyze([]byte(q.Text)))
	if len(phrase) == 0 {
		return query.NewMatchNoneQuery().Searcher(ctx, r, m, options)
	}
	s, err := newLiteralSearcher(ctx, r, phrase, field, q.Boost(), options)
	if err != nil {
		return nil, err
	}
	if s != nil {
		if q.Witness != "" && !options.IncludeTermVectors {
			if err := s.openWitness(ctx, witnessWord(q.Text, phrase), q.Witness); err != nil {
				return nil, err
			}
		}
		return s, nil
	}
	// No slot of one term to drive the search: bleve's phrase searcher.
	p := query.NewMultiPhraseQuery(phrase, field)
	p.SetBoost(q.Boost())
	return p.Searcher(ctx, r, m, options)
}

// literalPhrase turns the bigram tokens of a text into phrase slots by
// position, as bleve's MatchPhraseQuery does (the terms of each position
// from the first to the last, a position without tokens giving an empty
// slot that matches anything), except that a lone character sharing its
// position with a pair that holds it is left out. The tokenizer puts the
// edge character of a Han run next to letters or digits on the pair's
// position (5G基站: 5g, 基站 and 基) so that a text ending in it (2035年)
// finds longer ones (2035年远景); as one of a slot's alternatives it would
// let 5G基站 match 5G基金, which the pair rules out.
func literalPhrase(tokens analysis.TokenStream) [][]string {
	phrase := tokensToPhrase(tokens)
	for i, alts := range phrase {
		if len(alts) < 2 {
			continue
		}
		phrase[i] = slices.DeleteFunc(slices.Clone(alts), func(a string) bool {
			return utf8.RuneCountInString(a) == 1 && slices.ContainsFunc(alts, func(b string) bool {
				return b != a && strings.Contains(b, a)
			})
		})
	}
	return phrase
}

// tokensToPhrase turns a token stream into phrase slots by position, as
// bleve's MatchPhraseQuery does.
func tokensToPhrase(tokens analysis.TokenStream) [][]string {
	if len(tokens) == 0 {
		return nil
	}
	first, last := math.MaxInt, 0
	for _, t := range tokens {
		first, last = min(first, t.Position), max(last, t.Position)
	}
	out := make([][]string, last-first+1)
	for _, t := range tokens {
		i := t.Position - first
		out[i] = append(out[i], string(t.Term))
	}
	return out
}

// witnessWord returns the normalized text without white space when it is
// all Han characters and the phrase is its bigrams, one per position (so
// that the text occurring as a word implies the phrase: 养老 服务 is found
// where 养老服务 is a word), else "".
func witnessWord(text string, phrase [][]string) string {
	w := strings.Join(strings.Fields(indexer.Normalize(text)), "")
	rs := []rune(w)
	if len(rs) < 2 || len(phrase) != len(rs)-1 {
		return ""
	}
	for i, r := range rs {
		if !unicode.Is(unicode.Han, r) {
			return ""
		}
		if i > 0 && (len(phrase[i-1]) != 1 || phrase[i-1][0] != string(rs[i-1:i+1])) {
			return ""
		}
	}
	return w
}

// literalTerm is one distinct term of a literal's phrase with its postings
// reader and the reader's current document.
type literalTerm struct {
	term    string
	reader  index.TermFieldReader
	tfd     index.TermFieldDoc
	cur     *index.TermFieldDoc // nil before the first read and at the end
	started bool
	done    bool
	// vectors says reader reads locations (when the search asks for
	// them); otherwise they are read with loc, for candidates only.
	vectors bool
	// vs are the term's locations in the document being checked.
	vs []*index.TermFieldVector
	// required says every match contains the term (it is a slot's only
	// term), so it takes part in the conjunction.
	required bool
	count    uint64
	idf      float64
	// weight is boost·idf·queryNorm, bleve's query weight.
	weight float64
	// loc is a second reader with locations, advanced only to the
	// candidates whose positions must be checked.
	loc    index.TermFieldReader
	locTFD index.TermFieldDoc
	locCur *index.TermFieldDoc
}

// on says whether the term's reader is on doc.
func (t *literalTerm) on(doc index.IndexInternalID) bool {
	return t.cur != nil && t.cur.ID.Equals(doc)
}

// next moves the term's reader to its next document.
func (t *literalTerm) next() error {
	t.started = true
	d, err := t.reader.Next(t.tfd.Reset())
	if err != nil {
		return fmt.Errorf("literal term %q: %w", t.term, err)
	}
	t.cur = d
	t.done = d == nil
	return nil
}

// advanceTo moves the term's reader to the first document at or after doc,
// unless it is there already. scorch's readers start over when asked to
// move back or stay, so this never asks them.
func (t *literalTerm) advanceTo(doc index.IndexInternalID) error {
	if t.done || (t.cur != nil && t.cur.ID.Compare(doc) >= 0) {
		return nil
	}
	t.started = true
	d, err := t.reader.Advance(doc, t.tfd.Reset())
	if err != nil {
		return fmt.Errorf("literal term %q: %w", t.term, err)
	}
	t.cur = d
	t.done = d == nil
	return nil
}

// locationsOn returns the term's locations in doc, on which its main reader
// must have been moved: from the main reader when it reads them, else from
// the second.
func (t *literalTerm) locationsOn(ctx context.Context, r index.IndexReader, field string, doc index.IndexInternalID) ([]*index.TermFieldVector, error) {
	if !t.on(doc) {
		return nil, nil
	}
	if t.vectors {
		return t.cur.Vectors, nil
	}
	if t.loc == nil {
		lr, err := r.TermFieldReader(ctx, []byte(t.term), field, false, false, true)
		if err != nil {
			return nil, fmt.Errorf("literal term %q: %w", t.term, err)
		}
		t.loc = lr
	}
	if t.locCur == nil || t.locCur.ID.Compare(doc) < 0 {
		d, err := t.loc.Advance(doc, t.locTFD.Reset())
		if err != nil {
			return nil, fmt.Errorf("literal term %q: %w", t.term, err)
		}
		if d == nil {
			// Past the last document: nothing from here on.
			t.locCur = &index.TermFieldDoc{ID: index.NewIndexInternalID(nil, math.MaxUint64)}
			return nil, nil
		}
		t.locCur = d
	}
	if t.locCur.ID.Equals(doc) {
		return t.locCur.Vectors, nil
	}
	return nil, nil
}

// literalSlot is one position of the phrase.
type literalSlot struct {
	off int
	// terms index literalSearcher.terms; empty for a slot that matches
	// anything.
	terms []int
	// skip says the slot's locations are not read: it is one bigram
	// between two read slots, there when they are.
	skip bool
	// cursor is, per term, the index of the next location to look at.
	cursor []int
	// at is, per term, the index of the location at the current match
	// position, or -1.
	at []int
	// loc is a skipped slot's location at the current match position,
	// when term vectors are asked for.
	loc   index.TermFieldVector
	count uint64
}

// literalSearcher implements search.Searcher for a literal query.
type literalSearcher struct {
	ctx     context.Context
	r       index.IndexReader
	field   string
	options search.SearcherOptions
	boost   float64
	terms   []*literalTerm
	slots   []literalSlot
	// lead is the required term with the fewest documents; it drives the
	// conjunction. order is the slots in bleve's scoring order (by count).
	lead  *literalTerm
	order []int
	// anchors are the read slots of one term, candidates to anchor the
	// position merge.
	anchors []int
	// witness reads the word field's postings of the text (see
	// literal.Witness), or is nil.
	witness    index.TermFieldReader
	witnessTFD index.TermFieldDoc
	witnessCur *index.TermFieldDoc
	witnessEnd bool
	// BM25 statistics, as bleve's term searcher computes them.
	docTotal uint64
	avgLen   float64
	qnorm    float64
	scoring  bool
}

var reflectStaticSizeLiteralSearcher = int(reflect.TypeFor[literalSearcher]().Size())

// newLiteralSearcher opens the postings of phrase's terms in field. It
// returns nil, nil when no slot has a single term (nothing to drive the
// conjunction with); the caller falls back to bleve's phrase searcher.
func newLiteralSearcher(ctx context.Context, r index.IndexReader, phrase [][]string, field string, boost float64, options search.SearcherOptions) (_ *literalSearcher, err error) {
	s := &literalSearcher{ctx: ctx, r: r, field: field, options: options, boost: boost, scoring: options.Score != "none"}
	byTerm := map[string]int{}
	s.slots = make([]literalSlot, len(phrase))
	for i, alts := range phrase {
		s.slots[i].off = i
		for _, a := range alts {
			if a == "" {
				continue
			}
			j, ok := byTerm[a]
			if !ok {
				j = len(s.terms)
				byTerm[a] = j
				s.terms = append(s.terms, &literalTerm{term: a})
			}
			if !slices.Contains(s.slots[i].terms, j) {
				s.slots[i].terms = append(s.slots[i].terms, j)
			}
		}
		if len(s.slots[i].terms) == 1 {
			s.terms[s.slots[i].terms[0]].required = true
		}
	}
	if !slices.ContainsFunc(s.terms, func(t *literalTerm) bool { return t.required }) {
		return nil, nil
	}
	s.chooseSkips()
	if options.IncludeTermVectors {
		// The terms of read slots read their locations with the
		// postings; a skipped slot's location is worked out from its
		// neighbours' or read for the match alone.
		for _, sl := range s.slots {
			if !sl.skip {
				for _, j := range sl.terms {
					s.terms[j].vectors = true
				}
			}
		}
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, s.closeReaders())
		}
	}()
	for _, t := range s.terms {
		if err := search.RecordTermSearcher(ctx); err != nil {
			return nil, err
		}
		t.reader, err = r.TermFieldReader(ctx, []byte(t.term), field, s.scoring, s.scoring, t.vectors)
		if err != nil {
			return nil, fmt.Errorf("literal term %q: %w", t.term, err)
		}
		t.count = t.reader.Count()
	}
	if err := s.initStats(); err != nil {
		return nil, err
	}
	for i := range s.slots {
		sl := &s.slots[i]
		sl.cursor = make([]int, len(sl.terms))
		sl.at = make([]int, len(sl.terms))
		for _, j := range sl.terms {
			sl.count += s.terms[j].count
		}
		if len(sl.terms) > 0 {
			s.order = append(s.order, i)
		}
		if len(sl.terms) == 1 && !sl.skip {
			s.anchors = append(s.anchors, i)
		}
	}
	slices.SortStableFunc(s.order, func(a, b int) int {
		return int(s.slots[a].count) - int(s.slots[b].count)
	})
	for _, t := range s.terms {
		if t.required && (s.lead == nil || t.count < s.lead.count) {
			s.lead = t
		}
	}
	s.qnorm = 1 / math.Sqrt(s.Weight())
	s.SetQueryNorm(s.qnorm)
	return s, nil
}

// openWitness opens the word field's postings of word, unless word is "".
func (s *literalSearcher) openWitness(ctx context.Context, word, field string) error {
	if word == "" {
		return nil
	}
	w, err := s.r.TermFieldReader(ctx, []byte(word), field, false, false, false)
	if err != nil {
		return errors.Join(fmt.Errorf("literal witness %q: %w", word, err), s.closeReaders())
	}
	s.witness = w
	return nil
}

// witnessed says whether the witness word is in doc.
func (s *literalSearcher) witnessed(doc index.IndexInternalID) (bool, error) {
	if s.witness == nil || s.witnessEnd {
		return false, nil
	}
	if s.witnessCur == nil || s.witnessCur.ID.Compare(doc) < 0 {
		d, err := s.witness.Advance(doc, s.witnessTFD.Reset())
		if err != nil {
			return false, fmt.Errorf("literal witness: %w", err)
		}
		if d == nil {
			s.witnessEnd = true
			return false, nil
		}
		s.witnessCur = d
	}
	return s.witnessCur.ID.Equals(doc), nil
}

// chooseSkips marks the bigram slots whose locations need not be read: a
// slot of one Han bigram whose neighbours are single bigrams of the same
// run (ab, bc, cd), and whose left neighbour is read.
func (s *literalSearcher) chooseSkips() {
	bigram := func(i int) (first, second rune, ok bool) {
		if i < 0 || i >= len(s.slots) || len(s.slots[i].terms) != 1 {
			return 0, 0, false
		}
		t := s.terms[s.slots[i].terms[0]].term
		a, n := utf8.DecodeRuneInString(t)
		b, m := utf8.DecodeRuneInString(t[n:])
		if n+m != len(t) || !unicode.Is(unicode.Han, a) || !unicode.Is(unicode.Han, b) {
			return 0, 0, false
		}
		return a, b, true
	}
	for i := 1; i+1 < len(s.slots); i++ {
		_, a1, ok1 := bigram(i - 1)
		b0, b1, ok2 := bigram(i)
		c0, _, ok3 := bigram(i + 1)
		if ok1 && ok2 && ok3 && a1 == b0 && b1 == c0 && !s.slots[i-1].skip {
			s.slots[i].skip = true
		}
	}
}

// initStats reads the scoring model's statistics as bleve's term searcher
// does and computes each term's idf.
func (s *literalSearcher) initStats() error {
	model := ""
	if s.ctx != nil {
		if cb, ok := s.ctx.Value(search.GetScoringModelCallbackKey).(search.GetScoringModelCallbackFn); ok {
			model = cb()
		}
	}
	if model == index.BM25Scoring {
		var card int
		if st, ok := s.ctx.Value(search.BM25StatsKey).(*search.BM25Stats); ok {
			s.docTotal = uint64(st.DocCount)
			if card, ok = st.FieldCardinality[s.field]; !ok {
				return fmt.Errorf("literal query: no bm25 statistics for field %s", s.field)
			}
		} else {
			n, err := s.r.DocCount()
			if err != nil {
				return fmt.Errorf("literal query: %w", err)
			}
			s.docTotal = n
			if br, ok := s.r.(index.BM25Reader); ok {
				if card, err = br.FieldCardinality(s.field); err != nil {
					return fmt.Errorf("literal query: %w", err)
				}
			}
		}
		if s.docTotal != 0 || card != 0 {
			s.avgLen = math.Ceil(float64(card) / float64(s.docTotal))
		}
	} else {
		n, err := s.r.DocCount()
		if err != nil {
			return fmt.Errorf("literal query: %w", err)
		}
		s.docTotal = n
	}
	for _, t := range s.terms {
		if s.avgLen > 0 {
			t.idf = math.Log(1 + (float64(s.docTotal)-float64(t.count)+0.5)/(float64(t.count)+0.5))
		} else {
			t.idf = 1.0 + math.Log(float64(s.docTotal)/float64(t.count+1.0))
		}
	}
	return nil
}

// Weight implements search.Searcher: the sum of the squared weights of the
// phrase's terms, one per slot they stand in, as bleve's conjunction of term
// searchers gives.
func (s *literalSearcher) Weight() float64 {
	var w float64
	for _, sl := range s.slots {
		for _, j := range sl.terms {
			x := s.boost * s.terms[j].idf
			w += x * x
		}
	}
	return w
}

// SetQueryNorm implements search.Searcher.
func (s *literalSearcher) SetQueryNorm(qnorm float64) {
	s.qnorm = qnorm
	for _, t := range s.terms {
		t.weight = s.boost * t.idf * qnorm
	}
}

// Count implements search.Searcher: at most as many documents as the
// rarest required term is in.
func (s *literalSearcher) Count() uint64 {
	return s.lead.count
}

// Min implements search.Searcher.
func (s *literalSearcher) Min() int {
	return 0
}

// DocumentMatchPoolSize implements search.Searcher: the searcher holds no
// match between calls.
func (s *literalSearcher) DocumentMatchPoolSize() int {
	return 1
}

// Size implements search.Searcher.
func (s *literalSearcher) Size() int {
	n := reflectStaticSizeLiteralSearcher + size.SizeOfPtr
	for _, t := range s.terms {
		n += len(t.term) + t.reader.Size() + t.tfd.Size()
		if t.loc != nil {
			n += t.loc.Size() + t.locTFD.Size()
		}
	}
	if s.witness != nil {
		n += s.witness.Size()
	}
	return n
}

// Close implements search.Searcher.
func (s *literalSearcher) Close() error {
	return s.closeReaders()
}

func (s *literalSearcher) closeReaders() error {
	var first error
	if s.witness != nil {
		if err := s.witness.Close(); err != nil {
			first = fmt.Errorf("close literal witness: %w", err)
		}
		s.witness = nil
	}
	for _, t := range s.terms {
		for _, r := range []index.TermFieldReader{t.reader, t.loc} {
			if r == nil {
				continue
			}
			if err := r.Close(); err != nil && first == nil {
				first = fmt.Errorf("close literal term %q: %w", t.term, err)
			}
		}
		t.reader, t.loc = nil, nil
	}
	return first
}

// Next implements search.Searcher.
func (s *literalSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if err := s.lead.next(); err != nil {
		return nil, err
	}
	return s.match(ctx)
}

// Advance implements search.Searcher: the first match at or after id.
func (s *literalSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	if s.lead.cur != nil && s.lead.cur.ID.Compare(id) >= 0 {
		// Already past id: the next match.
		return s.Next(ctx)
	}
	if s.lead.started && s.lead.done {
		return nil, nil
	}
	if err := s.lead.advanceTo(id); err != nil {
		return nil, err
	}
	return s.match(ctx)
}

// match returns the first match at or after the lead's document.
func (s *literalSearcher) match(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	for {
		doc, err := s.candidate()
		if doc == nil || err != nil {
			return nil, err
		}
		dm, err := s.check(ctx, doc)
		if dm != nil || err != nil {
			return dm, err
		}
		if err := s.lead.next(); err != nil {
			return nil, err
		}
	}
}

// candidate moves the required terms' readers onto the first document at or
// after the lead's that holds them all, and returns it (nil at the end).
func (s *literalSearcher) candidate() (index.IndexInternalID, error) {
	for {
		if s.lead.done {
			return nil, nil
		}
		doc := s.lead.cur.ID
		moved := false
		for _, t := range s.terms {
			if !t.required || t == s.lead {
				continue
			}
			if err := t.advanceTo(doc); err != nil {
				return nil, err
			}
			if t.done {
				s.lead.done, s.lead.cur = true, nil
				return nil, nil
			}
			if c := t.cur.ID.Compare(doc); c > 0 {
				if err := s.lead.advanceTo(t.cur.ID); err != nil {
					return nil, err
				}
				moved = true
				break
			}
		}
		if !moved {
			return doc, nil
		}
	}
}

// check verifies the phrase's positions in doc, on which every required
// term is, and returns its match or nil.
func (s *literalSearcher) check(ctx *search.SearchContext, doc index.IndexInternalID) (*search.DocumentMatch, error) {
	// Slots of several terms need one of them in the document.
	for _, sl := range s.slots {
		if len(sl.terms) < 2 {
			continue
		}
		found := false
		for _, j := range sl.terms {
			t := s.terms[j]
			if err := t.advanceTo(doc); err != nil {
				return nil, err
			}
			found = found || t.on(doc)
		}
		if !found {
			return nil, nil
		}
	}
	if !s.options.IncludeTermVectors {
		// The phrase of one term is the term; a document holding the
		// text as a word holds the phrase.
		ok := len(s.slots) == 1 && len(s.slots[0].terms) == 1
		if !ok {
			var err error
			if ok, err = s.witnessed(doc); err != nil {
				return nil, err
			}
		}
		if ok {
			dm := ctx.DocumentMatchPool.Get()
			dm.IndexInternalID = index.NewIndexInternalIDFrom(dm.IndexInternalID, doc)
			if s.scoring || s.options.Explain {
				s.score(dm, -1)
			}
			return dm, nil
		}
	}
	// The locations of the read slots' terms.
	for _, sl := range s.slots {
		if sl.skip {
			continue
		}
		for _, j := range sl.terms {
			t := s.terms[j]
			vs, err := t.locationsOn(s.ctx, s.r, s.field, doc)
			if err != nil {
				return nil, err
			}
			t.vs = vs
		}
	}
	// The anchor: the read one-term slot with the fewest locations.
	anchor := s.anchors[0]
	for _, i := range s.anchors[1:] {
		if len(s.terms[s.slots[i].terms[0]].vs) < len(s.terms[s.slots[anchor].terms[0]].vs) {
			anchor = i
		}
	}
	for i := range s.slots {
		clear(s.slots[i].cursor)
	}
	var dm *search.DocumentMatch
	freq := 0
	for _, v := range s.terms[s.slots[anchor].terms[0]].vs {
		p := int(v.Pos) - s.slots[anchor].off
		if p < 1 {
			continue
		}
		if !s.matchAt(p) {
			continue
		}
		freq++
		if dm == nil {
			dm = ctx.DocumentMatchPool.Get()
		}
		if s.options.IncludeTermVectors {
			s.addLocations(dm, p)
		}
	}
	if dm == nil {
		return nil, nil
	}
	dm.IndexInternalID = index.NewIndexInternalIDFrom(dm.IndexInternalID, doc)
	if s.scoring || s.options.Explain {
		s.score(dm, freq)
	}
	return dm, nil
}

// matchAt says whether the phrase occurs from position p in the document
// whose locations the terms hold, and sets each read slot's at to the
// matching locations (and, with term vectors, each skipped slot's loc).
func (s *literalSearcher) matchAt(p int) bool {
	for i := range s.slots {
		sl := &s.slots[i]
		if sl.skip || len(sl.terms) == 0 {
			continue
		}
		want := uint64(p + sl.off)
		found := false
		for k, j := range sl.terms {
			sl.at[k] = -1
			vs := s.terms[j].vs
			c := sl.cursor[k]
			for c < len(vs) && vs[c].Pos < want {
				c++
			}
			sl.cursor[k] = c
			if c < len(vs) && vs[c].Pos == want {
				sl.at[k] = c
				found = true
			}
		}
		if !found {
			return false
		}
	}
	if !s.options.IncludeTermVectors {
		// A skipped slot's neighbours are pairs of one run two positions
		// apart (see BigramTokenizer): the pair between them, the
		// skipped one, is there.
		return true
	}
	for i := range s.slots {
		sl := &s.slots[i]
		if !sl.skip {
			continue
		}
		// Its location, as the index has it: a position, no byte
		// offsets.
		l := s.terms[s.slots[i-1].terms[0]].vs[s.slots[i-1].at[0]]
		sl.loc = index.TermFieldVector{Field: l.Field, ArrayPositions: l.ArrayPositions, Pos: uint64(p + sl.off)}
	}
	return true
}

// addLocations appends the locations of the match at p.
func (s *literalSearcher) addLocations(dm *search.DocumentMatch, p int) {
	for i := range s.slots {
		sl := &s.slots[i]
		for k, j := range sl.terms {
			var v *index.TermFieldVector
			switch {
			case sl.skip:
				v = &sl.loc
			case sl.at[k] >= 0:
				v = s.terms[j].vs[sl.at[k]]
			default:
				continue
			}
			var ap search.ArrayPositions
			if len(v.ArrayPositions) > 0 {
				ap = append(ap, v.ArrayPositions...)
			}
			dm.FieldTermLocations = append(dm.FieldTermLocations, search.FieldTermLocation{
				Field: v.Field,
				Term:  s.terms[j].term,
				Location: search.Location{
					Pos:            v.Pos,
					Start:          v.Start,
					End:            v.End,
					ArrayPositions: ap,
				},
			})
		}
	}
}

// score sets dm's score as bleve's phrase searcher computes it: the sum,
// over the phrase's slots, of the BM25 (or tf-idf) scores of their terms
// with the terms' frequencies in the document; a slot of several terms
// scores as a disjunction, times matched/total. freq, the number of
// occurrences of the phrase (-1: not counted), is reported in the
// explanation.
func (s *literalSearcher) score(dm *search.DocumentMatch, freq int) {
	var sum float64
	var children []*search.Explanation
	for _, i := range s.order {
		sl := s.slots[i]
		var part float64
		matched := 0
		for _, j := range sl.terms {
			t := s.terms[j]
			if !t.on(dm.IndexInternalID) {
				continue
			}
			matched++
			x := s.termScore(t)
			part += x
			if s.options.Explain {
				children = append(children, &search.Explanation{
					Value:   x,
					Message: fmt.Sprintf("weight(%s:%s^%f), termFreq=%d, idf=%f", s.field, t.term, s.boost, t.cur.Freq, t.idf),
				})
			}
		}
		if len(sl.terms) > 1 {
			part *= float64(matched) / float64(len(sl.terms))
		}
		sum += part
	}
	if s.scoring {
		dm.Score = sum
	}
	if s.options.Explain {
		dm.Expl = &search.Explanation{
			Value:    sum,
			Message:  fmt.Sprintf("literal(%s), %d occurrences, sum of:", s.field, freq),
			Children: children,
		}
	}
}

// termScore is bleve's TermQueryScorer score of t on its current document.
func (s *literalSearcher) termScore(t *literalTerm) float64 {
	var tf float64
	if t.cur.Freq < scorer.MaxSqrtCache {
		tf = scorer.SqrtCache[int(t.cur.Freq)]
	} else {
		tf = math.Sqrt(float64(t.cur.Freq))
	}
	var x float64
	if s.avgLen > 0 {
		fieldLength := 1 / (t.cur.Norm * t.cur.Norm)
		x = t.idf * (tf * search.BM25_k1) /
			(tf + search.BM25_k1*(1-search.BM25_b+(search.BM25_b*fieldLength/s.avgLen)))
	} else {
		x = tf * t.cur.Norm * t.idf
	}
	if t.weight != 1.0 {
		x *= t.weight
	}
	return x
}
