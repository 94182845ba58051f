package indexer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// wantAmount is the part of an amount entity a test states; offsets are
// checked separately by checkEntityOffsets.
type wantAmount struct {
	Text    string
	Number  float64
	Unit    string
	Measure string
}

// wantAmountsOf projects entities to amounts.
func wantAmountsOf(es []Entity) []wantAmount {
	var out []wantAmount
	for _, e := range es {
		out = append(out, wantAmount{e.Text, e.Number, e.Unit, e.Measure})
	}
	return out
}

// checkEntityOffsets checks the offset contract shared by the entity parsers:
// each entity has the given kind, 0 ≤ Start ≤ End ≤ len(text) on UTF-8
// boundaries, Text == text[Start:End], and entities do not go backwards.
func checkEntityOffsets(t *testing.T, text string, es []Entity, kind Kind) {
	t.Helper()
	// Boundaries are where ranging over text starts a rune; an invalid
	// byte is a rune of its own, so a stray continuation byte is one too.
	boundary := map[int]bool{len(text): true}
	for i := range text {
		boundary[i] = true
	}
	prev := 0
	for _, e := range es {
		if e.Kind != kind {
			t.Errorf("entity %+v: kind %q, want %q", e, e.Kind, kind)
		}
		if e.Start < 0 || e.Start > e.End || e.End > len(text) {
			t.Fatalf("entity %+v: offsets outside [0, %d]", e, len(text))
		}
		if !boundary[e.Start] || !boundary[e.End] {
			t.Errorf("entity %+v: offsets not on UTF-8 boundaries", e)
		}
		if e.Text != text[e.Start:e.End] {
			t.Errorf("entity %+v: Text != text[%d:%d] = %q", e, e.Start, e.End, text[e.Start:e.End])
		}
		if e.Start < prev {
			t.Errorf("entity %+v starts before the previous one at %d", e, prev)
		}
		prev = e.Start
	}
}

func TestParseAmounts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text string
		want []wantAmount
	}{
		{
			// docs/seed/2023_济南市槐荫区_两会融媒特别策划.txt (a heading)
			name: "total investment and project count",
			text: "加快推进总投资2974亿元的 183个重点项目建设",
			want: []wantAmount{
				{"2974亿元", 2.974e11, "元", "总投资"},
				{"183个", 183, "个", ""},
			},
		},
		{
			// docs/seed/2023_济南市槐荫区_两会融媒特别策划.txt
			name: "seed investment 2000",
			text: "作为槐荫区最大的新动能所在和最大的高能级发展载体，总投资2000亿元的济南国际医学科学中心正崛起成峰",
			want: []wantAmount{{"2000亿元", 2e11, "元", "总投资"}},
		},
		{
			// docs/seed/2023_济南市槐荫区_两会融媒特别策划.txt
			name: "fund size across a verb",
			text: "推动山东数字金融产业园扩容升级，力争入驻企业达到90家，基金管理规模达到230亿元以上。",
			want: []wantAmount{
				{"90家", 90, "家", ""},
				{"230亿元", 2.3e10, "元", "基金管理规模"},
			},
		},
		{
			// docs/seed/2023_济南市槐荫区_两会融媒特别策划.txt
			name: "building area in 万平方米",
			text: "扎实推进总建筑面积52万平方米的老旧小区改造工程",
			want: []wantAmount{{"52万平方米", 520000, "平方米", "总建筑面积"}},
		},
		{
			// docs/seed/2023_济南市槐荫区_两会融媒特别策划.txt: 阳光100小学 has no unit.
			name: "counts and a school name",
			text: "建成烟台路小学等3处居住区配套教育设施，开工建设恒远学校初中部等8处居住区配套教育设施，完成西城实验学校、阳光100中学教学楼加建工程，实施阳光100小学等3所学校活动场地改造。",
			want: []wantAmount{
				{"3处", 3, "处", ""},
				{"8处", 8, "处", ""},
				{"3所", 3, "所", ""},
			},
		},
		{
			// docs/seed/2023_济南市槐荫区_两会融媒特别策划.txt: 一批 is an article.
			name: "article and range",
			text: "建成一批基础型智慧社区，打造1—2个成长型和标杆型智慧社区",
			want: []wantAmount{{"2个", 2, "个", ""}},
		},
		{
			// docs/gwr-national-wikisource/2013_国务院政府工作报告.json
			name: "1.2 trillion",
			text: "今年拟安排财政赤字1.2万亿元",
			want: []wantAmount{{"1.2万亿元", 1.2e12, "元", "赤字"}},
		},
		{
			// docs/gwr-national-wikisource/2025_国务院政府工作报告.json
			name: "two trillions",
			text: "一般公共预算支出规模29.7万亿元、比上年增加1.2万亿元",
			want: []wantAmount{
				{"29.7万亿元", 2.97e13, "元", "规模"},
				{"1.2万亿元", 1.2e12, "元", ""},
			},
		},
		{
			// docs/gwr-national-wikisource/2018_国务院政府工作报告.json
			name: "percent growth",
			text: "今年发展主要预期目标是：国内生产总值增长6.5%左右",
			want: []wantAmount{{"6.5%", 6.5, "%", "国内生产总值"}},
		},
		{
			// docs/gwr-national-wikisource/1997_国务院政府工作报告.json
			name: "full-width digits with 多",
			text: "国内生产总值达到６７７００多亿元",
			want: []wantAmount{{"６７７００多亿元", 6.77e12, "元", "国内生产总值"}},
		},
		{
			// docs/gwr-national-wikisource/1997_国务院政府工作报告.json
			name: "full-width percent",
			text: "物价涨幅要从１４．８％降到１０％左右",
			want: []wantAmount{
				{"１４．８％", 14.8, "%", ""},
				{"１０％", 10, "%", ""},
			},
		},
		{
			// docs/gwr-national-wikisource/1957_国务院政府工作报告.json: 第一个 is an ordinal.
			name: "thousands separator and ordinal",
			text: "第一个五年期间铁路共新建8,500公里",
			want: []wantAmount{{"8,500公里", 8500, "公里", ""}},
		},
		{
			// docs/gwr-national-wikisource/1957_国务院政府工作报告.json
			name: "thousands separator people",
			text: "我们派出留学生6,435人",
			want: []wantAmount{{"6,435人", 6435, "人", ""}},
		},
		{
			// docs/gwr-national-wikisource/1981_国务院政府工作报告.json
			name: "Chinese numeral with 多 before 万",
			text: "这三年城镇共安排两千多万人就业",
			want: []wantAmount{{"两千多万人", 2e7, "人", ""}},
		},
		{
			// docs/civilized-behaviour-regulations/湖北省/2022_随州市文明行为促进条例.txt
			name: "Chinese numeral fines",
			text: "可以处两千元以上一万元以下罚款",
			want: []wantAmount{
				{"两千元", 2000, "元", ""},
				{"一万元", 10000, "元", ""},
			},
		},
		{
			// docs/gwr-national-wikisource/1958_国务院政府工作报告.json
			name: "Chinese numeral with 零",
			text: "水泥一百零五万吨",
			want: []wantAmount{{"一百零五万吨", 1.05e6, "吨", ""}},
		},
		{
			// docs/gwr-national-wikisource/1958_国务院政府工作报告.json
			name: "Chinese numeral with 亿 and 万",
			text: "生产资料的生产为三百五十六亿六千万元",
			want: []wantAmount{{"三百五十六亿六千万元", 3.566e10, "元", ""}},
		},
		{
			// docs/gwr-national-wikisource/1981_国务院政府工作报告.json: １９７９年 is a year.
			name: "year then count",
			text: "１９７９年有一千六百二十二个",
			want: []wantAmount{{"一千六百二十二个", 1622, "个", ""}},
		},
		{
			// docs/gwr-national-wikisource/1958_国务院政府工作报告.json: a slogan in quotes is not a count.
			name: "quoted numeral slogan",
			text: "属于苏联帮助设计的“一百五十六项”的有二十二个",
			want: []wantAmount{{"二十二个", 22, "个", ""}},
		},
		{
			// docs/gwr-national-wikisource/1954_国务院政府工作报告.json (traditional characters)
			name: "traditional 億 and 餘",
			text: "購材料而積壓資金一百四十四億餘元",
			want: []wantAmount{{"一百四十四億餘元", 1.44e10, "元", ""}},
		},
		{
			// docs/gwr-provincial-2026: 12.7个 is a fraction of a classifier, not a count.
			name: "percentage points",
			text: "技改投资增速分别高于全国12.7个、12个百分点",
			want: []wantAmount{{"12个百分点", 12, "个百分点", ""}},
		},
		{
			// docs/gwr-county-baoding/博野县/2024_博野县2024年政府工作报告.txt
			name: "mu and tonnes",
			text: "保障粮食生产面积36万亩、产量稳定在16万吨以上",
			want: []wantAmount{
				{"36万亩", 360000, "亩", "面积"},
				{"16万吨", 160000, "吨", "产量"},
			},
		},
		{
			// docs/gwr-county-baoding/博野县/2021_2021年博野县政府工作报告.txt
			name: "square kilometres",
			text: "中心城区达到10.96平方公里",
			want: []wantAmount{{"10.96平方公里", 10.96, "平方公里", ""}},
		},
		{
			// docs/gwr-county-baoding/博野县/2025_博野县2025年政府工作报告.txt
			name: "revenue across 超过",
			text: "力争年内开发区营业收入超过450亿元",
			want: []wantAmount{{"450亿元", 4.5e10, "元", "营业收入"}},
		},
		{
			// docs/civilized-behaviour-regulations/山东省/2019_聊城市文明行为促进条例.txt
			name: "percent in words",
			text: "媒介设置公益广告总量占比不低于广告数量的百分之三十",
			want: []wantAmount{{"百分之三十", 30, "%", ""}},
		},
		{
			// docs/gwr-county-baoding/徐水区/2024_保定市徐水区2024年政府工作报告.txt
			name: "hotline number",
			text: "12345政务服务热线受理群众诉求31431条",
			want: []wantAmount{{"31431条", 31431, "条", ""}},
		},
		{
			// testdata/bench/shandong-2026.txt
			name: "investment across 完成",
			text: "省市县重点项目完成投资2.8万亿元",
			want: []wantAmount{{"2.8万亿元", 2.8e12, "元", "投资"}},
		},
		{
			// Not in the corpus; the form the brief asks for.
			name: "两千亿元 and 十二",
			text: "设立规模两千亿元的基金，出台十二项措施",
			want: []wantAmount{
				{"两千亿元", 2e11, "元", "规模"},
				{"十二项", 12, "项", ""},
			},
		},
		// Negative cases: none of these is an amount.
		{
			// docs/seed/2023_济南市槐荫区_两会融媒特别策划.txt
			name: "year",
			text: "推动人才公寓项目2023年底交付使用",
		},
		{
			// docs/civilized-behaviour-regulations/湖北省/2018_襄阳市文明行为促进条例.txt
			name: "dates",
			text: "（2018年10月31日襄阳市第十七届人民代表大会常务委员会第十一次会议通过",
		},
		{
			name: "full date",
			text: "自2023年1月2日起施行，1月2日前",
		},
		{
			// docs/civilized-behaviour-regulations/湖北省/2018_襄阳市文明行为促进条例.txt
			name: "ordinal",
			text: "前款第三项规定的大型文体活动",
		},
		{
			name: "ordinal batch",
			text: "第一批、第3个",
		},
		{
			// docs/gwr-national-wikisource/2025_关于政府工作报告的决议.json
			name: "plan name",
			text: "高质量完成“十四五”规划目标任务，谋划十三五时期",
		},
		{
			// docs/state-council-policies-govcn/2018-12-29_content_5353308.html
			name: "document number",
			text: "国发〔2018〕42号、国发〔2018〕5号",
		},
		{
			// docs/gwr-national-wikisource/2018_国务院政府工作报告.json
			name: "slogan",
			text: "协调推进“四个全面”战略布局",
		},
		{
			// docs/local-regulations-lawrefbook/浙江/丽水市物业管理条例(2019-04-08).md
			name: "secondary water supply",
			text: "的变压器等供电设施设备和二次供水设施设备",
		},
		{
			// docs/gwr-national-wikisource/2016_国务院政府工作报告.json
			name: "parts",
			text: "扩大先进技术设备、关键零部件及紧缺能源原材料进口",
		},
		{
			name: "telephone and duration",
			text: "咨询电话：0531-86012345，3个月内、5个工作日内办结",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := ParseAmounts(tt.text)
			checkEntityOffsets(t, tt.text, got, KindAmount)
			if diff := cmp.Diff(tt.want, wantAmountsOf(got)); diff != "" {
				t.Errorf("ParseAmounts(%q) mismatch (-want +got):\n%s", tt.text, diff)
			}
			for _, e := range got {
				if e.Value != e.Text {
					t.Errorf("ParseAmounts(%q): Value %q != Text %q", tt.text, e.Value, e.Text)
				}
			}
		})
	}
}

// TestAmountUnitsOrder checks that no unit hides a longer one after it in
// amountUnits, since the first match wins.
func TestAmountUnitsOrder(t *testing.T) {
	t.Parallel()
	for i, short := range amountUnits {
		for _, long := range amountUnits[i+1:] {
			if strings.HasPrefix(long.written, short.written) {
				t.Errorf("unit %q comes before %q, which it prefixes", short.written, long.written)
			}
		}
	}
}

func FuzzParseAmounts(f *testing.F) {
	for _, s := range []string{
		"加快推进总投资2974亿元的 183个重点项目建设",
		"今年拟安排财政赤字1.2万亿元",
		"国内生产总值达到６７７００多亿元",
		"第一个五年期间铁路共新建8,500公里",
		"生产资料的生产为三百五十六亿六千万元",
		"百分之三十",
		"国发〔2018〕5号",
		"9999999999999999999999亿亿亿亿元",
		"亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿亿",
		"1,2,345.6.7个",
		"\xff\xfe万元",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		es := ParseAmounts(text)
		checkEntityOffsets(t, text, es, KindAmount)
		prevEnd := 0
		for _, e := range es {
			if e.Start < prevEnd {
				t.Errorf("ParseAmounts(%q): %+v overlaps the previous amount", text, e)
			}
			prevEnd = e.End
			if e.Start == e.End || e.Unit == "" || e.Number != e.Number || e.Number < 0 || e.Number >= 1e20 {
				t.Errorf("ParseAmounts(%q): bad amount %+v", text, e)
			}
		}
	})
}

// BenchmarkParseAmounts parses the 2026 Shandong government work report
// (testdata/bench, 54 KB).
func BenchmarkParseAmounts(b *testing.B) {
	src := readBenchText(b)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		ParseAmounts(src)
	}
}

// readBenchText reads the benchmark document.
func readBenchText(tb testing.TB) string {
	tb.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "bench", "shandong-2026.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	return string(src)
}
