package corpus

import (
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxTitleRunes caps inferred and supplied titles.
const maxTitleRunes = 80

// RegionNational is the Region of documents of the central government and
// the National People's Congress, as in the shared corpus manifest.
const RegionNational = "全国"

// complete fills the metadata d lacks by inference from its title, text and
// path; fields that are already set are kept, except that dates are
// brought into the Document.Date forms.
func complete(d *Document, g *Gazetteer) {
	d.Title = cleanTitle(d.Title)
	if d.Title == "" {
		d.Title = inferTitle(d.Body, d.Path)
	}
	m := extractMeta(d.Body, d.Title)
	if d.DocNumber == "" {
		d.DocNumber = m.DocNumber
	}
	if d.Issuer == "" {
		d.Issuer = m.Issuer
	}
	if d.Written = normalizeDate(d.Written); d.Written == "" {
		d.Written = m.Written
	}
	if d.Subjects == nil {
		d.Subjects = m.Subjects
	}
	d.Date = normalizeDate(d.Date)
	if d.Date == "" {
		d.Date = isoDateIn(path.Base(d.Path))
	}
	for _, v := range []string{m.Published, d.Written} {
		if d.Date == "" {
			d.Date = normalizeDate(v)
		}
	}
	if d.Date == "" {
		d.Date = inferDate(d.Path, d.Body)
	}
	if d.Year == 0 && d.Date != "" {
		d.Year = digitsValue(d.Date[:4]) // a normalised date starts with four digits
	}
	if d.Year == 0 {
		d.Year = yearIn(path.Base(d.Path))
	}
	if d.Year == 0 {
		d.Year = yearIn(d.Title)
	}
	if d.Date == "" && d.Year != 0 {
		d.Date = strconv.Itoa(d.Year)
	}
	switch given := d.Level; {
	case given == LevelNational || d.Region == RegionNational:
		setNational(d)
	case d.Region == "" && d.Province == "" && d.City == "" && d.County == "":
		d.Level = ""
		inferPlace(d, g)
		if given != "" {
			d.Level = given // the source's own word on its level wins
		}
	default:
		fillChain(d, g)
	}
	if d.Type == "" {
		d.Type = inferType(d.Title, d.Level)
	}
}

// nationalMarkers name the central state organs. A title that names one of
// them before any place belongs to a national document.
var nationalMarkers = []string{"中华人民共和国", "国务院", "全国人民代表大会", "全国人大", "中共中央", "中央人民政府", "中央军委"}

// firstNational returns the byte offset of the first national marker in s,
// or -1.
func firstNational(s string) int {
	first := -1
	for _, m := range nationalMarkers {
		if i := strings.Index(s, m); i >= 0 && (first < 0 || i < first) {
			first = i
		}
	}
	return first
}

// inferPlace sets Region, Province, City, County and Level from the title,
// then the path, then the head of the text. A place in the title is refined
// by a place within it named in the path (a title naming 济南 in
// docs/…/2023_济南市槐荫区_….txt gives 济南市槐荫区).
func inferPlace(d *Document, g *Gazetteer) {
	region, p, national := placeIn(d.Title, g)
	if national {
		setNational(d)
		return
	}
	segments := pathSegments(d.Path)
	if !p.IsZero() {
		for _, seg := range segments {
			if r, q, _ := placeIn(seg, g, p); !q.IsZero() && q.Code != p.Code && g.Contains(p, q) {
				region, p = r, q
				break
			}
		}
		setPlace(d, g, region, p)
		return
	}
	for _, seg := range segments {
		if region, p, national = placeIn(seg, g); national || !p.IsZero() {
			break
		}
	}
	if !national && p.IsZero() {
		region, p, national = placeIn(headText(d.Body, d.Title), g)
	}
	switch {
	case national:
		setNational(d)
	case !p.IsZero():
		setPlace(d, g, region, p)
	}
}

// pathSegments returns the file name without extension and then the
// directory names of name, deepest first.
func pathSegments(name string) []string {
	dir, file := path.Split(name)
	segs := []string{strings.TrimSuffix(file, path.Ext(file))}
	for dir = strings.TrimSuffix(dir, "/"); dir != "" && dir != "."; {
		var base string
		dir, base = path.Split(dir)
		dir = strings.TrimSuffix(dir, "/")
		segs = append(segs, base)
	}
	return segs
}

// headText returns the first lines of body after the title, where report
// headers name the meeting (…在第十一届全国人民代表大会第五次会议上) and
// regulations their adoption.
func headText(body, title string) string {
	head := body[:utf8Floor(body, 600)]
	if i := strings.Index(head, title); title != "" && i >= 0 {
		head = head[i+len(title):]
	}
	return head
}

// placeIn finds the place a short text such as a title is about: the first
// place named, narrowed by places within it that follow immediately and
// are themselves followed by an organ of government or a year
// (上海市奉贤区人民政府 → 奉贤区, 保定市清苑区2003年… → 清苑区). A place
// named as the subject of a provincial regulation does not narrow it:
// 浙江省景宁畲族自治县自治条例 is a provincial document. national reports
// a national marker before any place. region is the name as written, with
// a city kept before its county (济南市槐荫区); for a short form it is the
// full name.
func placeIn(s string, g *Gazetteer, context ...Place) (region string, p Place, national bool) {
	ms := g.FindIn(s, context...)
	if n := firstNational(s); n >= 0 && (len(ms) == 0 || n < ms[0].Start) {
		return "", Place{}, true
	}
	if len(ms) == 0 {
		return "", Place{}, false
	}
	last, start, short := ms[0], ms[0].Start, ms[0].Kind == NameShort
	for _, m := range ms[1:] {
		if m.Start != last.End || m.Place.Code == last.Place.Code || !g.Contains(last.Place, m.Place) ||
			!issuerFollows(s[m.End:]) {
			break
		}
		if !(m.Place.Level == LevelCounty && last.Place.Level == LevelCity) {
			start, short = m.Start, false
		}
		short = short || m.Kind == NameShort
		last = m
	}
	region = s[start:last.End]
	if short {
		region = last.Place.Name
	}
	return region, last.Place, false
}

// issuerMarkers follow a place name that is the issuing unit.
var issuerMarkers = []string{"人民政府", "政府", "人民代表大会", "人大", "委员会", "办公室", "区委", "县委", "市委", "党委"}

// issuerFollows reports whether rest, the text after a place name, shows
// the place to be the issuer or subject unit: an organ of government, a
// year, a separator of a file name, or nothing.
func issuerFollows(rest string) bool {
	if rest == "" || rest[0] == '_' || rest[0] == ' ' || rest[0] == '-' || isDigit(rest[0]) {
		return true
	}
	for _, m := range issuerMarkers {
		if strings.HasPrefix(rest, m) {
			return true
		}
	}
	return false
}

// setNational marks d as a document of the central government.
func setNational(d *Document) {
	d.Region, d.Level = RegionNational, LevelNational
	d.Province, d.City, d.County = "", "", ""
}

// setPlace fills the region fields of d from p and its parents. The
// districts of the municipalities (北京, 天津, 上海, 重庆) get the
// municipality as City, as in the shared corpus manifest.
func setPlace(d *Document, g *Gazetteer, region string, p Place) {
	d.Region, d.Level = region, p.Level
	d.Province, d.City, d.County = "", "", ""
	for _, q := range append(g.Parents(p), p) {
		switch q.Level {
		case LevelProvince:
			d.Province = q.Name
		case LevelCity:
			d.City = q.Name
		case LevelCounty:
			d.County = q.Name
		}
	}
	if d.Level == LevelCounty && d.City == "" && municipalities[p.ProvinceCode] {
		d.City = d.Province
	}
}

// fillChain completes partly given region fields: the most specific name
// given is looked up and the empty fields of its chain are filled.
func fillChain(d *Document, g *Gazetteer) {
	var name string
	for _, s := range []string{d.County, d.City, d.Region, d.Province} {
		if s != "" {
			name = s
			break
		}
	}
	_, p, national := placeIn(name, g)
	if national {
		setNational(d)
		return
	}
	if p.IsZero() {
		return
	}
	var full Document
	setPlace(&full, g, d.Region, p)
	if d.Region == "" {
		d.Region = name
	}
	if d.Province == "" {
		d.Province = full.Province
	}
	if d.City == "" {
		d.City = full.City
	}
	if d.County == "" {
		d.County = full.County
	}
	if d.Level == "" {
		d.Level = full.Level
	}
}

// typeSuffixes map the endings of titles to document types, longest
// first. 条例 is handled by inferType.
var typeSuffixes = []struct{ suffix, typ string }{
	{"政府工作报告", "政府工作报告"},
	{"决议", "决议"}, {"决定", "决定"}, {"通知", "通知"}, {"通报", "通报"},
	{"意见", "意见"}, {"办法", "办法"}, {"细则", "细则"}, {"规定", "规定"},
	{"规划", "规划"}, {"纲要", "纲要"}, {"方案", "方案"}, {"计划", "计划"},
	{"批复", "批复"}, {"复函", "函"}, {"答复", "答复"}, {"公告", "公告"}, {"通告", "通告"},
	{"报告", "报告"}, {"函", "函"},
}

// inferType derives the document type from the ending of the title: 政府
// 工作报告, 通知, 意见, 办法, 规划, 方案, 决定, 报告 and so on. A 条例 is a
// 地方性法规 (local regulation) when it belongs to a region and a 行政法规
// (State Council regulation) otherwise.
func inferType(title string, level Level) string {
	t := trimTrailingParens(title)
	if strings.HasSuffix(t, "条例") {
		if level == LevelProvince || level == LevelCity || level == LevelCounty {
			return "地方性法规"
		}
		return "行政法规"
	}
	if strings.Contains(t, "政府工作报告") && !strings.HasSuffix(t, "决议") {
		return "政府工作报告"
	}
	for _, s := range typeSuffixes {
		if strings.HasSuffix(t, s.suffix) {
			return s.typ
		}
	}
	return ""
}

// trimTrailingParens removes trailing bracketed remarks from a title:
// （试行）, （草案）, (2018年修订), （摘要）.
func trimTrailingParens(t string) string {
	for {
		t = strings.TrimSpace(t)
		var open string
		switch {
		case strings.HasSuffix(t, "）"):
			open = "（"
		case strings.HasSuffix(t, ")"):
			open = "("
		default:
			return t
		}
		i := strings.LastIndex(t, open)
		if i <= 0 {
			// A mixed pair such as "（试行)" or an unmatched bracket.
			j := strings.LastIndexAny(t, "(（")
			if j <= 0 {
				return t
			}
			i = j
		}
		t = t[:i]
	}
}

// chromeLines are whole lines of web-page furniture, compared after
// removing spaces.
var chromeLines = map[string]bool{
	"下载": true, "打印": true, "全屏": true, "收藏": true, "【字号：": true, "【字号:": true, "加大": true,
	"还原": true, "减小": true, "】": true, "【字号：加大还原减小】": true, "分享到": true, "分享到：": true,
	"分享": true, "关闭": true, "关闭窗口": true, "打印本页": true, "返回顶部": true, "目录": true,
	"正文": true, "字号：大中小": true, "【大中小】": true, "扫一扫在手机打开当前页": true,
}

// chromePrefixes start lines of page metadata rather than text.
var chromePrefixes = []string{
	"来源：", "来源:", "时间：", "时间:", "作者：", "阅读：", "评论：", "内容摘要：", "发布时间：",
	"发文单位：", "发文时间：", "报告人：", "来源URL：", "字号：", "【字号", "责任编辑", "信息来源：",
	"发布日期：", "浏览次数", "点击数", "分享到",
}

// genericTitles are bare document types that make poor titles on their own.
var genericTitles = map[string]bool{
	"政府工作报告": true, "工作报告": true, "报告": true, "决议": true, "条例": true, "通知": true,
	"意见": true, "公告": true,
}

// officialRanks mark speaker lines such as "徐水县人民政府县长李保森".
var officialRanks = []string{"县长", "市长", "区长", "省长", "州长", "旗长", "主席", "总理", "主任"}

// titleLines is how many meaningful lines at the start of a text
// inferTitle considers.
const titleLines = 12

// inferTitle picks a title from the first lines of body. Web-page chrome
// (下载, 打印, 【字号：加大 还原 减小】, 来源：…), meeting subtitles
// (——2010年2月3日在…会议上), date lines, speaker lines and salutations
// (各位代表：) are passed over. A line that ends in a document type (报告,
// 条例, 通知, …) wins; a title broken over lines (an open 《, a following
// "的决议") is joined first. A bare type such as 政府工作报告 gives way to
// the next line that contains it or to a file name that does. Without a
// title-like line the first meaningful line is used; if the text starts
// straight with sentences, the file name is.
func inferTitle(body, name string) string {
	lines := firstLines(body, 40)
	fromName := titleFromName(name)
	// head holds the lines just before the current one that may be the
	// start of a title broken over lines ("国务院关于同意乌鲁木齐、昌吉、石河子"
	// / "高新技术产业开发区建设" / "国家自主创新示范区的批复").
	var firstPlain string
	var head []string
	sentences := false // running text has started
	for i := 0; i < len(lines) && i < titleLines; i++ {
		l := lines[i]
		for _, p := range []string{"标题：", "标题:"} {
			if v, ok := strings.CutPrefix(l, p); ok && strings.TrimSpace(v) != "" {
				return cleanTitle(v)
			}
		}
		if skipTitleLine(l) {
			head = nil
			continue
		}
		if isSentence(l) {
			sentences = true
			head = nil
			continue
		}
		t := collapseSpaced(l)
		for i+1 < len(lines) && i+1 < titleLines+3 && continuesTitle(t, lines[i+1]) {
			i++
			t += collapseSpaced(lines[i])
		}
		if !looksLikeTitle(t) {
			if firstPlain == "" && !sentences && utf8.RuneCountInString(t) >= 4 {
				firstPlain = t
			}
			if len(head) < 3 && utf8.RuneCountInString(t) <= 40 {
				head = append(head, t)
			} else {
				head = nil
			}
			continue
		}
		if prefix := strings.Join(head, ""); prefix != "" &&
			(strings.Contains(prefix, "关于") || isIssuer(head[0]) || firstNational(prefix) == 0) {
			t = prefix + t
		}
		if genericTitles[t] {
			for j := i + 1; j < len(lines) && j <= i+3; j++ {
				if next := collapseSpaced(lines[j]); next != t && strings.Contains(next, t) && !isSentence(next) {
					return cleanTitle(next)
				}
			}
			if strings.Contains(fromName, t) {
				return cleanTitle(fromName)
			}
		}
		return cleanTitle(t)
	}
	switch {
	case firstPlain != "":
		return cleanTitle(firstPlain)
	case fromName != "":
		return cleanTitle(fromName)
	case len(lines) > 0:
		return cleanTitle(lines[0])
	}
	return ""
}

// maxLineBytes bounds the part of a line that title inference looks at; a
// longer line is running text anyway.
const maxLineBytes = 1 << 10

// firstLines returns up to n non-empty trimmed lines from the start of s,
// each cut to maxLineBytes.
func firstLines(s string, n int) []string {
	var out []string
	for line := range strings.Lines(s) {
		line = line[:utf8Floor(line, maxLineBytes)]
		if t := strings.TrimFunc(line, isSpace); t != "" {
			out = append(out, t)
			if len(out) == n {
				break
			}
		}
	}
	return out
}

// skipTitleLine reports whether a line cannot be a title: chrome, page
// metadata, subtitles, dates, speakers, salutations and lines without
// words.
func skipTitleLine(l string) bool {
	compact := strings.Join(strings.Fields(l), "")
	if chromeLines[compact] {
		return true
	}
	for _, p := range chromePrefixes {
		if strings.HasPrefix(compact, p) {
			return true
		}
	}
	letters := 0
	for _, r := range l {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	if letters < 2 {
		return true
	}
	switch {
	case strings.HasPrefix(l, "—"), strings.HasPrefix(l, "--"), strings.HasPrefix(l, "－"):
		return true // ——2010年2月3日在…会议上
	case strings.Contains(l, "人民代表大会") && strings.Contains(l, "次会议") && !looksLikeTitle(l):
		return true // 2019年1月29日保定市徐水区第二届人民代表大会第三次会议
	case strings.HasSuffix(l, "：") || strings.HasSuffix(l, ":"):
		return true // 各位代表：
	case isParenthesized(compact):
		return true // （政治协商稿） （2008年3月27日）
	case chineseDateIn(compact) != "" && utf8.RuneCountInString(compact) <= 14:
		return true // 2003年4月7日
	case isSectionHeading(compact):
		return true // 一、2018年工作回顾
	}
	if strings.Contains(compact, "〕") && strings.HasSuffix(compact, "号") && utf8.RuneCountInString(compact) <= 20 {
		return true // 国办函〔2018〕71号
	}
	if utf8.RuneCountInString(compact) <= 30 && inferType(compact, "") == "" && !strings.Contains(compact, "关于") {
		for _, rank := range officialRanks {
			if strings.Contains(compact, rank) {
				return true
			}
		}
	}
	return false
}

// isSectionHeading reports whether s starts like a numbered section:
// "一、", "（一）", "第一章", "第三条".
func isSectionHeading(s string) bool {
	rest, ordinal := strings.CutPrefix(s, "第")
	if !ordinal {
		rest = strings.TrimLeft(rest, "（(")
	}
	n := 0
	for _, r := range rest {
		if !strings.ContainsRune("一二三四五六七八九十百零〇", r) {
			break
		}
		n += utf8.RuneLen(r)
	}
	if n == 0 {
		return false
	}
	next, _ := utf8.DecodeRuneInString(rest[n:])
	if ordinal {
		return strings.ContainsRune("章条节编", next)
	}
	return strings.ContainsRune("、）).．", next)
}

// isParenthesized reports whether s is wholly enclosed in brackets.
func isParenthesized(s string) bool {
	return (strings.HasPrefix(s, "（") || strings.HasPrefix(s, "(")) &&
		(strings.HasSuffix(s, "）") || strings.HasSuffix(s, ")"))
}

// isSentence reports whether a line is running text rather than a heading.
func isSentence(l string) bool {
	n := utf8.RuneCountInString(l)
	if n > 100 {
		return true
	}
	switch r, _ := utf8.DecodeLastRuneInString(l); r {
	case '。', '；', '！', '？', ';', '!', '?':
		return true
	}
	return n > 30 && strings.Contains(l, "，")
}

// looksLikeTitle reports whether a line reads as a document title: a
// heading-length line ending in a document type.
func looksLikeTitle(t string) bool {
	n := utf8.RuneCountInString(t)
	if n < 2 || n > 100 || isSentence(t) {
		return false
	}
	return inferType(t, "") != ""
}

// continuesTitle reports whether next continues the title t: t has an open
// 《 or （, or next is a short ending such as "的决议" or "试点工作方案》的通知".
func continuesTitle(t, next string) bool {
	if strings.Count(t, "《") > strings.Count(t, "》") || strings.Count(t, "（") > strings.Count(t, "）") {
		return !isSentence(next)
	}
	return strings.HasPrefix(next, "的") && utf8.RuneCountInString(next) <= 12 && inferType(next, "") != ""
}

// isIssuer reports whether a line names an issuing body, as the first line
// of "安徽省人民代表大会常务委员会 / 关于批准《…》的决议" does.
func isIssuer(t string) bool {
	if utf8.RuneCountInString(t) > 30 {
		return false
	}
	for _, s := range []string{"委员会", "人民政府", "办公厅", "办公室", "国务院"} {
		if strings.HasSuffix(t, s) {
			return true
		}
	}
	return false
}

// collapseSpaced joins titles spaced out for layout: "政 府 工 作 报 告" →
// "政府工作报告". Only lines whose every space-separated token is a single
// Han character are joined.
func collapseSpaced(l string) string {
	fields := strings.Fields(l)
	if len(fields) < 3 {
		return l
	}
	for _, f := range fields {
		r, size := utf8.DecodeRuneInString(f)
		if size != len(f) || !unicode.Is(unicode.Han, r) {
			return l
		}
	}
	return strings.Join(fields, "")
}

// titleFromName makes a title from a file name: the extension, a leading
// "2023_" or "2018-11-09_" and a trailing "(2018-11-06)" are dropped and
// underscores become spaces. It returns "" when fewer than two Han
// characters remain (2013.txt, content_5338761.html).
func titleFromName(name string) string {
	base := path.Base(name)
	base = strings.TrimSuffix(base, path.Ext(base))
	if i := strings.IndexByte(base, '_'); i > 0 && allDigits(strings.ReplaceAll(base[:i], "-", "")) {
		base = base[i+1:]
	}
	if i := strings.LastIndexAny(base, "(（"); i > 0 && isoDateIn(base[i:]) != "" {
		base = base[:i]
	}
	base = joinUnderscores(base)
	han := 0
	for _, r := range base {
		if unicode.Is(unicode.Han, r) {
			han++
		}
	}
	if han < 2 {
		return ""
	}
	return base
}

// joinUnderscores removes the underscores that separate parts of a file
// name, keeping a space where they stand between non-Han words.
func joinUnderscores(s string) string {
	if !strings.Contains(s, "_") {
		return s
	}
	var b strings.Builder
	for i, part := range strings.Split(s, "_") {
		if part == "" {
			continue
		}
		if i > 0 && b.Len() > 0 {
			prev, _ := utf8.DecodeLastRuneInString(b.String())
			next, _ := utf8.DecodeRuneInString(part)
			if !unicode.Is(unicode.Han, prev) || !unicode.Is(unicode.Han, next) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(part)
	}
	return b.String()
}

// cleanTitle collapses white space, joins spaced-out characters, drops a
// trailing note of adoption such as "（2019年5月30日…会议通过）" and caps
// the title at maxTitleRunes runes.
func cleanTitle(t string) string {
	t = collapseSpaced(strings.Join(strings.Fields(t), " "))
	if i := strings.LastIndexAny(t, "（("); i > 0 && isParenthesized(t[i:]) {
		note := t[i:]
		for _, w := range []string{"通过", "批准", "公布", "施行"} {
			if strings.Contains(note, w) && chineseDateIn(note) != "" {
				t = strings.TrimSpace(t[:i])
				break
			}
		}
	}
	if utf8.RuneCountInString(t) > maxTitleRunes {
		rs := []rune(t)
		t = strings.TrimSpace(string(rs[:maxTitleRunes]))
	}
	return t
}
