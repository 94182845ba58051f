package server

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"policysearch/indexer"
	"policysearch/search"
)

// FuzzDecodeDocument fuzzes the JSON write path without an index: decoding,
// checking and turning a body into a document. Every input gives either a
// document that can be indexed or a client error (400 or 413), never a
// panic or another error.
func FuzzDecodeDocument(f *testing.F) {
	for _, s := range []string{
		`{"id": "yt-1", "title": "烟台市关于推进医养结合的通知", "body": "各区市人民政府：为推进医养结合，现通知如下。", "date": "2024-01-02", "region": "烟台市", "level": "city"}`,
		`{"body": "正文", "year": 2020, "type": "政府工作报告", "source_url": "https://www.gov.cn/x", "doc_number": "国发〔2024〕5号"}`,
		`{"id": "../../etc/passwd", "body": "x"}`, `{"title": 5, "body": "x"}`, `{"body": "x", "year": 1e400}`,
		"{\"body\": \"\xff\xfe\"}", `[{"body": "x"}]`, `{"body": "\u0000"}`, `{"body": "x", "date": "2023-02-30"}`,
		`null`, ``, `{"body": "x"} {}`, `{"body": "æµ·å—çœæ–‡æ˜Ž"}`,
	} {
		f.Add([]byte(s), "")
	}
	f.Add([]byte(`{"body": "正文"}`), "path-id")
	f.Add([]byte(`{"id": "a", "body": "正文"}`), "b")
	s := New(Options{MaxDocumentBytes: 64 << 10})
	f.Fuzz(func(t *testing.T, body []byte, pathID string) {
		if pathID != "" && checkID(pathID) != nil {
			return // the handler refuses such URLs before decoding
		}
		d, err := s.decodeDoc(body, pathID)
		if err != nil {
			var (
				invalid *search.ValidationError
				limit   *limitError
			)
			if !errors.As(err, &invalid) && !errors.As(err, &limit) {
				t.Fatalf("decodeDoc(%q) error %T %v, want a client error", body, err, err)
			}
			if err.Error() == "" || !utf8.ValidString(err.Error()) {
				t.Fatalf("decodeDoc(%q) error message %q", body, err.Error())
			}
			return
		}
		if checkID(d.ID) != nil || (pathID != "" && d.ID != pathID) {
			t.Fatalf("decodeDoc(%q, %q) ID %q", body, pathID, d.ID)
		}
		if !indexer.IsWritten(d.Hash) || strings.TrimSpace(d.Body) == "" {
			t.Fatalf("decodeDoc(%q): hash %q, body %q", body, d.Hash, d.Body)
		}
		for _, v := range []string{d.Title, d.Body, d.Region, d.Province, d.City, d.County, d.Date, d.Type, d.DocNumber, d.Issuer, d.SourceURL} {
			if !utf8.ValidString(v) {
				t.Fatalf("decodeDoc(%q) produced invalid UTF-8 %q", body, v)
			}
		}
		if len(d.Title)+len(d.Body) > 2*64<<10 {
			t.Fatalf("decodeDoc(%q) accepted %d bytes over the limit", body, len(d.Title)+len(d.Body))
		}
	})
}
