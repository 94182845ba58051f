package corpus

import (
	"fmt"
	"path"
	"strings"
	"unicode/utf8"
)

// Plausible years for policy documents of the People's Republic.
const (
	minYear = 1949
	maxYear = 2030
)

// dateHeadBytes is how much of the start of a text inferDate searches for
// a date: the header block where dates of adoption, speech or signature are.
const dateHeadBytes = 4 << 10

// inferDate returns the date of a document as "YYYY-MM-DD" or "": a full
// date in the file name (2018-12-05_content_5345808.html, 专利代理条例
// (2018-11-06).md) wins, else the first "YYYY年M月D日" date, in Arabic,
// full-width or Chinese numerals (二〇二三年一月二日), near the top of the
// text.
func inferDate(name, body string) string {
	if d := isoDateIn(path.Base(name)); d != "" {
		return d
	}
	return chineseDateIn(body[:utf8Floor(body, dateHeadBytes)])
}

// utf8Floor returns the largest index ≤ n that is a rune boundary of s.
func utf8Floor(s string, n int) int {
	if n >= len(s) {
		return len(s)
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return n
}

// isoDateIn returns the first YYYY-MM-DD date in s that is a valid date of
// a plausible year, or "".
func isoDateIn(s string) string {
	for i := 0; i+10 <= len(s); i++ {
		if i > 0 && isDigit(s[i-1]) {
			continue
		}
		c := s[i : i+10]
		if c[4] != '-' || c[7] != '-' || !allDigits(c[:4]) || !allDigits(c[5:7]) || !allDigits(c[8:10]) {
			continue
		}
		if i+10 < len(s) && isDigit(s[i+10]) {
			continue
		}
		if validDate(digitsValue(c[:4]), digitsValue(c[5:7]), digitsValue(c[8:10])) {
			return c
		}
	}
	return ""
}

// chineseDateIn returns the first "YYYY年M月D日" date in s as "YYYY-MM-DD",
// or "". Digits may be ASCII, full-width or Chinese numerals.
func chineseDateIn(s string) string {
	const nian = "年"
	for off := 0; ; {
		i := strings.Index(s[off:], nian)
		if i < 0 {
			return ""
		}
		i += off
		off = i + len(nian)
		y, ok := yearBefore(s[:i])
		if !ok {
			continue
		}
		m, rest, ok := numberBefore(s[off:], "月", 12)
		if !ok {
			continue
		}
		d, _, ok := numberBefore(rest, "日", 31)
		if !ok || !validDate(y, m, d) {
			continue
		}
		return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
	}
}

// yearBefore reads the four year digits that end s.
func yearBefore(s string) (int, bool) {
	y := 0
	mul := 1
	for n := 0; n < 4; n++ {
		r, size := utf8.DecodeLastRuneInString(s)
		v, ok := digitValue(r)
		if !ok {
			return 0, false
		}
		y += v * mul
		mul *= 10
		s = s[:len(s)-size]
	}
	if r, _ := utf8.DecodeLastRuneInString(s); isAnyDigit(r) {
		return 0, false // five or more digits
	}
	return y, y >= minYear && y <= maxYear
}

// numberBefore reads a number of at most two digits, or a Chinese numeral
// up to 三十一, at the start of s, followed by unit. It returns the value
// and the text after unit.
func numberBefore(s, unit string, limit int) (int, string, bool) {
	i := 0
	var digits []rune
	for i < len(s) && len(digits) <= 4 {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isAnyDigit(r) && r != '十' {
			break
		}
		digits = append(digits, r)
		i += size
	}
	if len(digits) == 0 || !strings.HasPrefix(s[i:], unit) {
		return 0, "", false
	}
	v, ok := numeralValue(digits)
	if !ok || v < 1 || v > limit {
		return 0, "", false
	}
	return v, s[i+len(unit):], true
}

// numeralValue evaluates "12", "１２", "十二", "二十三" or "三十".
func numeralValue(rs []rune) (int, bool) {
	ten := -1
	for i, r := range rs {
		if r == '十' {
			if ten >= 0 {
				return 0, false
			}
			ten = i
		}
	}
	if ten < 0 {
		if len(rs) > 2 {
			return 0, false
		}
		v := 0
		for _, r := range rs {
			d, ok := digitValue(r)
			if !ok {
				return 0, false
			}
			v = v*10 + d
		}
		return v, true
	}
	tens, ones := 1, 0
	switch ten {
	case 0:
	case 1:
		d, ok := digitValue(rs[0])
		if !ok {
			return 0, false
		}
		tens = d
	default:
		return 0, false
	}
	switch len(rs) - ten - 1 {
	case 0:
	case 1:
		d, ok := digitValue(rs[ten+1])
		if !ok {
			return 0, false
		}
		ones = d
	default:
		return 0, false
	}
	return tens*10 + ones, true
}

// digitValue returns the value of an ASCII, full-width or Chinese digit,
// or of a letter O standing for 〇: typists often write 二OO八.
func digitValue(r rune) (int, bool) {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0'), true
	case r >= '０' && r <= '９':
		return int(r - '０'), true
	}
	switch r {
	case 'O', 'o', 'Ｏ', 'О':
		return 0, true
	}
	return ChineseDigit(r)
}

// ChineseDigit returns the value of a Chinese digit character: 〇, ○ or 零
// for 0, and 一 to 九. Dates and amounts read numerals with it; each adds
// the characters only it accepts (letter O in years, 两 in amounts).
func ChineseDigit(r rune) (int, bool) {
	switch r {
	case '〇', '○', '零':
		return 0, true
	case '一':
		return 1, true
	case '二':
		return 2, true
	case '三':
		return 3, true
	case '四':
		return 4, true
	case '五':
		return 5, true
	case '六':
		return 6, true
	case '七':
		return 7, true
	case '八':
		return 8, true
	case '九':
		return 9, true
	}
	return 0, false
}

func isAnyDigit(r rune) bool {
	_, ok := digitValue(r)
	return ok
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// digitsValue returns the value of a short string of ASCII digits; callers
// check allDigits first.
func digitsValue(s string) int {
	v := 0
	for i := 0; i < len(s); i++ {
		v = v*10 + int(s[i]-'0')
	}
	return v
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

// validDate reports whether y-m-d is a calendar date of a plausible year.
func validDate(y, m, d int) bool {
	if y < minYear || y > maxYear || m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [...]int{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
	if m == 2 && !(y%4 == 0 && (y%100 != 0 || y%400 == 0)) {
		days = 28
	}
	return d <= days
}

// yearIn returns the first stand-alone four-digit year in s within the
// plausible range, or 0. Digits that are part of a longer number do not
// count.
func yearIn(s string) int {
	for i := 0; i+4 <= len(s); i++ {
		if !allDigits(s[i:i+4]) || i > 0 && isDigit(s[i-1]) || i+4 < len(s) && isDigit(s[i+4]) {
			continue
		}
		if y := digitsValue(s[i : i+4]); y >= minYear && y <= maxYear {
			return y
		}
	}
	return 0
}

// normalizeDate brings a date from metadata into the Document.Date forms
// "YYYY-MM-DD", "YYYY-MM" or "YYYY". It accepts -, /, . or 年月日 as
// separators and returns "" for anything it does not recognise.
func normalizeDate(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if d := chineseDateIn(s); d != "" {
		return d
	}
	s = strings.NewReplacer("年", "-", "月", "-", "日", "", "/", "-", ".", "-").Replace(s)
	s = strings.TrimSuffix(s, "-")
	if t, _, ok := strings.Cut(s, "T"); ok && len(t) == 10 { // RFC 3339 timestamps
		s = t
	} else if t, _, ok := strings.Cut(s, " "); ok {
		s = t
	}
	parts := strings.Split(s, "-")
	if len(parts) > 3 {
		return ""
	}
	nums := make([]int, len(parts))
	for i, p := range parts {
		if !allDigits(p) || i == 0 && len(p) != 4 || i > 0 && len(p) > 2 {
			return ""
		}
		nums[i] = digitsValue(p)
	}
	switch len(nums) {
	case 1:
		if nums[0] < minYear || nums[0] > maxYear {
			return ""
		}
		return parts[0]
	case 2:
		if !validDate(nums[0], nums[1], 1) {
			return ""
		}
		return fmt.Sprintf("%04d-%02d", nums[0], nums[1])
	default:
		if !validDate(nums[0], nums[1], nums[2]) {
			return ""
		}
		return fmt.Sprintf("%04d-%02d-%02d", nums[0], nums[1], nums[2])
	}
}
