package corpus

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestInferTitle(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, path, body, want string
	}{
		{
			name: "web chrome before the title",
			path: "2026_吉林省_政府工作报告.txt",
			body: "下载\n打印\n全屏\n收藏\n【字号：\n加大\n还原\n减小\n】\n2026年吉林省政府工作报告\n——2026年1月27日在吉林省第十四届人民代表大会第五次会议上\n来源：吉林日报",
			want: "2026年吉林省政府工作报告",
		},
		{
			name: "spaced-out title",
			path: "2013.txt",
			body: "政 府 工 作 报 告\n----2013年2月28日在海拉尔区第十四届人民代表大会第二次会议\n海拉尔区人民政府区长　　杜联合\n各位代表：",
			want: "政府工作报告",
		},
		{
			name: "aggregator label before the title",
			path: "2021_2021年博野县政府工作报告.txt",
			body: "工作报告\n2021年博野县政府工作报告\n时间：2023-01-24????\t作者：中国县域\n303\n评论：",
			want: "2021年博野县政府工作报告",
		},
		{
			name: "generic title completed from the file name",
			path: "docs/涞水县/2010_涞水县2010年政府工作报告.txt",
			body: "政府工作报告\n——2010年2月3日在涞水县第十四届人民代表大会第四次会议上\n涞水县人民政府县长 于舒心\n各位代表：现在，我代表县人民政府，向大会作工作报告。",
			want: "涞水县2010年政府工作报告",
		},
		{
			name: "speech without a title falls back to the file name",
			path: "2010_徐水县2010年政府工作报告.txt",
			body: "2010年2月4日在徐水县第十四届人民代表大会第四次会议上\n徐水县人民政府县长李保森\n各位代表：\n现在，我代表县人民政府向大会报告工作，请予审议。\n一、2009年工作回顾",
			want: "徐水县2010年政府工作报告",
		},
		{
			name: "title broken over three lines",
			path: "2018-11-28_content_5344150.html",
			body: "国务院关于同意乌鲁木齐、昌吉、石河子\n高新技术产业开发区建设\n国家自主创新示范区的批复\n国函〔2018〕145号\n科技部、新疆维吾尔自治区人民政府、新疆生产建设兵团：",
			want: "国务院关于同意乌鲁木齐、昌吉、石河子高新技术产业开发区建设国家自主创新示范区的批复",
		},
		{
			name: "open bracket joins the next line",
			path: "2018-11-09_content_5338761.html",
			body: "国务院办公厅关于印发《政府网站集约化\n试点工作方案》的通知\n国办函〔2018〕71号",
			want: "国务院办公厅关于印发《政府网站集约化试点工作方案》的通知",
		},
		{
			name: "issuer line and trailing 的决议",
			path: "2017_淮南市文明行为促进条例.txt",
			body: "安徽省人民代表大会常务委员会\n关于批准《淮南市文明行为促进条例》\n的决议\n（2017年3月31日安徽省第十二届人民代表大会常务委员会第三十七次会议通过）",
			want: "安徽省人民代表大会常务委员会关于批准《淮南市文明行为促进条例》的决议",
		},
		{
			name: "decree number and sentences before the title",
			path: "2018-12-22_content_5351177.html",
			body: "中华人民共和国国务院令\n第707号\n现公布修订后的《中华人民共和国个人所得税法实施条例》，自2019年1月1日起施行。\n总理　　李克强\n2018年12月18日\n中华人民共和国个人所得税法实施条例",
			want: "中华人民共和国个人所得税法实施条例",
		},
		{
			name: "metadata block",
			path: "2018_高阳县2018年政府工作报告.txt",
			body: "标题：高阳县2018年政府工作报告\n发文单位：高阳县人民政府\n发文时间：2018-01-31",
			want: "高阳县2018年政府工作报告",
		},
		{
			name: "adoption note dropped",
			path: "2019_河北省文明行为促进条例.txt",
			body: "河北省文明行为促进条例（2019年5月30日河北省第十三届人民代表大会常务委员会第十次会议通过）\n第一章　总　则",
			want: "河北省文明行为促进条例",
		},
		{
			name: "first meaningful line",
			path: "2023_济南市槐荫区_两会融媒特别策划.txt",
			body: "\n\n2023济南区县两会融媒特别策划\n\n强省会 再出发\n\n槐荫区全力打造“齐鲁门户、医养之都”。",
			want: "2023济南区县两会融媒特别策划",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := inferTitle(tt.body, tt.path); got != tt.want {
				t.Errorf("inferTitle(%q) = %q, want %q", tt.body, got, tt.want)
			}
		})
	}
}

func TestInferType(t *testing.T) {
	t.Parallel()
	tests := []struct {
		title string
		level Level
		want  string
	}{
		{"2026年吉林省政府工作报告", LevelProvince, "政府工作报告"},
		{"第十三届全国人民代表大会第一次会议关于政府工作报告的决议", LevelNational, "决议"},
		{"山东省养老服务条例", LevelProvince, "地方性法规"},
		{"失业保险条例", LevelNational, "行政法规"},
		{"物业管理条例", "", "行政法规"},
		{"北京市物业管理条例（草案）", LevelProvince, "地方性法规"},
		{"国务院关于做好当前和今后一个时期促进就业工作的若干意见", LevelNational, "意见"},
		{"关于印发《金山区海绵城市规划建设管理实施细则》的通知", LevelCounty, "通知"},
		{"社会救助暂行办法", LevelNational, "办法"},
		{"国务院关于同意建立国务院职业教育工作部际联席会议制度的批复", LevelNational, "批复"},
		{"2023济南区县两会融媒特别策划", LevelCounty, ""},
	}
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			t.Parallel()
			if got := inferType(tt.title, tt.level); got != tt.want {
				t.Errorf("inferType(%q, %q) = %q, want %q", tt.title, tt.level, got, tt.want)
			}
		})
	}
}

func TestInferPlace(t *testing.T) {
	t.Parallel()
	g := testGazetteer(t)
	type place struct {
		Region, Province, City, County string
		Level                          Level
	}
	tests := []struct {
		name, title, path, body string
		want                    place
	}{
		{
			name:  "county chain from the title",
			title: "保定市清苑区2023年政府工作报告",
			want:  place{"保定市清苑区", "河北省", "保定市", "清苑区", LevelCounty},
		},
		{
			name:  "municipal district gets the municipality as city",
			title: "上海市奉贤区人民政府关于印发《奉贤区海绵城市规划建设管理办法》的通知",
			want:  place{"奉贤区", "上海市", "上海市", "奉贤区", LevelCounty},
		},
		{
			name:  "a place that is the subject of a regulation does not narrow it",
			title: "浙江省景宁畲族自治县自治条例",
			want:  place{"浙江省", "浙江省", "", "", LevelProvince},
		},
		{
			name:  "national marker before any place",
			title: "国务院办公厅关于湖北省在温家宝总理考察工作时所提问题和建议办理情况的函",
			want:  place{RegionNational, "", "", "", LevelNational},
		},
		{
			name:  "path refines the title",
			title: "2023济南区县两会融媒特别策划",
			path:  "docs/seed/2023_济南市槐荫区_两会融媒特别策划.txt",
			want:  place{"济南市槐荫区", "山东省", "济南市", "槐荫区", LevelCounty},
		},
		{
			name:  "folder name when the title has no place",
			title: "泰山风景名胜区保护管理条例",
			path:  "docs/local-regulations-lawrefbook/山东/泰山风景名胜区保护管理条例.md",
			want:  place{"山东省", "山东省", "", "", LevelProvince},
		},
		{
			name:  "head of the text as a last resort",
			title: "政府工作报告",
			path:  "docs/gwr-national-gbk/2013.txt",
			body:  "政 府 工 作 报 告\n----2013年2月28日在海拉尔区第十四届人民代表大会第二次会议\n",
			want:  place{"海拉尔区", "内蒙古自治区", "呼伦贝尔市", "海拉尔区", LevelCounty},
		},
		{
			name:  "former name keeps the text and today's unit",
			title: "2010年徐水县政府工作报告",
			want:  place{"徐水县", "河北省", "保定市", "徐水区", LevelCounty},
		},
		{
			name:  "nothing known",
			title: "保护海底电缆规定",
			path:  "docs/national-regulations-lawrefbook/保护海底电缆规定(1973-05-30).md",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := Document{Title: tt.title, Path: tt.path, Body: tt.body}
			inferPlace(&d, g)
			got := place{d.Region, d.Province, d.City, d.County, d.Level}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("inferPlace(%q) mismatch (-want +got):\n%s", tt.title, diff)
			}
		})
	}
}

func TestFillChain(t *testing.T) {
	t.Parallel()
	g := testGazetteer(t)
	d := Document{Region: "济南市", Body: "x"}
	fillChain(&d, g)
	want := Document{Region: "济南市", Province: "山东省", City: "济南市", Level: LevelCity, Body: "x"}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("fillChain mismatch (-want +got):\n%s", diff)
	}
}
