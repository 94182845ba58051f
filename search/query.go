package search

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxQueryBytes is the longest query text accepted, in bytes.
const MaxQueryBytes = 1000

// SyntaxError reports a malformed query. Offset is the byte offset in Query
// where the problem was found.
type SyntaxError struct {
	Query  string
	Offset int
	Msg    string
}

// Error implements error.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("query syntax: %s at byte %d", e.Msg, e.Offset)
}

// Node is a parsed query: one of *Term, *Not, *And, *Or, *Match.
type Node interface{ node() }

// Term is a word or a quoted phrase to find in the text, or, with Field set,
// a field-scoped condition (title:医养, region:槐荫区, year:2023,
// year:2019..2023).
type Term struct {
	// Field is "" for the text fields, or one of the query field names
	// (see QueryFields).
	Field string
	// Text is the word or phrase as typed, without quotes.
	Text string
	// Quoted is true for "quoted phrases".
	Quoted bool
	// Offset is the byte offset of the term in the query.
	Offset int
}

// Not excludes documents matching X.
type Not struct{ X Node }

// And requires all of its parts (the default between terms).
type And struct{ Parts []Node }

// Or requires any of its parts.
type Or struct{ Parts []Node }

// Match matches every document (an empty query).
type Match struct{}

func (*Term) node()  {}
func (*Not) node()   {}
func (*And) node()   {}
func (*Or) node()    {}
func (*Match) node() {}

// QueryFields are the field names allowed before a colon in a query.
var QueryFields = []string{"title", "body", "region", "year", "type", "level"}

// Parse parses a user query. The syntax, also in the README:
//
//	医养 城市更新          both words (AND is the default)
//	"城市更新行动"         an exact phrase
//	-棚户区               exclude a word or "phrase"
//	医养 OR 康养          either (OR binds tighter than the implicit AND)
//	(医养 OR 康养) 济南    grouping
//	title:医养            a word in the title only (also body:)
//	region:槐荫区 year:2023 year:2019..2023 type:政府工作报告 level:county
//
// Full-width quotes, parentheses, colons and minus signs (“”（）：－) are
// accepted as their ASCII forms. Parse never panics; a malformed query gives
// a *SyntaxError. An empty or blank query parses to *Match.
func Parse(q string) (Node, error) {
	if len(q) > MaxQueryBytes {
		return nil, &SyntaxError{Query: q, Offset: MaxQueryBytes, Msg: fmt.Sprintf("query longer than %d bytes", MaxQueryBytes)}
	}
	if !utf8.ValidString(q) {
		off := 0
		for off < len(q) {
			r, size := utf8.DecodeRuneInString(q[off:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			off += size
		}
		return nil, &SyntaxError{Query: q, Offset: off, Msg: "invalid UTF-8"}
	}
	p := &parser{q: q}
	p.lex()
	if p.err != nil {
		return nil, p.err
	}
	if len(p.toks) == 0 {
		return &Match{}, nil
	}
	n := p.parseAnd(false)
	if p.err != nil {
		return nil, p.err
	}
	if p.i < len(p.toks) {
		t := p.toks[p.i]
		return nil, &SyntaxError{Query: q, Offset: t.off, Msg: fmt.Sprintf("unexpected %q", t.text)}
	}
	if onlyNegative(n) {
		// "-棚户区" alone means everything except it.
		n = &And{Parts: []Node{&Match{}, n}}
	}
	return n, nil
}

func onlyNegative(n Node) bool {
	switch n := n.(type) {
	case *Not:
		return true
	case *And:
		for _, p := range n.Parts {
			if _, ok := p.(*Not); !ok {
				return false
			}
		}
		return true
	}
	return false
}

type tokKind int

const (
	tokWord tokKind = iota
	tokPhrase
	tokLParen
	tokRParen
	tokOr
	tokMinus
	tokField // text holds the field name; the value follows
)

type token struct {
	kind tokKind
	text string
	off  int
}

type parser struct {
	q    string
	toks []token
	i    int
	err  *SyntaxError
}

func (p *parser) fail(off int, format string, args ...any) {
	if p.err == nil {
		p.err = &SyntaxError{Query: p.q, Offset: off, Msg: fmt.Sprintf(format, args...)}
	}
}

// asciiPunct maps full-width syntax characters to their ASCII forms.
func asciiPunct(r rune) rune {
	switch r {
	case '“', '”', '＂', '「', '」':
		return '"'
	case '（':
		return '('
	case '）':
		return ')'
	case '：':
		return ':'
	case '－':
		return '-'
	case '　':
		return ' '
	}
	return r
}

// lex splits the query into tokens.
func (p *parser) lex() {
	q := p.q
	atStart := true // at the start of a term, where '-' means exclude
	for i := 0; i < len(q); {
		r, size := utf8.DecodeRuneInString(q[i:])
		r = asciiPunct(r)
		switch {
		case unicode.IsSpace(r):
			i += size
			atStart = true
		case r == '(':
			p.toks = append(p.toks, token{kind: tokLParen, text: "(", off: i})
			i += size
			atStart = true
		case r == ')':
			p.toks = append(p.toks, token{kind: tokRParen, text: ")", off: i})
			i += size
			atStart = true
		case r == '-' && atStart:
			i += size
			if next, _ := utf8.DecodeRuneInString(q[i:]); i == len(q) || unicode.IsSpace(asciiPunct(next)) {
				// A lone "-" excludes nothing; it is not an error either.
				continue
			}
			p.toks = append(p.toks, token{kind: tokMinus, text: "-", off: i - size})
		case r == '"':
			start := i
			i += size
			var b strings.Builder
			closed := false
			for i < len(q) {
				r, size := utf8.DecodeRuneInString(q[i:])
				i += size
				if asciiPunct(r) == '"' {
					closed = true
					break
				}
				b.WriteRune(r)
			}
			if !closed {
				p.fail(start, "unclosed quote")
				return
			}
			p.toks = append(p.toks, token{kind: tokPhrase, text: b.String(), off: start})
			atStart = false
		default:
			start := i
			var b strings.Builder
			for i < len(q) {
				r, size := utf8.DecodeRuneInString(q[i:])
				a := asciiPunct(r)
				if unicode.IsSpace(a) || a == '(' || a == ')' || a == '"' {
					break
				}
				if a == ':' {
					name := strings.ToLower(b.String())
					if isQueryField(name) {
						p.toks = append(p.toks, token{kind: tokField, text: name, off: start})
						i += size
						b.Reset()
						start = i
						goto next
					}
				}
				b.WriteRune(r)
				i += size
			}
			if b.Len() > 0 {
				if b.String() == "OR" {
					p.toks = append(p.toks, token{kind: tokOr, text: "OR", off: start})
				} else {
					p.toks = append(p.toks, token{kind: tokWord, text: b.String(), off: start})
				}
			}
			atStart = true
			continue
		next:
			atStart = false
		}
	}
}

func isQueryField(name string) bool {
	for _, f := range QueryFields {
		if f == name {
			return true
		}
	}
	return false
}

// parseAnd parses a sequence of OR-groups up to the end or a ')'.
func (p *parser) parseAnd(nested bool) Node {
	var parts []Node
	for p.err == nil && p.i < len(p.toks) {
		t := p.toks[p.i]
		if t.kind == tokRParen {
			if !nested {
				p.fail(t.off, "unmatched )")
			}
			break
		}
		if t.kind == tokOr {
			p.fail(t.off, "OR needs a term on both sides")
			break
		}
		n := p.parseOr()
		if n != nil {
			parts = append(parts, n)
		}
	}
	switch len(parts) {
	case 0:
		return nil
	case 1:
		return parts[0]
	}
	return &And{Parts: parts}
}

// parseOr parses unary ( OR unary )*.
func (p *parser) parseOr() Node {
	first := p.parseUnary()
	parts := []Node{first}
	for p.err == nil && p.i < len(p.toks) && p.toks[p.i].kind == tokOr {
		or := p.toks[p.i]
		p.i++
		if p.i >= len(p.toks) || p.toks[p.i].kind == tokRParen || p.toks[p.i].kind == tokOr {
			p.fail(or.off, "OR needs a term on both sides")
			return nil
		}
		parts = append(parts, p.parseUnary())
	}
	if len(parts) == 1 {
		return first
	}
	return &Or{Parts: parts}
}

// parseUnary parses -primary or primary.
func (p *parser) parseUnary() Node {
	t := p.toks[p.i]
	if t.kind != tokMinus {
		return p.parsePrimary()
	}
	p.i++
	if p.i >= len(p.toks) {
		p.fail(t.off, "- needs a term to exclude")
		return nil
	}
	switch p.toks[p.i].kind {
	case tokWord, tokPhrase, tokLParen, tokField:
	default:
		p.fail(t.off, "- needs a term to exclude")
		return nil
	}
	x := p.parsePrimary()
	if x == nil {
		return nil
	}
	return &Not{X: x}
}

// parsePrimary parses a word, phrase, field:value or ( ... ).
func (p *parser) parsePrimary() Node {
	t := p.toks[p.i]
	p.i++
	switch t.kind {
	case tokWord:
		return &Term{Text: t.text, Offset: t.off}
	case tokPhrase:
		if strings.TrimSpace(t.text) == "" {
			p.fail(t.off, "empty phrase")
			return nil
		}
		return &Term{Text: t.text, Quoted: true, Offset: t.off}
	case tokLParen:
		n := p.parseAnd(true)
		if p.err != nil {
			return nil
		}
		if p.i >= len(p.toks) || p.toks[p.i].kind != tokRParen {
			p.fail(t.off, "unclosed (")
			return nil
		}
		p.i++
		if n == nil {
			p.fail(t.off, "empty ( )")
		}
		return n
	case tokField:
		if p.i >= len(p.toks) {
			p.fail(t.off, "%s: needs a value", t.text)
			return nil
		}
		v := p.toks[p.i]
		if v.kind != tokWord && v.kind != tokPhrase {
			p.fail(t.off, "%s: needs a value", t.text)
			return nil
		}
		p.i++
		return &Term{Field: t.text, Text: v.text, Quoted: v.kind == tokPhrase, Offset: t.off}
	}
	p.fail(t.off, "unexpected %q", t.text)
	return nil
}
