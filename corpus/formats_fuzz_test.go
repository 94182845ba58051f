package corpus

import (
	"errors"
	"testing"
	"unicode/utf8"
)

// checkParsed fails t unless Parse gave documents with valid UTF-8 text,
// or a *SkipError.
func checkParsed(t *testing.T, docs []Document, err error) {
	t.Helper()
	if err != nil && len(docs) == 0 {
		var skip *SkipError
		if !errors.As(err, &skip) {
			t.Fatalf("Parse error %v is not a *SkipError", err)
		}
	}
	for _, d := range docs {
		for _, s := range append([]string{d.Title, d.Body, d.DocNumber, d.Issuer, d.Written, d.Date}, d.Subjects...) {
			if !utf8.ValidString(s) {
				t.Fatalf("Parse produced invalid UTF-8 %q", s)
			}
		}
		if d.Body == "" {
			t.Fatalf("Parse produced an empty body")
		}
	}
}

func FuzzParsePDF(f *testing.F) {
	f.Add(readFormat(f, "guohan-2018-145-cid.pdf"))
	f.Add(readFormat(f, "corrupt.pdf"))
	f.Add([]byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
		"3 0 obj<</Type/Page/Parent 2 0 R/Contents 4 0 R>>endobj\n4 0 obj<</Length 30>>stream\nBT /F1 12 Tf Q Q (abc) Tj ET\nendstream\nendobj\n" +
		"trailer<</Root 1 0 R/Size 5>>\nstartxref\n0\n%%EOF\n"))
	g := testGazetteer(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, err := Parse("fuzz.pdf", data, g)
		checkParsed(t, docs, err)
	})
}

func FuzzParseDOCX(f *testing.F) {
	f.Add(uint8(0), readFormat(f, "guobanfa-2018-109.docx"))
	f.Add(uint8(1), readFormat(f, "guobanhan-2018-74.odt"))
	f.Add(uint8(0), readFormat(f, "guohan-2018-145.docx"))
	f.Add(uint8(1), readFormat(f, "guohan-2018-145.odt"))
	f.Add(uint8(0), []byte("PK\x03\x04"))
	g := testGazetteer(f)
	f.Fuzz(func(t *testing.T, odt uint8, data []byte) {
		name := "fuzz.docx"
		if odt%2 == 1 {
			name = "fuzz.odt"
		}
		docs, err := Parse(name, data, g)
		checkParsed(t, docs, err)
	})
}

func FuzzExtractMeta(f *testing.F) {
	f.Add("国办函〔2018〕74号\n主 题 词： 科技 高新区\n发文机关：国务院 成文日期：2018年11月23日\n国务院办公厅\n2018年11月5日", "国务院办公厅转发民政部关于清理整顿社会团体意见的通知")
	f.Add("中华人民共和国国务院令\n第706号\n来源：\n国务院 二〇一八年十一月六日", "专利代理条例")
	f.Fuzz(func(t *testing.T, body, title string) {
		m := extractMeta(body, title)
		for _, s := range append([]string{m.DocNumber, m.Issuer, m.Written, m.Published}, m.Subjects...) {
			if !utf8.ValidString(s) && utf8.ValidString(body) && utf8.ValidString(title) {
				t.Fatalf("extractMeta produced invalid UTF-8 %q", s)
			}
		}
		if m.DocNumber != "" && normalDocNumber(m.DocNumber) != m.DocNumber {
			t.Fatalf("DocNumber %q is not in normal form", m.DocNumber)
		}
		if m.Written != "" && normalizeDate(m.Written) != m.Written {
			t.Fatalf("Written %q is not a normal date", m.Written)
		}
	})
}
