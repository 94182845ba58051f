package indexer

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"policysearch/corpus"
)

// TestParsePlacesCanonical checks region normalization on real ambiguous
// cases: a short name in its document's city, a district name found in two
// provinces, a city directly followed by its district, a short name inside
// another word, and the 市辖区 placeholder.
func TestParsePlacesCanonical(t *testing.T) {
	t.Parallel()
	g, err := corpus.DefaultGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	place := func(names ...string) []corpus.Place {
		var out []corpus.Place
		for _, n := range names {
			ps := g.Lookup(n)
			if len(ps) == 0 {
				t.Fatalf("gazetteer has no %s", n)
			}
			out = append(out, ps[0])
		}
		return out
	}
	tests := []struct {
		name    string
		text    string
		context []corpus.Place
		want    []string // text=value
	}{
		{
			// docs/seed: 槐荫 alone, in a Jinan report.
			name:    "short name in its city",
			text:    "槐荫全力打造“齐鲁门户、医养之都”",
			context: place("山东省", "济南市"),
			want:    []string{"槐荫=山东省济南市槐荫区"},
		},
		{
			name: "city followed by its district is one place",
			text: "济南市槐荫区第十九届人民代表大会第二次会议开幕",
			want: []string{"济南市槐荫区=山东省济南市槐荫区"},
		},
		{
			// 朝阳区 is in 北京 and in 长春: the document settles it.
			name:    "same district name in two provinces, Beijing document",
			text:    "朝阳区推进城市更新",
			context: place("北京市"),
			want:    []string{"朝阳区=北京市朝阳区"},
		},
		{
			name:    "same district name in two provinces, Changchun document",
			text:    "朝阳区推进城市更新",
			context: place("吉林省", "长春市"),
			want:    []string{"朝阳区=吉林省长春市朝阳区"},
		},
		{
			name:    "short name inside another word",
			text:    "加快中国中医科学院创新平台建设",
			context: place("山东省", "济南市"),
			want:    nil,
		},
		{
			name: "市辖区 is a placeholder, not a place",
			text: "本市市辖区内的道路",
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, e := range ParsePlaces(g, tt.text, tt.context...) {
				got = append(got, e.Text+"="+e.Value)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParsePlaces(%q) mismatch (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

// checkEntities asserts that entities sit where they say in text.
func checkEntities(t *testing.T, text string, ents []Entity) {
	t.Helper()
	for _, e := range ents {
		if e.Start < 0 || e.Start > e.End || e.End > len(text) || text[e.Start:e.End] != e.Text {
			t.Fatalf("entity %+v does not sit at text[%d:%d]", e, e.Start, e.End)
		}
		if e.Value == "" {
			t.Fatalf("entity %+v has no value", e)
		}
	}
}

func FuzzParsePlaces(f *testing.F) {
	for _, s := range []string{"济南市槐荫区第十九届人民代表大会", "槐荫", "朝阳区和长春市朝阳区", "\xff济南", ""} {
		f.Add(s)
	}
	g, err := corpus.DefaultGazetteer()
	if err != nil {
		f.Fatal(err)
	}
	ctx := g.Lookup("济南市")
	f.Fuzz(func(t *testing.T, text string) {
		checkEntities(t, text, ParsePlaces(g, text, ctx...))
	})
}

func FuzzParseOrgs(f *testing.F) {
	for _, s := range []string{"山东大学齐鲁医院、九阳集团", "充分发挥济南国际医学科学中心作用", "国家文物局", "\xff医院", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkEntities(t, text, ParseOrgs(text))
	})
}

func FuzzParsePeople(f *testing.F) {
	for _, s := range []string{"区长刘敬涛作政府工作报告", "县长 许喆各位代表", "习近平新时代", "市委书记", "\xff区长王"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkEntities(t, text, ParsePeople(text))
	})
}
