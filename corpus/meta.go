package corpus

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// textMeta is the metadata a document states in its own text: the labelled
// fields of a government page or document head ("发文字号：国函〔2018〕145号"),
// the document number under the title, the signature block (issuing body
// and date) and the title's "X关于…" issuer.
type textMeta struct {
	DocNumber string
	Issuer    string
	// Written is the 成文日期 and Published the 发布日期, as YYYY-MM-DD (or
	// shorter when the text gives less).
	Written, Published string
	Subjects           []string
}

// metaLabels map the labels of metadata fields, spaces removed, to the
// textMeta field they fill.
var metaLabels = map[string]string{
	"文号": "number", "发文字号": "number", "发文文号": "number", "文件编号": "number", "文件字号": "number",
	"发文机关": "issuer", "发布机关": "issuer", "发文单位": "issuer", "发布单位": "issuer",
	"制发机关": "issuer", "颁布机关": "issuer", "发文机构": "issuer", "来源": "source", "信息来源": "source",
	"成文日期": "written", "成文时间": "written", "签发日期": "written",
	"发布日期": "published", "发布时间": "published", "公布日期": "published", "印发日期": "published",
	"主题词": "subjects", "关键词": "subjects",
}

// labelsByLength are the keys of metaLabels, longest first, so that
// 发文字号 wins over 文号.
var labelsByLength = func() []string {
	ls := make([]string, 0, len(metaLabels))
	for l := range metaLabels {
		ls = append(ls, l)
	}
	slices.SortFunc(ls, func(a, b string) int { return cmp.Or(len(b)-len(a), strings.Compare(a, b)) })
	return ls
}()

// labelSpace reports whether r may stand between the characters of a
// label spaced out for layout ("主 题 词").
func labelSpace(r rune) bool { return r == ' ' || r == '\t' || r == '　' }

// labelAt reports the label that ends just before byte i of l (a colon),
// possibly spaced out, and where it starts; the label must start the line
// or follow a space or a closing bracket.
func labelAt(l string, i int) (label string, start int, ok bool) {
	prefix := strings.TrimRightFunc(l[:i], labelSpace)
	for _, lab := range labelsByLength {
		j := len(prefix)
		matched := true
		for k := len(lab); k > 0; {
			r, n := utf8.DecodeLastRuneInString(lab[:k])
			for j > 0 {
				q, m := utf8.DecodeLastRuneInString(prefix[:j])
				if !labelSpace(q) || k == len(lab) {
					break
				}
				j -= m
			}
			q, m := utf8.DecodeLastRuneInString(prefix[:j])
			if j == 0 || q != r {
				matched = false
				break
			}
			j -= m
			k -= n
		}
		if !matched {
			continue
		}
		if before, _ := utf8.DecodeLastRuneInString(prefix[:j]); j == 0 || unicode.IsSpace(before) || strings.ContainsRune("】]|", before) {
			return lab, j, true
		}
	}
	return "", 0, false
}

// docNumber matches a whole 文号: an issuer code, the year in brackets and
// the number (济政发〔2023〕1号, 国办函[2018]71号, 沪府规（2024）3号).
var docNumber = regexp.MustCompile(`^([\p{Han}A-Za-z]{1,16})[〔\[［(（【﹝][ 　]*((?:19|20)\d\d)[ 　]*[〕\]］)）】﹞][ 　]*第?[ 　]*(\d{1,5})[ 　]*号$`)

// orderNumber matches the number of an order (令), which has no year:
// 国令第706号, 山东省人民政府令第311号.
var orderNumber = regexp.MustCompile(`^([\p{Han}]{0,15}令)[ 　]*第[ 　]*(\d{1,5})[ 　]*号$`)

// normalDocNumber returns s as a 文号 with 〔〕 brackets and no spaces, or
// "" if s is not one.
func normalDocNumber(s string) string {
	s = strings.TrimSpace(s)
	if m := docNumber.FindStringSubmatch(s); m != nil {
		return m[1] + "〔" + m[2] + "〕" + m[3] + "号"
	}
	if m := orderNumber.FindStringSubmatch(s); m != nil {
		return m[1] + "第" + m[2] + "号"
	}
	return ""
}

// organSuffixes end the names of issuing bodies.
var organSuffixes = []string{
	"人民政府", "政府", "办公厅", "办公室", "委员会", "人民代表大会", "国务院", "中共中央", "管委会",
	"管理委员会", "局", "厅", "部", "委", "院", "署", "会", "中心", "党委", "区委", "市委", "县委", "省委",
}

// isOrgan reports whether s, a short line or a part of one, reads as the
// name of an issuing body, or several separated by spaces.
func isOrgan(s string) bool {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	if n < 2 || n > 60 || strings.ContainsAny(s, "，。；：,.;:、《》“”\"") {
		return false
	}
	for _, part := range strings.Fields(s) {
		ok := false
		for _, suf := range organSuffixes {
			if strings.HasSuffix(part, suf) && utf8.RuneCountInString(part) <= 30 {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// metaLines is how many lines at the head and at the tail of a text are
// searched for labelled fields and the signature block.
const metaLines = 60

// extractMeta finds the metadata body states about itself; title is the
// document's title, whose "X关于…" names the issuer.
func extractMeta(body, title string) textMeta {
	var m textMeta
	lines := splitLines(body)
	head := lines[:min(len(lines), metaLines)]
	tail := lines[max(len(head), len(lines)-metaLines):]
	var source string
	for _, part := range [][]string{head, tail} {
		for _, l := range part {
			labelled(l, &m, &source)
		}
	}
	if m.DocNumber == "" {
		for i, l := range head[:min(len(head), 15)] {
			if n := normalDocNumber(l); n != "" {
				m.DocNumber = n
				break
			}
			// "中华人民共和国国务院令" over "第706号".
			if strings.HasSuffix(l, "令") && i+1 < len(head) && strings.HasPrefix(head[i+1], "第") {
				if n := normalDocNumber(l + head[i+1]); n != "" {
					m.DocNumber = n
					break
				}
			}
			// A short header line that ends with the number after a space:
			// "国务院文件 国发〔2018〕5号".
			if j := strings.LastIndexFunc(l, isSpace); j > 0 && utf8.RuneCountInString(l) <= 40 {
				if n := normalDocNumber(l[j:]); n != "" {
					m.DocNumber = n
					break
				}
			}
		}
	}
	signer, signed := signature(lines)
	if m.Issuer == "" {
		m.Issuer = titleIssuer(title)
	}
	if m.Issuer == "" {
		m.Issuer = signer
	}
	if m.Issuer == "" && isOrgan(source) {
		m.Issuer = source
	}
	if m.Written == "" {
		m.Written = signed
	}
	return m
}

// splitLines returns the trimmed non-empty lines of s.
func splitLines(s string) []string {
	var out []string
	for l := range strings.Lines(s) {
		if t := strings.TrimFunc(l, isSpace); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// maxLabelledBytes bounds the lines searched for labels: metadata lines
// are short, running text is not.
const maxLabelledBytes = 400

// labelled fills m from the "label：value" pairs of line l; a line may
// hold several ("发文机关： 国务院 成文日期： 2018年11月23日").
func labelled(l string, m *textMeta, source *string) {
	if len(l) > maxLabelledBytes || strings.IndexByte(l, ':') < 0 && !strings.Contains(l, "：") {
		return
	}
	type found struct {
		label      string
		start, end int // of the label, and just after its colon
	}
	var fs []found
	for i, r := range l {
		if r != '：' && r != ':' {
			continue
		}
		if lab, start, ok := labelAt(l, i); ok {
			fs = append(fs, found{lab, start, i + utf8.RuneLen(r)})
		}
	}
	for k, f := range fs {
		end := len(l)
		if k+1 < len(fs) {
			end = fs[k+1].start
		}
		if end < f.end {
			continue
		}
		value := strings.TrimFunc(l[f.end:end], isSpace)
		if value == "" {
			continue
		}
		switch metaLabels[f.label] {
		case "number":
			if n := normalDocNumber(value); n != "" && m.DocNumber == "" {
				m.DocNumber = n
			}
		case "issuer":
			if m.Issuer == "" && utf8.RuneCountInString(value) <= 60 {
				m.Issuer = strings.Join(strings.Fields(value), " ")
			}
		case "source":
			if *source == "" {
				*source = value
			}
		case "written":
			if m.Written == "" {
				m.Written = dateValue(value)
			}
		case "published":
			if m.Published == "" {
				m.Published = dateValue(value)
			}
		case "subjects":
			if m.Subjects == nil {
				m.Subjects = subjectWords(value)
			}
		}
	}
}

// dateValue returns the date at the start of a labelled value
// ("2018年11月23日", "2018-11-28 16:00") as YYYY-MM-DD, or "".
func dateValue(v string) string {
	if d := isoDateIn(v); d != "" && strings.HasPrefix(v, d[:4]) {
		return d
	}
	if d := chineseDateIn(v); d != "" {
		return d
	}
	return normalizeDate(strings.Fields(v)[0])
}

// maxSubjects caps the 主题词 kept for one document.
const maxSubjects = 12

// subjectWords splits a 主题词 value into its words.
func subjectWords(v string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(v, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("、，,;；/|", r)
	}) {
		if n := utf8.RuneCountInString(w); n >= 1 && n <= 16 && len(out) < maxSubjects {
			out = append(out, w)
		}
	}
	return out
}

// maxSignatureBytes bounds the lines signature looks at: an organ's name
// and a date.
const maxSignatureBytes = 240

// signature finds the first signature block: a line naming an issuing
// body followed by a line holding only a date, or both on one line
// ("国务院  2018年11月23日"). It returns the body and the date.
func signature(lines []string) (organ, date string) {
	for i, l := range lines {
		if len(l) > maxSignatureBytes || !strings.Contains(l, "年") {
			continue
		}
		compact := strings.Join(strings.Fields(l), "")
		d := chineseDateIn(compact)
		if d == "" || !isDateLine(compact) {
			// "国务院 2018年11月23日" on one line.
			if j := strings.LastIndexFunc(l, isSpace); j > 0 {
				o, rest := strings.TrimSpace(l[:j]), strings.TrimSpace(l[j:])
				if isDateLine(rest) && isOrgan(o) {
					return strings.Join(strings.Fields(o), " "), chineseDateIn(rest)
				}
			}
			continue
		}
		if i > 0 && isOrgan(lines[i-1]) {
			return strings.Join(strings.Fields(lines[i-1]), " "), d
		}
	}
	return "", ""
}

// isDateLine reports whether s, without spaces, is only a Chinese date
// ("2018年11月20日", "二〇一八年十一月二十日").
func isDateLine(s string) bool {
	if !strings.HasSuffix(s, "日") || utf8.RuneCountInString(s) > 14 || chineseDateIn(s) == "" {
		return false
	}
	for _, r := range s {
		if !isAnyDigit(r) && !strings.ContainsRune("年月日〇零一二三四五六七八九十", r) {
			return false
		}
	}
	return true
}

// titleIssuer returns the issuing body named before "关于" in a title
// ("国务院办公厅关于…的通知" → 国务院办公厅; "国务院办公厅转发民政部关于…"
// → 国务院办公厅), or "".
func titleIssuer(title string) string {
	i := strings.Index(title, "关于")
	if i <= 0 {
		return ""
	}
	o := title[:i]
	for _, verb := range []string{"转发", "批转", "印发"} {
		if j := strings.Index(o, verb); j > 0 {
			o = o[:j]
		}
	}
	if o = strings.TrimSpace(o); isOrgan(o) {
		return strings.Join(strings.Fields(o), " ")
	}
	return ""
}
