package indexer

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTopicNames(t *testing.T) {
	t.Parallel()
	names, err := TopicNames()
	if err != nil {
		t.Fatalf("TopicNames() error: %v", err)
	}
	if len(names) < 20 {
		t.Errorf("TopicNames() = %d topics, want at least 20", len(names))
	}
	for _, want := range []string{"养老", "城市更新", "营商环境", "疫情防控"} {
		if !strings.Contains(strings.Join(names, ","), want) {
			t.Errorf("TopicNames() = %v, want it to contain %s", names, want)
		}
	}
}

func TestParseTopics(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data string
		want []string // topic names, or nil for a syntax error
	}{
		{name: "ok", data: "# comment\n\n养老: 养老 3, 老年人 2\n交通: 交通 1\n", want: []string{"养老", "交通"}},
		{name: "no colon", data: "养老 养老 3\n"},
		{name: "empty name", data: ": 养老 3\n"},
		{name: "missing weight", data: "养老: 养老\n"},
		{name: "weight too big", data: "养老: 养老 9\n"},
		{name: "weight not a number", data: "养老: 养老 three\n"},
		{name: "repeated keyword", data: "养老: 养老 3, 养老 2\n"},
		{name: "repeated topic", data: "养老: 养老 3\n养老: 老年人 2\n"},
		{name: "trailing comma", data: "养老: 养老 3,\n"},
		{name: "no topics", data: "# only a comment\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := parseTopics(tt.data)
			if tt.want == nil {
				if !errors.Is(err, errTopicSyntax) {
					t.Errorf("parseTopics(%q) error = %v, want errTopicSyntax", tt.data, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseTopics(%q) error: %v", tt.data, err)
			}
			if diff := cmp.Diff(tt.want, m.names); diff != "" {
				t.Errorf("parseTopics(%q) names mismatch (-want +got):\n%s", tt.data, diff)
			}
		})
	}
}

func TestTopics(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text string
		want []string
	}{
		{
			// docs/seed/2023_济南市槐荫区_两会融媒特别策划.txt, line 79
			name: "urban renewal",
			text: "积极推动城市更新，启动市立五院周边片区城市更新项目二期、福音里片区、御景城北片区、段店片区改造项目二期、试验机厂片区等城市更新项目；加快推进市立五院周边片区城市更新项目一期、经十纬七东北地块等城市更新项目。扎实推进总建筑面积52万平方米的老旧小区改造工程，为既有建筑加装电梯40部，进一步改善群众居住环境。",
			want: []string{"城市更新"},
		},
		{
			// docs/gwr-provincial-2026/湖北省/2026_湖北省_政府工作报告.txt, line 120
			name: "elderly care",
			text: "强化养老托育服务。着力优化居家为基础、社区为依托、机构为专业支撑、医养相结合的多元化养老服务体系，务实探索农村养老服务模式，分步推进公共设施适老化和无障碍改造，积极推行长期护理保险制度，加快构建老年友好型社会。倡导积极婚育观，健全生育支持政策体系和激励措施，完善生育保险制度，发展普惠托育服务，加快建设生育友好型社会。",
			want: []string{"养老"},
		},
		{
			// docs/gwr-county-baoding/博野县/2021_2021年博野县政府工作报告.txt, line 64
			name: "epidemic control",
			text: "全面守护群众生命健康。密切关注和精准把握疫情形势，外防输入、内防反弹，人物同防、多病共防。落实好常态化、信息化防控措施，加强农村、社区、商场、超市、药店、诊所等重点区域管理，切实做到疫情防控与经济社会发展同部署、同推进。特别是当前疫情还处于胶着时期，要按照“宁可信其有、不可信其无，宁可信其大、不可信其小”的原则，严格落实各项防疫措施，坚决打赢防疫攻坚战、持久战。",
			want: []string{"疫情防控"},
		},
		{
			// docs/national-regulations-lawrefbook/规章制定程序条例(2017-12-22).md
			name: "procedural text has no topic",
			text: "第一条 为了规范规章制定程序，保证规章质量，根据立法法的有关规定，制定本条例。\n第二条 规章的立项、起草、审查、决定、公布、解释，适用本条例。",
		},
		{
			// A single mention is below the minimum score.
			name: "one mention",
			text: "加强养老服务。",
		},
		{name: "empty", text: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Topics(tt.text)
			var names []string
			for _, e := range got {
				if e.Kind != KindTopic || e.Start != 0 || e.End != 0 || e.Text != "" {
					t.Errorf("Topics(%q): entity %+v is not a document-level topic", tt.text, e)
				}
				names = append(names, e.Value)
			}
			if diff := cmp.Diff(tt.want, names); diff != "" {
				t.Errorf("Topics(%q) mismatch (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

// TestTopicsLongDocument checks the cap and order on a full report.
func TestTopicsLongDocument(t *testing.T) {
	t.Parallel()
	src := readBenchText(t)
	got := Topics(src)
	if len(got) == 0 || len(got) > maxTopics {
		t.Fatalf("Topics(shandong-2026) = %d topics, want 1 to %d", len(got), maxTopics)
	}
	m, err := topicTaxonomy()
	if err != nil {
		t.Fatal(err)
	}
	scores, _ := m.score(src)
	byName := make(map[string]int)
	for i, n := range m.names {
		byName[n] = scores[i]
	}
	for i := 1; i < len(got); i++ {
		if byName[got[i].Value] > byName[got[i-1].Value] {
			t.Errorf("Topics(shandong-2026) = %v: %s scores higher than %s before it", got, got[i].Value, got[i-1].Value)
		}
	}
}

// TestTopicScoreMatchesCount checks the one-pass matcher against
// strings.Count for every keyword, on text without self-overlapping
// keywords.
func TestTopicScoreMatchesCount(t *testing.T) {
	t.Parallel()
	src := readBenchText(t)
	m, err := topicTaxonomy()
	if err != nil {
		t.Fatal(err)
	}
	want := make([]int, len(m.names))
	for _, ks := range m.byFirst {
		for _, k := range ks {
			want[k.topic] += k.weight * strings.Count(src, k.word)
		}
	}
	got, _ := m.score(src)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("score mismatch with strings.Count (-want +got):\n%s", diff)
	}
}

func FuzzTopics(f *testing.F) {
	for _, s := range []string{
		"积极推动城市更新，启动市立五院周边片区城市更新项目二期",
		"养老养老养老养老养老养老养老养老",
		"\xe5\x85",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got := Topics(text)
		if len(got) > maxTopics {
			t.Errorf("Topics(%q) = %d topics, want at most %d", text, len(got), maxTopics)
		}
		seen := make(map[string]bool)
		for _, e := range got {
			if e.Kind != KindTopic || e.Start != 0 || e.End != 0 || e.Text != text[e.Start:e.End] || seen[e.Value] {
				t.Errorf("Topics(%q): bad or repeated topic %+v", text, e)
			}
			seen[e.Value] = true
		}
	})
}

// BenchmarkTopics scores the 2026 Shandong government work report
// (testdata/bench, 54 KB) and the same text six times over (324 KB), the
// size of the largest reports.
func BenchmarkTopics(b *testing.B) {
	src := readBenchText(b)
	for _, bc := range []struct {
		name string
		text string
	}{
		{"54KB", src},
		{"324KB", strings.Repeat(src, 6)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.text)))
			b.ReportAllocs()
			for b.Loop() {
				Topics(bc.text)
			}
		})
	}
}
