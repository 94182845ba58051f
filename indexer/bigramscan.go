package indexer

import (
	"slices"
	"sync"
	"unicode"
	"unicode/utf8"
)

// BigramToken is one token of a BigramScanner: what BigramTokenizer makes,
// with Position counted from wherever the scan started.
type BigramToken struct {
	// Term is the normalized term. It is valid until the next call of Next.
	Term []byte
	// Start and End are byte offsets into the scanned (source) text.
	Start, End int
	// Position is increasing, 1-based from the start of the scan; only
	// differences between positions mean anything.
	Position int
}

// BigramScanner yields the tokens BigramTokenizer makes of a text, one at a
// time and without allocating per token or per text: it normalizes the
// text as it goes and can start in the middle of a text (see BigramRestart),
// so a caller looking for a few terms reads only the stretch it needs.
// Highlighting uses it to find match locations in a stored text instead of
// reading them from the index. The zero value is ready for Reset.
type BigramScanner struct {
	src  []byte
	i    int // next source byte to decode
	t2s  map[rune]rune
	done bool

	// The current source character's normalized bytes (nb[nj:] not yet
	// read), its start and its end in the source.
	nb, tmp []byte
	nj      int
	cs, ce  int
	yearEnd int

	// Tokenizer state, as in bigramTokens.
	pos        int
	gap        int // positions left empty before the next token
	emitted    bool
	afterAlnum bool
	runLen     int
	runAfter   bool
	prev       [utf8.UTFMax]byte
	prevLen    int
	prevStart  int
	prevEnd    int // source offset a token ending after the previous Han character ends at
	alnum      []byte
	alnumStart int
	alnumEnd   int
	inAlnum    bool

	// Tokens made but not yet returned.
	queue [4]scanSlot
	qHead int
	qLen  int
}

// scanSlot is a queued token with room for a Han term.
type scanSlot struct {
	buf   [2 * utf8.UTFMax]byte
	tok   BigramToken
	alnum bool // Term is the scanner's alnum buffer
}

// Reset starts a scan of src at byte offset from, which must be 0 or an
// offset BigramRestart returned for src.
func (s *BigramScanner) Reset(src []byte, from int) {
	t2s, err := t2sTable()
	if err != nil {
		// Embedded and checked by tests, as in normalizeText.
		panic(err)
	}
	tmp := s.tmp[:0]
	if tmp == nil {
		tmp = make([]byte, 0, 64)
	}
	*s = BigramScanner{src: src, i: from, t2s: t2s, tmp: tmp, alnum: s.alnum[:0], prevStart: -1}
}

// Next returns the next token, or false at the end of the text.
func (s *BigramScanner) Next() (BigramToken, bool) {
	for s.qLen == 0 {
		if s.done {
			return BigramToken{}, false
		}
		s.step()
	}
	sl := &s.queue[s.qHead]
	s.qHead = (s.qHead + 1) % len(s.queue)
	s.qLen--
	if sl.alnum {
		sl.tok.Term = s.alnum
	}
	return sl.tok, true
}

// nextRune returns the next normalized character, the source offset of
// the character it comes from, and the source offset a token ending after
// it ends at (the next source character's start once the expansion of this
// one is used up, this one's start before, as normalized.origOffset maps
// it).
func (s *BigramScanner) nextRune() (r rune, b []byte, start, end int, ok bool) {
	for s.nj >= len(s.nb) {
		if s.i >= len(s.src) {
			return 0, nil, 0, 0, false
		}
		r, size := utf8.DecodeRune(s.src[s.i:])
		if _, digit := chineseDigit(r); s.i >= s.yearEnd && digit {
			s.yearEnd = chineseYearEnd(s.src, s.i)
		}
		if s.i < s.yearEnd {
			d, _ := chineseDigit(r)
			s.tmp = append(s.tmp[:0], byte('0'+d))
			s.nb = s.tmp
		} else {
			// normalizeRune hands back the source bytes when they are
			// normal, or appends to tmp (reallocating only for a long
			// expansion).
			s.nb, _ = normalizeRune(r, s.src[s.i:s.i+size], s.t2s, s.tmp[:0])
		}
		s.nj, s.cs, s.ce = 0, s.i, s.i+size
		s.i += size
	}
	r, size := utf8.DecodeRune(s.nb[s.nj:])
	b = s.nb[s.nj : s.nj+size]
	s.nj += size
	end = s.cs
	if s.nj == len(s.nb) {
		end = s.ce
	}
	return r, b, s.cs, end, true
}

// step reads one normalized character and queues the tokens it completes.
func (s *BigramScanner) step() {
	r, b, start, end, ok := s.nextRune()
	if !ok {
		s.flushAlnum()
		s.endRun(false)
		s.done = true
		return
	}
	var han, alnum, space bool
	switch {
	case r >= 0x4E00 && r <= 0x9FFF: // CJK unified ideographs, most of a text
		han = true
	case r < utf8.RuneSelf:
		alnum = 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
		space = r == ' ' || '\t' <= r && r <= '\r'
	default:
		han = unicode.Is(unicode.Han, r)
		alnum = !han && (unicode.IsLetter(r) || unicode.IsNumber(r))
		space = !han && !alnum && unicode.IsSpace(r)
	}
	if s.inAlnum {
		if alnum {
			s.alnum = append(s.alnum, b...)
			s.alnumEnd = end
			return
		}
		s.flushAlnum()
	}
	switch {
	case han:
		if s.runLen == 0 {
			s.runAfter = s.afterAlnum
		}
		if s.prevStart >= 0 {
			sl := s.push(s.prevStart, end, false)
			n := copy(sl.buf[:], s.prev[:s.prevLen])
			n += copy(sl.buf[n:], b)
			sl.tok.Term = sl.buf[:n]
			if s.runLen == 1 && s.runAfter {
				s.pushPrev(true)
			}
		}
		s.prevLen = copy(s.prev[:], b)
		s.prevStart, s.prevEnd = start, end
		s.runLen++
		s.afterAlnum = false
	case space:
	case alnum:
		s.endRun(true)
		s.inAlnum = true
		s.alnum = append(s.alnum[:0], b...)
		s.alnumStart, s.alnumEnd = start, end
	default:
		s.endRun(false)
		s.gap = 2
		s.afterAlnum = false
	}
}

// flushAlnum queues the letter-digit run being read, if any.
func (s *BigramScanner) flushAlnum() {
	if !s.inAlnum {
		return
	}
	s.inAlnum = false
	sl := s.push(s.alnumStart, s.alnumEnd, false)
	sl.alnum = true
	s.gap = 1
	s.afterAlnum = true
}

// endRun closes the run of Han characters, as in bigramTokens.
func (s *BigramScanner) endRun(beforeAlnum bool) {
	switch {
	case s.runLen == 1:
		s.pushPrev(false)
	case s.runLen > 1 && beforeAlnum:
		s.pushPrev(true)
	}
	s.prevStart, s.runLen = -1, 0
}

// pushPrev queues the previous Han character alone.
func (s *BigramScanner) pushPrev(same bool) {
	sl := s.push(s.prevStart, s.prevEnd, same)
	n := copy(sl.buf[:], s.prev[:s.prevLen])
	sl.tok.Term = sl.buf[:n]
}

// push queues a token at the next position (or, with same, the last
// one's) and returns its slot for the term.
func (s *BigramScanner) push(start, end int, same bool) *scanSlot {
	if !same {
		s.pos++
		if s.emitted {
			s.pos += s.gap
		}
		s.gap = 0
	}
	s.emitted = true
	sl := &s.queue[(s.qHead+s.qLen)%len(s.queue)]
	s.qLen++
	sl.alnum = false
	sl.tok = BigramToken{Start: start, End: end, Position: s.pos}
	return sl
}

// BigramRestart returns the largest offset at most i from which a
// BigramScanner over src yields the same tokens (up to a shift of
// positions) as a scan from the start: just after the last character
// before i that normalizes to punctuation or a symbol, which closes every
// run, or 0.
func BigramRestart(src []byte, i int) int {
	t2s := mustT2S()
	var buf [utf8.UTFMax]byte
	for j := i; j > 0; {
		r, size := utf8.DecodeLastRune(src[:j])
		if closesRuns(r, src[j-size:j], t2s, buf[:0]) {
			return j
		}
		j -= size
	}
	return 0
}

// nextRestart returns the least offset greater than i from which a
// BigramScanner over src yields the same tokens as a scan from the start
// (see BigramRestart), or len(src).
func nextRestart(src []byte, i int) int {
	t2s := mustT2S()
	var buf [utf8.UTFMax]byte
	for i < len(src) && !utf8.RuneStart(src[i]) {
		i++ // not inside a character
	}
	for i < len(src) {
		r, size := utf8.DecodeRune(src[i:])
		i += size
		if closesRuns(r, src[i-size:i], t2s, buf[:0]) {
			return i
		}
	}
	return len(src)
}

// closesRuns reports whether the character r (raw in the source) normalizes
// to punctuation or a symbol, which closes every run of the tokenizer.
func closesRuns(r rune, raw []byte, t2s map[rune]rune, buf []byte) bool {
	n, _ := normalizeRune(r, raw, t2s, buf)
	last, _ := utf8.DecodeLastRune(n)
	return len(n) > 0 && !unicode.Is(unicode.Han, last) && !unicode.IsSpace(last) && !unicode.IsLetter(last) && !unicode.IsNumber(last)
}

// mustT2S returns the traditional-to-simplified table, which is embedded
// and checked by tests, as in normalizeText.
func mustT2S() map[rune]rune {
	t2s, err := t2sTable()
	if err != nil {
		panic(err)
	}
	return t2s
}

// supplementaryNormalized are the ranges outside the Basic Multilingual
// Plane whose characters Normalize changes (upper-case letters of other
// scripts, musical symbols, mathematical letters and digits, enclosed
// alphanumerics and ideographs, segmented digits, CJK compatibility
// ideographs), besides the traditional characters of the t2s table.
// TestSourceFormsComplete checks that no other character changes.
var supplementaryNormalized = [][2]rune{
	{0x10400, 0x10427}, {0x104B0, 0x104D3}, {0x10570, 0x10595}, {0x10781, 0x107BA}, {0x10C80, 0x10CB2},
	{0x118A0, 0x118BF}, {0x16E40, 0x16E5F}, {0x1D15E, 0x1D164}, {0x1D1BB, 0x1D1C0}, {0x1D400, 0x1D7FF},
	{0x1E030, 0x1E08F}, {0x1E900, 0x1E921}, {0x1EE00, 0x1EEBB}, {0x1F100, 0x1F2FF}, {0x1FBF0, 0x1FBF9},
	{0x2F800, 0x2FA1F},
}

// sourceForms maps a normalized character to the source characters whose
// normalized form holds it, when it has any besides itself.
var sourceForms = sync.OnceValues(func() (map[rune][]string, error) {
	t2s, err := t2sTable()
	if err != nil {
		return nil, err
	}
	out := map[rune][]string{}
	var buf [64]byte
	add := func(r rune) {
		raw := string(r)
		n, changed := normalizeRune(r, []byte(raw), t2s, buf[:0])
		if !changed {
			return
		}
		for _, c := range string(n) {
			if fs := out[c]; !slices.Contains(fs, raw) {
				out[c] = append(fs, raw)
			}
		}
	}
	for r := rune(0); r < 0x10000; r++ {
		if r < 0xD800 || r > 0xDFFF {
			add(r)
		}
	}
	for _, rg := range supplementaryNormalized {
		for r := rg[0]; r <= rg[1]; r++ {
			add(r)
		}
	}
	for r := range t2s {
		if r >= 0x10000 {
			add(r)
		}
	}
	// Years in Chinese numerals: 二〇二三年 is 2023年.
	for r := rune(0x3000); r < 0xA000; r++ {
		if d, ok := chineseDigit(r); ok {
			c := rune('0' + d)
			if !slices.Contains(out[c], string(r)) {
				out[c] = append(out[c], string(r))
			}
		}
	}
	return out, nil
})

// SourceForms returns the characters a text may hold where its normalized
// form (see Normalize) holds r: r itself and every character whose
// normalized form contains r (醫 for 医, Ｇ and G for g, 二 for 2 in a
// year). A scan for r's occurrences in normalized text may skip any
// stretch of the source that holds none of them.
func SourceForms(r rune) []string {
	forms, err := sourceForms()
	if err != nil {
		panic(err) // embedded and checked by tests, as in normalizeText
	}
	return append([]string{string(r)}, forms[r]...)
}
