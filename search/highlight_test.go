package search

import (
	"encoding/json"
	"errors"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/highlight/format/html"
	"github.com/blevesearch/bleve/v2/search/highlight/fragmenter/simple"
	simplehl "github.com/blevesearch/bleve/v2/search/highlight/highlighter/simple"

	"policysearch/corpus"
	"policysearch/indexer"
)

// The highlight oracle: highlights made from the stored text (highlight.go)
// against those of the path they replaced, which ran the query a second time
// over the page's documents for the bigram fields' term locations (with
// byte offsets, from the index's term vectors) and fed them, merged, to
// bleve's simple highlighter.

// oracleMix is the bench's committed query mix (cmd/policysearch/querymix.go),
// highlighting on.
var oracleMix = []Request{
	{Query: "医养"},
	{Query: "养老", Facets: []string{FacetRegion}},
	{Query: "发展"},
	{Query: "城市更新"},
	{Query: "人民代表大会"},
	{Query: "乡村振兴"},
	{Query: `"高质量发展"`},
	{Query: `"营商环境"`},
	{Query: "养老 服务 社区"},
	{Query: "科技 创新 人才"},
	{Query: "教育", Filters: map[string][]string{FacetRegion: {"山东省"}}},
	{Query: "就业", Filters: map[string][]string{FacetYear: {"2023"}}},
	{Query: "文明行为", Sort: SortDate},
	{Query: "管理", From: 500, Size: 20},
	{Query: "工作", From: 1500, Size: 50},
	{},
}

// oracleQueries are queries of every kind the highlighter must get right:
// 2-character words, numbers with units, mixed Chinese and English,
// full-width forms, traditional characters, single characters, and the
// query syntax (OR, NOT, fields, phrases, filler words, filters).
var oracleQueries = []string{
	"医养", "养老", "教育", "就业", "改革", "财政", "住房", "社区", "医保", "农业",
	"2974亿元", "3.5%", "100万元", "2023年", "二〇二三年", "十四五", "第5次", "1.2万人", "50%以上",
	"5G", "5G基站", "5G基金", "PM2.5", "pm2.5浓度", "COVID-19", "GDP增长", "APP", "互联网+", "O2O",
	"ＰＭ２．５", "５Ｇ", "（城市更新）", "“高质量发展”", "医养，康养", "ＧＤＰ",
	"醫養", "經濟發展", "人民代表大會", "營商環境", "養老服務",
	"医", "养", "年", "龍",
	"医养 OR 康养", "(城市 更新) OR 医养", "养老 -服务", "-发展", "title:医养", "body:养老 服务",
	`"城市更新" title:城市`, "养老 region:山东省", "(医养 region:槐荫区) OR 康养", "(养老 -机构) OR 医疗",
	"如何申请公租房", "养老 year:2023", "title:养老 OR body:医养", `"养老 服务"`, "城市 更新", "养老服务 社区",
}

// oracleRandom returns n queries cut from the documents' raw titles and
// bodies at random: 2 to 8 characters of any kind, typed as they are and
// quoted, deterministically.
func oracleRandom(docs []corpus.Document, n int) []string {
	rng := rand.New(rand.NewPCG(26, 11))
	var out []string
	for tries := 0; len(out) < n && tries < 50*n; tries++ {
		d := docs[rng.IntN(len(docs))]
		text := []rune(d.Body)
		if rng.IntN(4) == 0 {
			text = []rune(d.Title)
		}
		l := 2 + rng.IntN(7)
		if len(text) <= l {
			continue
		}
		i := rng.IntN(len(text) - l)
		q := strings.TrimSpace(string(text[i : i+l]))
		if !strings.ContainsFunc(q, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) {
			continue
		}
		if rng.IntN(3) == 0 && !strings.ContainsAny(q, `"“”＂「」`) {
			q = `"` + q + `"`
		}
		out = append(out, q)
	}
	return out
}

// oracleDiff is a hit whose highlights differ from the old path's.
type oracleDiff struct {
	query, id, field string
	got, want        []string
}

// oldHighlights runs r the old way: the page as Search picks it, the query
// again over the page for term locations (positions, with the byte offsets
// the index kept then put back by withOffsets), bleve's simple highlighter
// over each field's merged locations (the word field's and its bigram
// twin's).
func oldHighlights(t *testing.T, svc *Service, r Request) ([]string, []map[string][]string, error) {
	t.Helper()
	if err := r.validate(); err != nil {
		return nil, nil, err
	}
	strict, relaxed, _, err := svc.query(r)
	if err != nil {
		return nil, nil, err
	}
	ctx := t.Context()
	reader, view, release := testSnapshot(t, svc)
	defer release()
	ran := strict
	ms, err := svc.collect(ctx, reader, view, svc.scoped(ctx, strict), nil)
	if err == nil && len(ms) < relaxBelow && relaxed != nil {
		ran = relaxed
		ms, err = svc.collect(ctx, reader, view, svc.scoped(ctx, relaxed), ms[:0])
	}
	if err != nil {
		t.Fatal(err)
	}
	x := view.execute(r, ms)
	if len(x.page) == 0 {
		return nil, nil, nil
	}
	dms, err := svc.pageLocations(ctx, reader, view, svc.scoped(ctx, ran), x.page)
	if err != nil {
		t.Fatal(err)
	}
	hl := simplehl.NewHighlighter(simple.NewFragmenter(indexer.FragmentChars), html.NewFragmentFormatter("<mark>", "</mark>"), "…")
	ids := make([]string, len(x.page))
	out := make([]map[string][]string, len(x.page))
	for i, m := range x.page {
		_, title, stored, err := view.load(m, true)
		if err != nil {
			t.Fatal(err)
		}
		body, err := indexer.DecodeBody(stored)
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = dms[i].ID
		doc := document.NewDocument(ids[i])
		if title != nil {
			doc.AddField(document.NewTextField(indexer.FieldTitle, nil, title))
		}
		if body != nil {
			doc.AddField(document.NewTextField(indexer.FieldBody, nil, body))
		}
		texts := map[string][]byte{indexer.FieldTitle: title, indexer.FieldBody: body}
		for _, f := range hlFields {
			withOffsets(dms[i].Locations[indexer.BigramField(f)], texts[f])
			merged := mergedLocations(dms[i].Locations[f], dms[i].Locations[indexer.BigramField(f)])
			dm := &search.DocumentMatch{Locations: search.FieldTermLocationMap{f: merged}}
			if frags := hl.BestFragmentsInField(dm, doc, f, 1); len(frags) > 0 {
				if out[i] == nil {
					out[i] = map[string][]string{}
				}
				out[i][f] = frags
			}
		}
	}
	return ids, out, nil
}

// withOffsets sets the byte offsets of a bigram field's locations in text,
// which the index no longer keeps (only positions): those of
// BigramTokenizer's token of the same term on the same position, the
// offsets the index kept before.
func withOffsets(tlm search.TermLocationMap, text []byte) {
	type key struct {
		term string
		pos  int
	}
	offsets := map[key][2]int{}
	for _, tok := range (indexer.BigramTokenizer{}).Tokenize(text) {
		offsets[key{string(tok.Term), tok.Position}] = [2]int{tok.Start, tok.End}
	}
	for term, locs := range tlm {
		for _, l := range locs {
			o := offsets[key{term, int(l.Pos)}]
			l.Start, l.End = uint64(o[0]), uint64(o[1])
		}
	}
}

// mergedLocations joins the locations of the given maps (one text) where
// they overlap or touch, as the old highlighter did before bleve's.
func mergedLocations(tlms ...search.TermLocationMap) search.TermLocationMap {
	var all []*search.Location
	for _, tlm := range tlms {
		for _, locs := range tlm {
			all = append(all, locs...)
		}
	}
	slices.SortFunc(all, func(a, b *search.Location) int {
		if a.Start != b.Start {
			return int(a.Start) - int(b.Start)
		}
		return int(b.End) - int(a.End)
	})
	var out search.Locations
	for _, l := range all {
		if n := len(out); n > 0 && l.Start <= out[n-1].End {
			out[n-1].End = max(out[n-1].End, l.End)
			continue
		}
		c := *l
		out = append(out, &c)
	}
	return search.TermLocationMap{"": out}
}

// compareHighlights runs every query with each variant (highlighting on)
// through Search and the old path, and returns the hits compared and the
// differences.
func compareHighlights(t *testing.T, svc *Service, reqs []Request) (hits int, diffs []oracleDiff) {
	t.Helper()
	for _, r := range reqs {
		r.Highlight = true
		ids, want, oldErr := oldHighlights(t, svc, r)
		res, err := svc.Search(t.Context(), r)
		if (err != nil) != (oldErr != nil) {
			t.Fatalf("%q: error %v, old path %v", r.Query, err, oldErr)
		}
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("%q: %v", r.Query, err)
			}
			continue
		}
		if len(res.Hits) != len(ids) {
			t.Fatalf("%q: %d hits, old path %d", r.Query, len(res.Hits), len(ids))
		}
		for i, h := range res.Hits {
			if h.ID != ids[i] {
				t.Fatalf("%q: hit %d is %s, old path %s", r.Query, i, h.ID, ids[i])
			}
			hits++
			for _, f := range hlFields {
				if !slices.Equal(h.Highlights[f], want[i][f]) {
					diffs = append(diffs, oracleDiff{query: r.Query, id: h.ID, field: f, got: h.Highlights[f], want: want[i][f]})
				}
			}
		}
	}
	return hits, diffs
}

// oracleRandomN sets the number of random queries of the oracle tests
// (0: their defaults, kept small so that go test stays quick).
var oracleRandomN = flag.Int("hl-random", 0, "random substring queries in the highlight oracle tests (0: default)")

// oracleRequests are the oracle's requests over a corpus of docs: the
// mix, the kinds of queries, the eval queries, and nRandom substrings (or
// -hl-random), each on the first page and, collapsed, a second one.
func oracleRequests(t *testing.T, docs []corpus.Document, nRandom int) []Request {
	t.Helper()
	reqs := slices.Clone(oracleMix)
	raw, err := os.ReadFile(filepath.Join("testdata", "topical.json"))
	if err != nil {
		t.Fatal(err)
	}
	var set topical
	if err := json.Unmarshal(raw, &set); err != nil {
		t.Fatal(err)
	}
	queries := slices.Clone(oracleQueries)
	for _, q := range set.Queries {
		queries = append(queries, q.Query)
	}
	if *oracleRandomN > 0 {
		nRandom = *oracleRandomN
	}
	queries = append(queries, oracleRandom(docs, nRandom)...)
	for _, q := range queries {
		reqs = append(reqs, Request{Query: q}, Request{Query: q, From: 10, Size: 20, Collapse: true})
	}
	return reqs
}

// checkOracle fails on any difference from the old path.
func checkOracle(t *testing.T, svc *Service, reqs []Request) {
	t.Helper()
	hits, diffs := compareHighlights(t, svc, reqs)
	t.Logf("%d requests, %d hits compared, %d fields differ", len(reqs), hits, len(diffs))
	for i, d := range diffs {
		if i == 20 {
			break
		}
		t.Errorf("%q %s %s:\n got %q\nwant %q", d.query, d.id, d.field, d.got, d.want)
	}
	if hits < 10*len(reqs)/4 {
		t.Errorf("only %d hits compared over %d requests", hits, len(reqs))
	}
}

// TestHighlightOracle compares highlights with the old path's on the
// embedded sample.
func TestHighlightOracle(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	checkOracle(t, f.svc, oracleRequests(t, f.docs, 60))
}

// TestHighlightOracleShared compares highlights with the old path's on the
// shared corpus (indexed for the tests, or opened from
// POLICYSEARCH_SHARED_INDEX).
func TestHighlightOracleShared(t *testing.T) {
	svc, docs := sharedService(t)
	checkOracle(t, svc, oracleRequests(t, docs, 50))
}

// sharedService returns a service over the shared corpus and its
// documents: the tests' index, or the one POLICYSEARCH_SHARED_INDEX names.
func sharedService(t *testing.T) (*Service, []corpus.Document) {
	t.Helper()
	dir := os.Getenv("POLICYSEARCH_SHARED_INDEX")
	if dir == "" {
		f := sharedFixture(t)
		return f.svc, f.docs
	}
	if sharedCorpusDir() == "" {
		t.Skip("../shared/corpus is absent (set POLICYSEARCH_SHARED_CORPUS to run this test); CI has it")
	}
	svc := openTestService(t, dir)
	var docs []corpus.Document
	for d, err := range corpus.Load(t.Context(), os.DirFS(sharedCorpusDir()), corpus.Options{}) {
		if err == nil {
			docs = append(docs, d)
		}
	}
	return svc, docs
}

// BenchmarkHighlightPage times the highlights of the first page of each
// query of the bench's mix on the index named by POLICYSEARCH_BENCH_INDEX:
// "stored" as Search makes them (the plan, the stored text scanned), and
// "search" the way they were made before (the query run again over the
// page for the bigram fields' term locations, merged into spans for the
// same fragment code). Loading the stored text is outside both.
func BenchmarkHighlightPage(b *testing.B) {
	dir := os.Getenv("POLICYSEARCH_BENCH_INDEX")
	if dir == "" {
		b.Skip("set POLICYSEARCH_BENCH_INDEX to an index built by `policysearch index` (the shared corpus, say)")
	}
	svc := openTestService(b, dir)
	idx := svc.idx
	for _, r := range oracleMix {
		if r.Query == "" {
			continue
		}
		r.Highlight = true
		if err := r.validate(); err != nil {
			b.Fatal(err)
		}
		strict, _, _, err := svc.query(r)
		if err != nil {
			b.Fatal(err)
		}
		ctx := b.Context()
		reader, view, release := testSnapshot(b, svc)
		ms, err := svc.collect(ctx, reader, view, strict, nil)
		if err != nil {
			b.Fatal(err)
		}
		page := view.execute(r, ms).page
		texts := make([][2][]byte, len(page))
		for i, m := range page {
			_, title, stored, err := view.load(m, true)
			if err != nil {
				b.Fatal(err)
			}
			texts[i] = [2][]byte{title, stored}
		}
		b.Run("stored/"+r.Query, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				plan, err := newHLPlan(strict, idx.Mapping())
				if err != nil {
					b.Fatal(err)
				}
				var (
					hm   hlMatcher
					body indexer.Body
				)
				for i := range page {
					body.Reset(texts[i][1])
					if _, err := plan.highlights(&hm, texts[i][0], &body, svc.asker(ctx, "")); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
		b.Run("search/"+r.Query, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				dms, err := svc.pageLocations(ctx, reader, view, strict, page)
				if err != nil {
					b.Fatal(err)
				}
				for i, dm := range dms {
					for f, field := range hlFields {
						var spans []indexer.Span
						for _, tlm := range []search.TermLocationMap{dm.Locations[field], dm.Locations[indexer.BigramField(field)]} {
							for _, locs := range tlm {
								for _, l := range locs {
									spans = append(spans, indexer.Span{Start: int(l.Start), End: int(l.End)})
								}
							}
						}
						if texts[i][f] != nil {
							indexer.Highlight(texts[i][f], spans, len(texts[i][f]))
						}
					}
				}
			}
		})
		release()
	}
}

// TestIndexForm checks indexForm against bytes.Index on the sample's texts
// for characters of every length, present and absent.
func TestIndexForm(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	forms := []string{"医", "养", "醫", "a", "G", "。", "𠀀", "年", "\xff"}
	n := 0
	for _, d := range f.docs {
		for _, text := range []string{d.Title, d.Body} {
			for _, form := range forms {
				for from := 0; from < len(text); from += 1 + len(text)/7 {
					got, want := indexForm([]byte(text[from:]), []byte(form)), strings.Index(text[from:], form)
					if got != want {
						t.Fatalf("indexForm(%.20q…, %q) = %d, want %d", text[from:], form, got, want)
					}
					n++
				}
			}
		}
	}
	if n < 1000 {
		t.Fatalf("only %d cases", n)
	}
}

// TestHighlightDecodesStart checks on the sample's long bodies that
// highlighting decodes a body only as far as it needs, and that what it
// makes from the start of a body is what it makes from the whole: for a
// word from the start of each body, a word from its end, and words from its
// middle and end OR a word many bodies do not hold.
func TestHighlightDecodesStart(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	ctx := t.Context()
	reader, view, release := testSnapshot(t, f.svc)
	t.Cleanup(release)
	var long []corpus.Document
	for _, d := range f.docs {
		if len(d.Body) > 32<<10 {
			long = append(long, d)
		}
	}
	if len(long) < 3 {
		t.Fatalf("%d sample bodies over 32 KB, want at least 3", len(long))
	}
	var partial, early int
	for _, d := range long {
		runes := []rune(d.Body)
		for _, q := range []string{hanPair(runes[200:]), hanPair(runes[len(runes)-300:]), hanPair(runes[len(runes)/2:]) + " OR 营商环境",
			"(" + hanPair(runes[len(runes)-400:]) + " " + hanPair(runes[len(runes)-100:]) + ") OR 营商环境"} {
			r := Request{Query: q, Highlight: true, Size: 50}
			strict, _, _, err := f.svc.query(r)
			if err != nil {
				t.Fatal(err)
			}
			plan, err := newHLPlan(strict, f.svc.idx.Mapping())
			if err != nil {
				t.Fatal(err)
			}
			ms, err := f.svc.collect(ctx, reader, view, strict, nil)
			if err != nil {
				t.Fatal(err)
			}
			var hm hlMatcher
			var lazy, whole indexer.Body
			for _, m := range ms {
				_, title, stored, err := view.load(m, true)
				if err != nil {
					t.Fatal(err)
				}
				lazy.Reset(stored)
				got, err := plan.highlights(&hm, title, &lazy, f.svc.asker(ctx, ""))
				if err != nil {
					t.Fatal(err)
				}
				whole.Reset(stored)
				text, err := whole.All()
				if err != nil {
					t.Fatal(err)
				}
				want, err := plan.highlights(&hm, title, &whole, f.svc.asker(ctx, ""))
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%q in %s: from the start of the body %q, from all of it %q", q, view.segs[m.seg].ids[m.local], got, want)
				}
				if !lazy.Complete() {
					partial++
					if len(lazy.Text()) < len(text)/4 {
						early++
					}
				}
			}
		}
	}
	t.Logf("%d highlights from part of the body, %d from its first quarter", partial, early)
	if early == 0 {
		t.Error("no highlight was made from less than a quarter of its body")
	}
}

// hanPair returns the first two adjacent Han characters of runes.
func hanPair(runes []rune) string {
	for i := 0; i+1 < len(runes); i++ {
		if unicode.Is(unicode.Han, runes[i]) && unicode.Is(unicode.Han, runes[i+1]) {
			return string(runes[i : i+2])
		}
	}
	return "发展"
}
