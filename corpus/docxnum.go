package corpus

import (
	"encoding/xml"
	"strconv"
	"strings"
)

// numLevel is one level of a Word list: its first number, number format
// (decimal, chineseCounting, …) and label pattern ("%1、", "（%2）").
type numLevel struct {
	start        int
	format, text string
}

// maxNumLevels is the number of list levels Word defines.
const maxNumLevels = 9

// docxNumbering renders the labels of Word's automatic numbering, which
// are not in the document text: "一、", "第三条", "（二）".
type docxNumbering struct {
	// levels maps a numId to its levels.
	levels map[string]*[maxNumLevels]numLevel
	// counts holds the current number of each level of each numId.
	counts map[string]*[maxNumLevels]int
}

// parseNumbering reads word/numbering.xml. A part that does not parse
// gives no labels.
func parseNumbering(data []byte) *docxNumbering {
	n := &docxNumbering{levels: map[string]*[maxNumLevels]numLevel{}, counts: map[string]*[maxNumLevels]int{}}
	abstract := map[string]*[maxNumLevels]numLevel{}
	var cur *[maxNumLevels]numLevel
	lvl, num := -1, ""
	if err := xmlTokens(data, func(tok xml.Token, _ *xml.Decoder) {
		e, ok := tok.(xml.StartElement)
		if !ok {
			return
		}
		switch e.Name.Local {
		case "abstractNum":
			cur = new([maxNumLevels]numLevel)
			abstract[attr(e, "abstractNumId")] = cur
			num = ""
		case "num":
			cur, num = nil, attr(e, "numId")
		case "abstractNumId":
			if num != "" {
				if a := abstract[attr(e, "val")]; a != nil {
					n.levels[num] = a
				}
			}
		case "lvl":
			lvl = -1
			if i, err := strconv.Atoi(attr(e, "ilvl")); err == nil && i >= 0 && i < maxNumLevels && cur != nil {
				lvl = i
				cur[i].start = 1
			}
		case "start", "numFmt", "lvlText":
			if cur == nil || lvl < 0 {
				return
			}
			v := attr(e, "val")
			switch e.Name.Local {
			case "start":
				if s, err := strconv.Atoi(v); err == nil && s >= 0 && s < 1e6 {
					cur[lvl].start = s
				}
			case "numFmt":
				cur[lvl].format = v
			case "lvlText":
				cur[lvl].text = v
			}
		}
	}); err != nil {
		return nil
	}
	return n
}

// label returns the label of the next paragraph of list numID at level
// ilvl, counting it, or "" for bullets and unknown lists.
func (n *docxNumbering) label(numID, ilvl string) string {
	if n == nil {
		return ""
	}
	levels := n.levels[numID]
	lvl, err := strconv.Atoi(ilvl)
	if levels == nil || err != nil || lvl < 0 || lvl >= maxNumLevels {
		return ""
	}
	c := n.counts[numID]
	if c == nil {
		c = new([maxNumLevels]int)
		for i := range c {
			c[i] = levels[i].start - 1
		}
		n.counts[numID] = c
	}
	c[lvl]++
	for i := lvl + 1; i < maxNumLevels; i++ {
		c[i] = levels[i].start - 1
	}
	l := levels[lvl]
	if l.format == "bullet" || l.format == "none" || !strings.Contains(l.text, "%") {
		return ""
	}
	var b strings.Builder
	for i := 0; i < len(l.text); i++ {
		if l.text[i] == '%' && i+1 < len(l.text) && l.text[i+1] >= '1' && l.text[i+1] <= '9' {
			k := int(l.text[i+1] - '1')
			b.WriteString(formatNumber(max(c[k], levels[k].start), levels[k].format))
			i++
			continue
		}
		b.WriteByte(l.text[i])
	}
	return b.String()
}

// formatNumber writes n in a Word number format.
func formatNumber(n int, format string) string {
	switch format {
	case "chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand",
		"japaneseCounting", "ideographDigital", "chineseLegalSimplified":
		return chineseNumeral(n)
	case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
		if n >= 1 && n <= 20 {
			return string(rune('①' + n - 1))
		}
	case "ideographTraditional":
		if n >= 1 && n <= 10 {
			return string([]rune("甲乙丙丁戊己庚辛壬癸")[n-1])
		}
	case "lowerLetter", "upperLetter":
		if n >= 1 && n <= 26 {
			r := rune('a' + n - 1)
			if format == "upperLetter" {
				r -= 'a' - 'A'
			}
			return string(r)
		}
	}
	return strconv.Itoa(n)
}

// chineseNumeral writes 0 ≤ n < 10000 in Chinese numerals as numbered
// headings use them: 一, 十, 十一, 二十三, 一百零五.
func chineseNumeral(n int) string {
	const digits = "零一二三四五六七八九"
	d := []rune(digits)
	if n <= 0 || n >= 10000 {
		return strconv.Itoa(n)
	}
	var b strings.Builder
	units := []struct {
		v int
		u string
	}{{1000, "千"}, {100, "百"}, {10, "十"}, {1, ""}}
	zero := false
	for _, u := range units {
		q := n / u.v % 10
		switch {
		case q == 0:
			zero = b.Len() > 0
		default:
			if zero {
				b.WriteRune('零')
				zero = false
			}
			if !(q == 1 && u.v == 10 && b.Len() == 0) {
				b.WriteRune(d[q])
			}
			b.WriteString(u.u)
		}
	}
	return b.String()
}
