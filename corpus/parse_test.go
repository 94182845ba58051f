package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// readSample returns the bytes of a file of the embedded sample corpus.
func readSample(t testing.TB, name string) []byte {
	t.Helper()
	data, err := fs.ReadFile(Sample(), name)
	if err != nil {
		t.Fatalf("read sample %s: %v", name, err)
	}
	return data
}

// readFixture returns the bytes of a file under testdata/corpus.
func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "corpus", filepath.FromSlash(name)))
	if err != nil {
		t.Fatalf("read fixture %s: %v", name, err)
	}
	return data
}

// parseOne parses a file that must yield exactly one document.
func parseOne(t *testing.T, name string, data []byte) Document {
	t.Helper()
	docs, err := Parse(name, data, nil)
	if err != nil {
		t.Fatalf("Parse(%q) error = %v", name, err)
	}
	if len(docs) != 1 {
		t.Fatalf("Parse(%q) gave %d documents, want 1", name, len(docs))
	}
	return docs[0]
}

// meta is the inferred metadata of a document, without text and identity.
type meta struct {
	Title, Region, Province, City, County string
	Level                                 Level
	Date                                  string
	Year                                  int
	Type                                  string
}

func metaOf(d Document) meta {
	return meta{d.Title, d.Region, d.Province, d.City, d.County, d.Level, d.Date, d.Year, d.Type}
}

func TestParseFixtures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		want     meta
		contains []string // phrases the body must contain
		excludes []string // text the body must not contain
	}{
		{
			name: "gbk/2013_hailaer_excerpt.txt",
			want: meta{Title: "政府工作报告", Region: "海拉尔区", Province: "内蒙古自治区", City: "呼伦贝尔市", County: "海拉尔区",
				Level: LevelCounty, Date: "2013-02-28", Year: 2013, Type: "政府工作报告"},
			contains: []string{"海拉尔区人民政府区长", "现在，我代表区政府向大会作工作报告", "关停晨鸣公司3.5万吨造纸生产线"},
			excludes: []string{"\r", "\uFFFD"},
		},
		{
			name: "html/2018-12-06_holidays_2019.html",
			want: meta{Title: "国务院办公厅关于2019年部分节假日安排的通知", Region: RegionNational, Level: LevelNational,
				Date: "2018-12-06", Year: 2018, Type: "通知"},
			contains: []string{"元旦：2018年12月30日至2019年1月1日放假调休，共3天。", "国务院办公厅"},
			excludes: []string{"SCRIPT_TEXT_MUST_NOT_APPEAR", "脚本文字", "hidden-style-marker", "NOSCRIPT_TEXT", "导航文字",
				"页眉文字", "页脚文字", "<", ">", "&nbsp;", "margin-top"},
		},
		{
			name: "html/2018-11-09_site_consolidation_gbk.htm",
			want: meta{Title: "国务院办公厅关于印发《政府网站集约化试点工作方案》的通知", Region: RegionNational,
				Level: LevelNational, Date: "2018-11-09", Year: 2018, Type: "通知"},
			contains: []string{"国办函〔2018〕71号", "各省、自治区、直辖市人民政府，国务院各部委、各直属机构："},
			excludes: []string{"<", "charset", "\uFFFD"},
		},
		{
			name: "md/songjiang_urban_renewal_2025.md",
			want: meta{Title: "上海市松江区人民政府办公室关于转发区建设管理委制订的《松江区城市更新2025年度实施计划》的通知",
				Region: "松江区", Province: "上海市", City: "上海市", County: "松江区", Level: LevelCounty,
				Date: "2025-07-15", Year: 2025, Type: "通知"},
			contains: []string{"城市更新", "各镇人民政府、街道办事处"},
			excludes: []string{"---", "标题:", "](", "本文正文由脚本", "# "},
		},
		{
			name: "wordml/2020_hainan_civilized_behaviour_excerpt.txt",
			want: meta{Title: "海南省文明行为促进条例", Region: "海南省", Province: "海南省", Level: LevelProvince,
				Date: "2020-09-30", Year: 2020, Type: "地方性法规"},
			contains: []string{"（2020年9月30日海南省第六届人民代表大会常务委员会第二十三次会议通过）", "第一章 总则"},
			excludes: []string{"<w:", "xml", "æ", "\uFFFD"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := parseOne(t, tt.name, readFixture(t, tt.name))
			if diff := cmp.Diff(tt.want, metaOf(d)); diff != "" {
				t.Errorf("Parse(%q) metadata mismatch (-want +got):\n%s", tt.name, diff)
			}
			for _, s := range tt.contains {
				if !strings.Contains(d.Body, s) {
					t.Errorf("Parse(%q) body lacks %q", tt.name, s)
				}
			}
			for _, s := range tt.excludes {
				if strings.Contains(d.Body, s) {
					t.Errorf("Parse(%q) body contains %q", tt.name, s)
				}
			}
		})
	}
}

func TestParseMarkdownFrontMatter(t *testing.T) {
	t.Parallel()
	d := parseOne(t, "md/songjiang_urban_renewal_2025.md", readFixture(t, "md/songjiang_urban_renewal_2025.md"))
	got := []string{d.DocNumber, d.Issuer, d.SourceURL}
	want := []string{"沪松府办〔2025〕31号", "上海市松江区人民政府办公室",
		"https://www.shanghai.gov.cn/zhengce/detail?businessId=00fa808bacf14a3190ed1c245210d57f&siteId=0082"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("front matter mismatch (-want +got):\n%s", diff)
	}
}

func TestParseJSONL(t *testing.T) {
	t.Parallel()
	const name = "jsonl/npc_resolutions.jsonl"
	docs, err := Parse(name, readFixture(t, name), nil)
	var got []meta
	for _, d := range docs {
		got = append(got, metaOf(d))
	}
	want := []meta{
		{Title: "第十三届全国人民代表大会第一次会议关于政府工作报告的决议", Region: RegionNational, Level: LevelNational, Date: "2018", Year: 2018, Type: "决议"},
		{Title: "第十三届全国人民代表大会第二次会议关于政府工作报告的决议", Region: RegionNational, Level: LevelNational, Date: "2019", Year: 2019, Type: "决议"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse(%q) documents mismatch (-want +got):\n%s", name, diff)
	}
	var skip *SkipError
	if !errors.As(err, &skip) {
		t.Fatalf("Parse(%q) error = %v, want a *SkipError for the broken line", name, err)
	}
	if skip.Path != name || skip.Line != 2 || !strings.HasPrefix(skip.Reason, "invalid json") {
		t.Errorf("skip = %+v, want line 2 of %s with an invalid json reason", skip, name)
	}
	if docs[0].ID == docs[1].ID || docs[0].ID != DocID(name+"#1") || docs[1].ID != DocID(name+"#3") {
		t.Errorf("IDs = %s, %s; want DocID(name#1), DocID(name#3)", docs[0].ID, docs[1].ID)
	}
	lines := strings.Split(string(readFixture(t, name)), "\n")
	if docs[1].Size != len(lines[2]) {
		t.Errorf("Size of line 3 = %d, want %d", docs[1].Size, len(lines[2]))
	}
}

func TestParseJSONArray(t *testing.T) {
	t.Parallel()
	const name = "json/resolutions_array.json"
	docs, err := Parse(name, readFixture(t, name), nil)
	if len(docs) != 1 {
		t.Fatalf("Parse(%q) gave %d documents, want 1", name, len(docs))
	}
	if got, want := docs[0].Title, "第十四届全国人民代表大会第一次会议关于政府工作报告的决议"; got != want {
		t.Errorf("Title = %q, want %q", got, want)
	}
	if got, want := docs[0].Date, "2023-03-13"; got != want {
		t.Errorf("Date = %q, want %q", got, want)
	}
	var skip *SkipError
	if !errors.As(err, &skip) || skip.Line != 2 || !errors.Is(err, ErrNoText) {
		t.Errorf("Parse(%q) error = %v, want ErrNoText for element 2", name, err)
	}
}

func TestParseSkips(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"binary.txt", readFixture(t, "bad/binary.txt"), ErrBinary},
		{"empty.txt", nil, ErrEmpty},
		{"whitespace.md", readFixture(t, "bad/whitespace.md"), ErrEmpty},
		{"latin1.txt", []byte("caf\xe9 cr\xe8me br\xfbl\xe9e, na\xefve fa\xe7ade"), ErrUndecodable},
		{"picture.png", []byte("\x89PNG"), ErrUnsupported},
		{"noext", []byte("text"), ErrUnsupported},
		{"markup-only.html", []byte("<div><script>x()</script><img src=a.gif></div>"), ErrEmpty},
		{"bad.json", []byte(`{"title": "x", `), nil},
		{"no-text.json", []byte(`{"title": "只有标题"}`), ErrNoText},
		{"scalar.json", []byte(`"just a string"`), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			docs, err := Parse(tt.name, tt.data, nil)
			if len(docs) != 0 {
				t.Errorf("Parse(%q) gave %d documents, want none", tt.name, len(docs))
			}
			var skip *SkipError
			if !errors.As(err, &skip) {
				t.Fatalf("Parse(%q) error = %v, want a *SkipError", tt.name, err)
			}
			if skip.Path != tt.name || skip.Reason == "" {
				t.Errorf("skip = %+v, want path %q and a reason", skip, tt.name)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("Parse(%q) error = %v, want %v", tt.name, err, tt.want)
			}
		})
	}
}

func TestParseIdentity(t *testing.T) {
	t.Parallel()
	data := []byte("关于印发某市养老服务方案的通知\n\n正文。")
	a := parseOne(t, "a/通知.txt", data)
	b := parseOne(t, "./a//通知.txt", data)
	c := parseOne(t, "b/通知.txt", data)
	if a.ID != b.ID || a.Path != "a/通知.txt" || b.Path != a.Path {
		t.Errorf("IDs or paths differ for the same clean path: %+v vs %+v", a, b)
	}
	if a.ID == c.ID {
		t.Errorf("IDs of a/通知.txt and b/通知.txt are both %s", a.ID)
	}
	if len(a.ID) != 16 || strings.Trim(a.ID, "0123456789abcdef") != "" {
		t.Errorf("ID = %q, want 16 lowercase hex digits", a.ID)
	}
	if sum := sha256.Sum256(data); a.Hash != hex.EncodeToString(sum[:]) {
		t.Errorf("Hash = %q, want the SHA-256 of the source", a.Hash)
	}
	if a.Size != len(data) {
		t.Errorf("Size = %d, want %d", a.Size, len(data))
	}
}

func TestParseSample(t *testing.T) {
	t.Parallel()
	// Inference alone, without the manifest.
	tests := []struct {
		name string
		want meta
	}{
		{
			name: "docs/seed/2023_济南市槐荫区_两会融媒特别策划.txt",
			want: meta{Title: "2023济南区县两会融媒特别策划", Region: "济南市槐荫区", Province: "山东省", City: "济南市",
				County: "槐荫区", Level: LevelCounty, Date: "2023", Year: 2023},
		},
		{
			name: "docs/gwr-provincial-2026/吉林省/2026_吉林省_政府工作报告.txt",
			want: meta{Title: "2026年吉林省政府工作报告", Region: "吉林省", Province: "吉林省", Level: LevelProvince,
				Date: "2026-01-27", Year: 2026, Type: "政府工作报告"},
		},
		{
			name: "docs/gwr-county-baoding/清苑区/2003_保定市清苑区2003年政府工作报告.txt",
			want: meta{Title: "保定市清苑区2003年政府工作报告", Region: "保定市清苑区", Province: "河北省", City: "保定市",
				County: "清苑区", Level: LevelCounty, Date: "2003-04-07", Year: 2003, Type: "政府工作报告"},
		},
		{
			name: "docs/gwr-county-baoding/徐水区/2010_徐水县2010年政府工作报告.txt",
			want: meta{Title: "徐水县2010年政府工作报告", Region: "徐水县", Province: "河北省", City: "保定市",
				County: "徐水区", Level: LevelCounty, Date: "2010-02-04", Year: 2010, Type: "政府工作报告"},
		},
		{
			name: "docs/gwr-county-baoding/满城区/2022_保定市满城区2022年政府工作报告.txt",
			want: meta{Title: "保定市满城区2022年政府工作报告", Region: "保定市满城区", Province: "河北省", City: "保定市",
				County: "满城区", Level: LevelCounty, Date: "2022-01-27", Year: 2022, Type: "政府工作报告"},
		},
		{
			name: "docs/state-council-policies-govcn/2018-12-22_content_5351177.html",
			want: meta{Title: "中华人民共和国个人所得税法实施条例", Region: RegionNational, Level: LevelNational,
				Date: "2018-12-22", Year: 2018, Type: "行政法规"},
		},
		{
			name: "docs/local-regulations-lawrefbook/浙江/浙江省景宁畲族自治县自治条例(2021-06-15).md",
			want: meta{Title: "浙江省景宁畲族自治县自治条例", Region: "浙江省", Province: "浙江省", Level: LevelProvince,
				Date: "2021-06-15", Year: 2021, Type: "地方性法规"},
		},
		{
			name: "docs/local-regulations-lawrefbook/山东/莱芜市既有多层住宅增设电梯规定(2017-12-01).md",
			want: meta{Title: "莱芜市既有多层住宅增设电梯规定", Region: "莱芜市", Province: "山东省", City: "莱芜市",
				Level: LevelCity, Date: "2017-12-01", Year: 2017, Type: "规定"},
		},
		{
			name: "docs/civilized-behaviour-regulations/吉林省/2021_延边朝鲜族自治州文明行为促进条例.txt",
			want: meta{Title: "延边朝鲜族自治州文明行为促进条例", Region: "延边朝鲜族自治州", Province: "吉林省",
				City: "延边朝鲜族自治州", Level: LevelCity, Date: "2021-09-28", Year: 2021, Type: "地方性法规"},
		},
		{
			name: "docs/district-policies-shanghai/奉贤区/上海市奉贤区人民政府关于印发奉贤区海绵城市规划建设管理办法的通知.md",
			want: meta{Title: "上海市奉贤区人民政府关于印发《奉贤区海绵城市规划建设管理办法》的通知", Region: "奉贤区",
				Province: "上海市", City: "上海市", County: "奉贤区", Level: LevelCounty, Date: "2026-01-27", Year: 2026, Type: "通知"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := parseOne(t, tt.name, readSample(t, tt.name))
			if diff := cmp.Diff(tt.want, metaOf(d)); diff != "" {
				t.Errorf("Parse(%q) metadata mismatch (-want +got):\n%s", tt.name, diff)
			}
		})
	}
}

func TestParseTraditionalJSON(t *testing.T) {
	t.Parallel()
	const name = "docs/gwr-national-wikisource/1954_国务院政府工作报告.json"
	d := parseOne(t, name, readSample(t, name))
	want := Document{Title: "1954年中华人民共和国国务院政府工作报告", Region: RegionNational, Level: LevelNational,
		Date: "1954", Year: 1954, Type: "政府工作报告"}
	opts := cmpopts.IgnoreFields(Document{}, "ID", "Body", "Path", "Hash", "Size", "SourceURL")
	if diff := cmp.Diff(want, d, opts); diff != "" {
		t.Errorf("Parse(%q) mismatch (-want +got):\n%s", name, diff)
	}
	if !strings.Contains(d.Body, "我們第一届全國人民代表大會第一次會議") {
		t.Errorf("body lacks the traditional-character opening")
	}
	// Wikisource's licence notice is not part of the report.
	if strings.Contains(d.Body, "公有领域") || strings.Contains(d.Body, "Public domain") {
		t.Errorf("body keeps the Wikisource licence notice")
	}
}

func TestParseChromeRemoved(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		prefix   string // the body must start with it
		excludes []string
	}{
		{"docs/gwr-provincial-2026/河北省/2026_河北省_政府工作报告.txt", "2026年河北省政府工作报告", []string{"【字号"}},
		{"docs/gwr-county-baoding/博野县/2024_博野县2024年政府工作报告.txt", "工作报告", []string{"分享到", "阅读排行", "标签云"}},
		{"docs/gwr-county-baoding/顺平县/2024_顺平县2024年政府工作报告.txt", "各位代表：", []string{"&nbsp;"}},
		{"docs/gwr-county-baoding/清苑区/2003_保定市清苑区2003年政府工作报告.txt", "政府工作报告\n", []string{`\r\n`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := parseOne(t, tt.name, readSample(t, tt.name))
			if !strings.HasPrefix(d.Body, tt.prefix) {
				t.Errorf("body starts %q, want %q", d.Body[:min(len(d.Body), 40)], tt.prefix)
			}
			for _, s := range tt.excludes {
				if strings.Contains(d.Body, s) {
					t.Errorf("body contains %q", s)
				}
			}
		})
	}
}

func TestParseValidUTF8(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data []byte
	}{
		{"a.txt", []byte("\xef\xbb\xbf标题\r\n正文\u200b\x07内容")},
		{"b.md", []byte("# 标题\n\n[链接](http://x) **粗体** `代码` <br> ![图](y.png)")},
		{"c.json", []byte(`{"title":"\udc00 bad surrogate","content":"正文\u0000"}`)},
		{"d.html", []byte("<title>标题</title><p>正文&#0;&#xD800;<![CDATA[x]]></p><!-- 注释 -->")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			docs, err := Parse(tt.name, tt.data, nil)
			if len(docs) != 1 {
				t.Fatalf("Parse(%q) = %d documents, %v; want 1", tt.name, len(docs), err)
			}
			d := docs[0]
			for _, s := range []string{d.Title, d.Body, d.Region} {
				if !utf8.ValidString(s) {
					t.Errorf("Parse(%q) produced invalid UTF-8 %q", tt.name, s)
				}
			}
			if strings.ContainsAny(d.Body, "\x00*`[]<>") {
				t.Errorf("Parse(%q) body %q keeps markup or NUL", tt.name, d.Body)
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	for _, bm := range []struct{ name, path string }{
		{"txt", "docs/gwr-provincial-2026/山东省/2026_山东省_政府工作报告.txt"},
		{"md", "docs/local-regulations-lawrefbook/上海/上海市城市更新条例(2021-08-25).md"},
		{"html", "docs/state-council-policies-govcn/2018-12-29_content_5353308.html"},
		{"json", "docs/gwr-national-wikisource/2024_国务院政府工作报告.json"},
		{"gbk", "docs/gwr-national-gbk/2014.txt"},
		{"wordml", "docs/civilized-behaviour-regulations/海南省/2020_海南省文明行为促进条例.txt"},
	} {
		name := bm.path
		data := readSample(b, name)
		g := testGazetteer(b)
		b.Run(bm.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(name, data, g); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
