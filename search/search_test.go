package search

import (
	"context"
	"errors"
	"html"
	"io/fs"
	"iter"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/google/go-cmp/cmp"

	"policysearch/corpus"
	"policysearch/indexer"
)

// sampleFixture is the embedded sample corpus, loaded and indexed in memory
// once for all tests of the package.
type sampleFixture struct {
	svc  *Service
	docs []corpus.Document
	// norm holds each document's normalized title and body, joined by a
	// newline, for ground-truth string scans.
	norm []string
}

var sample = sync.OnceValues(func() (*sampleFixture, error) {
	return buildFixture(corpus.Sample())
})

func buildFixture(fsys fs.FS) (*sampleFixture, error) {
	// Tests share the index, so it outlives any one test's context.
	ctx := context.Background()
	var docs []corpus.Document
	for d, err := range corpus.Load(ctx, fsys, corpus.Options{}) {
		var skip *corpus.SkipError
		if errors.As(err, &skip) {
			continue
		}
		if err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	return buildFixtureDocs(docs)
}

// buildFixtureDocs indexes docs in memory.
func buildFixtureDocs(docs []corpus.Document) (*sampleFixture, error) {
	ctx := context.Background()
	idx, err := indexer.Create("")
	if err != nil {
		return nil, err
	}
	if _, err := indexer.Build(ctx, idx, docsSeq(docs), indexer.Options{}); err != nil {
		return nil, err
	}
	svc, err := New(idx, Options{})
	if err != nil {
		return nil, err
	}
	norm := make([]string, len(docs))
	for i, d := range docs {
		norm[i] = indexer.Normalize(d.Title) + "\n" + indexer.Normalize(d.Body)
	}
	return &sampleFixture{svc: svc, docs: docs, norm: norm}, nil
}

// openTestIndex opens the index in dir for a test or benchmark, closed
// when tb ends.
func openTestIndex(tb testing.TB, dir string) bleve.Index {
	tb.Helper()
	idx, err := indexer.Open(dir)
	if err != nil {
		tb.Fatalf("open %s: %v", dir, err)
	}
	tb.Cleanup(func() {
		if err := idx.Close(); err != nil {
			tb.Errorf("close index: %v", err)
		}
	})
	return idx
}

// openTestService opens the index in dir (see openTestIndex) and a
// Service over it with the default options.
func openTestService(tb testing.TB, dir string) *Service {
	tb.Helper()
	svc, err := New(openTestIndex(tb, dir), Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return svc
}

// testSnapshot returns a snapshot of svc's index, as a search takes one,
// and the func that releases it, which reports a failure on tb.
func testSnapshot(tb testing.TB, svc *Service) (index.IndexReader, *tableView, func()) {
	tb.Helper()
	reader, view, release, err := svc.snapshot()
	done := func() {
		if err := release(); err != nil {
			tb.Error(err)
		}
	}
	if err != nil {
		done()
		tb.Fatal(err)
	}
	return reader, view, done
}

func fixture(t *testing.T) *sampleFixture {
	t.Helper()
	f, err := sample()
	if err != nil {
		t.Fatalf("build sample index: %v", err)
	}
	return f
}

// containing returns the IDs of the documents whose normalized title or body
// contains s, the ground truth of a literal search, found by a string scan.
func (f *sampleFixture) containing(s string) []string {
	s = indexer.Normalize(s)
	var ids []string
	for i, text := range f.norm {
		if strings.Contains(text, s) {
			ids = append(ids, f.docs[i].ID)
		}
	}
	slices.Sort(ids)
	return ids
}

// all returns the IDs of every document r matches, sorted, in one bleve
// request (paging through Search would run the query once a page).
func all(t *testing.T, svc *Service, r Request) []string {
	t.Helper()
	if err := r.validate(); err != nil {
		t.Fatalf("Search(%+v): %v", r, err)
	}
	strict, _, _, err := svc.query(r)
	if err != nil {
		t.Fatalf("Search(%+v): %v", r, err)
	}
	req := bleve.NewSearchRequestOptions(strict, 100000, 0, false)
	req.SortBy([]string{"_id"})
	res, err := svc.idx.SearchInContext(t.Context(), req)
	if err != nil {
		t.Fatalf("Search(%+v): %v", r, err)
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids
}

// docsSeq yields docs as a loader would.
func docsSeq(docs []corpus.Document) iter.Seq2[corpus.Document, error] {
	return func(yield func(corpus.Document, error) bool) {
		for _, d := range docs {
			if !yield(d, nil) {
				return
			}
		}
	}
}

// TestLiteralRecallSample checks that a query finds exactly the documents
// that contain it literally: none lost to segmentation (港澳 inside 香港、
// 澳门 is not literal, 人民代表大会 inside 全国人民代表大会 is), none
// added across punctuation or from scattered parts.
func TestLiteralRecallSample(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	for _, q := range []string{"医养", "城市更新", "专精特新", "港澳", "经济", "人民代表大会", "生态文明", "齐鲁门户", "海绵城市", "市场", "养老", "2035年", "县", "5G基站", "第5"} {
		t.Run(q, func(t *testing.T) {
			t.Parallel()
			want := f.containing(q)
			got := all(t, f.svc, Request{Query: `"` + q + `"`})
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Search(%q) IDs mismatch (-want +got):\n%s", q, diff)
			}
			if len(want) == 0 {
				t.Errorf("sample has no document containing %q; pick another query", q)
			}
		})
	}
}

func TestSearchHighlights(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	res, err := f.svc.Search(t.Context(), Request{Query: "医养", Highlight: true, Size: 20})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total == 0 {
		t.Fatal("Search(医养) found nothing")
	}
	marks := 0
	for _, h := range res.Hits {
		for field, frags := range h.Highlights {
			for _, fr := range frags {
				if !utf8.ValidString(fr) {
					t.Errorf("hit %s %s fragment is not valid UTF-8: %q", h.ID, field, fr)
				}
				visible := html.UnescapeString(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(fr))
				if n := utf8.RuneCountInString(strings.Trim(visible, "…")); n > indexer.FragmentChars {
					t.Errorf("hit %s %s fragment has %d characters, want at most %d", h.ID, field, n, indexer.FragmentChars)
				}
				if strings.Contains(fr, "</mark><mark>") {
					t.Errorf("hit %s %s fragment has touching marks: %q", h.ID, field, fr)
				}
				for _, m := range strings.Split(fr, "<mark>")[1:] {
					inner, _, ok := strings.Cut(m, "</mark>")
					if !ok {
						t.Errorf("unclosed mark in %q", fr)
						continue
					}
					marks++
					if !strings.Contains(indexer.Normalize(inner), "医养") {
						t.Errorf("hit %s marks %q, want text containing 医养", h.ID, inner)
					}
				}
			}
		}
	}
	if marks == 0 {
		t.Error("no <mark> in any highlight")
	}
}

func TestSearchHighlightEscapesHTML(t *testing.T) {
	t.Parallel()
	idx, err := indexer.Create("")
	if err != nil {
		t.Fatal(err)
	}
	doc := corpus.Document{ID: "x", Title: "<b>医养</b>", Body: "推进<script>alert(1)</script>医养结合 & 康养", Hash: "1"}
	if _, err := indexer.Build(t.Context(), idx, docsSeq([]corpus.Document{doc}), indexer.Options{}); err != nil {
		t.Fatal(err)
	}
	svc, err := New(idx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := svc.Search(t.Context(), Request{Query: "医养", Highlight: true})
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("Search = %v, %v", res, err)
	}
	got := res.Hits[0].Highlights
	want := map[string][]string{
		"title": {"&lt;b&gt;<mark>医养</mark>&lt;/b&gt;"},
		"body":  {"推进&lt;script&gt;alert(1)&lt;/script&gt;<mark>医养</mark>结合 &amp; 康养"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("highlights mismatch (-want +got):\n%s", diff)
	}
}

func TestSearchSyntax(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	count := func(q string, filters map[string][]string) int {
		return len(all(t, f.svc, Request{Query: q, Filters: filters}))
	}
	both := count("医养 槐荫区", nil)
	if a, b := count("医养", nil), count("医养 -槐荫区", nil); b != a-both || b == a {
		t.Errorf("exclusion: 医养=%d, 医养 -槐荫区=%d, 医养 槐荫区=%d", a, b, both)
	}
	or := count("医养 OR 城市更新", nil)
	if a, b := count("医养", nil), count("城市更新", nil); or != a+b-count("医养 城市更新", nil) {
		t.Errorf("OR: %d, want %d+%d-overlap", or, a, b)
	}
	if got, want := count("醫養", nil), count("医养", nil); got != want {
		t.Errorf("traditional query 醫養 found %d, simplified %d", got, want)
	}
	if got, want := count("title:城市更新", nil), count("城市更新", nil); got == 0 || got >= want {
		t.Errorf("title:城市更新 found %d, want between 1 and %d", got, want-1)
	}
}

func TestSearchErrors(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	tests := []struct {
		name string
		r    Request
		want any
	}{
		{"unclosed quote", Request{Query: `"医养`}, new(*SyntaxError)},
		{"only punctuation", Request{Query: "，。"}, new(*SyntaxError)},
		{"bad year", Request{Query: "year:20x3"}, new(*SyntaxError)},
		{"size too big", Request{Query: "医养", Size: MaxSize + 1}, new(*ValidationError)},
		{"too deep", Request{Query: "医养", From: MaxWindow, Size: 10}, new(*ValidationError)},
		{"unknown facet", Request{Facets: []string{"colour"}}, new(*ValidationError)},
		{"unknown sort", Request{Sort: "random"}, new(*ValidationError)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := f.svc.Search(t.Context(), tt.r)
			if !errors.As(err, tt.want) {
				t.Errorf("Search(%+v) error = %v, want %T", tt.r, err, tt.want)
			}
		})
	}
}

func TestFacetsMatchFilters(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	res, err := f.svc.Search(t.Context(), Request{Query: "发展", Facets: []string{FacetRegion, FacetYear}, FacetSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	matching := f.containing("发展")
	for _, name := range []string{FacetRegion, FacetYear} {
		if len(res.Facets[name]) < 2 {
			t.Fatalf("facet %s has %d values, want several", name, len(res.Facets[name]))
		}
		for _, v := range res.Facets[name] {
			filtered := all(t, f.svc, Request{Query: "发展", Filters: map[string][]string{name: {v.Value}}})
			// A region filter also takes in the regions inside it.
			if name == FacetYear && len(filtered) != v.Count || len(filtered) < v.Count {
				t.Errorf("facet %s=%s counts %d, filter finds %d", name, v.Value, v.Count, len(filtered))
			}
			// The counts agree with the documents themselves.
			n := 0
			for _, d := range f.docs {
				if (name == FacetRegion && d.Region == v.Value || name == FacetYear && strconv.Itoa(d.Year) == v.Value) && slices.Contains(matching, d.ID) {
					n++
				}
			}
			if n != v.Count {
				t.Errorf("facet %s=%s counts %d, documents say %d", name, v.Value, v.Count, n)
			}
		}
	}
}

func TestSortAndTieBreak(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	res, err := f.svc.Search(t.Context(), Request{Query: "发展", Sort: SortDate, Size: 50})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(res.Hits); i++ {
		if a, b := res.Hits[i-1].Date, res.Hits[i].Date; b != "" && a < b {
			t.Errorf("sort=date: hit %d date %q before hit %d date %q", i-1, a, i, b)
		}
	}
}

func TestDocument(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	d := f.docs[0]
	got, err := f.svc.Document(t.Context(), d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Body != d.Body || got.Title != d.Title {
		t.Errorf("Document(%s) = %q…, want the loaded document %q", d.ID, got.Title, d.Title)
	}
	if _, err := f.svc.Document(t.Context(), "no-such-id"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Document(no-such-id) error = %v, want ErrNotFound", err)
	}
}

func TestSynonymsAndRelaxed(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	// 公租房 also finds 公共租赁住房, weighted below the literal word.
	syn := all(t, f.svc, Request{Query: "公租房"})
	long := all(t, f.svc, Request{Query: `"公共租赁住房"`})
	for _, id := range long {
		if _, ok := slices.BinarySearch(syn, id); !ok {
			t.Errorf("公租房 misses %s, which says 公共租赁住房", id)
		}
	}
	if len(long) == 0 {
		t.Fatal("sample has no document with 公共租赁住房; pick another synonym pair")
	}
	// A question drops its question words and still finds documents.
	res, err := f.svc.Search(t.Context(), Request{Query: "如何发展医养结合", Explain: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total == 0 {
		t.Error("如何发展医养结合 found nothing")
	}
	if got := res.Explanation.Words; !slices.Contains(got, "如何") {
		t.Errorf("Explanation.Words = %v, want the query's words including 如何", got)
	}
	// Words that never occur together fall back to any-words matching.
	res, err = f.svc.Search(t.Context(), Request{Query: "医养 齐鲁门户 海绵城市 专精特新"})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Relaxed || res.Total == 0 {
		t.Errorf("Relaxed = %v, Total = %d; want a relaxed answer with hits", res.Relaxed, res.Total)
	}
	if res, err := f.svc.Search(t.Context(), Request{Query: "如何"}); !errors.As(err, new(*SyntaxError)) {
		t.Errorf("Search(如何) = %v, %v; want a SyntaxError (nothing to search for)", res, err)
	}
}

func TestExplainMatches(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	res, err := f.svc.Search(t.Context(), Request{Query: "医养", Explain: true, Size: 5})
	if err != nil {
		t.Fatal(err)
	}
	e := res.Explanation
	if e == nil || e.Normalized != "医养" || len(e.Query) == 0 || e.Dictionary == "" {
		t.Fatalf("Explanation = %+v, want normalized text, query tree and dictionary", e)
	}
	if diff := cmp.Diff([]string{"医养"}, e.Tokens); diff != "" {
		t.Errorf("Explanation.Tokens mismatch (-want +got):\n%s", diff)
	}
	words := 0
	for _, h := range res.Hits {
		if len(h.Matches) == 0 {
			t.Errorf("hit %s has no Matches", h.ID)
		}
		for _, m := range h.Matches {
			if !slices.Contains(m.Bigrams, "医养") {
				t.Errorf("hit %s %s matches bigrams %v, want 医养", h.ID, m.Field, m.Bigrams)
			}
			if slices.Contains(m.Words, "医养") {
				words++
			}
		}
	}
	if words == 0 {
		t.Error("no hit reports 医养 as a whole word")
	}
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	got, err := f.svc.Suggest(t.Context(), "醫", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 {
		t.Fatal("Suggest(醫) returned nothing")
	}
	for i, s := range got {
		if !strings.HasPrefix(s.Text, "医") || utf8.RuneCountInString(s.Text) < 2 || s.Docs <= 0 {
			t.Errorf("suggestion %d = %+v, want a word of 2+ characters starting with 医", i, s)
		}
		if i > 0 && got[i-1].Docs < s.Docs {
			t.Errorf("suggestions not by descending document count: %+v before %+v", got[i-1], s)
		}
	}
	if _, err := f.svc.Suggest(t.Context(), "医", MaxSuggestions+1); !errors.As(err, new(*ValidationError)) {
		t.Errorf("Suggest size %d error = %v, want ValidationError", MaxSuggestions+1, err)
	}
}

// TestRanking checks the ranking rules on documents whose contents are
// known: title over body, whole words over matches across word boundaries,
// words together over scattered words, and newer first on equal scores.
func TestRanking(t *testing.T) {
	t.Parallel()
	docs := []corpus.Document{
		{ID: "cross", Title: "通知", Body: "推进智慧城市场景应用。", Date: "2023-01-01", Year: 2023, Hash: "1"},
		{ID: "whole", Title: "通知", Body: "加强市场监管工作。", Date: "2023-01-01", Year: 2023, Hash: "2"},
		{ID: "title", Title: "关于规范市场秩序的意见", Body: "全文略。", Date: "2023-01-01", Year: 2023, Hash: "3"},
		{ID: "together", Title: "报告", Body: "发展医养健康产业，推动城市更新。", Date: "2020", Year: 2020, Hash: "4"},
		{ID: "scattered", Title: "报告", Body: "推动城市更新。另：发展医养，健康产业。", Date: "2020", Year: 2020, Hash: "5"},
		{ID: "old", Title: "公告", Body: "做好防汛工作。", Date: "2019-05-01", Year: 2019, Hash: "6"},
		{ID: "new", Title: "公告", Body: "做好防汛工作。", Date: "2024-05-01", Year: 2024, Hash: "7"},
	}
	idx, err := indexer.Create("")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := indexer.Build(t.Context(), idx, docsSeq(docs), indexer.Options{}); err != nil {
		t.Fatal(err)
	}
	svc, err := New(idx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query string
		want  []string
	}{
		{"市场", []string{"title", "whole", "cross"}},
		{"医养健康", []string{"together"}}, // not across the comma in "医养，健康"
		{"防汛", []string{"new", "old"}},
	}
	for _, tt := range tests {
		res, err := svc.Search(t.Context(), Request{Query: tt.query})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.ID)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Search(%q) order mismatch (-want +got):\n%s", tt.query, diff)
		}
	}
	// 医养 健康产业 as two words: both documents match, the one with the
	// words together first.
	res, err := svc.Search(t.Context(), Request{Query: "医养 健康产业"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 2 || res.Hits[0].ID != "together" {
		t.Errorf("Search(医养 健康产业) = %+v, want together before scattered", res.Hits)
	}
}

func TestFieldSyntax(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	count := func(q string) int { return len(all(t, f.svc, Request{Query: q})) }
	byYear := map[int]int{}
	byRegion := map[string]int{}
	for _, d := range f.docs {
		byYear[d.Year]++
		for _, p := range []string{d.Region, d.Province, d.City, d.County} {
			if p != "" {
				byRegion[p]++
				break
			}
		}
	}
	if got, want := count("year:2023"), byYear[2023]; got != want || want == 0 {
		t.Errorf("year:2023 found %d, documents of 2023: %d", got, want)
	}
	if got, want := count("year:2020..2023"), byYear[2020]+byYear[2021]+byYear[2022]+byYear[2023]; got != want {
		t.Errorf("year:2020..2023 found %d, want %d", got, want)
	}
	if got := count("region:上海市"); got == 0 {
		t.Error("region:上海市 found nothing")
	}
	if got, sh := count("城市更新 region:上海市"), count("城市更新"); got == 0 || got > sh {
		t.Errorf("城市更新 region:上海市 found %d of %d", got, sh)
	}
	if got := count("level:county"); got == 0 {
		t.Error("level:county found nothing")
	}
}

// TestSuggestCountsAcrossSegments builds the sample in many small batches
// (many segments, whose dictionaries bleve merges) and checks each
// suggestion's count against the documents' own tokens.
func TestSuggestCountsAcrossSegments(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	idx, err := indexer.Create("")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := indexer.Build(t.Context(), idx, docsSeq(f.docs), indexer.Options{BatchSize: 3}); err != nil {
		t.Fatal(err)
	}
	svc, err := New(idx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := svc.Suggest(t.Context(), "城", 5)
	if err != nil || len(got) == 0 {
		t.Fatalf("Suggest(城) = %v, %v", got, err)
	}
	tk, err := indexer.NewTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	df := func(term string, text func(corpus.Document) string) int {
		n := 0
		for _, d := range f.docs {
			for _, tok := range tk.Tokenize([]byte(text(d))) {
				if string(tok.Term) == term {
					n++
					break
				}
			}
		}
		return n
	}
	for _, s := range got {
		want := max(df(s.Text, func(d corpus.Document) string { return d.Body }), df(s.Text, func(d corpus.Document) string { return d.Title }))
		if s.Docs != want {
			t.Errorf("suggestion %q counts %d documents, tokens say %d", s.Text, s.Docs, want)
		}
	}
}

// TestSuggestShared checks suggestion counts on the shared corpus: each
// count must equal the number of documents a term query finds. (On an
// on-disk index built by the index command, bleve's merged dictionary under
// the prefix 城 reported 城市 in 2 documents instead of 1,318; this
// in-memory index does not reproduce that, so the test guards the counting,
// not that bug.)
func TestSuggestShared(t *testing.T) {
	f := sharedFixture(t)
	for _, prefix := range []string{"城", "医", "发"} {
		got, err := f.svc.Suggest(t.Context(), prefix, 5)
		if err != nil || len(got) == 0 {
			t.Fatalf("Suggest(%s) = %v, %v", prefix, got, err)
		}
		for _, s := range got {
			want := uint64(0)
			for _, field := range []string{indexer.FieldBody, indexer.FieldTitle} {
				tq := bleve.NewTermQuery(s.Text)
				tq.SetField(field)
				res, err := f.svc.idx.SearchInContext(t.Context(), bleve.NewSearchRequestOptions(tq, 0, 0, false))
				if err != nil {
					t.Fatal(err)
				}
				want = max(want, res.Total)
			}
			if uint64(s.Docs) != want {
				t.Errorf("Suggest(%s): %q counts %d documents, a term query finds %d", prefix, s.Text, s.Docs, want)
			}
		}
	}
}

// TestEntityFacetsMatchDocuments checks entity facet counts against the
// entities the extractor finds in the documents themselves, and that each
// value filters to that many documents.
func TestEntityFacetsMatchDocuments(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	g, err := corpus.DefaultGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	// Which documents hold each value, per facet, by the extractor.
	holders := map[string]map[string]map[string]bool{}
	for _, d := range f.docs {
		for _, e := range indexer.Extract(g, d) {
			var facet string
			var vals []string
			switch e.Kind {
			case indexer.KindOrg:
				facet, vals = FacetOrg, []string{e.Value}
			case indexer.KindPerson:
				facet, vals = FacetPerson, []string{e.Value}
			case indexer.KindTopic:
				facet, vals = FacetTopic, []string{e.Value}
			case indexer.KindTerm:
				facet, vals = FacetTerm, []string{e.Value}
			case indexer.KindPlace:
				facet, vals = FacetPlace, append(slices.Clone(e.Within), e.Code)
			default:
				continue
			}
			for _, v := range vals {
				if holders[facet] == nil {
					holders[facet] = map[string]map[string]bool{}
				}
				if holders[facet][v] == nil {
					holders[facet][v] = map[string]bool{}
				}
				holders[facet][v][d.ID] = true
			}
		}
	}
	facets := []string{FacetOrg, FacetPerson, FacetTopic, FacetTerm, FacetPlace}
	res, err := f.svc.Search(t.Context(), Request{Facets: facets, FacetSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range facets {
		if len(res.Facets[name]) == 0 {
			t.Errorf("facet %s is empty on the sample", name)
		}
		for _, v := range res.Facets[name] {
			if want := len(holders[name][v.Value]); v.Count != want {
				t.Errorf("facet %s=%s counts %d, the documents hold it %d times", name, v.Value, v.Count, want)
			}
			if got := len(all(t, f.svc, Request{Filters: map[string][]string{name: {v.Value}}})); got != v.Count {
				t.Errorf("filter %s=%s finds %d, facet counts %d", name, v.Value, got, v.Count)
			}
			if name == FacetPlace && (v.Name == "" || v.Level == "") {
				t.Errorf("place facet value %s has no name or level: %+v", v.Value, v)
			}
		}
	}
	// A place filter by name: 济南市 takes in documents naming its
	// districts.
	byName := all(t, f.svc, Request{Filters: map[string][]string{FacetPlace: {"济南市"}}})
	byCode := all(t, f.svc, Request{Filters: map[string][]string{FacetPlace: {"3701"}}})
	if len(byName) == 0 || !slices.Equal(byName, byCode) {
		t.Errorf("place=济南市 finds %d documents, place=3701 finds %d; want the same, not none", len(byName), len(byCode))
	}
}

func TestAmountAndDateFilters(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	g, err := corpus.DefaultGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	min, err := ParseAmount("100亿元")
	if err != nil || min != 1e10 {
		t.Fatalf("ParseAmount(100亿元) = %v, %v", min, err)
	}
	want := 0
	for _, d := range f.docs {
		for _, e := range indexer.Extract(g, d) {
			if e.Kind == indexer.KindAmount && e.Unit == "元" && e.Number >= min {
				want++
				break
			}
		}
	}
	got := len(all(t, f.svc, Request{AmountMin: &min}))
	if got != want || want == 0 {
		t.Errorf("amount_min=100亿元 finds %d documents, the documents say %d", got, want)
	}
	byYear := 0
	for _, d := range f.docs {
		if d.Year >= 2020 && d.Year <= 2022 {
			byYear++
		}
	}
	if got := len(all(t, f.svc, Request{DateFrom: "2020", DateTo: "2022"})); got != byYear {
		t.Errorf("date 2020..2022 finds %d documents, want %d", got, byYear)
	}
	for _, bad := range []Request{{DateFrom: "20x0"}, {DateTo: "2020-13"}} {
		if _, err := f.svc.Search(t.Context(), bad); !errors.As(err, new(*ValidationError)) {
			t.Errorf("Search(%+v) error = %v, want ValidationError", bad, err)
		}
	}
	if _, err := ParseAmount("很多钱"); err == nil {
		t.Error("ParseAmount(很多钱) succeeded")
	}
}

func TestDocumentEntities(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	for _, d := range f.docs {
		if !strings.Contains(d.Body, "刘敬涛") {
			continue
		}
		got, err := f.svc.Document(t.Context(), d.ID)
		if err != nil {
			t.Fatal(err)
		}
		body := []rune(got.Body)
		found := false
		for _, e := range got.Entities {
			if e.Kind == indexer.KindTopic {
				continue
			}
			if e.Start < 0 || e.End > len(body) || string(body[e.Start:e.End]) != e.Text {
				t.Errorf("entity %+v: body[%d:%d] = %q, want its text", e, e.Start, e.End, string(body[max(0, e.Start):min(len(body), e.End)]))
			}
			if e.Kind == indexer.KindPerson && e.Value == "刘敬涛" && e.Role == "区长" {
				found = true
			}
		}
		if !found {
			t.Errorf("document %s: no person 刘敬涛 (区长) among its entities", d.ID)
		}
		return
	}
	t.Fatal("the sample has no document naming 刘敬涛")
}

// TestAmountFacet counts documents by ranges of money and checks each range
// against the amounts the extractor finds and against its filter.
func TestAmountFacet(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	g, err := corpus.DefaultGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.svc.Search(t.Context(), Request{Facets: []string{FacetAmount}})
	if err != nil {
		t.Fatal(err)
	}
	vals := res.Facets[FacetAmount]
	if len(vals) != len(indexer.AmountRanges) {
		t.Fatalf("amount facet has %d values, want %d", len(vals), len(indexer.AmountRanges))
	}
	nonzero := 0
	for i, v := range vals {
		ar := indexer.AmountRanges[i]
		want := 0
		for _, d := range f.docs {
			for _, e := range indexer.Extract(g, d) {
				if e.Kind == indexer.KindAmount && e.Unit == "元" && (ar.Min == nil || e.Number >= *ar.Min) && (ar.Max == nil || e.Number < *ar.Max) {
					want++
					break
				}
			}
		}
		if v.Value != ar.Name || v.Count != want {
			t.Errorf("amount facet %d = %+v, want %s with %d documents", i, v, ar.Name, want)
		}
		if got := len(all(t, f.svc, Request{Filters: map[string][]string{FacetAmount: {ar.Name}}})); got != want {
			t.Errorf("amount filter %s finds %d, want %d", ar.Name, got, want)
		}
		if want > 0 {
			nonzero++
		}
	}
	if nonzero < 2 {
		t.Errorf("only %d amount ranges hold documents in the sample", nonzero)
	}
}

// TestIssuerFacet counts the sample's documents by issuing body and finds
// them again by filtering on it; the issuers are those corpus.Load read
// from the documents (manifest, labels, title or signature).
func TestIssuerFacet(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	want := map[string]int{}
	for _, d := range f.docs {
		if d.Issuer != "" {
			want[d.Issuer]++
		}
	}
	if len(want) < 2 {
		t.Fatalf("only %d issuers in the sample", len(want))
	}
	res, err := f.svc.Search(t.Context(), Request{Facets: []string{FacetIssuer}, FacetSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, v := range res.Facets[FacetIssuer] {
		got[v.Value] = v.Count
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("issuer facet mismatch (-want +got):\n%s", diff)
	}
	for issuer, n := range want {
		if found := len(all(t, f.svc, Request{Filters: map[string][]string{FacetIssuer: {issuer}}})); found != n {
			t.Errorf("issuer filter %s finds %d, want %d", issuer, found, n)
		}
	}
}
