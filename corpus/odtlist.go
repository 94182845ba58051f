package corpus

import (
	"encoding/xml"
	"strconv"
)

// odtListLevel is one level of an ODF list style.
type odtListLevel struct {
	// numbered is false for bullets and images.
	numbered       bool
	format         string // style:num-format: "1", "a", "一, 二, 三, ...", …
	prefix, suffix string
	start          int
}

// odtListStyles reads the list styles of an ODF part (styles.xml or the
// automatic styles of content.xml) into styles, by name.
func odtListStyles(data []byte, styles map[string]*[maxNumLevels]odtListLevel) {
	var cur *[maxNumLevels]odtListLevel
	// A part whose styles do not parse gives no labels.
	if err := xmlTokens(data, func(tok xml.Token, _ *xml.Decoder) {
		e, ok := tok.(xml.StartElement)
		if !ok {
			return
		}
		switch e.Name.Local {
		case "list-style":
			cur = new([maxNumLevels]odtListLevel)
			styles[attr(e, "name")] = cur
		case "list-level-style-number":
			lvl, err := strconv.Atoi(attr(e, "level"))
			if cur == nil || err != nil || lvl < 1 || lvl > maxNumLevels {
				return
			}
			start, err := strconv.Atoi(attr(e, "start-value"))
			if err != nil || start < 0 || start > 1e6 {
				start = 1
			}
			cur[lvl-1] = odtListLevel{numbered: attr(e, "num-format") != "", format: attr(e, "num-format"),
				prefix: attr(e, "num-prefix"), suffix: attr(e, "num-suffix"), start: start}
		}
	}); err != nil {
		return
	}
}

// odtLists numbers the items of the lists of an ODF text as they are met.
type odtLists struct {
	styles map[string]*[maxNumLevels]odtListLevel
	// open holds the style name of each open list, outermost first.
	open []string
	// counts holds the counters of each list style.
	counts map[string]*[maxNumLevels]int
	// pending is the label of the list item whose first paragraph has not
	// started yet.
	pending string
}

// startList opens a list element.
func (l *odtLists) startList(e xml.StartElement) {
	style := attr(e, "style-name")
	if style == "" && len(l.open) > 0 {
		style = l.open[len(l.open)-1]
	}
	if len(l.open) == 0 && attr(e, "continue-numbering") != "true" && attr(e, "continue-list") == "" {
		delete(l.counts, style) // a new top-level list starts again
	}
	l.open = append(l.open, style)
}

func (l *odtLists) endList() {
	if len(l.open) > 0 {
		l.open = l.open[:len(l.open)-1]
	}
}

// startItem counts a list item and makes its label pending.
func (l *odtLists) startItem() {
	depth := len(l.open) - 1
	if depth < 0 || depth >= maxNumLevels {
		return
	}
	style := l.open[depth]
	levels := l.styles[style]
	if levels == nil || !levels[depth].numbered {
		return
	}
	c := l.counts[style]
	if c == nil {
		c = new([maxNumLevels]int)
		for i := range c {
			c[i] = levels[i].start - 1
		}
		l.counts[style] = c
	}
	c[depth]++
	for i := depth + 1; i < maxNumLevels; i++ {
		c[i] = levels[i].start - 1
	}
	lv := levels[depth]
	l.pending = lv.prefix + formatNumber(c[depth], odtFormats[lv.format]) + lv.suffix
}

// label returns the pending label once.
func (l *odtLists) label() string {
	s := l.pending
	l.pending = ""
	return s
}

// odtFormats map ODF number formats to the Word names formatNumber knows.
var odtFormats = map[string]string{
	"1": "decimal", "a": "lowerLetter", "A": "upperLetter", "一, 二, 三, ...": "chineseCounting",
	"壹, 贰, 叁, ...": "chineseLegalSimplified", "①, ②, ③, ...": "decimalEnclosedCircle",
	"甲, 乙, 丙, ...": "ideographTraditional",
}
