package indexer

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"policysearch/corpus"
)

// ParseAmounts finds quantities with a unit in Chinese policy text
// (总投资2974亿元, 1.2万亿元, 两千多万人, 183个, 增长6.5%, 3.7个百分点) and
// returns them as KindAmount entities in text order, without overlaps.
//
// Start and End are byte offsets into text on UTF-8 boundaries, and
// Text == Value == text[Start:End]: the number, any magnitude (万, 亿, 万亿,
// 千, 百) and approximation (多, 余) after it, and the unit. Number is the
// quantity in Unit, the base unit: 元 for money (万元 and 亿元 are 元 with a
// magnitude), 平方米 for 平方米/平米, 吨, 米, 公里 (also for 千米), 亩,
// 平方公里, the classifier itself for counts (个, 家, 项, 人次 ...), "%" for
// percentages (6.5%, ６．５％, 百分之三十) and "个百分点" for percentage points.
// 多 and 余 are ignored, so 两千多万人 is 2e7 人, a lower bound.
//
// Numbers are Arabic, with an optional decimal part and "," thousands
// separators (8,500), in ASCII or full-width digits, or Chinese numerals
// (两千, 三百五十, 一百零五, 十二; traditional 萬, 億 and 兩 too).
// Years, dates, ordinals (第三, 第一批), document numbers (国发〔2018〕5号),
// telephone numbers, plan names (十四五) and bare numbers are not amounts:
// they have no unit, begin with 第, or are not a well-formed numeral. A lone
// Chinese 一 before a classifier (一批, 一项) is an article, not a count, and
// a count must be a whole number (12.7个、12个百分点 yields only the second).
//
// Measure is set when a measure noun (see amountMeasures) precedes the
// amount, possibly across a verb such as 达到 or 超过 (amountVerbs).
//
// ParseAmounts runs in time linear in len(text), allocates only for its
// result, and is safe for concurrent use.
func ParseAmounts(text string) []Entity {
	var out []Entity
	next := 0 // where scanning resumes after a number
	for i, r := range text {
		if i < next {
			continue
		}
		if r == '百' && strings.HasPrefix(text[i:], percentPrefix) {
			if e, ok := percentWordAt(text, i); ok {
				out = append(out, e)
				next = e.End
			}
			continue
		}
		if !isAmountDigit(r) && !startsAmountNumeral(r) {
			continue
		}
		var e Entity
		var ok bool
		e, next, ok = amountAt(text, i)
		if ok {
			out = append(out, e)
		}
	}
	return out
}

// percentPrefix introduces a percentage written in words: 百分之三十 is 30%.
const percentPrefix = "百分之"

// amountUnit is one way of writing a unit after a number.
type amountUnit struct {
	// written is the unit as it appears in the text.
	written string
	// base is the Entity.Unit reported for it.
	base string
	// count marks classifiers, whose numbers must be whole.
	count bool
	// notBefore lists continuations that make written part of another word
	// (个月 is a duration, 项目 a noun), so no unit is matched.
	notBefore []string
}

// amountUnits lists the units ParseAmounts recognises. Where one written
// form is a prefix of another the longer one must come first (a test checks
// this). Magnitudes (万元, 亿元, 万平方米, 万吨) are not listed: they are parsed
// as a magnitude followed by the base unit.
var amountUnits = []amountUnit{
	// Percent and percentage points.
	{written: "个百分点", base: "个百分点"},
	{written: "個百分點", base: "个百分点"},
	{written: "百分点", base: "个百分点"},
	{written: "%", base: "%"},
	{written: "％", base: "%"},
	// Money.
	{written: "美元", base: "美元"},
	{written: "元", base: "元"},
	// Area.
	{written: "平方公里", base: "平方公里"},
	{written: "平方千米", base: "平方公里"},
	{written: "平方米", base: "平方米"},
	{written: "平米", base: "平方米"},
	{written: "公顷", base: "公顷"},
	{written: "亩", base: "亩"},
	{written: "畝", base: "亩"},
	{written: "立方米", base: "立方米"},
	// Length.
	{written: "公里", base: "公里"},
	{written: "千米", base: "公里"},
	{written: "米", base: "米"},
	// Mass.
	{written: "吨", base: "吨"},
	{written: "噸", base: "吨"},
	{written: "公斤", base: "公斤"},
	{written: "千克", base: "公斤"},
	// Counts: the classifier is its own base unit.
	{written: "人次", base: "人次", count: true},
	{written: "个", base: "个", count: true, notBefore: []string{"月", "工作日", "小时", "季度", "星期", "百分点"}},
	{written: "個", base: "个", count: true, notBefore: []string{"月"}},
	{written: "家", base: "家", count: true, notBefore: []string{"庭"}},
	{written: "部", base: "部", count: true, notBefore: []string{"门"}},
	{written: "项", base: "项", count: true, notBefore: []string{"目"}},
	{written: "項", base: "项", count: true, notBefore: []string{"目"}},
	{written: "人", base: "人", count: true, notBefore: []string{"民"}},
	{written: "座", base: "座", count: true},
	{written: "所", base: "所", count: true},
	{written: "条", base: "条", count: true, notBefore: []string{"例"}},
	{written: "台", base: "台", count: true},
	{written: "臺", base: "台", count: true},
	{written: "辆", base: "辆", count: true},
	{written: "輛", base: "辆", count: true},
	{written: "户", base: "户", count: true},
	{written: "套", base: "套", count: true},
	{written: "处", base: "处", count: true},
	{written: "處", base: "处", count: true},
	{written: "名", base: "名", count: true},
	{written: "位", base: "位", count: true, notBefore: []string{"数", "一体"}},
	{written: "场", base: "场", count: true, notBefore: []string{"所"}},
	{written: "場", base: "场", count: true},
	{written: "次", base: "次", count: true},
	{written: "件", base: "件", count: true},
	{written: "批", base: "批", count: true},
}

// amountNonWords look like amounts but are words: 二次 is "secondary"
// (二次供水), 三次 in 三次产业 is "tertiary".
var amountNonWords = []string{"二次", "三次"}

// amountUnitsByFirst indexes amountUnits by their first character, in
// amountUnits order, so that amountUnitAt tries only the few that can match.
var amountUnitsByFirst = func() map[rune][]amountUnit {
	m := make(map[rune][]amountUnit)
	for _, u := range amountUnits {
		r, _ := utf8.DecodeRuneInString(u.written)
		m[r] = append(m[r], u)
	}
	return m
}()

// amountUnitAt returns the unit written at text[i:], if any.
func amountUnitAt(text string, i int) (amountUnit, bool) {
	rest := text[i:]
	r, _ := utf8.DecodeRuneInString(rest)
	for _, u := range amountUnitsByFirst[r] {
		if !strings.HasPrefix(rest, u.written) {
			continue
		}
		after := rest[len(u.written):]
		if slices.ContainsFunc(u.notBefore, func(s string) bool { return strings.HasPrefix(after, s) }) {
			return amountUnit{}, false
		}
		return u, true
	}
	return amountUnit{}, false
}

// amountAt parses the amount whose number starts at text[start]. It returns
// the offset to continue scanning from, which is past the whole number even
// when there is no amount, so that the tail of 2023年 or 十四五 is never
// read as a number of its own.
func amountAt(text string, start int) (e Entity, next int, ok bool) {
	n := scanAmountNumber(text, start)
	next = n.end
	if !n.ok || isAmountName(text, start) {
		return Entity{}, next, false
	}
	end := n.end
	end = skipAmountApprox(text, end)
	end, exp := scanAmountMagnitudes(text, end)
	end = skipAmountApprox(text, end)
	u, ok := amountUnitAt(text, end)
	if !ok {
		return Entity{}, next, false
	}
	end += len(u.written)
	if slices.Contains(amountNonWords, text[start:end]) {
		return Entity{}, next, false
	}
	value, ok := n.value(exp)
	if !ok || (u.count && !isPlausibleCount(text, start, n, value)) {
		return Entity{}, next, false
	}
	return Entity{
		Kind:    KindAmount,
		Value:   text[start:end],
		Text:    text[start:end],
		Start:   start,
		End:     end,
		Number:  value,
		Unit:    u.base,
		Measure: measureBefore(text[:start]),
	}, end, true
}

// isPlausibleCount reports whether value, read as n at text[start:], can be
// a count before a classifier: a whole number that is not the article 一
// (一批) and not a slogan in quotation marks (“四个全面”, “两个维护”).
func isPlausibleCount(text string, start int, n amountNumber, value float64) bool {
	if value != math.Trunc(value) || n.loneYi {
		return false
	}
	if n.digits == "" {
		before := text[:start]
		for _, q := range [...]string{"“", "‘", "「", "\""} {
			if strings.HasSuffix(before, q) {
				return false
			}
		}
	}
	return true
}

// percentWordAt parses 百分之 followed by a numeral at text[start:].
func percentWordAt(text string, start int) (Entity, bool) {
	i := start + len(percentPrefix)
	r, _ := utf8.DecodeRuneInString(text[i:])
	if !isAmountDigit(r) && !startsAmountNumeral(r) {
		return Entity{}, false
	}
	n := scanAmountNumber(text, i)
	if !n.ok {
		return Entity{}, false
	}
	value, ok := n.value(0)
	if !ok {
		return Entity{}, false
	}
	return Entity{
		Kind:    KindAmount,
		Value:   text[start:n.end],
		Text:    text[start:n.end],
		Start:   start,
		End:     n.end,
		Number:  value,
		Unit:    "%",
		Measure: measureBefore(text[:start]),
	}, true
}

// isAmountName reports whether the number at text[start:] is an ordinal
// (第三, 第1批) or glued to Latin letters (C919, PM2.5), which are names, not
// quantities.
func isAmountName(text string, start int) bool {
	if strings.HasSuffix(text[:start], "第") {
		return true
	}
	if start > 0 {
		c := text[start-1]
		return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
	}
	return false
}

// skipAmountApprox skips one 多 or 余 (2000多亿元, 300余家, traditional 餘).
func skipAmountApprox(text string, i int) int {
	for _, s := range [...]string{"多", "余", "餘"} {
		if strings.HasPrefix(text[i:], s) {
			return i + len(s)
		}
	}
	return i
}

// scanAmountMagnitudes reads magnitude characters after a number (万, 亿, 万亿,
// 千万) and returns the offset after them and the power of ten they make.
// A 千 or 百 that begins a unit (千米, 百分点) is left to the unit.
func scanAmountMagnitudes(text string, i int) (end, exp int) {
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		p, ok := amountMagnitudeExp(r)
		if !ok {
			break
		}
		if _, isUnit := amountUnitAt(text, i); isUnit {
			break
		}
		exp += p
		i += size
	}
	return i, exp
}

// amountMagnitudeExp is the power of ten of a magnitude character.
func amountMagnitudeExp(r rune) (int, bool) {
	switch r {
	case '百':
		return 2, true
	case '千':
		return 3, true
	case '万', '萬':
		return 4, true
	case '亿', '億':
		return 8, true
	}
	return 0, false
}

// amountNumber is a number read from the text, before its magnitudes.
type amountNumber struct {
	// end is the offset just past the number, past the whole numeral run
	// even when it is not well formed.
	end int
	// ok reports whether the run is a well-formed number.
	ok bool
	// digits holds an Arabic number in ASCII ("8500", "1.2"); it is empty
	// for Chinese numerals, whose value is in chinese.
	digits  string
	chinese float64
	// loneYi marks the numeral 一 on its own, usually an article (一批).
	loneYi bool
}

// value returns the number times 10^exp, and false if it is not finite
// or implausibly large.
func (n amountNumber) value(exp int) (float64, bool) {
	var v float64
	if n.digits != "" {
		// Parsing mantissa and exponent together rounds once, so 1.2万亿 is
		// exactly 1.2e12.
		f, err := strconv.ParseFloat(n.digits+"e"+strconv.Itoa(exp), 64)
		if err != nil {
			return 0, false
		}
		v = f
	} else {
		v = n.chinese * math.Pow10(exp)
	}
	return v, !math.IsInf(v, 0) && !math.IsNaN(v) && v < 1e20
}

// maxAmountIntDigits bounds the integer part of an Arabic number; longer digit
// runs are codes, not quantities.
const maxAmountIntDigits = 15

// scanAmountNumber reads the Arabic or Chinese number starting at text[i].
func scanAmountNumber(text string, i int) amountNumber {
	r, _ := utf8.DecodeRuneInString(text[i:])
	if isAmountDigit(r) {
		return scanArabicNumber(text, i)
	}
	return scanChineseNumber(text, i)
}

// isAmountDigit reports whether r is an ASCII or full-width decimal digit.
func isAmountDigit(r rune) bool {
	return '0' <= r && r <= '9' || '０' <= r && r <= '９'
}

// amountDigitAt returns the ASCII digit at text[i:] (full-width digits folded)
// and its encoded size.
func amountDigitAt(text string, i int) (byte, int, bool) {
	if i >= len(text) {
		return 0, 0, false
	}
	r, size := utf8.DecodeRuneInString(text[i:])
	switch {
	case '0' <= r && r <= '9':
		return byte(r), size, true
	case '０' <= r && r <= '９':
		return byte('0' + r - '０'), size, true
	}
	return 0, 0, false
}

// scanArabicNumber reads digits with an optional decimal part ("." or "．") and
// "," thousands separators, which must be followed by exactly three digits.
func scanArabicNumber(text string, i int) amountNumber {
	var buf []byte
	intDigits := 0
	seenPoint := false
	for {
		if d, size, ok := amountDigitAt(text, i); ok {
			buf = append(buf, d)
			if !seenPoint {
				intDigits++
			}
			i += size
			continue
		}
		if !seenPoint && isAmountThousandsGroup(text, i) {
			i++
			continue
		}
		if !seenPoint {
			if size := amountDecimalPointAt(text, i); size > 0 {
				if _, _, ok := amountDigitAt(text, i+size); ok {
					buf = append(buf, '.')
					seenPoint = true
					i += size
					continue
				}
			}
		}
		break
	}
	return amountNumber{end: i, ok: intDigits <= maxAmountIntDigits, digits: string(buf)}
}

// isAmountThousandsGroup reports whether text[i:] is "," followed by exactly
// three ASCII digits.
func isAmountThousandsGroup(text string, i int) bool {
	if i+4 > len(text) || text[i] != ',' {
		return false
	}
	for _, c := range []byte(text[i+1 : i+4]) {
		if c < '0' || c > '9' {
			return false
		}
	}
	_, _, more := amountDigitAt(text, i+4)
	return !more
}

// amountDecimalPointAt returns the size of a decimal point at text[i:], or 0.
func amountDecimalPointAt(text string, i int) int {
	switch {
	case strings.HasPrefix(text[i:], "."):
		return 1
	case strings.HasPrefix(text[i:], "．"):
		return len("．")
	}
	return 0
}

// chineseDigit is the value of a Chinese digit character (see
// corpus.ChineseDigit) or of 两, which counts as 2 in amounts; normalization
// and amounts share it.
func chineseDigit(r rune) (int, bool) {
	if r == '两' || r == '兩' {
		return 2, true
	}
	return corpus.ChineseDigit(r)
}

// startsAmountNumeral reports whether r can begin a Chinese numeral. A
// bare magnitude (万人, 百姓, 千家万户) cannot.
func startsAmountNumeral(r rune) bool {
	_, ok := chineseDigit(r)
	return ok || r == '十'
}

// scanChineseNumber reads a Chinese numeral such as 三百五十, 一百零五, 十二,
// 两千亿 or 一亿二千万. Two digits in a row (十四五, 二〇二三) are not a
// well-formed numeral, except after 零.
func scanChineseNumber(text string, i int) amountNumber {
	start := i
	var total, section, digit float64
	prevDigit, prevZero := false, false
	ok := true
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if d, isNumeral := chineseDigit(r); isNumeral {
			if prevDigit && !prevZero {
				ok = false
			}
			digit = float64(d)
			prevDigit, prevZero = true, d == 0
			i += size
			continue
		}
		if r == '十' || r == '百' || r == '千' {
			if _, isUnit := amountUnitAt(text, i); isUnit {
				break // 五千米 is 5 千米
			}
			if r == '十' && !prevDigit {
				digit = 1 // 十二 is 12
			}
			section += digit * math.Pow10(amountChineseUnitExp(r))
		} else if p, isMag := amountMagnitudeExp(r); isMag && (p == 4 || p == 8) {
			if p == 4 {
				total += (section + digit) * 1e4
			} else {
				total = (total + section + digit) * 1e8
			}
			section = 0
		} else {
			break
		}
		digit = 0
		prevDigit, prevZero = false, false
		i += size
	}
	run := text[start:i]
	return amountNumber{
		end:     i,
		ok:      ok && i > start && run != "零" && run != "〇",
		chinese: total + section + digit,
		loneYi:  run == "一",
	}
}

// amountChineseUnitExp is the power of ten of 十, 百 or 千 inside a numeral.
func amountChineseUnitExp(r rune) int {
	switch r {
	case '十':
		return 1
	case '百':
		return 2
	}
	return 3
}

// amountVerbs may stand between a measure noun and its amount
// (投资达到, 营业收入超过).
var amountVerbs = newSuffixSet(
	"达", "达到", "为", "是", "约", "约为", "近", "共", "计", "共计", "总计", "合计",
	"超", "超过", "突破", "逾", "高达", "累计", "完成", "实现", "新增",
	"增长", "增加", "增至", "提高", "下降", "降低", "减少", "预计", "力争",
	"稳定在", "保持在", "控制在",
)

// amountMeasures are the nouns reported as Entity.Measure when they precede
// an amount. The longest match wins, so 总投资 over 投资.
var amountMeasures = newSuffixSet(
	"总投资", "投资", "固定资产投资", "投资额", "基金管理规模", "规模", "资金",
	"营业收入", "主营业务收入", "营收", "收入", "财政收入", "一般公共预算收入",
	"支出", "一般公共预算支出", "赤字", "税收", "利润", "产值", "总产值",
	"增加值", "生产总值", "地区生产总值", "国内生产总值", "GDP",
	"销售额", "交易额", "进出口", "进出口总额", "出口", "进口", "消费品零售总额",
	"面积", "建筑面积", "总建筑面积", "占地面积", "用地面积", "耕地面积",
	"人口", "常住人口", "就业", "新增就业", "城镇新增就业", "产量", "总量",
)

// suffixSet finds the longest of a set of words that a string ends with.
// Words are grouped by their last character, longest first, so a lookup
// compares only the few words that can match.
type suffixSet map[rune][]string

// newSuffixSet returns the suffixSet of words.
func newSuffixSet(words ...string) suffixSet {
	m := make(suffixSet)
	for _, w := range words {
		r, _ := utf8.DecodeLastRuneInString(w)
		m[r] = append(m[r], w)
	}
	for _, ws := range m {
		slices.SortStableFunc(ws, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	}
	return m
}

// longestSuffix returns the longest word of m that s ends with, or "".
func (m suffixSet) longestSuffix(s string) string {
	r, _ := utf8.DecodeLastRuneInString(s)
	for _, w := range m[r] {
		if strings.HasSuffix(s, w) {
			return w
		}
	}
	return ""
}

// maxAmountVerbs bounds how many verbs may stand between a measure noun and
// its amount (累计完成, 预计达到).
const maxAmountVerbs = 2

// measureBefore returns the measure noun that before ends with, skipping
// spaces and up to maxAmountVerbs verbs, or "".
func measureBefore(before string) string {
	before = strings.TrimRight(before, " \u3000")
	for range maxAmountVerbs {
		verb := amountVerbs.longestSuffix(before)
		if verb == "" {
			break
		}
		before = before[:len(before)-len(verb)]
	}
	return amountMeasures.longestSuffix(before)
}
