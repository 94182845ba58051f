package server_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"maps"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"policysearch/corpus"
	"policysearch/indexer"
	"policysearch/search"
	"policysearch/search/server"
)

// Test key secrets and the keys the test servers accept.
const (
	writeSecret = "write-key-for-tests-0123456789abcdef"
	adminSecret = "admin-key-for-tests-0123456789abcdef"
	readSecret  = "read-key-for-tests-0123456789abcdef-jinan"
	plainSecret = "read-key-for-tests-0123456789abcdef-plain"
)

func testKeys(t testing.TB) []server.Key {
	t.Helper()
	h := server.HashKey(adminSecret)
	keys, err := server.ParseKeys(strings.NewReader(fmt.Sprintf(
		"# test keys\nwriter write %s\nops admin sha256:%s\njinan read %s region=济南市; plain read %s\n",
		writeSecret, hex.EncodeToString(h[:]), readSecret, plainSecret)))
	if err != nil {
		t.Fatalf("ParseKeys: %v", err)
	}
	return keys
}

// firstSampleDocs returns the first n documents of the embedded sample corpus.
func firstSampleDocs(t testing.TB, n int) []corpus.Document {
	t.Helper()
	var docs []corpus.Document
	for d, err := range corpus.Load(t.Context(), corpus.Sample(), corpus.Options{}) {
		if err != nil {
			continue // skips are not documents
		}
		docs = append(docs, d)
		if len(docs) == n {
			break
		}
	}
	if len(docs) < n {
		t.Fatalf("sample has %d documents, want %d", len(docs), n)
	}
	return docs
}

// writable is a server over an in-memory index of its own, seeded with
// real sample documents, that takes writes.
type writable struct {
	h   http.Handler
	idx bleve.Index
}

func newWritable(t testing.TB, opts server.Options) *writable {
	t.Helper()
	idx, err := indexer.Create("")
	if err != nil {
		t.Fatalf("create index: %v", err)
	}
	t.Cleanup(func() {
		if err := idx.Close(); err != nil {
			t.Errorf("close index: %v", err)
		}
	})
	docs := firstSampleDocs(t, 6)
	if _, err := indexer.Build(t.Context(), idx, docSeq(docs), indexer.Options{}); err != nil {
		t.Fatalf("build: %v", err)
	}
	svc, err := search.New(idx, search.Options{})
	if err != nil {
		t.Fatalf("new service: %v", err)
	}
	if opts.Keys == nil {
		opts.Keys = testKeys(t)
	}
	s := server.New(opts)
	w, err := indexer.NewWriter(t.Context(), idx, indexer.WriterOptions{Committed: s.ObserveCommit})
	if err != nil {
		t.Fatalf("new writer: %v", err)
	}
	t.Cleanup(func() {
		if err := w.Close(); err != nil {
			t.Errorf("close writer: %v", err)
		}
	})
	s.SetService(svc)
	s.SetWriter(w)
	return &writable{h: s.Handler(), idx: idx}
}

// fingerprint identifies the content of the index: the document count and
// a hash over every (ID, content hash) pair.
func (w *writable) fingerprint(t testing.TB) string {
	t.Helper()
	hashes, err := indexer.Hashes(t.Context(), w.idx)
	if err != nil {
		t.Fatalf("hashes: %v", err)
	}
	h := sha256.New()
	for _, id := range slices.Sorted(maps.Keys(hashes)) {
		fmt.Fprintf(h, "%s %s\n", id, hashes[id])
	}
	return fmt.Sprintf("%d docs, %x", len(hashes), h.Sum(nil)[:8])
}

// do sends a request with a body.
func (w *writable) do(t testing.TB, method, target, contentType, secret string, body io.Reader) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequestWithContext(t.Context(), method, target, body)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if secret != "" {
		req.Header.Set("Authorization", "Bearer "+secret)
	}
	rec := httptest.NewRecorder()
	w.h.ServeHTTP(rec, req)
	return rec
}

// writeResult is the JSON of a write response as a client sees it.
type writeResult struct {
	ID     string `json:"id"`
	URL    string `json:"url"`
	Result string `json:"result"`
}

// batchResult is the JSON of a batch write.
type batchResult struct {
	Indexed int `json:"indexed"`
	Failed  int `json:"failed"`
	Results []struct {
		ID     string `json:"id"`
		Line   int    `json:"line"`
		File   string `json:"file"`
		Status int    `json:"status"`
		Error  *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	} `json:"results"`
}

// docJSON returns a write body for a real sample document under a new ID
// and title.
func docJSON(t *testing.T, d corpus.Document, id, title string) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{"id": id, "title": title, "body": d.Body, "region": d.Region, "date": d.Date})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func searchIDs(t *testing.T, h http.Handler, q string, header http.Header) []string {
	t.Helper()
	rec := serve(t, h, http.MethodGet, "/api/v1/search?"+url.Values{"q": {q}, "size": {"100"}}.Encode(), header)
	if rec.Code != http.StatusOK {
		t.Fatalf("search %q: status %d; body %.300s", q, rec.Code, rec.Body.String())
	}
	var ids []string
	for _, h := range decode[searchResult](t, rec).Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

func TestWriteRoundTrip(t *testing.T) {
	t.Parallel()
	w := newWritable(t, server.Options{})
	src := firstSampleDocs(t, 8)[7]

	rec := w.do(t, http.MethodPost, "/api/v1/documents", "application/json", writeSecret,
		strings.NewReader(docJSON(t, src, "reliability-1", "可靠性写入测试文件")))
	if rec.Code != http.StatusCreated {
		t.Fatalf("POST = %d, want 201; body %s", rec.Code, rec.Body)
	}
	if got := decode[writeResult](t, rec); got.ID != "reliability-1" || got.Result != "indexed" {
		t.Errorf("POST result = %+v", got)
	}
	// Searchable at once: the write returned after the commit.
	if ids := searchIDs(t, w.h, `title:"可靠性写入测试"`, nil); !slices.Equal(ids, []string{"reliability-1"}) {
		t.Errorf("search after POST = %v, want [reliability-1]", ids)
	}
	doc := decode[struct {
		Title, Body, Region string
	}](t, serve(t, w.h, http.MethodGet, "/api/v1/documents/reliability-1", nil))
	if doc.Title != "可靠性写入测试文件" || doc.Body != src.Body {
		t.Errorf("GET after POST: title %q, body of %d bytes (want %d)", doc.Title, len(doc.Body), len(src.Body))
	}

	rec = w.do(t, http.MethodPut, "/api/v1/documents/reliability-1", "application/json", writeSecret,
		strings.NewReader(docJSON(t, src, "", "可靠性替换测试文件")))
	if rec.Code != http.StatusOK {
		t.Fatalf("PUT = %d, want 200; body %s", rec.Code, rec.Body)
	}
	if ids := searchIDs(t, w.h, `title:"可靠性写入测试"`, nil); len(ids) != 0 {
		t.Errorf("old title still found after PUT: %v", ids)
	}
	if ids := searchIDs(t, w.h, `title:"可靠性替换测试"`, nil); !slices.Equal(ids, []string{"reliability-1"}) {
		t.Errorf("search after PUT = %v, want [reliability-1]", ids)
	}

	rec = w.do(t, http.MethodDelete, "/api/v1/documents/reliability-1", "", writeSecret, nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("DELETE = %d, want 200; body %s", rec.Code, rec.Body)
	}
	if rec := serve(t, w.h, http.MethodGet, "/api/v1/documents/reliability-1", nil); rec.Code != http.StatusNotFound {
		t.Errorf("GET after DELETE = %d, want 404", rec.Code)
	}
	if rec := w.do(t, http.MethodDelete, "/api/v1/documents/reliability-1", "", writeSecret, nil); rec.Code != http.StatusNotFound {
		t.Errorf("second DELETE = %d, want 404", rec.Code)
	}
}

func TestWriteBatch(t *testing.T) {
	t.Parallel()
	w := newWritable(t, server.Options{})
	src := firstSampleDocs(t, 9)
	lines := []string{
		docJSON(t, src[6], "batch-1", "批量写入甲"),
		`{"id": "batch-2", "title": 5, "body": "正文"}`, // a bad one does not sink the batch
		"",
		docJSON(t, src[7], "", "批量写入乙"), // ID from the content
		`{"id": "../../etc/passwd", "body": "正文"}`,
	}
	rec := w.do(t, http.MethodPost, "/api/v1/documents", "application/x-ndjson", writeSecret, strings.NewReader(strings.Join(lines, "\n")))
	if rec.Code != http.StatusOK {
		t.Fatalf("POST batch = %d; body %s", rec.Code, rec.Body)
	}
	got := decode[batchResult](t, rec)
	if got.Indexed != 2 || got.Failed != 2 || len(got.Results) != 4 {
		t.Fatalf("batch = %+v, want 2 indexed, 2 failed, 4 results", got)
	}
	wantStatus := []int{201, 400, 201, 400}
	wantLines := []int{1, 2, 4, 5}
	for i, r := range got.Results {
		if r.Status != wantStatus[i] || r.Line != wantLines[i] {
			t.Errorf("result %d = status %d line %d, want %d line %d", i, r.Status, r.Line, wantStatus[i], wantLines[i])
		}
	}
	if e := got.Results[1].Error; e == nil || !strings.Contains(e.Message, "title") {
		t.Errorf("line 2 error = %+v, want one naming the title", e)
	}
	autoID := got.Results[2].ID
	if ids := searchIDs(t, w.h, "title:批量写入", nil); !slices.Equal(slices.Sorted(slices.Values(ids)), slices.Sorted(slices.Values([]string{"batch-1", autoID}))) {
		t.Errorf("search after batch = %v, want batch-1 and %s", ids, autoID)
	}
	// The same content again gets the same ID: a retry stores it once.
	before := w.fingerprint(t)
	rec = w.do(t, http.MethodPost, "/api/v1/documents", "application/x-ndjson", writeSecret, strings.NewReader(lines[3]))
	if got := decode[batchResult](t, rec); got.Indexed != 1 || got.Results[0].ID != autoID {
		t.Errorf("resent document = %+v, want ID %s", got, autoID)
	}
	if after := w.fingerprint(t); after != before {
		t.Errorf("resending a document changed the index: %s → %s", before, after)
	}
}

func TestWriteUpload(t *testing.T) {
	t.Parallel()
	w := newWritable(t, server.Options{})
	gbk, err := simplifiedchinese.GBK.NewEncoder().String("关于推进医养结合上传测试的通知\n\n各区人民政府：为推进医养结合，现通知如下。")
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, f := range []struct{ name, data string }{
		{"2024_济南市槐荫区_上传测试.txt", gbk},
		{"notes.md", "---\ntitle: 上传测试笔记\nregion: 济南市\n---\n# 上传测试笔记\n\n城市更新上传测试正文。"},
		{"empty.txt", ""},
	} {
		fw, err := mw.CreateFormFile("file", f.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(fw, f.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	rec := w.do(t, http.MethodPost, "/api/v1/documents", mw.FormDataContentType(), writeSecret, &body)
	if rec.Code != http.StatusOK {
		t.Fatalf("upload = %d; body %s", rec.Code, rec.Body)
	}
	got := decode[batchResult](t, rec)
	if got.Indexed != 2 || got.Failed != 1 {
		t.Fatalf("upload = %+v, want 2 indexed and the empty file failed", got)
	}
	ids := searchIDs(t, w.h, "上传测试", nil)
	if len(ids) != 2 {
		t.Errorf("search 上传测试 = %v, want the 2 uploaded documents", ids)
	}
	// The GBK file was decoded, and its region inferred from its name.
	doc := decode[struct{ Title, Region string }](t, serve(t, w.h, http.MethodGet, "/api/v1/documents/"+got.Results[0].ID, nil))
	if doc.Title != "关于推进医养结合上传测试的通知" || !strings.Contains(doc.Region, "槐荫区") {
		t.Errorf("uploaded GBK document: title %q region %q", doc.Title, doc.Region)
	}
}

func TestWriteNeedsKey(t *testing.T) {
	t.Parallel()
	w := newWritable(t, server.Options{})
	src := firstSampleDocs(t, 8)[7]
	body := docJSON(t, src, "unauthorized-1", "无权写入")
	before := w.fingerprint(t)
	tests := []struct {
		name, method, target, secret string
		header                       map[string]string
		status                       int
		code                         string
	}{
		{"POST without key", http.MethodPost, "/api/v1/documents", "", nil, http.StatusUnauthorized, "unauthorized"},
		{"POST with wrong key", http.MethodPost, "/api/v1/documents", "not-a-key-but-long-enough-0123456789", nil, http.StatusUnauthorized, "unauthorized"},
		{"POST with almost the key", http.MethodPost, "/api/v1/documents", writeSecret[:len(writeSecret)-1] + "X", nil, http.StatusUnauthorized, "unauthorized"},
		{"POST with Basic auth", http.MethodPost, "/api/v1/documents", "", map[string]string{"Authorization": "Basic d3JpdGVyOnNlY3JldA=="}, http.StatusUnauthorized, "unauthorized"},
		{"POST with key in URL", http.MethodPost, "/api/v1/documents?api_key=" + writeSecret, "", nil, http.StatusUnauthorized, "unauthorized"},
		{"POST with read key", http.MethodPost, "/api/v1/documents", plainSecret, nil, http.StatusForbidden, "forbidden"},
		{"PUT without key", http.MethodPut, "/api/v1/documents/" + src.ID, "", nil, http.StatusUnauthorized, "unauthorized"},
		{"PUT with wrong key", http.MethodPut, "/api/v1/documents/" + src.ID, "wrong-key-wrong-key-wrong-key-wrong", nil, http.StatusUnauthorized, "unauthorized"},
		{"DELETE without key", http.MethodDelete, "/api/v1/documents/" + src.ID, "", nil, http.StatusUnauthorized, "unauthorized"},
		{"DELETE with wrong key", http.MethodDelete, "/api/v1/documents/" + src.ID, "wrong-key-wrong-key-wrong-key-wrong", nil, http.StatusUnauthorized, "unauthorized"},
		{"POST from a page of another origin", http.MethodPost, "/api/v1/documents", writeSecret, map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden, "forbidden"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequestWithContext(t.Context(), tt.method, tt.target, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			if tt.secret != "" {
				req.Header.Set("Authorization", "Bearer "+tt.secret)
			}
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			w.h.ServeHTTP(rec, req)
			got := decode[errorResult](t, rec)
			if rec.Code != tt.status || got.Error.Code != tt.code {
				t.Errorf("%s %s = %d %q, want %d %q", tt.method, tt.target, rec.Code, got.Error.Code, tt.status, tt.code)
			}
			if tt.status == http.StatusUnauthorized && rec.Header().Get("WWW-Authenticate") == "" {
				t.Errorf("401 without WWW-Authenticate")
			}
		})
	}
	if after := w.fingerprint(t); after != before {
		t.Errorf("refused writes changed the index: %s → %s", before, after)
	}
	if rec := serve(t, w.h, http.MethodGet, "/api/v1/documents/"+src.ID, nil); rec.Code != http.StatusNotFound {
		t.Errorf("GET %s = %d, want 404: nothing was written", src.ID, rec.Code)
	}
}

func TestScopedReadKey(t *testing.T) {
	t.Parallel()
	h := newHandler(t, server.Options{Keys: testKeys(t)})
	bearer := http.Header{"Authorization": {"Bearer " + readSecret}}
	all := searchIDs(t, h, "", nil)
	scoped := searchIDs(t, h, "", bearer)
	if len(scoped) == 0 || len(scoped) >= len(all) {
		t.Fatalf("scoped search found %d of %d documents, want some but not all", len(scoped), len(all))
	}
	// Every hit is in 济南市, and asking for another region cannot widen it.
	res := decode[searchResult](t, serve(t, h, http.MethodGet, "/api/v1/search?size=100&facets=region&facet_size=100", bearer))
	for _, hit := range res.Hits {
		doc := decode[struct{ City, Region string }](t, serve(t, h, http.MethodGet, hit.URL, bearer))
		if doc.City != "济南市" && doc.Region != "济南市" {
			t.Errorf("scoped hit %s is in %q/%q, not 济南市", hit.ID, doc.City, doc.Region)
		}
	}
	if ids := searchIDs(t, h, "region:上海市", bearer); len(ids) != 0 {
		t.Errorf("scoped search for region:上海市 = %v, want none", ids)
	}
	rec := serve(t, h, http.MethodGet, "/api/v1/search?region=上海市", bearer)
	if got := decode[searchResult](t, rec); got.Total != 0 {
		t.Errorf("scoped search with region=上海市 found %d, want 0", got.Total)
	}
	// A document outside the scope is not found; with the key in the URL too.
	outside := ""
	for _, id := range all {
		if !slices.Contains(scoped, id) {
			outside = id
			break
		}
	}
	if rec := serve(t, h, http.MethodGet, "/api/v1/documents/"+outside, bearer); rec.Code != http.StatusNotFound {
		t.Errorf("GET out-of-scope document = %d, want 404", rec.Code)
	}
	if rec := serve(t, h, http.MethodGet, "/api/v1/documents/"+outside+"?api_key="+url.QueryEscape(readSecret), nil); rec.Code != http.StatusNotFound {
		t.Errorf("GET out-of-scope document with api_key = %d, want 404", rec.Code)
	}
	if rec := serve(t, h, http.MethodGet, "/api/v1/documents/"+outside, nil); rec.Code != http.StatusOK {
		t.Errorf("GET without key = %d, want 200 (reads are public)", rec.Code)
	}
	if rec := serve(t, h, http.MethodGet, "/api/v1/search?api_key=wrong-wrong-wrong-wrong-wrong", nil); rec.Code != http.StatusUnauthorized {
		t.Errorf("search with a wrong api_key = %d, want 401", rec.Code)
	}
}

func TestRequireReadKey(t *testing.T) {
	t.Parallel()
	h := newHandler(t, server.Options{Keys: testKeys(t), RequireReadKey: true})
	for _, tt := range []struct {
		target string
		header http.Header
		status int
	}{
		{"/api/v1/search?q=医养", nil, http.StatusUnauthorized},
		{"/api/v1/search?q=医养", http.Header{"Authorization": {"Bearer " + plainSecret}}, http.StatusOK},
		{"/api/v1/search?q=医养&api_key=" + plainSecret, nil, http.StatusOK},
		{"/healthz", nil, http.StatusOK},
		{"/", nil, http.StatusOK},
	} {
		if rec := serve(t, h, http.MethodGet, tt.target, tt.header); rec.Code != tt.status {
			t.Errorf("GET %s = %d, want %d", tt.target, rec.Code, tt.status)
		}
	}
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	h := newHandler(t, server.Options{Keys: testKeys(t), IPRate: server.RateLimit{Rate: 0.5, Burst: 2}, KeyRate: server.RateLimit{Rate: 0.5, Burst: 1}})
	for i, want := range []int{200, 200, 429} {
		rec := serve(t, h, http.MethodGet, "/api/v1/search?q=医养", nil)
		if rec.Code != want {
			t.Fatalf("request %d = %d, want %d", i+1, rec.Code, want)
		}
		if want == 429 {
			if got := decode[errorResult](t, rec); got.Error.Code != "rate_limited" || rec.Header().Get("Retry-After") == "" {
				t.Errorf("429: code %q, Retry-After %q", got.Error.Code, rec.Header().Get("Retry-After"))
			}
		}
	}
	// A key has its own bucket; an admin key has none; probes are not limited.
	key := http.Header{"Authorization": {"Bearer " + plainSecret}}
	admin := http.Header{"Authorization": {"Bearer " + adminSecret}}
	for i, tt := range []struct {
		target string
		header http.Header
		want   int
	}{
		{"/api/v1/search?q=医养", key, 200}, {"/api/v1/search?q=医养", key, 429},
		{"/api/v1/search?q=医养", admin, 200}, {"/api/v1/search?q=医养", admin, 200},
		{"/healthz", nil, 200}, {"/readyz", nil, 200},
	} {
		if rec := serve(t, h, http.MethodGet, tt.target, tt.header); rec.Code != tt.want {
			t.Errorf("request %d (%s) = %d, want %d", i+1, tt.target, rec.Code, tt.want)
		}
	}
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	w := newWritable(t, server.Options{})
	src := firstSampleDocs(t, 8)[7]
	w.do(t, http.MethodPost, "/api/v1/documents", "application/json", writeSecret, strings.NewReader(docJSON(t, src, "metrics-1", "指标测试")))
	serve(t, w.h, http.MethodGet, "/api/v1/search?q=医养", nil)
	serve(t, w.h, http.MethodGet, "/api/v1/search?q=%22", nil)
	rec := serve(t, w.h, http.MethodGet, "/metrics", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics = %d", rec.Code)
	}
	body := rec.Body.String()
	for _, want := range []string{
		`policysearch_http_requests_total{method="GET",route="/api/v1/search",status="200"} 1`,
		`policysearch_http_requests_total{method="GET",route="/api/v1/search",status="400"} 1`,
		`policysearch_http_requests_total{method="POST",route="/api/v1/documents",status="201"} 1`,
		`policysearch_http_request_duration_seconds_bucket{method="GET",route="/api/v1/search",status="200",le="+Inf"} 1`,
		`policysearch_indexed_documents_total{source="api"} 1`,
		"policysearch_index_documents 7",
		"process_resident_memory_bytes",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func TestCORSWrites(t *testing.T) {
	t.Parallel()
	w := newWritable(t, server.Options{WriteOrigins: []string{"https://cms.example"}})
	preflight := func(origin, method string) string {
		req := httptest.NewRequestWithContext(t.Context(), http.MethodOptions, "/api/v1/documents", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", method)
		rec := httptest.NewRecorder()
		w.h.ServeHTTP(rec, req)
		return rec.Header().Get("Access-Control-Allow-Methods")
	}
	if got := preflight("https://cms.example", http.MethodPost); !strings.Contains(got, "POST") {
		t.Errorf("preflight POST from the write origin allows %q", got)
	}
	if got := preflight("https://other.example", http.MethodPost); got != "" {
		t.Errorf("preflight POST from another origin allows %q, want nothing", got)
	}
	if got := preflight("https://other.example", http.MethodGet); !strings.Contains(got, "GET") {
		t.Errorf("preflight GET from another origin allows %q, want reads", got)
	}
	src := firstSampleDocs(t, 8)[7]
	req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/api/v1/documents", strings.NewReader(docJSON(t, src, "cors-1", "跨域写入")))
	req.Header.Set("Origin", "https://cms.example")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+writeSecret)
	rec := httptest.NewRecorder()
	w.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusCreated || rec.Header().Get("Access-Control-Allow-Origin") != "https://cms.example" {
		t.Errorf("POST from the write origin = %d, Allow-Origin %q", rec.Code, rec.Header().Get("Access-Control-Allow-Origin"))
	}
}

func TestParseKeys(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{
		"k1 write short",
		"k1 superuser " + writeSecret,
		"k1 write sha256:abc",
		"k1 write " + writeSecret + " region=济南市",
		"k1 read " + readSecret + " colour=red",
		"k1 write " + writeSecret + "\nk1 read " + readSecret,
		"k1",
	} {
		if _, err := server.ParseKeys(strings.NewReader(bad)); err == nil {
			t.Errorf("ParseKeys(%q) = nil error, want one", bad)
		}
	}
}

// docSeq yields docs as a loader would.
func docSeq(docs []corpus.Document) iter.Seq2[corpus.Document, error] {
	return func(yield func(corpus.Document, error) bool) {
		for _, d := range docs {
			if !yield(d, nil) {
				return
			}
		}
	}
}

// TestBasicAuthIgnored: a proxy's Basic credentials are not an API key, so
// reads behind a password-protected proxy still work.
func TestBasicAuthIgnored(t *testing.T) {
	t.Parallel()
	h := newHandler(t, server.Options{Keys: testKeys(t)})
	basic := http.Header{"Authorization": {"Basic dXNlcjpwYXNz"}}
	if rec := serve(t, h, http.MethodGet, "/api/v1/search?q=医养", basic); rec.Code != http.StatusOK {
		t.Errorf("search with Basic auth = %d, want 200", rec.Code)
	}
	if rec := serve(t, h, http.MethodGet, "/api/v1/search?q=医养", http.Header{"Authorization": {"Bearer "}}); rec.Code != http.StatusUnauthorized {
		t.Errorf("search with an empty bearer token = %d, want 401", rec.Code)
	}
}
