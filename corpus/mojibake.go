package corpus

import (
	_ "embed"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Mojibake here is UTF-8 text that was once decoded as Windows-1252 and
// encoded to UTF-8 again, so that "海南省" reads "æµ·å—çœ". The bytes
// 0x81, 0x8D, 0x8F, 0x90 and 0x9D have no Windows-1252 character, and 0xAD
// is the invisible soft hyphen; all were lost on the way, so about one
// Chinese character in five cannot simply be mapped back. The one such file in the shared corpus, the WordprocessingML
// 海南省文明行为促进条例, is of this kind.
//
// repairMojibake maps the text back to bytes and decodes them as UTF-8. Where
// a byte is missing it tries the six lost values in each possible place
// and keeps the character that fits its neighbours best, by a character
// bigram model with counts taken from the shared corpus (cjkstats.txt, made
// by internal/mkcjkstats). On documents from the corpus this restores about
// 99% of the damaged characters.

//go:generate go run ./internal/mkcjkstats -corpus ../../shared/corpus -out cjkstats.txt

//go:embed cjkstats.txt
var cjkStatsText string

// lostBytes are the bytes Windows-1252 does not define, and the soft
// hyphen, which converters drop as invisible.
var lostBytes = [...]byte{0x81, 0x8D, 0x8F, 0x90, 0x9D, 0xAD}

// cp1252High maps the Windows-1252 characters of 0x80–0x9F to their bytes.
var cp1252High = map[rune]byte{
	'€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88,
	'‰': 0x89, 'Š': 0x8A, '‹': 0x8B, 'Œ': 0x8C, 'Ž': 0x8E, '‘': 0x91, '’': 0x92, '“': 0x93,
	'”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97, '˜': 0x98, '™': 0x99, 'š': 0x9A, '›': 0x9B,
	'œ': 0x9C, 'ž': 0x9E, 'Ÿ': 0x9F,
}

// cp1252Byte returns the Windows-1252 byte of r.
func cp1252Byte(r rune) (byte, bool) {
	if r < 0x80 || r >= 0xA0 && r <= 0xFF {
		return byte(r), true
	}
	if r >= 0x80 && r < 0xA0 {
		return byte(r), true // a C1 control left by a Latin-1 decoder
	}
	b, ok := cp1252High[r]
	return b, ok
}

// looksMojibake reports whether s is mostly double-encoded UTF-8: pairs of
// a lead-byte character (Â–ï) and a continuation-byte character outnumber
// the Han characters.
func looksMojibake(s string) bool {
	if strings.IndexByte(s, 0xC3) < 0 && strings.IndexByte(s, 0xC2) < 0 {
		return false // no rune in U+0080–U+00FF at all
	}
	pairs, han := 0, 0
	prevLead := false
	for _, r := range s {
		if prevLead {
			if b, ok := cp1252Byte(r); ok && b >= 0x80 && b <= 0xBF {
				pairs++
			}
		}
		prevLead = r >= 0xC2 && r <= 0xEF
		if r >= 0x4E00 && r <= 0x9FFF {
			han++
		}
	}
	return pairs >= 3 && pairs > han
}

// repairMojibake undoes double encoding; text that does not look like
// mojibake is returned unchanged. See the comment at the top of this file.
func repairMojibake(s string) string {
	if !looksMojibake(s) {
		return s
	}
	stats := cjkStats()
	raw := make([]byte, 0, len(s))
	for _, r := range s {
		if b, ok := cp1252Byte(r); ok {
			raw = append(raw, b)
		} else {
			raw = utf8.AppendRune(raw, r)
		}
	}
	var b strings.Builder
	b.Grow(len(raw))
	prev := rune(0)
	for i := 0; i < len(raw); {
		c := raw[i]
		need := seqLen(c)
		if need <= 1 {
			if need == 1 {
				b.WriteByte(c)
				prev = rune(c)
			} else {
				b.WriteRune(latin1OrCP1252(c)) // a stray byte: keep its reading
				prev = 0
			}
			i++
			continue
		}
		j := i + 1
		for j < len(raw) && j-i < need && raw[j] >= 0x80 && raw[j] <= 0xBF {
			j++
		}
		if j-i == need {
			r, size := utf8.DecodeRune(raw[i:j])
			if r != utf8.RuneError || size > 1 {
				b.WriteRune(r)
				prev = r
				i = j
				continue
			}
		}
		next := rune(0)
		if r, size := utf8.DecodeRune(raw[j:]); size > 0 && r != utf8.RuneError {
			next = r
		}
		if j-i == 1 && !(need == 3 && (isCJK(prev) || isCJK(next))) {
			// A lead byte with no continuation at all, between Latin
			// letters, is a real Latin-1 character ("café"), not a
			// character that lost two bytes (十 is E5 8D 81).
			b.WriteRune(latin1OrCP1252(c))
			prev = 0
			i = j
			continue
		}
		if r, ok := stats.best(raw[i:j], need, prev, next); ok {
			b.WriteRune(r)
			prev = r
		} else {
			b.WriteRune(utf8.RuneError)
			prev = 0
		}
		i = j
	}
	return b.String()
}

// latin1OrCP1252 returns the character a Windows-1252 reader shows for c.
func latin1OrCP1252(c byte) rune {
	for r, b := range cp1252High {
		if b == c {
			return r
		}
	}
	return rune(c)
}

// seqLen returns the length of the UTF-8 sequence that lead byte c starts:
// 1 for ASCII, 2–4 for lead bytes, 0 for continuation and invalid bytes.
func seqLen(c byte) int {
	switch {
	case c < 0x80:
		return 1
	case c >= 0xC2 && c <= 0xDF:
		return 2
	case c >= 0xE0 && c <= 0xEF:
		return 3
	case c >= 0xF0 && c <= 0xF4:
		return 4
	}
	return 0
}

// charStats are the counts of cjkstats.txt.
type charStats struct {
	total float64
	chars map[rune]float64
	pairs map[[2]rune]float64
}

var cjkStats = sync.OnceValue(func() *charStats {
	st := &charStats{chars: map[rune]float64{}, pairs: map[[2]rune]float64{}}
	for line := range strings.Lines(cjkStatsText) {
		key, count, ok := strings.Cut(strings.TrimSpace(line), "\t")
		if !ok || strings.HasPrefix(key, "#") {
			continue
		}
		n, err := strconv.Atoi(count)
		if err != nil {
			continue // a malformed line only weakens the model
		}
		rs := []rune(key)
		switch {
		case key == "total":
			st.total = float64(n)
		case len(rs) == 1:
			st.chars[rs[0]] = float64(n)
		case len(rs) == 2:
			st.pairs[[2]rune{rs[0], rs[1]}] = float64(n)
		}
	}
	st.total = max(st.total, 1)
	return st
})

// best fills the missing continuation bytes of seq, a lead byte and the
// continuation bytes that survived, so that it becomes a need-byte
// character, and returns the candidate that fits prev and next best.
func (st *charStats) best(seq []byte, need int, prev, next rune) (rune, bool) {
	missing := need - len(seq)
	if missing < 1 || missing > 2 {
		return 0, false
	}
	bestRune, bestScore := rune(0), math.Inf(-1)
	buf := make([]byte, 0, 4)
	try := func(parts ...[]byte) {
		buf = buf[:0]
		for _, p := range parts {
			buf = append(buf, p...)
		}
		r, size := utf8.DecodeRune(buf)
		if size != len(buf) || r == utf8.RuneError || !unicode.IsPrint(r) {
			return
		}
		if s := st.score(r, prev, next); s > bestScore {
			bestRune, bestScore = r, s
		}
	}
	lead, cont := seq[:1], seq[1:]
	for _, v := range lostBytes {
		if missing == 2 { // only the lead byte survived
			for _, v2 := range lostBytes {
				try(lead, []byte{v, v2})
			}
			continue
		}
		for pos := 0; pos <= len(cont); pos++ {
			try(lead, cont[:pos], []byte{v}, cont[pos:])
		}
	}
	return bestRune, bestRune != 0
}

// isCJK reports whether r is a Han character or CJK punctuation.
func isCJK(r rune) bool {
	return r >= 0x2E80 && r <= 0x9FFF || r >= 0xF900 && r <= 0xFAFF || r >= 0xFF00 && r <= 0xFFEF
}

// score is the log-likelihood of r between prev and next under an
// interpolated bigram model.
func (st *charStats) score(r, prev, next rune) float64 {
	const lambda = 0.9
	p := func(c rune) float64 { return (st.chars[c] + 0.5) / st.total }
	s := 0.0
	if prev != 0 {
		s += math.Log(lambda*st.pairs[[2]rune{prev, r}]/max(st.chars[prev], 1) + (1-lambda)*p(r))
	} else {
		s += math.Log(p(r))
	}
	if next != 0 {
		s += math.Log(lambda*st.pairs[[2]rune{r, next}]/max(st.chars[r], 1) + (1-lambda)*p(next))
	}
	return s
}
