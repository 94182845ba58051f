package corpus

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzExts are the extensions FuzzParse feeds its input under.
var fuzzExts = []string{".txt", ".md", ".html", ".json", ".jsonl", ".htm", ".xyz"}

func FuzzParse(f *testing.F) {
	f.Add(uint8(0), readFixture(f, "gbk/2013_hailaer_excerpt.txt")[:600])
	f.Add(uint8(0), readFixture(f, "wordml/2020_hainan_civilized_behaviour_excerpt.txt")[:4000])
	f.Add(uint8(1), readFixture(f, "md/songjiang_urban_renewal_2025.md")[:1500])
	f.Add(uint8(2), readFixture(f, "html/2018-12-06_holidays_2019.html"))
	f.Add(uint8(3), readFixture(f, "json/resolutions_array.json"))
	f.Add(uint8(4), readFixture(f, "jsonl/npc_resolutions.jsonl"))
	f.Add(uint8(0), []byte(`政府工作报告\r\n——2010年2月3日在涞水县第十四届人民代表大会第四次会议上&nbsp;`))
	f.Add(uint8(1), []byte("---\ntitle: x\n---\n> 免责\n# [标题](http://x)\n|a|b|\n|-|-|\n"))
	g := testGazetteer(f)
	f.Fuzz(func(t *testing.T, ext uint8, data []byte) {
		name := "dir/2023_fuzz" + fuzzExts[int(ext)%len(fuzzExts)]
		docs, err := Parse(name, data, g)
		if err != nil && len(docs) == 0 {
			var skip *SkipError
			if !errors.As(err, &skip) {
				t.Fatalf("Parse error %v is not a *SkipError", err)
			}
		}
		for _, d := range docs {
			for _, s := range []string{d.ID, d.Title, d.Body, d.Region, d.Province, d.City, d.County, d.Date,
				d.Type, d.DocNumber, d.Issuer, d.SourceURL, d.Path, d.Hash} {
				if !utf8.ValidString(s) {
					t.Fatalf("Parse produced invalid UTF-8 %q", s)
				}
			}
			if strings.TrimSpace(d.Body) == "" {
				t.Fatalf("Parse produced an empty body")
			}
			if len(d.ID) != 16 || d.Path != name || d.Size > len(data) || d.Size < 0 {
				t.Fatalf("bad identity: ID %q Path %q Size %d of %d", d.ID, d.Path, d.Size, len(data))
			}
			if d.Date != "" && normalizeDate(d.Date) != d.Date {
				t.Fatalf("Date %q is not in canonical form", d.Date)
			}
		}
	})
}

func FuzzDecode(f *testing.F) {
	f.Add(readFixture(f, "gbk/2013_hailaer_excerpt.txt")[:300])
	f.Add([]byte("\uFEFF第一行\r\n\r\n\r\n第二行\\r\\n&nbsp;"))
	f.Add([]byte("\xff\xfe\x00N\x00V"))
	f.Add([]byte("æµ·å—çœæ–‡æ˜Žè¡Œä¸ºä¿ƒè¿›æ¡ä¾‹"))
	f.Add([]byte("\\r\u200b\\n&nb\u200bsp;"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := decodeText(data)
		if err != nil {
			if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrBinary) && !errors.Is(err, ErrUndecodable) {
				t.Fatalf("decodeText error %v is not a sentinel", err)
			}
			return
		}
		if !utf8.ValidString(s) {
			t.Fatalf("decodeText produced invalid UTF-8 %q", s)
		}
		r := repairMojibake(s)
		if !utf8.ValidString(r) {
			t.Fatalf("repairMojibake produced invalid UTF-8 %q", r)
		}
		n := normalizeText(r)
		if !utf8.ValidString(n) || strings.Contains(n, "\r") || strings.Contains(n, "\n\n\n") {
			t.Fatalf("normalizeText(%q) = %q is not normal", r, n)
		}
		if again := normalizeText(n); again != n {
			t.Fatalf("normalizeText is not idempotent: %q then %q", n, again)
		}
	})
}

func FuzzFindIn(f *testing.F) {
	f.Add("山东省济南市槐荫区")
	f.Add("北京市朝阳区和长春市朝阳区，景宁畲族自治县")
	f.Add("保定市清苑县2003年\xff")
	g := testGazetteer(f)
	f.Fuzz(func(t *testing.T, text string) {
		end := 0
		for _, m := range g.FindIn(text) {
			if m.Start < end || m.End <= m.Start || m.End > len(text) || text[m.Start:m.End] != m.Text {
				t.Fatalf("match %+v out of order or not indexing %q", m, text)
			}
			// Names are whole runes even where the text around them is
			// not valid UTF-8.
			if !utf8.ValidString(m.Text) || !utf8.RuneStart(text[m.Start]) {
				t.Fatalf("match %+v not on rune boundaries", m)
			}
			if m.Place.IsZero() {
				t.Fatalf("match %+v has no place", m)
			}
			end = m.End
		}
	})
}

func FuzzChineseDate(f *testing.F) {
	f.Add("二〇二三年一月二日")
	f.Add("——2026年1月27日在")
	f.Add("十年十月十日")
	f.Fuzz(func(t *testing.T, s string) {
		if d := chineseDateIn(s); d != "" && normalizeDate(d) != d {
			t.Fatalf("chineseDateIn(%q) = %q, not a canonical date", s, d)
		}
		if d := normalizeDate(s); d != "" && normalizeDate(d) != d {
			t.Fatalf("normalizeDate(%q) = %q, not canonical", s, d)
		}
	})
}
