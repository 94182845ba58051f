package corpus

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	textunicode "golang.org/x/text/encoding/unicode"
)

// sniffLen is how many leading bytes the binary check looks at.
const sniffLen = 8 << 10

var (
	utf8BOM    = []byte{0xEF, 0xBB, 0xBF}
	utf16LEBOM = []byte{0xFF, 0xFE}
	utf16BEBOM = []byte{0xFE, 0xFF}
)

// decodeText turns the bytes of a text file into UTF-8. It accepts UTF-8
// (with or without BOM), UTF-16 with a BOM and GB18030 (a superset of GBK
// and GB2312). It returns ErrEmpty for whitespace-only input, ErrBinary for
// binary data and ErrUndecodable for anything else. The result is not yet
// normalised; see normalizeText.
func decodeText(data []byte) (string, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return "", ErrEmpty
	}
	if bytes.HasPrefix(data, utf16LEBOM) || bytes.HasPrefix(data, utf16BEBOM) {
		out, err := textunicode.UTF16(textunicode.LittleEndian, textunicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil || !utf8.Valid(out) {
			return "", ErrUndecodable
		}
		return string(out), nil
	}
	if looksBinary(data) {
		return "", ErrBinary
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if utf8.Valid(data) {
		return string(data), nil
	}
	if s, ok := decodeGB18030(data); ok {
		return s, nil
	}
	return "", ErrUndecodable
}

// looksBinary reports whether data is binary: it has a NUL byte in its first
// sniffLen bytes, or more than 5% of them are C0 control characters other
// than the whitespace ones.
func looksBinary(data []byte) bool {
	head := data[:min(len(data), sniffLen)]
	if bytes.IndexByte(head, 0) >= 0 {
		return true
	}
	ctrl := 0
	for _, b := range head {
		if b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' && b != '\v' && b != 0x1B {
			ctrl++
		}
	}
	return ctrl*20 > len(head)
}

// decodeGB18030 decodes data as GB18030 and reports whether the result is
// plausible Chinese text: nothing failed to decode, and at least 80% of the
// two-byte sequences lie in the GB2312 area (A1–F7, A1–FE) where the common
// characters are. The second test rejects Latin-1 and other 8-bit text,
// which GB18030 would otherwise happily decode into rare ideographs.
func decodeGB18030(data []byte) (string, bool) {
	pairs, common := 0, 0
	for i := 0; i < len(data); i++ {
		b := data[i]
		if b < 0x80 {
			continue
		}
		if i+1 >= len(data) {
			return "", false
		}
		next := data[i+1]
		if next >= 0x30 && next <= 0x39 { // four-byte sequence
			i += 3
			pairs++
			continue
		}
		pairs++
		if b >= 0xA1 && b <= 0xF7 && next >= 0xA1 && next <= 0xFE {
			common++
		}
		i++
	}
	if pairs == 0 || common*5 < pairs*4 {
		return "", false
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil || !utf8.Valid(out) || bytes.ContainsRune(out, utf8.RuneError) {
		return "", false
	}
	return string(out), true
}

// textEscapes are sequences that stand for whitespace in text exported from
// web pages and spreadsheets: the county reports store line breaks as the
// literal four characters \r\n and keep HTML space entities.
var textEscapes = strings.NewReplacer(
	`\r\n`, "\n",
	"&nbsp;", " ", "&NBSP;", " ", "&ensp;", " ", "&emsp;", "\u3000", "&#160;", " ",
)

// normalizeText cleans decoded text for indexing. It turns CRLF and CR into
// LF and the literal escapes above into whitespace, drops control and
// zero-width characters, turns runs of spaces, tabs and no-break spaces
// into one space, trims each line (including the ideographic space U+3000
// used for indentation), and keeps at most one blank line in a row. It runs in linear time.
func normalizeText(s string) string {
	// Invisible characters go first, so that removing them cannot join
	// the pieces of an escape that the replacer has already passed over.
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\n', '\r', '\t', '\f', '\v':
			return r
		case '\uFEFF', '\u200B', '\u200C', '\u200D', '\u2060':
			return -1
		}
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	if strings.Contains(s, `\r\n`) || strings.Contains(s, "&") {
		s = textEscapes.Replace(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	blank := 0 // blank lines seen since the last non-empty line
	started := false
	line := make([]byte, 0, 256)
	flush := func() {
		t := bytes.TrimFunc(line, isSpace)
		line = line[:0]
		if len(t) == 0 {
			if started {
				blank++
			}
			return
		}
		if started {
			if blank > 0 {
				b.WriteString("\n\n")
			} else {
				b.WriteByte('\n')
			}
		}
		b.Write(t)
		started, blank = true, 0
	}
	space := func() {
		// Runs of layout spaces from Word and web pages become one.
		if len(line) == 0 || line[len(line)-1] != ' ' {
			line = append(line, ' ')
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch c {
			case '\r':
				if i < len(s) && s[i] == '\n' {
					i++
				}
				flush()
			case '\n', '\f', '\v':
				flush()
			case ' ', '\t':
				space()
			default:
				line = append(line, c)
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch r {
		case '\u2028', '\u2029':
			flush()
		case '\u00A0':
			space()
		default:
			line = append(line, s[i:i+size]...)
		}
		i += size
	}
	flush()
	return b.String()
}

// isSpace reports whether r is white space, including U+3000.
func isSpace(r rune) bool { return unicode.IsSpace(r) }
