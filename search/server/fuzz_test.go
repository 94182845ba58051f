package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"unicode/utf8"

	"policysearch/search/server"
)

// FuzzWriteJSON posts arbitrary bodies to the write API, as one JSON
// document and as JSON Lines, and checks that the answer is never a 5xx,
// that a refused document changes nothing, and that an accepted one can be
// read back as valid UTF-8.
func FuzzWriteJSON(f *testing.F) {
	for _, s := range []string{
		`{"id": "f-1", "title": "关于推进医养结合的通知", "body": "各区人民政府：为推进医养结合，现通知如下。", "date": "2023-06-30", "region": "济南市"}`,
		`{"body": "正文", "year": 2020, "level": "county", "type": "政府工作报告", "source_url": "https://www.gov.cn/x"}`,
		`{"id": "../../etc/passwd", "body": "x"}`,
		`{"title": 5, "body": "x"}`,
		`{"body": "x", "year": 1e400}`,
		"{\"body\": \"\xff\xfe\"}",
		`[{"body": "x"}]`,
		"{\"body\": \"a\"}\n{\"body\": \"b\"}\n",
		`{"body": "\u0000\u0007"}`,
		`{"body": "x", "date": "2023-02-30"}`,
		`null`,
		``,
	} {
		f.Add(false, []byte(s))
		f.Add(true, []byte(s))
	}
	w := newWritable(f, server.Options{MaxDocumentBytes: 64 << 10, MaxBatchDocs: 20})
	f.Fuzz(func(t *testing.T, lines bool, body []byte) {
		ct := "application/json"
		if lines {
			ct = "application/x-ndjson"
		}
		before := w.fingerprint(t)
		rec := w.do(t, http.MethodPost, "/api/v1/documents", ct, writeSecret, bytes.NewReader(body))
		switch {
		case rec.Code >= 500:
			t.Fatalf("POST %q (%s) = %d: %s", body, ct, rec.Code, rec.Body)
		case rec.Code >= 400:
			if after := w.fingerprint(t); after != before {
				t.Fatalf("refused POST %q (%d) changed the index: %s → %s", body, rec.Code, before, after)
			}
			var e errorResult
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
				t.Fatalf("POST %q = %d with body %q, want a JSON error", body, rec.Code, rec.Body)
			}
			return
		}
		var ids []string
		if lines {
			var b batchResult
			if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
				t.Fatalf("batch response %q: %v", rec.Body, err)
			}
			for _, r := range b.Results {
				if r.Status == http.StatusCreated {
					ids = append(ids, r.ID)
				} else if r.Status >= 500 || r.Error == nil {
					t.Fatalf("batch result %+v for %q", r, body)
				}
			}
		} else {
			var r writeResult
			if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil || rec.Code != http.StatusCreated {
				t.Fatalf("POST %q = %d %q", body, rec.Code, rec.Body)
			}
			ids = append(ids, r.ID)
		}
		for _, id := range ids {
			got := w.do(t, http.MethodGet, "/api/v1/documents/"+id, "", "", nil)
			var doc struct{ Title, Body string }
			if err := json.Unmarshal(got.Body.Bytes(), &doc); err != nil || got.Code != http.StatusOK {
				t.Fatalf("GET accepted %s = %d %q", id, got.Code, got.Body)
			}
			if !utf8.ValidString(doc.Title) || !utf8.ValidString(doc.Body) || doc.Body == "" {
				t.Fatalf("accepted %s reads back as title %q body %q", id, doc.Title, doc.Body)
			}
		}
	})
}
