package search

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"policysearch/indexer"
)

// Boosts used in ranking. BM25 scores are summed over the clauses that
// match, so these are relative weights.
const (
	// titleBoost weights a match in the title above one in the body.
	titleBoost = 3.0
	// wordBoost is the weight of the whole-word clause, which matches only
	// where gse segmented the query as a word of its own, so whole-word
	// matches rank above matches across word boundaries (市场 in 城市场景).
	wordBoost = 1.5
)

// phraseBoost weights the optional clause that finds a query's words
// standing together, in the order typed.
const phraseBoost = 2.0

// adjacentText returns the text of a run of two or more unquoted words in
// parts (医养 城市更新 → "医养 城市更新"), or "" when there is none.
func adjacentText(parts []Node) string {
	var words []string
	for _, p := range parts {
		if t, ok := p.(*Term); ok && t.Field == "" && !t.Quoted {
			words = append(words, t.Text)
		}
	}
	if len(words) < 2 {
		return ""
	}
	return strings.Join(words, " ")
}

// translator turns a parsed query into a bleve query with a lexicon. It
// also collects the words of the query's positive text terms, from which a
// relaxed any-words query is built when the strict one finds too little.
type translator struct {
	q     string
	lex   *Lexicon
	words []string
	// literals are the normalized texts the query's positive text terms
	// must contain literally (not their synonyms): what Compare counts.
	literals []string
	// nested makes text clauses run as bleve's searchers (see
	// clauseQuery), for tests.
	nested bool
}

// translate turns n into a bleve query. It returns nil, nil for a node that
// holds only filler words, which the caller drops.
func (tr *translator) translate(n Node, negated bool) (query.Query, error) {
	switch n := n.(type) {
	case *Match:
		return bleve.NewMatchAllQuery(), nil
	case *Term:
		return tr.term(n, negated)
	case *Not:
		x, err := tr.translate(n.X, !negated)
		if err != nil || x == nil {
			return nil, err
		}
		b := bleve.NewBooleanQuery()
		b.AddMust(bleve.NewMatchAllQuery())
		b.AddMustNot(x)
		return b, nil
	case *And:
		b := bleve.NewBooleanQuery()
		musts := 0
		for _, p := range n.Parts {
			if not, ok := p.(*Not); ok {
				x, err := tr.translate(not.X, !negated)
				if err != nil {
					return nil, err
				}
				if x != nil {
					b.AddMustNot(x)
				}
				continue
			}
			x, err := tr.translate(p, negated)
			if err != nil {
				return nil, err
			}
			if x != nil {
				b.AddMust(x)
				musts++
			}
		}
		if musts == 0 {
			b.AddMust(bleve.NewMatchAllQuery())
		}
		if phrase := adjacentText(n.Parts); phrase != "" && !negated {
			// Documents where the words stand together, as typed, rank
			// above those where they are scattered.
			p := literalQuery(phrase, []string{indexer.FieldTitle, indexer.FieldBody}, tr.nested)
			p.SetBoost(phraseBoost)
			b.AddShould(p)
			// Advanced by a conjunction (a filter, other words), bleve's
			// boolean can drop the phrase's bonus; boolQuery keeps it.
			return &boolQuery{conjunctive(b)}, nil
		}
		return conjunctive(b), nil
	case *Or:
		d := bleve.NewDisjunctionQuery()
		for _, p := range n.Parts {
			x, err := tr.translate(p, negated)
			if err != nil {
				return nil, err
			}
			if x != nil {
				d.AddQuery(x)
			}
		}
		if len(d.Disjuncts) == 0 {
			return nil, nil
		}
		return d, nil
	}
	return nil, fmt.Errorf("translate: unknown node %T", n)
}

func (tr *translator) term(t *Term, negated bool) (query.Query, error) {
	switch t.Field {
	case "":
		return tr.text(t, negated, indexer.FieldTitle, indexer.FieldBody)
	case "title":
		return tr.text(t, negated, indexer.FieldTitle)
	case "body":
		return tr.text(t, negated, indexer.FieldBody)
	case "region":
		return keywordQuery(indexer.FieldPlaces, t.Text), nil
	case "type":
		return keywordQuery(indexer.FieldType, t.Text), nil
	case "level":
		return keywordQuery(indexer.FieldLevel, strings.ToLower(t.Text)), nil
	case "year":
		return yearQuery(tr.q, t)
	}
	return nil, &SyntaxError{Query: tr.q, Offset: t.Offset, Msg: fmt.Sprintf("unknown field %q", t.Field)}
}

// text finds a word or phrase in fields. A quoted phrase must occur
// literally. An unquoted term also occurs literally unless it holds filler
// words (如何申请公租房): then its remaining words of two or more characters
// are required each on its own. Words of a synonym group also match,
// weighted lower.
func (tr *translator) text(t *Term, negated bool, fields ...string) (query.Query, error) {
	norm := indexer.Normalize(t.Text)
	if !hasWordChar(norm) {
		return nil, &SyntaxError{Query: tr.q, Offset: t.Offset, Msg: fmt.Sprintf("%q has no letters or digits to search for", t.Text)}
	}
	if t.Quoted {
		if !negated {
			tr.literals = append(tr.literals, strings.TrimSpace(norm))
		}
		return literalQuery(t.Text, fields, tr.nested), nil
	}
	words, err := indexer.Words(t.Text)
	if err != nil {
		return nil, err
	}
	kept := make([]string, 0, len(words))
	for _, w := range words {
		if !tr.lex.IsFiller(w) {
			kept = append(kept, w)
		}
	}
	if !negated {
		tr.words = append(tr.words, kept...)
	}
	if len(kept) == len(words) {
		if !negated {
			tr.literals = append(tr.literals, strings.TrimSpace(norm))
		}
		return tr.withSynonyms(strings.Join(words, ""), t.Text, fields), nil
	}
	if len(kept) == 0 {
		return nil, nil
	}
	// Matched one by one, single characters (有, 在, 要) say little and
	// cost much: keep them only when nothing longer is left.
	if long := slices.DeleteFunc(slices.Clone(kept), func(w string) bool { return utf8.RuneCountInString(w) < 2 }); len(long) > 0 {
		kept = long
	}
	if !negated {
		tr.literals = append(tr.literals, kept...)
	}
	b := bleve.NewBooleanQuery()
	for _, w := range kept {
		b.AddMust(tr.withSynonyms(w, w, fields))
	}
	return conjunctive(b), nil
}

// synonymBoost weights a synonym's match against the word typed.
const synonymBoost = 0.6

// withSynonyms is literalQuery(text) or, when the normalized word has
// synonyms, any of them.
func (tr *translator) withSynonyms(norm, text string, fields []string) query.Query {
	syns := tr.lex.Synonyms(norm)
	if len(syns) == 0 {
		return literalQuery(text, fields, tr.nested)
	}
	d := bleve.NewDisjunctionQuery(literalQuery(text, fields, tr.nested))
	for _, s := range syns {
		q := literalQuery(s, fields, tr.nested)
		q.SetBoost(synonymBoost)
		d.AddQuery(q)
	}
	return d
}

// literalQuery finds text literally (after normalization) in any of the
// text fields: as a phrase over Han bigrams in their bigram twins (a
// literal query, see literal.go), which matches exactly the literal
// occurrences whatever gse made of the words around them. A single Han character matches the bigrams that start or end
// with it. Where the text is one word, a whole-word clause on the word field
// adds to the score, so whole-word matches rank above matches across word
// boundaries (市场 in 城市场景).
//
// The query runs as one clauseSearcher (see clauseQuery) except for a single
// character, whose prefix and regexp clauses only bleve's searchers run,
// or with nested set (tests).
func literalQuery(text string, fields []string, nested bool) *clauseQuery {
	must := bleve.NewDisjunctionQuery()
	should := bleve.NewDisjunctionQuery()
	word := strings.TrimSpace(indexer.Normalize(text))
	r, size := utf8.DecodeRuneInString(word)
	single := size == len(word) && unicode.Is(unicode.Han, r)
	for _, f := range fields {
		boost := 1.0
		if f == indexer.FieldTitle {
			boost = titleBoost
		}
		bg := indexer.BigramField(f)
		if single {
			for _, q := range []query.FieldableQuery{
				bleve.NewTermQuery(word),
				bleve.NewPrefixQuery(word),
				bleve.NewRegexpQuery("." + regexp.QuoteMeta(word)),
			} {
				q.SetField(bg)
				q.(query.BoostableQuery).SetBoost(boost)
				must.AddQuery(q)
			}
		} else {
			p := newLiteral(text, bg)
			p.Witness = f
			p.SetBoost(boost)
			must.AddQuery(p)
		}
		if !strings.ContainsFunc(word, unicode.IsSpace) {
			w := bleve.NewTermQuery(word)
			w.SetField(f)
			w.SetBoost(boost * wordBoost)
			should.AddQuery(w)
		}
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(must)
	if len(should.Disjuncts) > 0 {
		b.AddShould(should)
	}
	return &clauseQuery{BooleanQuery: b, lits: must.Disjuncts, words: should.Disjuncts, nested: nested || single}
}

// relaxed returns the any-words query over the collected words: each word
// (or its synonyms) is optional and at least half must match. Single
// characters are left out when longer words exist. It returns nil when
// fewer than two words remain, since relaxing would change nothing.
func (tr *translator) relaxed() query.Query {
	var words []string
	for _, w := range tr.words {
		if utf8.RuneCountInString(w) > 1 && !slices.Contains(words, w) {
			words = append(words, w)
		}
	}
	if len(words) < 2 {
		return nil
	}
	b := bleve.NewBooleanQuery()
	fields := []string{indexer.FieldTitle, indexer.FieldBody}
	for _, w := range words {
		b.AddShould(tr.withSynonyms(w, w, fields))
	}
	b.SetMinShould(float64((len(words) + 1) / 2))
	return b
}

func hasWordChar(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) })
}

func keywordQuery(field, value string) query.Query {
	tq := bleve.NewTermQuery(value)
	tq.SetField(field)
	return tq
}

// yearQuery handles year:2023 and year:2019..2023.
func yearQuery(q string, t *Term) (query.Query, error) {
	lo, hi, isRange := strings.Cut(t.Text, "..")
	from, err := parseYear(lo)
	if err != nil {
		return nil, &SyntaxError{Query: q, Offset: t.Offset, Msg: err.Error()}
	}
	if !isRange {
		return keywordQuery(indexer.FieldYear, strconv.Itoa(from)), nil
	}
	to, err := parseYear(hi)
	if err != nil {
		return nil, &SyntaxError{Query: q, Offset: t.Offset, Msg: err.Error()}
	}
	if to < from {
		return nil, &SyntaxError{Query: q, Offset: t.Offset, Msg: fmt.Sprintf("year range %d..%d is backwards", from, to)}
	}
	start := time.Date(from, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(to+1, 1, 1, 0, 0, 0, 0, time.UTC)
	inclusive, exclusive := true, false
	r := bleve.NewDateRangeInclusiveQuery(start, end, &inclusive, &exclusive)
	r.SetField(indexer.FieldPublished)
	return r, nil
}

func parseYear(s string) (int, error) {
	y, err := strconv.Atoi(strings.TrimSuffix(s, "年"))
	if err != nil || y < 1000 || y > 2999 {
		return 0, fmt.Errorf("year %q is not a four-digit year", s)
	}
	return y, nil
}

// filterQuery turns the filters of r into a conjunction (across facets and
// ranges) of disjunctions (within a facet), or nil when there are none.
func (s *Service) filterQuery(r Request) query.Query {
	var parts []query.Query
	for _, name := range FacetNames() {
		vals := r.Filters[name]
		if len(vals) == 0 {
			continue
		}
		k := facetKinds[name]
		d := bleve.NewDisjunctionQuery()
		for _, v := range vals {
			if name == FacetPlace {
				for _, code := range s.placeCodes(v) {
					d.AddQuery(keywordQuery(k.filterField, code))
				}
				continue
			}
			d.AddQuery(keywordQuery(k.filterField, v))
		}
		if len(d.Disjuncts) == 0 {
			// A place the gazetteer does not know matches nothing.
			d.AddQuery(bleve.NewMatchNoneQuery())
		}
		parts = append(parts, d)
	}
	if r.AmountMin != nil || r.AmountMax != nil {
		inclusive := true
		q := bleve.NewNumericRangeInclusiveQuery(r.AmountMin, r.AmountMax, &inclusive, &inclusive)
		q.SetField(indexer.FieldAmountYuan)
		parts = append(parts, q)
	}
	if !r.dateFrom.IsZero() || !r.dateTo.IsZero() {
		inclusive, exclusive := true, false
		q := bleve.NewDateRangeInclusiveQuery(r.dateFrom, r.dateTo, &inclusive, &exclusive)
		q.SetField(indexer.FieldPublished)
		parts = append(parts, q)
	}
	if r.DupGroup != "" {
		parts = append(parts, keywordQuery(indexer.FieldDupGroup, r.DupGroup))
	}
	if len(parts) == 0 {
		return nil
	}
	return bleve.NewConjunctionQuery(parts...)
}

// placeCodes resolves a place filter value, a gazetteer code or a name
// (济南市槐荫区, 槐荫区, 槐荫), to codes: the place the whole name resolves
// to, or every place of that name.
func (s *Service) placeCodes(v string) []string {
	if _, err := strconv.Atoi(v); err == nil {
		return []string{v}
	}
	if ms := s.gaz.FindIn(v); len(ms) > 0 && ms[len(ms)-1].End == len(v) {
		return []string{ms[len(ms)-1].Place.Code}
	}
	var codes []string
	for _, p := range s.gaz.Lookup(v) {
		codes = append(codes, p.Code)
	}
	return codes
}
