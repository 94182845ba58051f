package corpus

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	textunicode "golang.org/x/text/encoding/unicode"
)

func TestDecodeText(t *testing.T) {
	t.Parallel()
	const text = "国务院关于做好当前和今后一个时期促进就业工作的若干意见\r\n各省、自治区、直辖市人民政府："
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
	if err != nil {
		t.Fatalf("encode GBK: %v", err)
	}
	utf16, err := textunicode.UTF16(textunicode.LittleEndian, textunicode.UseBOM).NewEncoder().String(text)
	if err != nil {
		t.Fatalf("encode UTF-16: %v", err)
	}
	tests := []struct {
		name    string
		data    string
		want    string
		wantErr error
	}{
		{"utf-8", text, text, nil},
		{"utf-8 with bom", "\uFEFF" + text, text, nil},
		{"gbk", gbk, text, nil},
		{"utf-16 with bom", utf16, text, nil},
		{"gbk fixture", string(readFixture(t, "gbk/2013_hailaer_excerpt.txt"))[:12], "政 府 工 作", nil},
		{"latin-1", "Pr\xe9fecture de la r\xe9gion, d\xe9cret n\xb0 12", "", ErrUndecodable},
		{"broken gbk", gbk[:len(gbk)-1] + "\xff\xff", "", ErrUndecodable},
		{"png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "", ErrBinary},
		{"control characters", strings.Repeat("\x01\x02\x03abc", 20), "", ErrBinary},
		{"empty", "", "", ErrEmpty},
		{"whitespace", " \r\n\t ", "", ErrEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := decodeText([]byte(tt.data))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("decodeText(%q) error = %v, want %v", tt.data, err, tt.wantErr)
			}
			if err == nil && !strings.HasPrefix(got, tt.want) {
				t.Errorf("decodeText(%q) = %q, want %q", tt.data, got, tt.want)
			}
		})
	}
}

func TestNormalizeText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"crlf", "第一行\r\n第二行\r第三行", "第一行\n第二行\n第三行"},
		{"literal escapes", `政府工作报告\r\n（政治协商稿）\r\n2003年4月7日`, "政府工作报告\n（政治协商稿）\n2003年4月7日"},
		{"nbsp entities", "区长&nbsp; 李志永&nbsp;&nbsp;", "区长 李志永"},
		{"blank lines collapse", "\n\n标题\n\n\n\n正文\n \n\u3000\n结尾\n\n", "标题\n\n正文\n\n结尾"},
		{"indentation trimmed", "\u3000\u3000我代表国务院向大会报告工作。  ", "我代表国务院向大会报告工作。"},
		{"layout spaces", "第一条\t\t为了 \u00a0 规范", "第一条 为了 规范"},
		{"controls dropped", "正\x00文\u200b内\ufeff容\x07", "正文内容"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := normalizeText(tt.in); got != tt.want {
				t.Errorf("normalizeText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMetaCharset(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"meta charset", `<meta charset="gbk">`, "gbk"},
		{"http-equiv", `<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=GB2312">`, "gb2312"},
		{"single quotes", `<meta charset='utf-8' />`, "utf-8"},
		{"word in text", `<p>charset is a word</p>`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := metaCharset([]byte(tt.in)); got != tt.want {
				t.Errorf("metaCharset(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
