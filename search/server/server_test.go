package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/gin-gonic/gin"
	"github.com/google/go-cmp/cmp"

	"policysearch/corpus"
	"policysearch/indexer"
	"policysearch/search"
	"policysearch/search/server"
)

// sample is the in-memory index of the embedded sample corpus, built once
// (it takes seconds) and shared, read-only, by every test.
var sample struct {
	once sync.Once
	idx  bleve.Index
	err  error
}

// sampleService returns a search service over the sample index.
func sampleService(t testing.TB) *search.Service {
	t.Helper()
	sample.once.Do(func() {
		// The first caller's context bounds the build; the build finishes
		// inside this call, before that test ends.
		ctx := t.Context()
		idx, err := indexer.Create("")
		if err != nil {
			sample.err = err
			return
		}
		rep, err := indexer.Build(ctx, idx, corpus.Load(ctx, corpus.Sample(), corpus.Options{}), indexer.Options{})
		if err == nil && rep.Added == 0 {
			err = &testError{"sample corpus indexed no documents"}
		}
		sample.idx, sample.err = idx, err
	})
	if sample.err != nil {
		t.Fatalf("build sample index: %v", sample.err)
	}
	svc, err := search.New(sample.idx, search.Options{})
	if err != nil {
		t.Fatalf("new search service: %v", err)
	}
	return svc
}

type testError struct{ msg string }

func (e *testError) Error() string { return e.msg }

// newHandler returns the handler of a server over the sample index.
func newHandler(t testing.TB, opts server.Options) http.Handler {
	t.Helper()
	s := server.New(opts)
	s.SetService(sampleService(t))
	return s.Handler()
}

// serve sends a request to h and returns the recorded response.
func serve(t *testing.T, h http.Handler, method, target string, header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequestWithContext(t.Context(), method, target, nil)
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// decode decodes the JSON body of rec into a T, failing the test if it is
// not JSON.
func decode[T any](t *testing.T, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type = %q, want application/json; body %.200s", ct, rec.Body.String())
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %T: %v; body %.200s", v, err, rec.Body.String())
	}
	return v
}

// searchResult is the JSON of GET /api/v1/search as a client sees it.
type searchResult struct {
	Total  uint64  `json:"total"`
	TookMS float64 `json:"took_ms"`
	Query  string  `json:"query"`
	From   int     `json:"from"`
	Size   int     `json:"size"`
	Hits   []struct {
		ID         string              `json:"id"`
		Title      string              `json:"title"`
		Region     string              `json:"region"`
		Level      string              `json:"level"`
		Date       string              `json:"date"`
		Year       int                 `json:"year"`
		Type       string              `json:"type"`
		Score      float64             `json:"score"`
		URL        string              `json:"url"`
		Highlights map[string][]string `json:"highlights"`
	} `json:"hits"`
	Facets map[string][]struct {
		Value string `json:"value"`
		Count int    `json:"count"`
	} `json:"facets"`
}

// errorResult is the JSON of every error response.
type errorResult struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// get runs a search with the given query parameters and checks for 200.
func get(t *testing.T, h http.Handler, params url.Values) searchResult {
	t.Helper()
	rec := serve(t, h, http.MethodGet, "/api/v1/search?"+params.Encode(), nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /api/v1/search?%s: status %d, want 200; body %.300s", params.Encode(), rec.Code, rec.Body.String())
	}
	return decode[searchResult](t, rec)
}

func TestSearchTwoCharacterQuery(t *testing.T) {
	t.Parallel()
	h := newHandler(t, server.Options{})
	res := get(t, h, url.Values{"q": {"医养"}})
	if res.Total == 0 || len(res.Hits) == 0 {
		t.Fatalf("q=医养: total %d, %d hits; want some", res.Total, len(res.Hits))
	}
	if res.Query != "医养" || res.Size != search.DefaultSize || res.From != 0 {
		t.Errorf("echo = query %q from %d size %d, want 医养 0 %d", res.Query, res.From, res.Size, search.DefaultSize)
	}
	marked := 0
	for i, hit := range res.Hits {
		if i > 0 && hit.Score > res.Hits[i-1].Score {
			t.Errorf("hit %d score %v > hit %d score %v: not ranked", i, hit.Score, i-1, res.Hits[i-1].Score)
		}
		if want := "/api/v1/documents/"; !strings.HasPrefix(hit.URL, want) {
			t.Errorf("hit %s url = %q, want prefix %q", hit.ID, hit.URL, want)
		}
		for field, frags := range hit.Highlights {
			for _, f := range frags {
				if !utf8.ValidString(f) {
					t.Errorf("hit %s %s fragment is not valid UTF-8: %q", hit.ID, field, f)
				}
				if open, closed := strings.Count(f, "<mark>"), strings.Count(f, "</mark>"); open != closed {
					t.Errorf("hit %s %s fragment has %d <mark> and %d </mark>: %q", hit.ID, field, open, closed, f)
				}
				for _, m := range marks(f) {
					marked++
					if !strings.Contains(m, "医养") {
						t.Errorf("hit %s %s: marked %q does not contain the query", hit.ID, field, m)
					}
				}
			}
		}
	}
	if marked == 0 {
		t.Errorf("q=医养: no <mark> in any highlight")
	}
}

// marks returns the texts inside <mark>…</mark> in an HTML fragment.
func marks(frag string) []string {
	var out []string
	for {
		_, rest, ok := strings.Cut(frag, "<mark>")
		if !ok {
			return out
		}
		m, after, ok := strings.Cut(rest, "</mark>")
		if !ok {
			return out
		}
		out = append(out, m)
		frag = after
	}
}

func TestSearchHighlightOff(t *testing.T) {
	t.Parallel()
	h := newHandler(t, server.Options{})
	res := get(t, h, url.Values{"q": {"医养"}, "highlight": {"false"}})
	if len(res.Hits) == 0 {
		t.Fatal("q=医养&highlight=false: no hits")
	}
	for _, hit := range res.Hits {
		if len(hit.Highlights) != 0 {
			t.Errorf("hit %s highlights = %v, want none", hit.ID, hit.Highlights)
		}
	}
}

func TestSearchFacetsMatchFilters(t *testing.T) {
	t.Parallel()
	h := newHandler(t, server.Options{})

	// What the documents themselves say: their own region and year, and
	// every place they lie in (a region filter matches all of these).
	type meta struct {
		Region   string `json:"region"`
		Province string `json:"province"`
		City     string `json:"city"`
		County   string `json:"county"`
		Year     int    `json:"year"`
	}
	docs := make(map[string]meta)
	for _, id := range allIDs(t, h, url.Values{}) {
		rec := serve(t, h, http.MethodGet, "/api/v1/documents/"+url.PathEscape(id), nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET document %s: status %d", id, rec.Code)
		}
		docs[id] = decode[meta](t, rec)
	}
	if len(docs) == 0 {
		t.Fatal("sample index has no documents")
	}
	own := map[string]func(meta, string) bool{
		search.FacetRegion: func(m meta, v string) bool { return m.Region == v },
		search.FacetYear:   func(m meta, v string) bool { return v == strconv.Itoa(m.Year) },
	}
	within := map[string]func(meta, string) bool{
		search.FacetRegion: func(m meta, v string) bool {
			return v == m.Region || v == m.Province || v == m.City || v == m.County
		},
		search.FacetYear: own[search.FacetYear],
	}

	all := get(t, h, url.Values{"facets": {"region,year"}, "facet_size": {"200"}, "size": {"1"}})
	for _, name := range []string{search.FacetRegion, search.FacetYear} {
		vals := all.Facets[name]
		if len(vals) == 0 {
			t.Fatalf("facet %s: no values", name)
		}
		for _, fv := range vals {
			want := 0
			for _, m := range docs {
				if own[name](m, fv.Value) {
					want++
				}
			}
			if fv.Count != want {
				t.Errorf("facet %s=%s counts %d, but %d documents have it", name, fv.Value, fv.Count, want)
			}
		}
		for _, fv := range vals[:min(len(vals), 4)] {
			t.Run(name+"="+fv.Value, func(t *testing.T) {
				t.Parallel()
				var want []string
				for id, m := range docs {
					if within[name](m, fv.Value) {
						want = append(want, id)
					}
				}
				got := allIDs(t, h, url.Values{name: {fv.Value}})
				slices.Sort(want)
				slices.Sort(got)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s=%s hits mismatch (-want +got):\n%s", name, fv.Value, diff)
				}
				if len(got) < fv.Count {
					t.Errorf("%s=%s: %d hits, fewer than the facet count %d", name, fv.Value, len(got), fv.Count)
				}
			})
		}
	}
}

// allIDs pages through every hit of a search and returns their IDs,
// checking that the total agrees with the pages.
func allIDs(t *testing.T, h http.Handler, params url.Values) []string {
	t.Helper()
	var ids []string
	for from := 0; ; from += search.MaxSize {
		params.Set("from", strconv.Itoa(from))
		params.Set("size", strconv.Itoa(search.MaxSize))
		params.Set("highlight", "false")
		page := get(t, h, params)
		for _, hit := range page.Hits {
			ids = append(ids, hit.ID)
		}
		if len(page.Hits) < search.MaxSize {
			if uint64(len(ids)) != page.Total {
				t.Errorf("search %s: paged through %d hits, total says %d", params.Encode(), len(ids), page.Total)
			}
			return ids
		}
	}
}

func TestSearchListParams(t *testing.T) {
	t.Parallel()
	h := newHandler(t, server.Options{})
	all := get(t, h, url.Values{"facets": {"year"}, "size": {"1"}})
	years := all.Facets[search.FacetYear]
	if len(years) < 2 {
		t.Fatalf("year facet has %d values, want at least 2", len(years))
	}
	a, b := years[0], years[1]
	repeated := get(t, h, url.Values{"year": {a.Value, b.Value}, "size": {"1"}})
	comma := get(t, h, url.Values{"year": {a.Value + "," + b.Value}, "size": {"1"}})
	want := uint64(a.Count + b.Count)
	if repeated.Total != want || comma.Total != want {
		t.Errorf("year=%s&year=%s total %d, year=%s,%s total %d; want %d",
			a.Value, b.Value, repeated.Total, a.Value, b.Value, comma.Total, want)
	}
}

func TestSearchBadRequest(t *testing.T) {
	t.Parallel()
	h := newHandler(t, server.Options{})
	tests := []struct {
		name   string
		query  string
		status int
		code   string
	}{
		{"unclosed quote", "q=" + url.QueryEscape(`"unclosed`), http.StatusBadRequest, "bad_query"},
		{"dangling OR", "q=" + url.QueryEscape("医养 OR"), http.StatusBadRequest, "bad_query"},
		{"invalid UTF-8 query", "q=%FF%FE", http.StatusBadRequest, "bad_query"},
		{"invalid UTF-8 filter", "region=%FF", http.StatusBadRequest, "bad_request"},
		{"size too large", "q=a&size=1000", http.StatusBadRequest, "bad_request"},
		{"size not a number", "q=a&size=abc", http.StatusBadRequest, "bad_request"},
		{"from negative", "q=a&from=-1", http.StatusBadRequest, "bad_request"},
		{"from past window", "q=a&from=9995&size=10", http.StatusBadRequest, "bad_request"},
		{"unknown facet", "facets=colour", http.StatusBadRequest, "bad_request"},
		{"unknown sort", "sort=random", http.StatusBadRequest, "bad_request"},
		{"highlight not a bool", "highlight=maybe", http.StatusBadRequest, "bad_request"},
		{"amount not money", "amount_min=" + url.QueryEscape("很多"), http.StatusBadRequest, "bad_request"},
		{"amount range backwards", "amount_min=" + url.QueryEscape("100亿元") + "&amount_max=1", http.StatusBadRequest, "bad_request"},
		{"date not a date", "date_from=2020-13-40", http.StatusBadRequest, "bad_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := serve(t, h, http.MethodGet, "/api/v1/search?"+tt.query, nil)
			got := decode[errorResult](t, rec)
			if rec.Code != tt.status || got.Error.Code != tt.code {
				t.Errorf("GET ?%s = %d %q, want %d %q (message %q)", tt.query, rec.Code, got.Error.Code, tt.status, tt.code, got.Error.Message)
			}
			if got.Error.Message == "" {
				t.Errorf("GET ?%s: empty error message", tt.query)
			}
		})
	}
}

func TestSearchSyntaxErrorOffset(t *testing.T) {
	t.Parallel()
	h := newHandler(t, server.Options{})
	q := `医养 "unclosed`
	rec := serve(t, h, http.MethodGet, "/api/v1/search?q="+url.QueryEscape(q), nil)
	got := decode[errorResult](t, rec)
	want := (&search.SyntaxError{Query: q, Offset: strings.Index(q, `"`), Msg: "unclosed quote"}).Error()
	if rec.Code != http.StatusBadRequest || got.Error.Message != want {
		t.Errorf("q=%s: %d %q, want 400 %q", q, rec.Code, got.Error.Message, want)
	}
}

func TestDocument(t *testing.T) {
	t.Parallel()
	h := newHandler(t, server.Options{})
	res := get(t, h, url.Values{"q": {"医养"}, "size": {"3"}})
	if len(res.Hits) == 0 {
		t.Fatal("q=医养: no hits")
	}
	for _, hit := range res.Hits {
		rec := serve(t, h, http.MethodGet, hit.URL, nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: status %d; body %.300s", hit.URL, rec.Code, rec.Body.String())
		}
		doc := decode[struct {
			ID    string `json:"id"`
			Title string `json:"title"`
			Body  string `json:"body"`
			Path  string `json:"path"`
			Chars int    `json:"chars"`
		}](t, rec)
		if doc.ID != hit.ID || doc.Title != hit.Title || doc.Path == "" {
			t.Errorf("GET %s = id %q title %q path %q, want id %q title %q and a path", hit.URL, doc.ID, doc.Title, doc.Path, hit.ID, hit.Title)
		}
		if n := utf8.RuneCountInString(doc.Body); n == 0 || n != doc.Chars {
			t.Errorf("GET %s: body has %d characters, chars says %d", hit.URL, n, doc.Chars)
		}
		if !strings.Contains(doc.Body, "医养") && !strings.Contains(doc.Title, "医养") {
			t.Errorf("GET %s: full text does not contain the query 医养", hit.URL)
		}
	}
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	h := newHandler(t, server.Options{})
	tests := []struct {
		name, method, target string
		status               int
		code                 string
	}{
		{"unknown document", http.MethodGet, "/api/v1/documents/no/such/doc.txt", http.StatusNotFound, "not_found"},
		{"unknown route", http.MethodGet, "/api/v2/search", http.StatusNotFound, "not_found"},
		{"unknown asset", http.MethodGet, "/static/nope.js", http.StatusNotFound, "not_found"},
		{"wrong method", http.MethodPost, "/api/v1/search", http.StatusMethodNotAllowed, "method_not_allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := serve(t, h, tt.method, tt.target, nil)
			got := decode[errorResult](t, rec)
			if rec.Code != tt.status || got.Error.Code != tt.code || got.Error.Message == "" {
				t.Errorf("%s %s = %d %+v, want %d %q with a message", tt.method, tt.target, rec.Code, got.Error, tt.status, tt.code)
			}
		})
	}
}

func TestIndexBuilding(t *testing.T) {
	t.Parallel()
	h := server.New(server.Options{}).Handler() // no SetService yet
	for _, target := range []string{"/readyz", "/api/v1/search?q=医养", "/api/v1/documents/a.txt"} {
		rec := serve(t, h, http.MethodGet, target, nil)
		got := decode[errorResult](t, rec)
		if rec.Code != http.StatusServiceUnavailable || got.Error.Code != "index_building" {
			t.Errorf("GET %s before SetService = %d %q, want 503 index_building", target, rec.Code, got.Error.Code)
		}
		if rec.Header().Get("Retry-After") == "" {
			t.Errorf("GET %s before SetService: no Retry-After", target)
		}
	}
	// Validation comes first: a bad request is a bad request even now.
	if rec := serve(t, h, http.MethodGet, "/api/v1/search?size=abc", nil); rec.Code != http.StatusBadRequest {
		t.Errorf("GET ?size=abc before SetService = %d, want 400", rec.Code)
	}
	rec := serve(t, h, http.MethodGet, "/healthz", nil)
	if got := decode[struct{ Status string }](t, rec); rec.Code != http.StatusOK || got.Status != "ok" {
		t.Errorf("GET /healthz = %d %+v, want 200 ok", rec.Code, got)
	}
}

func TestReadyz(t *testing.T) {
	t.Parallel()
	s := server.New(server.Options{})
	svc := sampleService(t)
	s.SetService(svc)
	rec := serve(t, s.Handler(), http.MethodGet, "/readyz", nil)
	got := decode[struct {
		Status     string `json:"status"`
		Documents  uint64 `json:"documents"`
		Dictionary string `json:"dictionary"`
		Lexicon    string `json:"lexicon"`
	}](t, rec)
	want, err := svc.Count()
	if err != nil {
		t.Fatal(err)
	}
	if rec.Code != http.StatusOK || got.Status != "ready" || got.Documents != want || got.Dictionary != indexer.DictVersion() || got.Lexicon == "" {
		t.Errorf("GET /readyz = %d %+v, want 200 ready with %d documents, dictionary %s and a lexicon", rec.Code, got, want, indexer.DictVersion())
	}
}

func TestCORS(t *testing.T) {
	t.Parallel()
	anyOrigin := newHandler(t, server.Options{})
	listed := newHandler(t, server.Options{AllowedOrigins: []string{"https://news.example"}})
	tests := []struct {
		name        string
		h           http.Handler
		method      string
		header      http.Header
		status      int
		allowOrigin string
	}{
		{"any origin reads", anyOrigin, http.MethodGet,
			http.Header{"Origin": {"https://blog.example"}}, http.StatusOK, "*"},
		{"same-origin request has no header", anyOrigin, http.MethodGet,
			nil, http.StatusOK, ""},
		{"listed origin reads", listed, http.MethodGet,
			http.Header{"Origin": {"https://news.example"}}, http.StatusOK, "https://news.example"},
		{"unlisted origin gets no grant", listed, http.MethodGet,
			http.Header{"Origin": {"https://evil.example"}}, http.StatusOK, ""},
		{"preflight for a read", anyOrigin, http.MethodOptions,
			http.Header{"Origin": {"https://blog.example"}, "Access-Control-Request-Method": {"GET"}}, http.StatusNoContent, "*"},
		{"preflight for a write is refused", anyOrigin, http.MethodOptions,
			http.Header{"Origin": {"https://blog.example"}, "Access-Control-Request-Method": {"POST"}}, http.StatusNoContent, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := serve(t, tt.h, tt.method, "/api/v1/search?q=医养&size=1", tt.header)
			if rec.Code != tt.status {
				t.Errorf("status = %d, want %d", rec.Code, tt.status)
			}
			if got := rec.Header().Get("Access-Control-Allow-Origin"); got != tt.allowOrigin {
				t.Errorf("Access-Control-Allow-Origin = %q, want %q", got, tt.allowOrigin)
			}
			if got := rec.Header().Get("Access-Control-Allow-Credentials"); got != "" {
				t.Errorf("Access-Control-Allow-Credentials = %q, want none", got)
			}
		})
	}
}

func TestPage(t *testing.T) {
	t.Parallel()
	h := server.New(server.Options{}).Handler()
	tests := []struct {
		target, contentType string
	}{
		{"/", "text/html"},
		{"/static/app.js", "text/javascript"},
		{"/static/style.css", "text/css"},
	}
	for _, tt := range tests {
		rec := serve(t, h, http.MethodGet, tt.target, nil)
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), tt.contentType) || rec.Body.Len() == 0 {
			t.Errorf("GET %s = %d %q (%d bytes), want 200 %s", tt.target, rec.Code, rec.Header().Get("Content-Type"), rec.Body.Len(), tt.contentType)
		}
	}
	rec := serve(t, h, http.MethodGet, "/", nil)
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("GET / Content-Security-Policy = %q, want default-src 'self'", csp)
	}
	etag := rec.Header().Get("ETag")
	if rec := serve(t, h, http.MethodGet, "/", http.Header{"If-None-Match": {etag}}); etag == "" || rec.Code != http.StatusNotModified {
		t.Errorf("GET / with If-None-Match %q = %d, want 304", etag, rec.Code)
	}
}

func TestRequestID(t *testing.T) {
	t.Parallel()
	h := server.New(server.Options{}).Handler()
	tests := []struct {
		name, sent string
		kept       bool
	}{
		{"plain id kept", "abc-123.X_y", true},
		{"none sent", "", false},
		{"unsafe id replaced", "a b\nc", false},
		{"long id replaced", strings.Repeat("a", 65), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var hdr http.Header
			if tt.sent != "" {
				hdr = http.Header{"X-Request-Id": {tt.sent}}
			}
			got := serve(t, h, http.MethodGet, "/healthz", hdr).Header().Get("X-Request-ID")
			if got == "" || (got == tt.sent) != tt.kept {
				t.Errorf("sent %q, got X-Request-ID %q; want kept=%v", tt.sent, got, tt.kept)
			}
		})
	}
}

func TestMain(m *testing.M) {
	// gin's debug mode prints every route of every test server.
	gin.SetMode(gin.TestMode)
	os.Exit(m.Run())
}

func TestSearchExplain(t *testing.T) {
	t.Parallel()
	h := newHandler(t, server.Options{})
	rec := serve(t, h, http.MethodGet, "/api/v1/search?explain=true&size=3&q="+url.QueryEscape("医养"), nil)
	got := decode[struct {
		Explanation *struct {
			Normalized string   `json:"normalized"`
			Tokens     []string `json:"tokens"`
		} `json:"explanation"`
		Hits []struct {
			ID      string            `json:"id"`
			Matches []json.RawMessage `json:"matches"`
		} `json:"hits"`
	}](t, rec)
	if rec.Code != http.StatusOK || got.Explanation == nil || got.Explanation.Normalized != "医养" || len(got.Explanation.Tokens) == 0 {
		t.Fatalf("explain=true: status %d, explanation %+v; want 200 with the normalized query and its tokens", rec.Code, got.Explanation)
	}
	for _, hit := range got.Hits {
		if len(hit.Matches) == 0 {
			t.Errorf("explain=true: hit %s has no matches", hit.ID)
		}
	}
	plain := decode[map[string]json.RawMessage](t, serve(t, h, http.MethodGet, "/api/v1/search?size=1&q="+url.QueryEscape("医养"), nil))
	if _, ok := plain["explanation"]; ok {
		t.Errorf("without explain: response has an explanation")
	}
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	s := server.New(server.Options{})
	s.SetService(sampleService(t))
	rec := serve(t, s.Handler(), http.MethodGet, "/api/v1/suggest?q="+url.QueryEscape("医")+"&size=5", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /api/v1/suggest: status %d; body %s", rec.Code, rec.Body.String())
	}
	got := decode[struct {
		Query       string `json:"query"`
		Suggestions []struct {
			Text string `json:"text"`
			Docs int    `json:"docs"`
		} `json:"suggestions"`
	}](t, rec)
	if got.Query != "医" || len(got.Suggestions) == 0 || len(got.Suggestions) > 5 {
		t.Fatalf("suggest = %+v, want 1 to 5 completions of 医", got)
	}
	for _, sg := range got.Suggestions {
		if !strings.HasPrefix(sg.Text, "医") || sg.Docs < 1 {
			t.Errorf("suggestion %+v does not complete 医", sg)
		}
	}
	if rec := serve(t, s.Handler(), http.MethodGet, "/api/v1/suggest?q=a&size=99", nil); rec.Code != http.StatusBadRequest {
		t.Errorf("suggest size=99: status %d, want 400", rec.Code)
	}
}

// TestEntityFiltersAndDocumentEntities: entity facets come back with
// counts, a place filter by name and an amount in Chinese units narrow the
// results, and a document lists its entities with character offsets.
func TestEntityFiltersAndDocumentEntities(t *testing.T) {
	t.Parallel()
	h := newHandler(t, server.Options{})
	all := get(t, h, url.Values{"q": {"医养"}, "facets": {"org,person,topic,place,term"}})
	for _, f := range []string{"org", "topic", "place"} {
		if len(all.Facets[f]) == 0 {
			t.Errorf("facet %s is empty for 医养", f)
		}
	}
	jinan := get(t, h, url.Values{"q": {"医养"}, "place": {"济南市"}})
	if jinan.Total == 0 || jinan.Total >= all.Total {
		t.Errorf("医养 place=济南市: %d of %d hits, want some but not all", jinan.Total, all.Total)
	}
	big := get(t, h, url.Values{"q": {"医养"}, "amount_min": {"100亿元"}})
	if big.Total == 0 || big.Total > all.Total {
		t.Errorf("医养 amount_min=100亿元: %d of %d hits", big.Total, all.Total)
	}
	rec := serve(t, h, http.MethodGet, "/api/v1/documents/"+jinan.Hits[0].ID, nil)
	doc := decode[struct {
		Body     string `json:"body"`
		Entities []struct {
			Kind  string `json:"kind"`
			Value string `json:"value"`
			Text  string `json:"text"`
			Start int    `json:"start"`
			End   int    `json:"end"`
		} `json:"entities"`
	}](t, rec)
	if rec.Code != http.StatusOK || len(doc.Entities) == 0 {
		t.Fatalf("document %s: status %d, %d entities", jinan.Hits[0].ID, rec.Code, len(doc.Entities))
	}
	body := []rune(doc.Body)
	for _, e := range doc.Entities {
		if e.Kind == "topic" {
			continue
		}
		if e.Start < 0 || e.End > len(body) || string(body[e.Start:e.End]) != e.Text {
			t.Errorf("entity %+v does not sit at its character offsets", e)
		}
	}
}
