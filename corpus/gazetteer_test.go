package corpus

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

func testGazetteer(t testing.TB) *Gazetteer {
	t.Helper()
	g, err := DefaultGazetteer()
	if err != nil {
		t.Fatalf("DefaultGazetteer() error = %v", err)
	}
	return g
}

func codes(ps []Place) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Code)
	}
	return out
}

func TestDefaultGazetteerSize(t *testing.T) {
	t.Parallel()
	g := testGazetteer(t)
	counts := map[Level]int{}
	for p := range g.Places() {
		counts[p.Level]++
	}
	// 31 provinces; 333 prefecture-level units once the placeholders
	// (市辖区, 县, 省直辖县级行政区划) are left out, plus the former 莱芜市
	// and 襄樊市 is only an alias; 2,978 county-level units.
	want := map[Level]int{LevelProvince: 31, LevelCity: 334, LevelCounty: 2978}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("places per level mismatch (-want +got):\n%s", diff)
	}
}

func TestLookup(t *testing.T) {
	t.Parallel()
	g := testGazetteer(t)
	tests := []struct {
		name string
		want []string
	}{
		{"济南市", []string{"3701"}},
		{"济南", []string{"3701"}},
		{"槐荫区", []string{"370104"}},
		{"槐荫", []string{"370104"}},
		{"内蒙古自治区", []string{"15"}},
		{"内蒙古", []string{"15"}},
		{"广西", []string{"45"}},
		{"景宁畲族自治县", []string{"331127"}},
		{"景宁", []string{"331127"}},
		{"延边", []string{"2224"}},
		{"恩施", []string{"4228", "422801"}}, // 恩施土家族苗族自治州 and 恩施市
		{"浦东", []string{"310115"}},
		{"义乌", []string{"330782"}},
		// An ambiguous district name: 北京 and 长春 both have a 朝阳区.
		{"朝阳区", []string{"110105", "220104"}},
		{"鼓楼区", []string{"320106", "320302", "350102", "410204"}},
		// Former names.
		{"清苑县", []string{"130608"}},
		{"莱芜市", []string{"3712"}},
		{"襄樊市", []string{"4206"}},
		// Placeholders are not places; one-character stems have no short form.
		{"市辖区", nil},
		{"省直辖县级行政区划", nil},
		{"易", nil},
		// Short forms that are ordinary words are not names.
		{"公安", nil},
		{"和平", nil},
		{"不存在的地方", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, codes(g.Lookup(tt.name))); diff != "" {
				t.Errorf("Lookup(%q) mismatch (-want +got):\n%s", tt.name, diff)
			}
		})
	}
}

func TestPlaceFields(t *testing.T) {
	t.Parallel()
	g := testGazetteer(t)
	tests := []struct {
		code string
		want Place
	}{
		{"37", Place{Code: "37", Name: "山东省", ShortName: "山东", Level: LevelProvince, ProvinceCode: "37"}},
		{"3701", Place{Code: "3701", Name: "济南市", ShortName: "济南", Level: LevelCity, ProvinceCode: "37", CityCode: "3701"}},
		{"370104", Place{Code: "370104", Name: "槐荫区", ShortName: "槐荫", Level: LevelCounty, ProvinceCode: "37", CityCode: "3701"}},
		// A district of a municipality has no city: 1101 is the 市辖区 placeholder.
		{"110105", Place{Code: "110105", Name: "朝阳区", ShortName: "朝阳", Level: LevelCounty, ProvinceCode: "11"}},
		{"130681", Place{Code: "130681", Name: "涿州市", ShortName: "涿州", Level: LevelCounty, ProvinceCode: "13", CityCode: "1306"}},
		{"3712", Place{Code: "3712", Name: "莱芜市", ShortName: "莱芜", Level: LevelCity, ProvinceCode: "37", CityCode: "3712", Former: true}},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			t.Parallel()
			got, ok := g.ByCode(tt.code)
			if !ok {
				t.Fatalf("ByCode(%q) found nothing", tt.code)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ByCode(%q) mismatch (-want +got):\n%s", tt.code, diff)
			}
		})
	}
}

func TestParents(t *testing.T) {
	t.Parallel()
	g := testGazetteer(t)
	tests := []struct {
		code string
		want []string
	}{
		{"370104", []string{"山东省", "济南市"}},
		{"3701", []string{"山东省"}},
		{"37", nil},
		{"110105", []string{"北京市"}},
		{"220104", []string{"吉林省", "长春市"}},
		{"3712", []string{"山东省"}},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			t.Parallel()
			p, _ := g.ByCode(tt.code)
			var got []string
			for _, q := range g.Parents(p) {
				got = append(got, q.Name)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parents(%s) mismatch (-want +got):\n%s", tt.code, diff)
			}
		})
	}
}

func TestFindIn(t *testing.T) {
	t.Parallel()
	g := testGazetteer(t)
	changchun, _ := g.ByCode("2201")
	type match struct {
		Start, End int
		Text, Code string
		Kind       NameKind
	}
	tests := []struct {
		name    string
		text    string
		context []Place
		want    []match
	}{
		{
			name: "chain",
			text: "山东省济南市槐荫区",
			want: []match{{0, 9, "山东省", "37", NameFull}, {9, 18, "济南市", "3701", NameFull}, {18, 27, "槐荫区", "370104", NameFull}},
		},
		{
			name: "short form",
			text: "2023济南区县两会融媒特别策划",
			want: []match{{4, 10, "济南", "3701", NameShort}},
		},
		{
			name: "ambiguous resolved by the preceding city",
			text: "北京市朝阳区和长春市朝阳区",
			want: []match{
				{0, 9, "北京市", "11", NameFull}, {9, 18, "朝阳区", "110105", NameFull},
				{21, 30, "长春市", "2201", NameFull}, {30, 39, "朝阳区", "220104", NameFull},
			},
		},
		{
			name: "ambiguous without context is dropped",
			text: "朝阳区人民政府",
		},
		{
			name:    "ambiguous resolved by the caller's context",
			text:    "朝阳区人民政府",
			context: []Place{changchun},
			want:    []match{{0, 9, "朝阳区", "220104", NameFull}},
		},
		{
			name: "widest level wins for a shared short form",
			text: "吉林经济发展",
			want: []match{{0, 6, "吉林", "22", NameShort}},
		},
		{
			name: "longest match",
			text: "景宁畲族自治县自治条例",
			want: []match{{0, 21, "景宁畲族自治县", "331127", NameFull}},
		},
		{
			name: "former name maps to today's unit",
			text: "保定市清苑县2003年",
			want: []match{{0, 9, "保定市", "1306", NameFull}, {9, 18, "清苑县", "130608", NameFormer}},
		},
		{
			name: "names that are ordinary words",
			text: "省、市和县级人民政府，城区和郊区，公安机关",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []match
			for _, m := range g.FindIn(tt.text, tt.context...) {
				got = append(got, match{m.Start, m.End, m.Text, m.Place.Code, m.Kind})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("FindIn(%q) mismatch (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

func TestFindInOffsetsOnSample(t *testing.T) {
	t.Parallel()
	g := testGazetteer(t)
	n := 0
	for d, err := range Load(t.Context(), Sample(), Options{}) {
		if err != nil {
			t.Fatalf("Load(Sample()) error = %v", err)
		}
		for _, m := range g.FindIn(d.Body) {
			n++
			if m.Start < 0 || m.End > len(d.Body) || m.Start >= m.End || d.Body[m.Start:m.End] != m.Text {
				t.Fatalf("%s: match %+v does not index the text", d.Path, m)
			}
		}
	}
	if n < 1000 {
		t.Errorf("FindIn found %d place names in the sample, want at least 1000", n)
	}
}

func TestLoadGazetteer(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"provinces.csv": {Data: []byte("code,name\n37,\"山东省\"\n")},
		"cities.csv":    {Data: []byte("code,name,provinceCode\n3701,\"济南市\",37\n")},
		"areas.csv":     {Data: []byte("code,name,cityCode,provinceCode\n370104,\"槐荫区\",3701,37\n")},
	}
	g, err := LoadGazetteer(fsys)
	if err != nil {
		t.Fatalf("LoadGazetteer() error = %v", err)
	}
	if got := codes(g.Lookup("槐荫")); !cmp.Equal(got, []string{"370104"}) {
		t.Errorf("Lookup(槐荫) = %v, want [370104]", got)
	}

	broken := fstest.MapFS{"provinces.csv": {Data: []byte("code,name\n37\n")}}
	if _, err := LoadGazetteer(broken); err == nil || !strings.Contains(err.Error(), "provinces.csv") {
		t.Errorf("LoadGazetteer(broken) error = %v, want an error naming provinces.csv", err)
	}
}

func BenchmarkFindIn(b *testing.B) {
	g := testGazetteer(b)
	docs, err := Parse("report.txt", readSample(b, "docs/gwr-provincial-2026/山东省/2026_山东省_政府工作报告.txt"), g)
	if err != nil {
		b.Fatal(err)
	}
	text := docs[0].Body
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		g.FindIn(text)
	}
}
