package search

import (
	"context"
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"policysearch/indexer"
)

// Highlighting. A hit's highlights mark where the query's positive text
// terms occur in its stored title and body: the literal matches the bigram
// fields find (same normalization and adjacency rules as the index, since
// the text is tokenized here by indexer.BigramScanner exactly as it was
// indexed), mapped to byte offsets of the original text, merged into spans
// and cut into one fragment each (indexer.Highlight). Nothing is read from
// the index: no term vectors, no second search over the page.
//
// Which terms highlight follows the query's searchers: a term reports its
// locations when it occurs in the document and every part of the query
// above it matched the document too. So in (城市 更新) OR 医养 a document
// that matched by 医养 alone shows no marks on 城市, negated terms never
// mark, and title:医养 marks the title only.

// hlKind is the kind of a node of a highlight plan.
type hlKind uint8

const (
	// hlUnknown is a condition on something other than the stored text
	// (a filter, a whole-word clause): it marks nothing, and whether it
	// matches is asked of the index, in the rare query where that matters
	// ((医养 region:槐荫区) OR 康养).
	hlUnknown hlKind = iota
	hlAll
	hlNone
	hlTerm
	hlAnd
	hlOr
	hlBool
)

// hlNode is a node of a highlight plan, one per query node.
type hlNode struct {
	kind  hlKind
	leaf  int       // hlTerm: index in hlPlan.leaves
	parts []*hlNode // hlAnd, hlOr
	min   int       // hlOr: the matches required (at least one)
	// hlBool: must may be nil (then should is required), should is an
	// hlOr or nil, mustNot is nil or marks nothing.
	must, should, mustNot *hlNode
	// q is an hlUnknown node's query.
	q query.Query
	// text says the subtree holds text leaves.
	text bool
	// transparent says that treating the node as matched marks nothing
	// when it does not match: its leaves mark only where they occur, and
	// nothing above them can fail while they occur.
	transparent bool
}

// hlLeaf is a condition on the text of one field.
type hlLeaf struct {
	field int // index in hlFields
	// slots are the phrase's positions, each the term ids any of which
	// may stand there (none: any token); nil for a predicate leaf.
	slots [][]int32
	// pred matches a term, for a term, prefix or regexp query; its bit in
	// the token masks is bit.
	pred func(term []byte) bool
	bit  uint64
	// anchors are the source forms (indexer.SourceForms) of characters
	// every location of the leaf holds, or follows directly with no
	// punctuation between: a scan of a text picks one of them to skip to
	// (see hlMatcher.scan). Empty when there is none worth looking for.
	anchors []hlAnchor
	// solid are the normalized characters of a phrase up to its first
	// empty slot (punctuation), white space left out; nil for a
	// predicate leaf.
	solid []rune
}

// hlAnchor is a character every location of a leaf holds, with its source
// forms.
type hlAnchor struct {
	r     rune
	forms [][]byte
}

// maxAnchorForms is the most source forms of an anchor: a character with
// more (a digit: 2 is also 二 in a year, ②, ...) is too common to skip to.
const maxAnchorForms = 12

// maxAnchors is the most anchors of a leaf.
const maxAnchors = 4

// anchorsOf returns the source forms of the letters and digits of terms,
// each of which every location holds: Han characters first, then those
// with fewer forms.
func anchorsOf(terms ...string) []hlAnchor {
	var out []hlAnchor
	var seen []rune
	for _, t := range terms {
		for _, r := range t {
			if (!unicode.IsLetter(r) && !unicode.IsNumber(r)) || slices.Contains(seen, r) {
				continue
			}
			seen = append(seen, r)
			if forms := sourceForms(r); len(forms) <= maxAnchorForms {
				out = append(out, hlAnchor{r: r, forms: forms})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b hlAnchor) int {
		ah, bh := unicode.Is(unicode.Han, a.r), unicode.Is(unicode.Han, b.r)
		if ah != bh {
			if ah {
				return -1
			}
			return 1
		}
		return len(a.forms) - len(b.forms)
	})
	return out[:min(len(out), maxAnchors)]
}

// formsCache holds sourceForms by character.
var formsCache sync.Map // rune → [][]byte

// sourceForms is indexer.SourceForms as byte slices, kept once made.
func sourceForms(r rune) [][]byte {
	if f, ok := formsCache.Load(r); ok {
		return f.([][]byte)
	}
	forms := indexer.SourceForms(r)
	bs := make([][]byte, len(forms))
	for i, f := range forms {
		bs[i] = []byte(f)
	}
	formsCache.Store(r, bs)
	return bs
}

// solidChars returns the normalized characters of text up to its first
// punctuation after the first letter or digit, white space left out: what
// the phrase's slots before the first empty one spell.
func solidChars(text string) []rune {
	var out []rune
	for _, r := range indexer.Normalize(text) {
		switch {
		case unicode.Is(unicode.Han, r) || unicode.IsLetter(r) || unicode.IsNumber(r):
			out = append(out, r)
		case unicode.IsSpace(r):
		case len(out) > 0:
			return out
		}
	}
	return out
}

// requiredLiterals returns the literal strings a match of the regexp re
// must hold (the literals of a concatenation), or nil.
func requiredLiterals(re string) []string {
	x, err := syntax.Parse(re, syntax.Perl)
	if err != nil {
		return nil
	}
	x = x.Simplify()
	parts := []*syntax.Regexp{x}
	if x.Op == syntax.OpConcat {
		parts = x.Sub
	}
	var out []string
	for _, p := range parts {
		if p.Op == syntax.OpLiteral && p.Flags&syntax.FoldCase == 0 {
			out = append(out, string(p.Rune))
		}
	}
	return out
}

// hlFields are the fields highlighted, by index.
var hlFields = [2]string{hlTitle: indexer.FieldTitle, hlBody: indexer.FieldBody}

// The indexes of the fields in hlFields.
const (
	hlTitle = iota
	hlBody
)

// hlPlan is what a query highlights, built once per search.
type hlPlan struct {
	root   *hlNode
	leaves []*hlLeaf
	ids    map[string]int32 // the phrase terms
	// firsts has bit r%64 set for the first character r of each phrase
	// term: a token whose first character's bit is clear is none of them.
	firsts uint64
	// maxSlots is the longest phrase (at least 1).
	maxSlots int
}

// maxPredLeaves bounds the term, prefix and regexp leaves of a plan (one
// bit each in a token's mask); further ones mark nothing.
const maxPredLeaves = 64

// newHLPlan builds the highlight plan of q, whose bigram fields are
// analysed with m's analyzers.
func newHLPlan(q query.Query, m mapping.IndexMapping) (*hlPlan, error) {
	p := &hlPlan{ids: map[string]int32{}, maxSlots: 1}
	root, err := p.node(q, m)
	if err != nil {
		return nil, err
	}
	p.root = root
	return p, nil
}

// hlField returns the index in hlFields of the text field a bigram field
// indexes, or -1.
func hlField(bigramField string) int {
	for i, f := range hlFields {
		if indexer.BigramField(f) == bigramField {
			return i
		}
	}
	return -1
}

// node turns a query node into a plan node, as its searcher behaves.
func (p *hlPlan) node(q query.Query, m mapping.IndexMapping) (*hlNode, error) {
	var n *hlNode
	switch q := q.(type) {
	case *query.MatchAllQuery:
		n = &hlNode{kind: hlAll}
	case *query.MatchNoneQuery:
		n = &hlNode{kind: hlNone}
	case *literal:
		f := hlField(q.FieldVal)
		if f < 0 {
			n = &hlNode{kind: hlUnknown, q: q}
			break
		}
		an := m.AnalyzerNamed(m.AnalyzerNameForPath(q.FieldVal))
		if an == nil {
			return nil, fmt.Errorf("highlight: no analyzer for field %q", q.FieldVal)
		}
		phrase := literalPhrase(an.Analyze([]byte(q.Text)))
		if len(phrase) == 0 {
			n = &hlNode{kind: hlNone}
			break
		}
		l := &hlLeaf{field: f, slots: make([][]int32, len(phrase))}
		var solid []string // the single terms before the first empty slot
		for _, alts := range phrase {
			if len(alts) == 0 {
				break
			}
			if len(alts) == 1 {
				solid = append(solid, alts[0])
			}
		}
		l.anchors = anchorsOf(solid...)
		l.solid = solidChars(q.Text)
		for i, alts := range phrase {
			for _, t := range alts {
				id, ok := p.ids[t]
				if !ok {
					id = int32(len(p.ids))
					p.ids[t] = id
					r, _ := utf8.DecodeRuneInString(t)
					p.firsts |= 1 << (uint(r) % 64)
				}
				l.slots[i] = append(l.slots[i], id)
			}
		}
		p.maxSlots = max(p.maxSlots, len(phrase))
		n = p.addLeaf(l)
	case *query.TermQuery:
		n = p.predLeaf(q, q.FieldVal, func(t []byte) bool { return string(t) == q.Term }, anchorsOf(q.Term))
	case *query.PrefixQuery:
		n = p.predLeaf(q, q.FieldVal, func(t []byte) bool { return strings.HasPrefix(string(t), q.Prefix) }, anchorsOf(q.Prefix))
	case *query.RegexpQuery:
		re, err := regexp.Compile(`^(?:` + q.Regexp + `)$`)
		if err != nil {
			return nil, fmt.Errorf("highlight: regexp %q: %w", q.Regexp, err)
		}
		n = p.predLeaf(q, q.FieldVal, re.Match, anchorsOf(requiredLiterals(q.Regexp)...))
	case *query.ConjunctionQuery:
		n = &hlNode{kind: hlAnd}
		for _, c := range q.Conjuncts {
			part, err := p.node(c, m)
			if err != nil {
				return nil, err
			}
			n.parts = append(n.parts, part)
		}
		if len(n.parts) == 0 {
			n = &hlNode{kind: hlNone}
		}
	case *query.DisjunctionQuery:
		n = &hlNode{kind: hlOr, min: max(1, int(q.Min))}
		for _, c := range q.Disjuncts {
			part, err := p.node(c, m)
			if err != nil {
				return nil, err
			}
			n.parts = append(n.parts, part)
		}
		if len(n.parts) == 0 || int(q.Min) > len(n.parts) {
			n = &hlNode{kind: hlNone}
		}
	case *query.BooleanQuery:
		var err error
		if n, err = p.boolNode(q, m); err != nil {
			return nil, err
		}
	case *clauseQuery:
		var err error
		if n, err = p.boolNode(q.BooleanQuery, m); err != nil {
			return nil, err
		}
	case *boolQuery:
		var err error
		if n, err = p.boolNode(q.BooleanQuery, m); err != nil {
			return nil, err
		}
	case *conjQuery:
		return p.node(q.ConjunctionQuery, m)
	default:
		n = &hlNode{kind: hlUnknown, q: q}
	}
	n.finish()
	return n, nil
}

// boolNode is node for a boolean query. As bleve's searcher does, a part
// that matches nothing counts as absent; with neither must nor should, all
// documents not excluded match; with no must, should is required.
func (p *hlPlan) boolNode(q *query.BooleanQuery, m mapping.IndexMapping) (*hlNode, error) {
	part := func(x query.Query) (*hlNode, error) {
		if x == nil {
			return nil, nil
		}
		n, err := p.node(x, m)
		if err != nil || n.kind == hlNone {
			return nil, err
		}
		return n, nil
	}
	must, err := part(q.Must)
	if err != nil {
		return nil, err
	}
	should, err := part(q.Should)
	if err != nil {
		return nil, err
	}
	mustNot, err := part(q.MustNot)
	if err != nil {
		return nil, err
	}
	if q.Filter != nil {
		filter := &hlNode{kind: hlUnknown, q: q.Filter} // filters report no locations
		filter.finish()
		if must == nil {
			must = filter
		} else {
			must = &hlNode{kind: hlAnd, parts: []*hlNode{must, filter}}
			must.finish()
		}
	}
	switch {
	case must == nil && should == nil && mustNot == nil:
		return &hlNode{kind: hlNone}, nil
	case must == nil && should == nil:
		must = &hlNode{kind: hlAll}
		must.finish()
	}
	if should != nil && should.kind != hlOr {
		// One should clause: a disjunction of one.
		should = &hlNode{kind: hlOr, min: 1, parts: []*hlNode{should}}
		should.finish()
	}
	if d, ok := q.Should.(*query.DisjunctionQuery); should != nil && must != nil && (!ok || d.Min == 0) {
		should.min = 0 // optional beside must
	}
	return &hlNode{kind: hlBool, must: must, should: should, mustNot: mustNot}, nil
}

// addLeaf adds a leaf and returns its node.
func (p *hlPlan) addLeaf(l *hlLeaf) *hlNode {
	p.leaves = append(p.leaves, l)
	return &hlNode{kind: hlTerm, leaf: len(p.leaves) - 1}
}

// predLeaf is the node of a term, prefix or regexp query on field: a
// leaf on a bigram field, else a condition that marks nothing (the word
// fields keep no locations).
func (p *hlPlan) predLeaf(q query.Query, field string, pred func([]byte) bool, anchors []hlAnchor) *hlNode {
	f := hlField(field)
	bits := 0
	for _, l := range p.leaves {
		if l.pred != nil {
			bits++
		}
	}
	if f < 0 || bits >= maxPredLeaves {
		return &hlNode{kind: hlUnknown, q: q}
	}
	return p.addLeaf(&hlLeaf{field: f, pred: pred, bit: 1 << bits, anchors: anchors})
}

// finish sets text and transparent from the node's parts.
func (n *hlNode) finish() {
	switch n.kind {
	case hlTerm:
		n.text, n.transparent = true, true
	case hlAnd:
		for _, c := range n.parts {
			n.text = n.text || c.text
		}
		n.transparent = !n.text || (len(n.parts) == 1 && n.parts[0].transparent)
	case hlOr:
		n.transparent = true
		for _, c := range n.parts {
			n.text = n.text || c.text
			n.transparent = n.transparent && c.transparent
		}
		n.transparent = !n.text || (n.transparent && n.min <= 1)
	case hlBool:
		for _, c := range []*hlNode{n.must, n.should, n.mustNot} {
			if c != nil {
				n.text = n.text || c.text
			}
		}
		switch {
		case !n.text:
			n.transparent = true
		case n.mustNot != nil:
			n.transparent = false
		case n.must != nil:
			n.transparent = n.must.transparent && (n.should == nil || (!n.should.text && n.should.min == 0))
		default:
			n.transparent = n.should.transparent
		}
	default:
		n.transparent = true
	}
}

// asker returns the hlDoc.asks of document id: a search for id and the
// query, which only a query with filters inside OR or NOT runs.
func (s *Service) asker(ctx context.Context, id string) func(q query.Query) (bool, error) {
	return func(q query.Query) (bool, error) {
		req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(bleve.NewDocIDQuery([]string{id}), q), 1, 0, false)
		req.Score = "none"
		res, err := s.idx.SearchInContext(ctx, req)
		if err != nil {
			return false, fmt.Errorf("highlight %s: %w", id, err)
		}
		return res.Total > 0, nil
	}
}
