package indexer

import (
	"bufio"
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// t2sData maps traditional to simplified characters; see the file header.
//
//go:embed dict/t2s-v1.txt
var t2sData string

// t2sTable is the parsed t2sData, built once on first use.
var t2sTable = sync.OnceValues(func() (map[rune]rune, error) {
	m := make(map[rune]rune, 4200)
	sc := bufio.NewScanner(strings.NewReader(t2sData))
	line := 0
	for sc.Scan() {
		line++
		s := sc.Text()
		if s == "" || s[0] == '#' {
			continue
		}
		from, to, ok := strings.Cut(s, "\t")
		if !ok || utf8.RuneCountInString(from) != 1 || utf8.RuneCountInString(to) != 1 {
			return nil, fmt.Errorf("t2s table line %d: want one character, a tab, one character", line)
		}
		f, _ := utf8.DecodeRuneInString(from)
		t, _ := utf8.DecodeRuneInString(to)
		m[f] = t
	}
	return m, sc.Err()
})

// Normalize returns text as it is indexed and searched: Unicode NFKC per
// character (full-width letters, digits and punctuation become half-width;
// compatibility ideographs and Kangxi radicals left by Word conversions become
// ordinary characters), Latin letters folded to lower case, traditional
// Chinese characters mapped to simplified ones, and years written digit by
// digit in Chinese numerals turned into Arabic digits (二〇二三年 → 2023年). The same function runs at
// index and at query time, so "醫養" finds "医养" and "ＰＭ２.５" finds "pm2.5".
func Normalize(s string) string {
	n := normalizeText([]byte(s), false)
	return string(n.text)
}

// normalized is text after normalization together with the way back to the
// source bytes.
type normalized struct {
	text []byte
	// orig[i] is the byte offset in the source of normalized byte i, with
	// orig[len(text)] == len(source). It is nil when text is the source
	// unchanged, the common case, so that no map is allocated.
	orig []int
}

// origOffset maps a byte offset in the normalized text to the source.
func (n normalized) origOffset(i int) int {
	if n.orig == nil {
		return i
	}
	return n.orig[i]
}

// normalize applies Normalize to src, keeping a byte offset map. Offsets
// inside the expansion of one source character map to that character's
// start, so the map is monotonic and always lands on a UTF-8 boundary of src.
func normalize(src []byte) normalized {
	return normalizeText(src, true)
}

// normalizeText is normalize; without offsets it builds no offset map
// (orig stays nil), which saves eight bytes of memory per byte of text.
func normalizeText(src []byte, offsets bool) normalized {
	t2s, err := t2sTable()
	if err != nil {
		// The table is embedded and checked by tests; failing here is a
		// programmer error at start-up, not bad input.
		panic(err)
	}
	var (
		out  []byte
		orig []int
		tmp  [utf8.UTFMax]byte
		// yearEnd is the end of a year written in Chinese numerals
		// (二〇二三年) whose digits are being replaced.
		yearEnd int
	)
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if _, ok := chineseDigit(r); i >= yearEnd && ok {
			yearEnd = chineseYearEnd(src, i)
		}
		var (
			repl    []byte
			changed bool
		)
		if i < yearEnd {
			d, _ := chineseDigit(r)
			repl, changed = append(tmp[:0], byte('0'+d)), true
		} else {
			repl, changed = normalizeRune(r, src[i:i+size], t2s, tmp[:0])
		}
		if changed && out == nil {
			out = make([]byte, i, len(src)+16)
			copy(out, src[:i])
			if offsets {
				orig = make([]int, i, len(src)+17)
				for j := range i {
					orig[j] = j
				}
			}
		}
		if out != nil {
			if offsets {
				for range repl {
					orig = append(orig, i)
				}
			}
			out = append(out, repl...)
		}
		i += size
	}
	if out == nil {
		return normalized{text: src}
	}
	if !offsets {
		return normalized{text: out}
	}
	orig = append(orig, len(src))
	return normalized{text: out, orig: orig}
}

// bmpEntry is the normalized form of one character of the Basic
// Multilingual Plane, when it differs from the character.
type bmpEntry struct {
	norm    string
	changed bool
}

// bmpTable holds normalizeRuneSlow of every BMP character outside the
// ranges normalizeRune handles at once (ASCII, CJK unified ideographs),
// built once on first use: punctuation such as "，" is in nearly every
// sentence, and NFKC per character is slow.
var bmpTable = sync.OnceValues(func() (*[0x10000]bmpEntry, error) {
	t2s, err := t2sTable()
	if err != nil {
		return nil, err
	}
	var t [0x10000]bmpEntry
	var buf [utf8.UTFMax]byte
	for r := rune(utf8.RuneSelf); r < 0x10000; r++ {
		if (r >= 0x4E00 && r <= 0x9FFF) || (r >= 0xD800 && r <= 0xDFFF) {
			continue
		}
		raw := utf8.AppendRune(buf[:0], r)
		if b, changed := normalizeRuneSlow(r, raw, t2s, nil); changed {
			t[r] = bmpEntry{norm: string(b), changed: true}
		}
	}
	return &t, nil
})

// hanTable maps the CJK unified ideographs U+4E00–U+9FFF (index r-0x4E00)
// to their simplified forms, 0 where unchanged: an array index is much
// cheaper than a map lookup on every character of a text.
var hanTable = sync.OnceValues(func() (*[0x9FFF - 0x4E00 + 1]rune, error) {
	t2s, err := t2sTable()
	if err != nil {
		return nil, err
	}
	var t [0x9FFF - 0x4E00 + 1]rune
	for from, to := range t2s {
		if from >= 0x4E00 && from <= 0x9FFF {
			t[from-0x4E00] = to
		}
	}
	return &t, nil
})

// normalizeRune returns the normalized bytes of one source character and
// whether they differ from raw. An invalid byte becomes U+FFFD.
func normalizeRune(r rune, raw []byte, t2s map[rune]rune, buf []byte) ([]byte, bool) {
	if r >= 0x4E00 && r <= 0x9FFF { // CJK unified ideographs: NFKC-stable
		if h, err := hanTable(); err == nil {
			if s := h[r-0x4E00]; s != 0 {
				return utf8.AppendRune(buf, s), true
			}
			return raw, false
		}
	}
	if r >= utf8.RuneSelf && r < 0x10000 && !(r >= 0x4E00 && r <= 0x9FFF) && !(r == utf8.RuneError && len(raw) == 1) {
		if t, err := bmpTable(); err == nil {
			e := &t[r]
			if !e.changed {
				return raw, false
			}
			return append(buf, e.norm...), true
		}
	}
	return normalizeRuneSlow(r, raw, t2s, buf)
}

// normalizeRuneSlow is normalizeRune computed from the tables.
func normalizeRuneSlow(r rune, raw []byte, t2s map[rune]rune, buf []byte) ([]byte, bool) {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			return append(buf, byte(r+'a'-'A')), true
		}
		return raw, false
	case r == utf8.RuneError && len(raw) == 1:
		return utf8.AppendRune(buf, utf8.RuneError), true
	case r >= 0x4E00 && r <= 0x9FFF: // CJK unified ideographs: NFKC-stable
		if s, ok := t2s[r]; ok {
			return utf8.AppendRune(buf, s), true
		}
		return raw, false
	}
	if norm.NFKC.IsNormal(raw) && !unicode.IsUpper(r) {
		if s, ok := t2s[r]; ok {
			return utf8.AppendRune(buf, s), true
		}
		return raw, false
	}
	var b []byte
	for _, c := range strings.ToLower(norm.NFKC.String(string(raw))) {
		if s, ok := t2s[c]; ok {
			c = s
		}
		b = utf8.AppendRune(b, c)
	}
	return b, string(b) != string(raw)
}

// chineseYearEnd returns the end of the four Chinese numeral digits at
// src[i:] when they are followed by 年 (二〇二三年, 一九九六年), so that they
// can be written as 2023年; otherwise it returns i. Other numerals (三个,
// 十四五) are left alone: only digit-by-digit years read the same as Arabic
// digits.
func chineseYearEnd(src []byte, i int) int {
	j := i
	for n := 0; n < 4; n++ {
		r, size := utf8.DecodeRune(src[j:])
		if _, ok := chineseDigit(r); !ok {
			return i
		}
		j += size
	}
	if r, _ := utf8.DecodeRune(src[j:]); r != '年' {
		return i
	}
	return j
}
