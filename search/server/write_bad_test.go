package server_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"policysearch/search/server"
)

// TestBadRequests sends requests that must be refused with a clear 4xx, and
// checks each status, error code and message, and that the index is
// unchanged after each (document count and a hash over every document's
// ID and content hash).
func TestBadRequests(t *testing.T) {
	t.Parallel()
	w := newWritable(t, server.Options{MaxDocumentBytes: 64 << 10, MaxWriteBytes: 256 << 10, MaxBatchDocs: 3})
	src := firstSampleDocs(t, 8)[7]
	good := docJSON(t, src, "good-1", "好文档")
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(`{"title": "关于推进医养结合的通知", "body": "各区人民政府：为推进医养结合，现通知如下。"}`)
	if err != nil {
		t.Fatal(err)
	}
	var noFile bytes.Buffer
	mw := multipart.NewWriter(&noFile)
	if err := mw.WriteField("title", "没有文件"); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	fourLines := strings.Repeat(good+"\n", 4)
	const (
		post   = http.MethodPost
		put    = http.MethodPut
		del    = http.MethodDelete
		get    = http.MethodGet
		docs   = "/api/v1/documents"
		jsonCT = "application/json"
	)
	tests := []struct {
		name, method, target, ct, body string
		status                         int
		code, msg                      string
	}{
		{"empty body", post, docs, jsonCT, "", 400, "bad_request", "invalid request body: empty"},
		{"blank body", post, docs, jsonCT, " \n\t ", 400, "bad_request", "invalid request body: empty"},
		{"invalid UTF-8", post, docs, jsonCT, "{\"body\": \"\xff\xfe正文\"}", 400, "bad_request", "not valid UTF-8 at byte 10"},
		{"GBK posted as UTF-8", post, docs, jsonCT, gbk, 400, "bad_request", "not valid UTF-8 at byte 11"},
		{"GBK declared", post, docs, jsonCT + "; charset=gbk", good, 415, "unsupported_media_type", `charset "gbk" is not accepted`},
		{"no Content-Type", post, docs, "", good, 415, "unsupported_media_type", "missing Content-Type"},
		{"text/plain", post, docs, "text/plain", "正文", 415, "unsupported_media_type", `Content-Type "text/plain" is not accepted`},
		{"malformed Content-Type", post, docs, "application/json; =", good, 415, "unsupported_media_type", "malformed Content-Type"},
		{"JSON array", post, docs, jsonCT, `[{"body": "正文"}]`, 400, "bad_request", "want a JSON object with the fields"},
		{"JSON string", post, docs, jsonCT, `"正文"`, 400, "bad_request", "not a JSON string"},
		{"JSON number", post, docs, jsonCT, `42`, 400, "bad_request", "not a JSON number"},
		{"JSON null", post, docs, jsonCT, `null`, 400, "bad_request", "invalid body: missing or blank"},
		{"title is a number", post, docs, jsonCT, `{"title": 5, "body": "正文"}`, 400, "bad_request", "invalid title: want a JSON string, not number"},
		{"body is an object", post, docs, jsonCT, `{"body": {"text": "正文"}}`, 400, "bad_request", "invalid body: want a JSON string, not object"},
		{"unknown field", post, docs, jsonCT, `{"content": "正文"}`, 400, "bad_request", `unknown field "content"`},
		{"huge number", post, docs, jsonCT, `{"body": "正文", "year": 1e400}`, 400, "bad_request", "invalid year: want a JSON integer, not number 1e400"},
		{"year out of range", post, docs, jsonCT, `{"body": "正文", "year": 99999}`, 400, "bad_request", "invalid year: 99999 is not between 1900 and 2100"},
		{"negative year", post, docs, jsonCT, `{"body": "正文", "year": -5}`, 400, "bad_request", "invalid year: -5"},
		{"fractional year", post, docs, jsonCT, `{"body": "正文", "year": 2020.5}`, 400, "bad_request", "invalid year: want a JSON integer, not number 2020.5"},
		{"numeric id", post, docs, jsonCT, `{"id": 12345678901234567890, "body": "正文"}`, 400, "bad_request", "invalid id: want a JSON string"},
		{"control character in title", post, docs, jsonCT, `{"title": "标题\u0007", "body": "正文"}`, 400, "bad_request", "invalid title: control character U+0007 at character 2"},
		{"NUL in body", post, docs, jsonCT, `{"body": "正\u0000文"}`, 400, "bad_request", "invalid body: control character U+0000 at character 1"},
		{"newline in title", post, docs, jsonCT, `{"title": "标\n题", "body": "正文"}`, 400, "bad_request", "invalid title: control character U+000A"},
		{"blank text", post, docs, jsonCT, `{"title": "标题", "body": "  \n "}`, 400, "bad_request", "invalid body: missing or blank"},
		{"path-like id", post, docs, jsonCT, `{"id": "../../etc/passwd", "body": "正文"}`, 400, "bad_request", `invalid id: "../../etc/passwd"`},
		{"id with slash", post, docs, jsonCT, `{"id": "a/b", "body": "正文"}`, 400, "bad_request", `invalid id: "a/b"`},
		{"hidden id", post, docs, jsonCT, `{"id": ".htaccess", "body": "正文"}`, 400, "bad_request", `invalid id: ".htaccess"`},
		{"long id", post, docs, jsonCT, `{"id": "` + strings.Repeat("a", 200) + `", "body": "正文"}`, 400, "bad_request", "invalid id: longer than 128"},
		{"path-like id in URL", put, docs + "/..%2F..%2Fetc%2Fpasswd", jsonCT, good, 400, "bad_request", `invalid id: "../../etc/passwd"`},
		{"dot-dot id in URL", put, docs + "/..", jsonCT, good, 400, "bad_request", `invalid id: ".."`},
		{"ids differ", put, docs + "/other-id", jsonCT, good, 400, "bad_request", `"good-1" in the body differs from "other-id"`},
		{"DELETE NUL id", del, docs + "/%00", "", "", 400, "bad_request", "invalid id"},
		{"trailing data", post, docs, jsonCT, `{"body": "甲"} {"body": "乙"}`, 400, "bad_request", "data after the JSON document"},
		{"truncated JSON", post, docs, jsonCT, `{"body": "正文`, 400, "bad_request", "the JSON ends too early"},
		{"not JSON", post, docs, jsonCT, `{body: 1}`, 400, "bad_request", "invalid JSON at byte 2"},
		{"bad date", post, docs, jsonCT, `{"body": "正文", "date": "yesterday"}`, 400, "bad_request", `invalid date: "yesterday" is not a date`},
		{"impossible date", post, docs, jsonCT, `{"body": "正文", "date": "2023-02-30"}`, 400, "bad_request", "invalid date"},
		{"bad level", post, docs, jsonCT, `{"body": "正文", "level": "galactic"}`, 400, "bad_request", `invalid level: "galactic"`},
		{"script URL", post, docs, jsonCT, `{"body": "正文", "source_url": "javascript:alert(1)"}`, 400, "bad_request", "invalid source_url"},
		{"long title", post, docs, jsonCT, `{"title": "` + strings.Repeat("长", 501) + `", "body": "正文"}`, 400, "bad_request", "invalid title: 501 characters; at most 500"},
		{"document too large", post, docs, jsonCT, `{"body": "` + strings.Repeat("文", 30<<10) + `"}`, 413, "too_large", "document larger than 65536 bytes"},
		{"body too large", post, docs, jsonCT, `{"body": "` + strings.Repeat("x", 300<<10) + `"}`, 413, "too_large", "request body larger than 262144 bytes"},
		{"batch too large", post, docs, "application/x-ndjson", fourLines, 413, "too_large", "batch larger than 3 documents"},
		{"empty batch", post, docs, "application/x-ndjson", "\n\n", 400, "bad_request", "invalid request body: empty"},
		{"form without file", post, docs, mw.FormDataContentType(), noFile.String(), 400, "bad_request", `the form has no "file" field`},
		{"form without boundary", post, docs, "multipart/form-data", "--x\r\n", 400, "bad_request", "not a valid multipart form"},
		{"PUT not JSON", put, docs + "/good-1", "application/x-ndjson", good, 415, "unsupported_media_type", "send application/json"},
		{"PATCH", http.MethodPatch, docs + "/good-1", jsonCT, good, 405, "method_not_allowed", "PATCH is not allowed here"},
		{"query too long", get, "/api/v1/search?q=" + strings.Repeat("医", 400), "", "", 400, "bad_query", "query longer than 1000 bytes"},
		{"page too large", get, "/api/v1/search?size=1000", "", "", 400, "bad_request", "invalid size: must be between 1 and 100"},
		{"deep paging", get, "/api/v1/search?from=9995&size=10", "", "", 400, "bad_request", "from+size must not exceed 10000"},
		{"facet too large", get, "/api/v1/search?facets=region&facet_size=1000", "", "", 400, "bad_request", "invalid facet_size"},
		{"huge page number", get, "/api/v1/search?from=99999999999999999999", "", "", 400, "bad_request", "invalid from"},
	}
	if len(tests) < 30 {
		t.Fatalf("only %d cases", len(tests))
	}
	before := w.fingerprint(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body *strings.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			req := httptest.NewRequestWithContext(t.Context(), tt.method, tt.target, nil)
			if body != nil {
				req = httptest.NewRequestWithContext(t.Context(), tt.method, tt.target, body)
			}
			if tt.ct != "" {
				req.Header.Set("Content-Type", tt.ct)
			}
			req.Header.Set("Authorization", "Bearer "+writeSecret)
			rec := httptest.NewRecorder()
			w.h.ServeHTTP(rec, req)
			got := decode[errorResult](t, rec)
			if rec.Code != tt.status || got.Error.Code != tt.code || !strings.Contains(got.Error.Message, tt.msg) {
				t.Errorf("%s %.60s = %d %s %q, want %d %s containing %q", tt.method, tt.target, rec.Code, got.Error.Code, got.Error.Message, tt.status, tt.code, tt.msg)
			}
			if after := w.fingerprint(t); after != before {
				t.Fatalf("index changed: %s → %s", before, after)
			}
		})
	}
	// The good document is accepted by the same server: the refusals above
	// are about the input, not the route.
	rec := w.do(t, post, docs, jsonCT, writeSecret, strings.NewReader(good))
	if rec.Code != http.StatusCreated {
		t.Fatalf("good document = %d; body %s", rec.Code, rec.Body)
	}
	if after := w.fingerprint(t); after == before {
		t.Errorf("good document left the index unchanged (%s)", fmt.Sprint(after))
	}
}
