package server_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"policysearch/corpus"
	"policysearch/indexer"
	"policysearch/search"
	"policysearch/search/server"
)

// docs holds the documents of the embedded sample, loaded once for
// ground-truth scans.
var docs struct {
	once sync.Once
	list []corpus.Document
	err  error
}

// sampleDocs returns the sample's documents. The first caller's context
// bounds the load, which finishes inside the call.
func sampleDocs(t *testing.T) []corpus.Document {
	t.Helper()
	docs.once.Do(func() {
		for d, err := range corpus.Load(t.Context(), corpus.Sample(), corpus.Options{}) {
			var skip *corpus.SkipError
			if errors.As(err, &skip) {
				continue
			}
			if err != nil {
				docs.err = err
				return
			}
			docs.list = append(docs.list, d)
		}
	})
	if docs.err != nil {
		t.Fatalf("load sample: %v", docs.err)
	}
	return docs.list
}

// compareResult is the JSON of GET /api/v1/compare as a client sees it.
type compareResult struct {
	Query  string        `json:"query"`
	By     []string      `json:"by"`
	Groups []groupResult `json:"groups"`
	TookMS float64       `json:"took_ms"`
}

type groupResult struct {
	Label        string  `json:"label"`
	Region       string  `json:"region"`
	Year         int     `json:"year"`
	Type         string  `json:"type"`
	Docs         int     `json:"docs"`
	MatchingDocs int     `json:"matching_docs"`
	Occurrences  int     `json:"occurrences"`
	Chars        int     `json:"chars"`
	Rate         float64 `json:"rate"`
	FirstYear    int     `json:"first_year"`
	LatestYear   int     `json:"latest_year"`
}

// timelineResult is the JSON of GET /api/v1/timeline as a client sees it.
type timelineResult struct {
	Query  string `json:"query"`
	Years  []int  `json:"years"`
	Series []struct {
		Region string `json:"region"`
		Label  string `json:"label"`
		Points []struct {
			Year         int     `json:"year"`
			Docs         int     `json:"docs"`
			MatchingDocs int     `json:"matching_docs"`
			Occurrences  int     `json:"occurrences"`
			Chars        int     `json:"chars"`
			Rate         float64 `json:"rate"`
		} `json:"points"`
	} `json:"series"`
}

// scanRegion counts, by a plain scan, the documents of region (by their
// region, province, city or county), those whose title or body contains q,
// and q's occurrences in their bodies.
func scanRegion(t *testing.T, region, q string, year int) groupResult {
	t.Helper()
	q = indexer.Normalize(q)
	g := groupResult{Label: region}
	for _, d := range sampleDocs(t) {
		if region != d.Region && region != d.Province && region != d.City && region != d.County {
			continue
		}
		if year != 0 && d.Year != year {
			continue
		}
		g.Docs++
		g.Chars += utf8.RuneCountInString(d.Body)
		body := indexer.Normalize(d.Body)
		if !strings.Contains(indexer.Normalize(d.Title)+"\n"+body, q) {
			continue
		}
		g.MatchingDocs++
		g.Occurrences += strings.Count(body, q)
		if d.Year > 0 && (g.FirstYear == 0 || d.Year < g.FirstYear) {
			g.FirstYear = d.Year
		}
		g.LatestYear = max(g.LatestYear, d.Year)
	}
	if g.Chars > 0 {
		g.Rate = float64(g.Occurrences) * 10000 / float64(g.Chars)
	}
	return g
}

func TestCompareAPI(t *testing.T) {
	t.Parallel()
	h := newHandler(t, server.Options{})
	regions := []string{"济南市", "上海市", "火星市"}
	params := url.Values{"q": {"医养"}, "by": {"region"}, "region": regions}
	rec := serve(t, h, http.MethodGet, "/api/v1/compare?"+params.Encode(), nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /api/v1/compare?%s: status %d; body %.300s", params.Encode(), rec.Code, rec.Body.String())
	}
	got := decode[compareResult](t, rec)
	if got.Query != "医养" || !cmp.Equal(got.By, []string{"region"}) {
		t.Errorf("compare query, by = %q, %q; want 医养, [region]", got.Query, got.By)
	}
	byLabel := map[string]groupResult{}
	for _, g := range got.Groups {
		byLabel[g.Label] = g
	}
	matched := 0
	for _, r := range regions {
		want := scanRegion(t, r, "医养", 0)
		g, ok := byLabel[r]
		if !ok {
			t.Errorf("compare has no group for %s", r)
			continue
		}
		matched += g.MatchingDocs
		want.Region = g.Region // checked below
		want.Rate = g.Rate     // checked with a tolerance below
		if diff := cmp.Diff(want, g); diff != "" {
			t.Errorf("group %s mismatch (-scan +got):\n%s", r, diff)
		}
		if w := scanRegion(t, r, "医养", 0).Rate; g.Rate < w-1e-4 || g.Rate > w+1e-4 {
			t.Errorf("group %s rate = %v, want %v", r, g.Rate, w)
		}
	}
	if matched == 0 {
		t.Error("no named region matched 医养; the test tests nothing")
	}
	if g := byLabel["济南市"]; g.Region != "山东省济南市" {
		t.Errorf("济南市 group region = %q, want 山东省济南市", g.Region)
	}
	if g := byLabel["火星市"]; g.Docs != 0 || g.MatchingDocs != 0 {
		t.Errorf("火星市 group = %+v, want zeros", g)
	}
}

func TestTimelineAPI(t *testing.T) {
	t.Parallel()
	h := newHandler(t, server.Options{})
	params := url.Values{"q": {"养老"}, "region": {"山东省,上海市"}}
	rec := serve(t, h, http.MethodGet, "/api/v1/timeline?"+params.Encode(), nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /api/v1/timeline?%s: status %d; body %.300s", params.Encode(), rec.Code, rec.Body.String())
	}
	got := decode[timelineResult](t, rec)
	if len(got.Series) != 2 || got.Series[0].Label != "山东省" || got.Series[1].Label != "上海市" {
		t.Fatalf("timeline series = %+v, want 山东省 then 上海市", got.Series)
	}
	matched := 0
	for _, s := range got.Series {
		if len(s.Points) != len(got.Years) {
			t.Fatalf("series %s has %d points for %d years", s.Label, len(s.Points), len(got.Years))
		}
		for i, p := range s.Points {
			if p.Year != got.Years[i] {
				t.Errorf("series %s point %d is year %d, want %d", s.Label, i, p.Year, got.Years[i])
			}
			w := scanRegion(t, s.Label, "养老", p.Year)
			if p.Docs != w.Docs || p.MatchingDocs != w.MatchingDocs || p.Occurrences != w.Occurrences || p.Chars != w.Chars {
				t.Errorf("%s %d = %+v, want docs %d matching %d occurrences %d chars %d", s.Label, p.Year, p, w.Docs, w.MatchingDocs, w.Occurrences, w.Chars)
			}
			matched += p.MatchingDocs
		}
	}
	if matched == 0 {
		t.Error("timeline matched nothing; the test tests nothing")
	}
}

func TestCompareBadRequest(t *testing.T) {
	t.Parallel()
	h := newHandler(t, server.Options{})
	many := make([]string, 40)
	for i := range many {
		many[i] = "区" + strconv.Itoa(i)
	}
	tests := []struct {
		name, target, code, mention string
	}{
		{"no query", "/api/v1/compare?by=region", "bad_request", "q"},
		{"bad by", "/api/v1/compare?q=医养&by=colour", "bad_request", "by"},
		{"bad sort", "/api/v1/compare?q=医养&sort=random", "bad_request", "sort"},
		{"bad format", "/api/v1/compare?q=医养&format=xml", "bad_request", "format"},
		{"too many regions", "/api/v1/compare?q=医养&region=" + strings.Join(many, ","), "bad_request", "region"},
		{"too many timeline regions", "/api/v1/timeline?q=医养&region=" + strings.Join(many[:11], ","), "bad_request", "region"},
		{"timeline without query", "/api/v1/timeline?region=山东省", "bad_request", "q"},
		{"unclosed quote", "/api/v1/compare?q=" + url.QueryEscape(`"医养`), "bad_query", "quote"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := serve(t, h, http.MethodGet, tt.target, nil)
			got := decode[errorResult](t, rec)
			if rec.Code != http.StatusBadRequest || got.Error.Code != tt.code || !strings.Contains(got.Error.Message, tt.mention) {
				t.Errorf("GET %s = %d %q %q, want 400 %q mentioning %q", tt.target, rec.Code, got.Error.Code, got.Error.Message, tt.code, tt.mention)
			}
		})
	}
}

// readCSV checks that rec is a CSV download starting with a UTF-8 BOM and
// returns its records.
func readCSV(t *testing.T, rec interface{ Result() *http.Response }, body []byte) [][]string {
	t.Helper()
	res := rec.Result()
	if ct := res.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type = %q, want text/csv; charset=utf-8", ct)
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
		t.Errorf("Content-Disposition = %q, want an attachment", cd)
	}
	rest, ok := bytes.CutPrefix(body, []byte("\xEF\xBB\xBF"))
	if !ok {
		t.Fatalf("CSV does not start with a UTF-8 BOM: %q", body[:min(len(body), 20)])
	}
	rows, err := csv.NewReader(bytes.NewReader(rest)).ReadAll()
	if err != nil {
		t.Fatalf("read CSV: %v", err)
	}
	if len(rows) < 2 {
		t.Fatalf("CSV has %d rows, want a header and data", len(rows))
	}
	return rows
}

func TestCompareCSV(t *testing.T) {
	t.Parallel()
	h := newHandler(t, server.Options{})
	q := url.Values{"q": {"医养"}, "region": {"济南市,上海市,火星市"}}
	js := decode[compareResult](t, serve(t, h, http.MethodGet, "/api/v1/compare?"+q.Encode(), nil))
	q.Set("format", "csv")
	rec := serve(t, h, http.MethodGet, "/api/v1/compare?"+q.Encode(), nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("compare CSV: status %d; body %.300s", rec.Code, rec.Body.String())
	}
	rows := readCSV(t, rec, rec.Body.Bytes())
	if diff := cmp.Diff([]string{"label", "region", "year", "type", "docs", "matching_docs", "occurrences", "chars", "rate", "first_year", "latest_year"}, rows[0]); diff != "" {
		t.Errorf("CSV header mismatch (-want +got):\n%s", diff)
	}
	if len(rows)-1 != len(js.Groups) {
		t.Fatalf("CSV has %d groups, JSON %d", len(rows)-1, len(js.Groups))
	}
	for i, g := range js.Groups {
		row := rows[i+1]
		rate, err := strconv.ParseFloat(row[8], 64)
		if row[0] != g.Label || row[1] != g.Region || row[5] != strconv.Itoa(g.MatchingDocs) || row[6] != strconv.Itoa(g.Occurrences) || err != nil || rate != g.Rate {
			t.Errorf("CSV row %d = %q, want group %+v", i+1, row, g)
		}
	}
	if rows[1][1] == "" || !utf8.ValidString(rows[1][1]) || !strings.ContainsFunc(rows[1][1], func(r rune) bool { return r >= 0x4e00 }) {
		t.Errorf("CSV region %q is not Chinese text", rows[1][1])
	}

	q = url.Values{"q": {"养老"}, "region": {"山东省"}, "format": {"csv"}}
	rec = serve(t, h, http.MethodGet, "/api/v1/timeline?"+q.Encode(), nil)
	rows = readCSV(t, rec, rec.Body.Bytes())
	if diff := cmp.Diff([]string{"region", "label", "year", "docs", "matching_docs", "occurrences", "chars", "rate"}, rows[0]); diff != "" {
		t.Errorf("timeline CSV header mismatch (-want +got):\n%s", diff)
	}
	for _, row := range rows[1:] {
		y, err := strconv.Atoi(row[2])
		if err != nil || row[1] != "山东省" {
			t.Errorf("timeline CSV row %q: want 山东省 and a year", row)
			continue
		}
		w := scanRegion(t, "山东省", "养老", y)
		if row[3] != strconv.Itoa(w.Docs) || row[5] != strconv.Itoa(w.Occurrences) {
			t.Errorf("timeline CSV row %q, want docs %d occurrences %d", row, w.Docs, w.Occurrences)
		}
	}
}

// TestSearchCSV exports a search over real documents whose titles were
// given quotes, commas and line breaks, and reads it back with encoding/csv.
func TestSearchCSV(t *testing.T) {
	t.Parallel()
	titles := []string{
		`关于“医养结合”的通知, 第"2"号`,
		"养老服务条例\n（修订稿），附件一",
		`"引号开头",以及，全角逗号`,
	}
	var docs []corpus.Document
	for _, d := range sampleDocs(t) {
		if strings.Contains(d.Body, "养老") && len(docs) < len(titles) {
			d.Title = titles[len(docs)]
			docs = append(docs, d)
		}
	}
	if len(docs) < len(titles) {
		t.Fatalf("only %d sample documents mention 养老", len(docs))
	}
	idx, err := indexer.Create("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := idx.Close(); err != nil {
			t.Errorf("close index: %v", err)
		}
	})
	seq := func(yield func(corpus.Document, error) bool) {
		for _, d := range docs {
			if !yield(d, nil) {
				return
			}
		}
	}
	if _, err := indexer.Build(t.Context(), idx, seq, indexer.Options{}); err != nil {
		t.Fatal(err)
	}
	svc, err := search.New(idx, search.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := server.New(server.Options{})
	s.SetService(svc)
	h := s.Handler()

	rec := serve(t, h, http.MethodGet, "/api/v1/search?q=养老&sort=date&format=csv", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("search CSV: status %d; body %.300s", rec.Code, rec.Body.String())
	}
	if got := rec.Header().Get("X-Total-Count"); got != strconv.Itoa(len(docs)) {
		t.Errorf("X-Total-Count = %q, want %d", got, len(docs))
	}
	rows := readCSV(t, rec, rec.Body.Bytes())
	if diff := cmp.Diff(searchCSVHeader, rows[0]); diff != "" {
		t.Errorf("CSV header mismatch (-want +got):\n%s", diff)
	}
	js := get(t, h, url.Values{"q": {"养老"}, "sort": {"date"}, "highlight": {"false"}, "collapse": {"false"}})
	if len(rows)-1 != len(js.Hits) {
		t.Fatalf("CSV has %d hits, JSON %d", len(rows)-1, len(js.Hits))
	}
	byID := map[string]string{}
	for _, d := range docs {
		byID[d.ID] = d.Title
	}
	for i, row := range rows[1:] {
		if row[0] != js.Hits[i].ID {
			t.Errorf("CSV row %d is %s, JSON hit %s", i+1, row[0], js.Hits[i].ID)
		}
		if want := byID[row[0]]; row[1] != want {
			t.Errorf("CSV title of %s = %q, want %q", row[0], row[1], want)
		}
	}
}

// TestSearchCSVAllHits checks that an export holds every hit, not a page.
func TestSearchCSVAllHits(t *testing.T) {
	t.Parallel()
	h := newHandler(t, server.Options{})
	js := get(t, h, url.Values{"q": {"发展"}, "size": {"1"}, "collapse": {"false"}})
	if js.Total <= 10 {
		t.Fatalf("发展 matches %d documents; want more than a page", js.Total)
	}
	rec := serve(t, h, http.MethodGet, "/api/v1/search?q=发展&size=5&format=csv", nil)
	rows := readCSV(t, rec, rec.Body.Bytes())
	ids := map[string]bool{}
	for _, r := range rows[1:] {
		ids[r[0]] = true
	}
	if uint64(len(rows)-1) != js.Total || uint64(len(ids)) != js.Total {
		t.Errorf("CSV has %d rows (%d distinct), want all %d hits", len(rows)-1, len(ids), js.Total)
	}
	rec = serve(t, h, http.MethodGet, "/api/v1/search?q=发展&format=yaml", nil)
	if rec.Code != http.StatusBadRequest {
		t.Errorf("format=yaml: status %d, want 400", rec.Code)
	}
}

// searchCSVHeader is the documented header of a search export.
var searchCSVHeader = []string{"id", "title", "region", "level", "date", "year", "type", "score", "url", "dup_group"}
