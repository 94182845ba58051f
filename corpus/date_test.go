package corpus

import "testing"

func TestChineseDateIn(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"——2026年1月27日在吉林省第十四届人民代表大会第五次会议上", "2026-01-27"},
		{"1996年9月19日 经国务院批准", "1996-09-19"},
		{"二〇二三年一月二日", "2023-01-02"},
		{"一九五四年九月二十三日在第一届全国人民代表大会第一次会议上", "1954-09-23"},
		{"二OO八年三月二十七日", "2008-03-27"},
		{"２０１９年１２月３１日", "2019-12-31"},
		{"到2035年，基本实现；2018年12月18日", "2018-12-18"},
		{"2019年2月30日", ""}, // not a date
		{"12019年1月1日", ""}, // five digits
		{"1921年7月1日", ""},  // before 1949
		{"2024年10月", ""},   // no day
		{"十四五规划2021年至2025年", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			if got := chineseDateIn(tt.in); got != tt.want {
				t.Errorf("chineseDateIn(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalizeDate(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"2024-10-10", "2024-10-10"},
		{"2024/1/5", "2024-01-05"},
		{"2024.01.05", "2024-01-05"},
		{"2024年1月5日", "2024-01-05"},
		{"2024年1月", "2024-01"},
		{"2019", "2019"},
		{"2019-03-24T00:00:00Z", "2019-03-24"},
		{"2024-13-01", ""},
		{"未知", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			if got := normalizeDate(tt.in); got != tt.want {
				t.Errorf("normalizeDate(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestInferDate(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, body, want string }{
		{"docs/state-council-policies-govcn/2018-12-05_content_5345808.html", "2018年10月27日", "2018-12-05"},
		{"专利代理条例(2018-11-06).md", "1991年3月4日国务院令公布", "2018-11-06"},
		{"2003_保定市清苑区2003年政府工作报告.txt", "政府工作报告\n2003年4月7日", "2003-04-07"},
		{"2013.txt", "----2013年2月28日在海拉尔区", "2013-02-28"},
		{"seed.txt", "没有日期", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := inferDate(tt.name, tt.body); got != tt.want {
				t.Errorf("inferDate(%q, %q) = %q, want %q", tt.name, tt.body, got, tt.want)
			}
		})
	}
}

func TestYearIn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want int
	}{
		{"2023_济南市槐荫区_两会融媒特别策划", 2023},
		{"content_5345808", 0},
		{"国发〔2018〕38号", 2018},
		{"12345", 0},
		{"1900年", 0},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			if got := yearIn(tt.in); got != tt.want {
				t.Errorf("yearIn(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}
