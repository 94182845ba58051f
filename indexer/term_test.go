package indexer

import (
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestQuotedTerms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text string
		want []string
	}{
		{
			// docs/seed/2023_济南市槐荫区_两会融媒特别策划.txt
			name: "adjacent quotes",
			text: "吸引更多“山大系”“第一医科大学系”等人才团队在我区就业创业。",
			want: []string{"山大系", "第一医科大学系"},
		},
		{
			// docs/seed/2023_济南市槐荫区_两会融媒特别策划.txt: “125510” has no letter.
			name: "digits only skipped",
			text: "槐荫区锚定“125510”发展思路，优化完善“一网通办”，市级以上“专精特新”、单项冠军",
			want: []string{"一网通办", "专精特新"},
		},
		{
			// docs/gwr-national-wikisource/2025_关于政府工作报告的决议.json
			name: "plan name",
			text: "高质量完成“十四五”规划目标任务",
			want: []string{"十四五"},
		},
		{
			// docs/gwr-county-baoding/高阳县/2017_高阳县2017年政府工作报告.txt
			name: "ASCII quotes balanced on the line",
			text: "比较圆满地完成了\"十二五\"主要目标任务，实现了\"十三五\"良好开局",
			want: []string{"十二五", "十三五"},
		},
		{
			name: "ASCII quotes unbalanced on the line",
			text: "实现了\"十三五\"良好开局，\"断崖式\n下滑\"",
		},
		{
			// docs/gwr-national-wikisource/1954_国务院政府工作报告.json
			name: "corner brackets",
			text: "本企業中的職工採取了「包下來」的政策。我們的財政是「取之於民，用之於民」的人民的財政",
			want: []string{"包下來", "取之於民，用之於民"},
		},
		{
			// docs/gwr-national-wikisource/1955_国务院政府工作报告.json: a quoted sentence.
			name: "sentence punctuation",
			text: "列宁一再地指示说：“建立社会主义社会的真正的和唯一的基础，只有一个，这就是大工业。”",
		},
		{
			// docs/local-regulations-lawrefbook/浙江/浙江省残疾人保障条例(2009-11-27).md
			name: "longer than 20 characters",
			text: "按照“盲教育以省为主、聋教育以市为主、培智教育以县为主”的原则",
		},
		{
			// docs/local-regulations-lawrefbook/上海/中国（上海）自由贸易试验区条例(2014-07-25).md
			name: "book title",
			text: "《中国（上海）自由贸易试验区总体方案》（以下简称“《总体方案》”）",
		},
		{
			name: "nested and trimmed",
			text: "深化“ ‘放管服’改革 ”，“”“。”",
			want: []string{"‘放管服’改革", "放管服"},
		},
		{
			name: "unclosed then closed",
			text: "“未闭合\n“双减”",
			want: []string{"双减"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := QuotedTerms(tt.text)
			checkEntityOffsets(t, tt.text, got, KindTerm)
			var values []string
			for _, e := range got {
				values = append(values, e.Value)
				if e.Value != e.Text {
					t.Errorf("QuotedTerms(%q): Value %q != Text %q", tt.text, e.Value, e.Text)
				}
			}
			if diff := cmp.Diff(tt.want, values); diff != "" {
				t.Errorf("QuotedTerms(%q) mismatch (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

func FuzzQuotedTerms(f *testing.F) {
	for _, s := range []string{
		"吸引更多“山大系”“第一医科大学系”等人才团队",
		"完成了\"十二五\"主要目标任务\n\"单\"个\"",
		"「包下來」‘双减’『』",
		"“《总体方案》”“。”“",
		"“\xff”‘’",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		es := QuotedTerms(text)
		checkEntityOffsets(t, text, es, KindTerm)
		for _, e := range es {
			if e.Value == "" || utf8.RuneCountInString(e.Value) > maxTermRunes {
				t.Errorf("QuotedTerms(%q): bad term %+v", text, e)
			}
		}
	})
}
