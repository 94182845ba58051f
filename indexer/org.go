package indexer

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"

	"policysearch/corpus"
)

// orgSuffixes end organisation names. Longer suffixes come first.
var orgSuffixes = []string{
	"股份有限公司", "有限责任公司", "有限公司", "人民检察院", "人民法院", "人民政府",
	"研究中心", "研究院", "研究所", "委员会", "基金会", "实验室", "交易所",
	"集团", "公司", "医院", "大学", "学院", "中心", "银行", "协会", "学会", "商会",
	"联合会", "研究会", "小学", "中学", "学校", "幼儿园", "图书馆", "博物馆", "处理厂",
}

// orgSuffixEnds holds the last character of every suffix in orgSuffixes.
var orgSuffixEnds = func() map[rune]bool {
	ends := map[rune]bool{}
	for _, s := range orgSuffixes {
		r, _ := utf8.DecodeLastRuneInString(s)
		ends[r] = true
	}
	return ends
}()

// orgGeneric are words that make a name generic rather than proper
// (有关部门, 全市医院) or that stop it (动词 and function words are stopped
// by their part of speech).
var orgGeneric = map[string]bool{
	"各级": true, "有关": true, "相关": true, "全市": true, "全区": true, "全县": true, "全省": true, "全国": true,
	"我市": true, "我区": true, "我县": true, "我省": true, "本市": true, "本区": true, "该": true, "各类": true, "各": true,
	"其他": true, "重点": true, "主要": true, "国家级": true, "省级": true, "市级": true, "区级": true, "县级": true,
	"大型": true, "龙头": true, "一批": true, "多家": true, "新": true, "公立": true, "民营": true, "社区": true, "基层": true,
	"服务": true, "综合": true, "中小": true, "上市": true, "国有": true, "企业": true, "所属": true, "下属": true,
	"人民代表大会": true, "人民政府": true, "常务委员会": true, "政治协商会议": true,
	"人民代表大会常务委员会": true, "党中央": true, "中共中央": true,
	// Place names that are ordinary words (晋城市城区, 三明市郊区).
	"城区": true, "郊区": true, "矿区": true, "新区": true, "市区": true, "开发区": true, "高新区": true,
	"城市": true, "自治县": true, "自治州": true, "自治区": true,
	// Words gse tags as names that start generic phrases (高水平大学,
	// 新建学校, 青少年活动中心) or law titles (中华人民共和国村民委员会组织法).
	"高水平": true, "新建": true, "青少年": true, "中华人民共和国": true,
}

// notBodies are common words that end like a government body but are not
// one (干部, 西部, 新格局).
var notBodies = []string{"武装部", "音乐厅", "大厅", "餐厅", "展厅", "客厅", "干部", "内部", "外部", "全部", "局部", "东部", "西部", "南部", "北部", "中部", "总部", "俱乐部", "格局", "布局", "大局", "结局", "当局", "开局", "政局"}

// bodyEnds are the last characters of government bodies gse knows as whole
// words (财政部, 国家文物局, 审计署); other words it tags nt (中医药,
// 商业银行, 福利院) are not organisations, but for 国务院.
const bodyEnds = "部局署委厅"

// properPOS reports whether a gse part-of-speech tag marks a proper name
// that can start an organisation's name: a place (ns) or a person's or
// brand name (nr). gse's nt and nz tags fall on too many common words
// (国际化, 普通) to start one.
func properPOS(pos string) bool {
	return pos == "ns" || pos == "nr"
}

// nameLikePOS reports whether a word may stand inside an organisation
// name: nouns and proper names, or unknown single characters.
func nameLikePOS(pos string) bool {
	return strings.HasPrefix(pos, "n") || pos == "j" || pos == "x" || pos == ""
}

// ParseOrgs finds organisation names: a run of nouns and proper names
// ending in a suffix such as 集团, 公司, 医院, 大学, 中心, 研究院 or
// 委员会 (山东大学齐鲁医院, 九阳集团, 济南国际医学科学中心). gse's
// part-of-speech tags propose the words; a name is kept only when it starts
// with a proper name (a place, a person's or brand name), so 有关部门,
// 研发中心 and 政务服务中心 are left out, and so is 国家电网公司: precision
// first. Entities
// have KindOrg, Value the name, byte offsets.
func ParseOrgs(text string) []Entity {
	seg, err := segmenter()
	if err != nil {
		return nil // the tokenizer reports dictionary errors; extraction adds nothing then
	}
	n := normalize([]byte(text))
	return orgsIn(text, n, seg.Segment(n.text))
}

// orgsIn is ParseOrgs given the normalization n of text and gse's
// segmentation of n.text, which the word tokenizer computes anyway (see
// analyzeText): the names are found in the normalized words, clause by
// clause, and returned with offsets into text and as written there.
func orgsIn(text string, n normalized, segs []gse.Segment) []Entity {
	g, err := corpus.DefaultGazetteer()
	if err != nil {
		return nil // the gazetteer is embedded and checked by corpus's tests
	}
	norm := string(n.text)
	var out []Entity
	from := 0
	// A clause is a run of words without punctuation, space or symbols;
	// a word holding any (gse keeps "2.5" whole) ends it.
	for k := 0; k <= len(segs); k++ {
		if k < len(segs) && !hasSeparator(norm[segs[k].Start():segs[k].End()]) {
			continue
		}
		if k > from {
			for _, e := range orgsInClause(g, norm, segs[from:k]) {
				e.Start, e.End = n.origOffset(e.Start), n.origOffset(e.End)
				e.Value, e.Text = text[e.Start:e.End], text[e.Start:e.End]
				out = append(out, e)
			}
		}
		from = k + 1
	}
	return out
}

// hasSeparator reports whether w holds punctuation, space or a symbol,
// the characters that end a clause.
func hasSeparator(w string) bool {
	for _, r := range w {
		if isHan(r) {
			// Nearly every character of the text; none is punctuation,
			// and the table lookups below cost more than the words' parsing.
			continue
		}
		if unicode.IsPunct(r) || unicode.IsSpace(r) || unicode.IsSymbol(r) {
			return true
		}
	}
	return false
}

// orgsInClause finds organisations in one clause of text: segs are its
// words, with offsets into text, which the entities returned have too.
func orgsInClause(g *corpus.Gazetteer, text string, segs []gse.Segment) []Entity {
	// isProper reports whether word k is a proper name: tagged so by gse,
	// or a place the gazetteer knows (gse tags 槐荫区 and 保定市 as plain
	// nouns).
	isProper := func(k int) bool {
		w := text[segs[k].Start():segs[k].End()]
		if orgGeneric[w] {
			return false
		}
		return properPOS(segs[k].Token().Pos()) || isPlaceName(g, w)
	}
	var out []Entity
	lastEnd := 0
	for k := range segs {
		word := text[segs[k].Start():segs[k].End()]
		suffix := orgSuffixOf(word)
		if suffix == "" {
			// gse knows some bodies as whole words (国家文物局/nt,
			// 国务院/nt).
			last, _ := utf8.DecodeLastRuneInString(word)
			// A ministry or commission (财政部, 海关总署, 国资委) is named by
			// its word; a bureau only when national (国家统计局), since
			// 公安局 alone says not whose.
			national := strings.HasPrefix(word, "国") || strings.HasPrefix(word, "中")
			isBody := (strings.ContainsRune(bodyEnds, last) && (last != '局' || national)) &&
				!slices.ContainsFunc(notBodies, func(n string) bool { return strings.HasSuffix(word, n) })
			if segs[k].Token().Pos() == "nt" && utf8.RuneCountInString(word) >= 3 && (isBody || word == "国务院") && !orgGeneric[word] && segs[k].Start() >= lastEnd {
				out = append(out, Entity{Kind: KindOrg, Value: word, Text: word, Start: segs[k].Start(), End: segs[k].End()})
				lastEnd = segs[k].End()
			}
			continue
		}
		j := k
		// The suffix inside a word (山东大学) names it when the rest of
		// the word is a place.
		// gse tags many generic compounds nt (康复中心, 商业银行), so only a
		// place before the suffix (山东大学) vouches for such a word.
		proper := len(word) > len(suffix) && isPlaceName(g, word[:len(word)-len(suffix)]) && !orgGeneric[word[:len(word)-len(suffix)]]
		for j > 0 && segs[j-1].End() > lastEnd {
			prev := segs[j-1]
			w := text[prev.Start():prev.End()]
			pos := prev.Token().Pos()
			if orgGeneric[w] || !nameLikePOS(pos) || !isNameText(w) || utf8.RuneCountInString(text[prev.Start():segs[k].End()]) > 24 {
				break
			}
			j--
			proper = proper || isProper(j)
		}
		// A name starts with a proper name (济南, 山东大学, 九阳): gse tags
		// verbs such as 充分发挥 and 面向 as nouns too often to trust
		// anything else at the start.
		for j < k && !isProper(j) {
			j++
		}
		from := segs[j].Start()
		name := text[from:segs[k].End()]
		// The name starts with a proper word before the suffix word, or
		// the suffix word itself starts with a place (山东大学).
		startOK := j < k && isProper(j) || j == k && len(word) > len(suffix) && isPlaceName(g, word[:len(word)-len(suffix)])
		if !proper || !startOK || utf8.RuneCountInString(name) < 4 {
			continue
		}
		if n := len(out); n > 0 && out[n-1].End == from {
			// An organisation inside another (山东大学 + 齐鲁医院): one name.
			from = out[n-1].Start
			out = out[:n-1]
			name = text[from:segs[k].End()]
		}
		out = append(out, Entity{Kind: KindOrg, Value: name, Text: name, Start: from, End: segs[k].End()})
		lastEnd = segs[k].End()
	}
	return out
}

// orgSuffixOf returns the organisation suffix word ends with, or "".
func orgSuffixOf(word string) string {
	// Most words end in none of the suffixes' last characters: one lookup
	// instead of a comparison with every suffix.
	last, _ := utf8.DecodeLastRuneInString(word)
	if !orgSuffixEnds[last] {
		return ""
	}
	for _, s := range orgSuffixes {
		if strings.HasSuffix(word, s) {
			return s
		}
	}
	return ""
}

// isHan reports whether r is in the CJK Unified Ideographs block
// (U+4E00–U+9FFF), all letters (unicode.Lo).
func isHan(r rune) bool {
	return r >= 0x4E00 && r <= 0x9FFF
}

// isNameText reports whether w is made of Han characters, letters and
// digits only.
func isNameText(w string) bool {
	for _, r := range w {
		if !unicode.Is(unicode.Han, r) && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return w != ""
}

// isPlaceName reports whether w names a place: a full name (槐荫区, 保定市)
// or the short name of a province or city (山东, 郑州). Counties' short
// names are often ordinary words (新建, 城区) and do not count.
func isPlaceName(g *corpus.Gazetteer, w string) bool {
	if orgGeneric[w] {
		return false
	}
	for _, p := range g.Lookup(w) {
		if p.Name == w || p.ShortName == w && p.Level != corpus.LevelCounty {
			return true
		}
	}
	return false
}
