package indexer

import (
	"cmp"
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/go-ego/gse"
)

// Tokenizer splits Chinese (and mixed) text into words with gse's dictionary
// segmentation and also emits the sub-words of two or more characters gse
// knows inside each word, so that a word query for "医养" also matches the
// word "医养健康". Literal matching across word boundaries is the job of
// BigramTokenizer.
//
// Token contract, pinned by golden and fuzz tests:
//   - Term is the normalized text (see Normalize) of the token.
//   - Start and End are byte offsets into the input as given, taken from
//     gse's segment positions and mapped back through normalization, never
//     found by searching the text again. 0 ≤ Start ≤ End ≤ len(input), and
//     both fall on UTF-8 boundaries.
//   - Position is 1-based and non-decreasing. A word occupies as many
//     positions as the finest split gse knows for it (its characters): each
//     sub-word sits at the position of its own first character, and the word
//     itself at the position of its first sub-word. "城市更新" as one
//     dictionary word therefore gives 城市更新@1 城市@1 更新@3, the same
//     positions as text segmented into 城市 and 更新.
//   - An amount (2974亿元) is also a token of its own, on the position of
//     its first word.
//   - Tokens made only of punctuation, symbols or spaces are dropped. White
//     space takes no position; punctuation leaves a gap of one position, so
//     phrases do not match across it.
//
// A Tokenizer is safe for concurrent use.
type Tokenizer struct {
	seg *gse.Segmenter
}

// NewTokenizer returns a tokenizer over the process-wide segmenter, loading
// the dictionaries on first use.
func NewTokenizer() (*Tokenizer, error) {
	seg, err := segmenter()
	if err != nil {
		return nil, err
	}
	return &Tokenizer{seg: seg}, nil
}

// Tokenize implements analysis.Tokenizer.
func (t *Tokenizer) Tokenize(input []byte) analysis.TokenStream {
	n := normalize(input)
	return wordTokens(n, t.seg.Segment(n.text))
}

// wordTokens is the token stream of the normalized text n, given gse's
// segmentation of n.text: Tokenize without the work it shares with entity
// extraction (see analyzeText).
func wordTokens(n normalized, segs []gse.Segment) analysis.TokenStream {
	// One slab of tokens saves an allocation per token. A word makes 0.97
	// tokens on average (punctuation none, a few words sub-words too; 300
	// documents of the shared corpus): a slab of three per word, as
	// before, made the build allocate and clear three times what it used.
	size := len(segs) + len(segs)/8 + 16
	e := emitter{n: n, slab: make([]analysis.Token, 0, size)}
	stream := make(analysis.TokenStream, 0, size)
	pos := 1
	gap := false
	for i := range segs {
		s := &segs[i]
		text := n.text[s.Start():s.End()]
		if !isWordish(text) {
			// Punctuation leaves a one-position gap so that a phrase
			// cannot match across "香港、澳门"; white space does not,
			// because Word conversions break lines inside words.
			gap = gap || !isSpace(text)
			continue
		}
		if gap && len(stream) > 0 {
			pos++
		}
		gap = false
		pos += e.emit(&stream, s.Token(), s.Start(), s.End(), pos, false)
	}
	return withAmounts(stream, n)
}

// withAmounts adds one token for each amount in the text (2974亿元, 1.2万亿元,
// 183个), on the position of the first word inside it, so that an amount
// is also a whole word and ranks as one; gse splits it into 2974 and 亿元.
func withAmounts(stream analysis.TokenStream, n normalized) analysis.TokenStream {
	amounts := ParseAmounts(string(n.text))
	if len(amounts) == 0 {
		return stream
	}
	k := 0
	for _, a := range amounts {
		start, end := n.origOffset(a.Start), n.origOffset(a.End)
		for k < len(stream) && stream[k].Start < start {
			k++
		}
		if k == len(stream) {
			break
		}
		stream = append(stream, &analysis.Token{
			Term:     n.text[a.Start:a.End],
			Start:    start,
			End:      end,
			Position: stream[k].Position,
			Type:     analysis.AlphaNumeric,
		})
	}
	slices.SortStableFunc(stream, func(a, b *analysis.Token) int { return cmp.Compare(a.Position, b.Position) })
	return stream
}

// emitter appends tokens taken from a slab.
type emitter struct {
	n    normalized
	slab []analysis.Token
}

// emit appends the token tok found at normalized bytes [start, end) and its
// sub-words of two or more characters (single characters are covered by
// the bigram field), and returns how many positions the token occupies;
// isSub says tok is itself a sub-word.
func (e *emitter) emit(stream *analysis.TokenStream, tok *gse.Token, start, end, pos int, isSub bool) int {
	// gse lower-cases Latin text in its tokens; the normalized input already
	// is, so the input slice is the term and the offsets stay exact.
	text := e.n.text[start:end]
	if !isSub || utf8.RuneCount(text) > 1 {
		if len(e.slab) == cap(e.slab) {
			e.slab = make([]analysis.Token, 0, max(64, cap(e.slab)/4))
		}
		e.slab = append(e.slab, analysis.Token{
			Term:     text,
			Start:    e.n.origOffset(start),
			End:      e.n.origOffset(end),
			Position: pos,
			Type:     tokenType(text),
		})
		*stream = append(*stream, &e.slab[len(e.slab)-1])
	}
	subs := tok.Segments()
	if len(subs) == 0 {
		return 1
	}
	width := 0
	for _, sub := range subs {
		subStart, subEnd := start+sub.Start(), start+sub.End()
		if !isWordish(e.n.text[subStart:subEnd]) {
			continue
		}
		width += e.emit(stream, sub.Token(), subStart, subEnd, pos+width, true)
	}
	if width == 0 {
		// Only punctuation inside: the word stands alone.
		return 1
	}
	return width
}

// isWordish reports whether b holds at least one letter or digit.
func isWordish(b []byte) bool {
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if isHan(r) || unicode.IsLetter(r) || unicode.IsNumber(r) {
			return true
		}
		b = b[size:]
	}
	return false
}

// isSpace reports whether b holds only white space.
func isSpace(b []byte) bool {
	for _, r := range string(b) {
		if !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// tokenType classifies a term for bleve: ideographic when it starts with a
// Han character, numeric when it is all digits, alphanumeric otherwise.
func tokenType(b []byte) analysis.TokenType {
	r, _ := utf8.DecodeRune(b)
	if unicode.Is(unicode.Han, r) {
		return analysis.Ideographic
	}
	for _, c := range string(b) {
		if !unicode.IsDigit(c) && c != '.' {
			return analysis.AlphaNumeric
		}
	}
	return analysis.Numeric
}
