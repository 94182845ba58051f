package indexer

import (
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// BigramTokenizer splits normalized text into overlapping pairs of Han
// characters, so that a phrase of them matches exactly the literal
// occurrences of a string, whatever gse made of the words around it.
//
// Token contract, pinned by tests:
//   - A run of Han characters c1 c2 … cn (n ≥ 2) gives the bigrams c1c2,
//     c2c3, …, on consecutive positions; a run of one character gives that
//     character. White space inside a run is skipped (Word conversions break
//     lines inside words), so "城市\n更新" gives 城市 市更 更新.
//   - A run of other letters and digits gives one token ("5g", "pm2"). A
//     Han run directly next to one also gives its edge character alone, on
//     the position of the pair it starts or ends, so that a query ending in
//     a lone character ("2035年") finds longer text ("2035年远景").
//   - Punctuation and symbols end a run and leave a gap of two positions,
//     and a letter-digit run leaves a gap of one after it, so phrases do not
//     match across punctuation, and two pairs two positions apart are always
//     of one run: the pair between them joins the first's second character
//     to the second's first. The literal searcher relies on this to confirm
//     a pair from its neighbours' positions without reading its own.
//   - Term is normalized (see Normalize); Start and End are byte offsets into
//     the input on UTF-8 boundaries; Position is 1-based and increasing.
//
// The bigram fields index these tokens without their byte offsets (see
// positionsTokenizer).
//
// A BigramTokenizer has no state and is safe for concurrent use.
type BigramTokenizer struct{}

// Tokenize implements analysis.Tokenizer.
func (BigramTokenizer) Tokenize(input []byte) analysis.TokenStream {
	return bigramTokens(normalize(input), true)
}

// positionsTokenizer is the tokenizer of AnalyzerBigram, registered as
// TokenizerBigram: BigramTokenizer's tokens with Start and End zero. The
// bigram fields keep term vectors for the positions, which literal
// matching needs; byte offsets, two varints of up to three bytes for each
// of the ten million pairs of the shared corpus, were a third of the
// index, and nothing reads them (highlights are found in the stored text).
// It is safe for concurrent use.
type positionsTokenizer struct{}

// Tokenize implements analysis.Tokenizer.
func (positionsTokenizer) Tokenize(input []byte) analysis.TokenStream {
	return bigramTokens(normalizeText(input, false), false)
}

// bigramTokens is the bigram token stream of the normalized text n, with
// the tokens' byte offsets into the source when offsets is true, else
// zero.
func bigramTokens(n normalized, offsets bool) analysis.TokenStream {
	text := n.text
	stream := make(analysis.TokenStream, 0, utf8.RuneCount(text))
	var slab []analysis.Token
	pos := 0
	// gap is the number of positions left empty before the next token.
	gap := 0
	// afterAlnum is true while the last token is a letter-digit run with
	// nothing but white space since.
	afterAlnum := false
	// emit appends a token; same puts it on the position of the previous
	// token instead of the next one.
	emit := func(start, end int, term []byte, same bool) {
		if len(slab) == cap(slab) {
			slab = make([]analysis.Token, 0, 256)
		}
		if !same {
			pos++
			if len(stream) > 0 {
				pos += gap
			}
			gap = 0
		}
		typ := analysis.Ideographic
		if r, _ := utf8.DecodeRune(term); !unicode.Is(unicode.Han, r) {
			typ = analysis.AlphaNumeric
		}
		t := analysis.Token{Term: term, Position: pos, Type: typ}
		if offsets {
			t.Start, t.End = n.origOffset(start), n.origOffset(end)
		}
		slab = append(slab, t)
		stream = append(stream, &slab[len(slab)-1])
	}
	// The current run of Han characters: its length, whether it follows a
	// letter-digit run directly, and its last character.
	runLen := 0
	runAfterAlnum := false
	prevStart, prevEnd := -1, -1
	// endRun closes the run; beforeAlnum says a letter-digit run follows it
	// directly.
	endRun := func(beforeAlnum bool) {
		switch {
		case runLen == 1:
			emit(prevStart, prevEnd, text[prevStart:prevEnd], false)
		case runLen > 1 && beforeAlnum:
			// The last character alone, on the last pair's position, so
			// that "第5" finds "通过第5次".
			emit(prevStart, prevEnd, text[prevStart:prevEnd], true)
		}
		prevStart, prevEnd, runLen = -1, -1, 0
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRune(text[i:])
		switch {
		case unicode.Is(unicode.Han, r):
			if runLen == 0 {
				runAfterAlnum = afterAlnum
			}
			if prevStart >= 0 {
				term := text[prevStart : i+size]
				if prevEnd != i {
					// White space between: the term joins the two
					// characters without it.
					term = make([]byte, 0, prevEnd-prevStart+size)
					term = append(append(term, text[prevStart:prevEnd]...), text[i:i+size]...)
				}
				emit(prevStart, i+size, term, false)
				if runLen == 1 && runAfterAlnum {
					// The first character alone, on the first pair's
					// position, so that "2035年" finds "2035年远景".
					emit(prevStart, prevEnd, text[prevStart:prevEnd], true)
				}
			}
			prevStart, prevEnd = i, i+size
			runLen++
			afterAlnum = false
			i += size
		case unicode.IsSpace(r):
			i += size
		case unicode.IsLetter(r) || unicode.IsNumber(r):
			endRun(true)
			j := i + size
			for j < len(text) {
				r2, s2 := utf8.DecodeRune(text[j:])
				if unicode.Is(unicode.Han, r2) || !(unicode.IsLetter(r2) || unicode.IsNumber(r2)) {
					break
				}
				j += s2
			}
			emit(i, j, text[i:j], false)
			gap = 1
			afterAlnum = true
			i = j
		default:
			endRun(false)
			gap = 2
			afterAlnum = false
			i += size
		}
	}
	endRun(false)
	return stream
}
