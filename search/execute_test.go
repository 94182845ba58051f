package search

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"policysearch/corpus"
	"policysearch/indexer"
)

// executeQueries are real queries of the search page and the bench's mix:
// 2-character words, longer words, a literal phrase, several words, one
// that finds nothing as typed (relaxed), field syntax and match-all.
var executeQueries = []string{
	"医养", "养老", "发展", "城市更新", "人民代表大会", "乡村振兴", `"高质量发展"`, `"营商环境"`,
	"养老 服务 社区", "科技 创新 人才", "教育", "就业", "管理", "工作", "个人所得税",
	"文明行为", "养老 机器人 火星", "title:条例", "", "-发展",
}

// executeVariants are the request shapes each query runs in.
var executeVariants = []Request{
	{Highlight: true, Facets: FacetNames()},
	{Highlight: true, Collapse: true},
	{Collapse: true, From: 3, Size: 5, Facets: []string{FacetRegion, FacetYear}},
	{Collapse: true, Sort: SortDate, Size: 20, Highlight: true},
	{Sort: SortDate, From: 5, Size: 7},
	{From: 30, Size: 20},
	{Explain: true, Size: 5},
	{FacetSize: 3, Facets: []string{FacetOrg, FacetRegion, FacetAmount, FacetPlace, FacetCity}},
	{Collapse: true, Highlight: true, Filters: map[string][]string{FacetRegion: {"山东省"}}, Facets: []string{FacetCounty}},
	{Filters: map[string][]string{FacetYear: {"2019", "2023"}}, Collapse: true, Size: 3},
	{DateFrom: "2019", DateTo: "2023-06", Highlight: true, Collapse: true, Facets: []string{FacetYear}},
	{AmountMin: &hundredMillion, Highlight: true, Facets: []string{FacetAmount}},
}

// hundredMillion is 1亿元, an amount filter of executeVariants.
var hundredMillion = 1e8

// collectorSearch runs r through bleve's collector, the path Search takes
// for an index that is not a scorch index, and before it had its own.
func collectorSearch(t *testing.T, svc *Service, r Request) (*Result, error) {
	t.Helper()
	if err := r.validate(); err != nil {
		return nil, err
	}
	strict, relaxed, words, err := svc.query(r)
	if err != nil {
		return nil, err
	}
	return svc.searchCollector(t.Context(), r, strict, relaxed, words)
}

// compareWithCollector checks that Search answers every query in every
// variant exactly as bleve's collector does: totals, groups, hit IDs in
// order, scores, fields, highlights, copies, facets, explanations.
func compareWithCollector(t *testing.T, svc *Service, queries []string, variants []Request) {
	t.Helper()
	for _, q := range queries {
		for i, v := range variants {
			r := v
			r.Query = q
			t.Run(fmt.Sprintf("%s/%d", q, i), func(t *testing.T) {
				want, werr := collectorSearch(t, svc, r)
				got, gerr := svc.Search(t.Context(), r)
				if (werr != nil) != (gerr != nil) {
					t.Fatalf("Search(%+v) error = %v, collector's %v", r, gerr, werr)
				}
				if werr != nil {
					return
				}
				if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Result{}, "Took"), cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("Search(%+v) differs from the collector (-collector +Search):\n%s", r, diff)
				}
			})
		}
	}
}

func TestExecuteMatchesCollector(t *testing.T) {
	t.Parallel()
	queries, variants := executeQueries, executeVariants
	if testing.Short() {
		// Every other query, every request shape: a quarter of the time
		// under -race.
		queries = nil
		for i := 0; i < len(executeQueries); i += 2 {
			queries = append(queries, executeQueries[i])
		}
	}
	compareWithCollector(t, fixture(t).svc, queries, variants)
}

func TestExecuteMatchesCollectorReposts(t *testing.T) {
	t.Parallel()
	compareWithCollector(t, repostFixture(t).svc, []string{"个人所得税", "条例", "", "转发", "纳税人 所得"}, executeVariants)
}

// TestExecuteMatchesCollectorShared compares on the shared corpus, indexed
// for the test or, when POLICYSEARCH_SHARED_INDEX names one built by
// `policysearch index --corpus ../shared/corpus`, opened from there.
func TestExecuteMatchesCollectorShared(t *testing.T) {
	var svc *Service
	if dir := os.Getenv("POLICYSEARCH_SHARED_INDEX"); dir != "" {
		svc = openTestService(t, dir)
	} else {
		svc = sharedFixture(t).svc
	}
	compareWithCollector(t, svc, executeQueries, executeVariants)
}

// TestExecuteSegmentsAndWrites builds part of the sample in many small segments,
// checks the table's addressing against bleve's, then adds, replaces and
// deletes documents while searching and checks that Search keeps agreeing
// with the collector.
func TestExecuteSegmentsAndWrites(t *testing.T) {
	t.Parallel()
	docs, idx := sampleIndex(t, 36)
	if _, err := indexer.Build(t.Context(), idx, docsSeq(docs[:24]), indexer.Options{BatchSize: 6}); err != nil {
		t.Fatal(err)
	}
	svc, err := New(idx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkAddressing(t, svc)
	queries := []string{"发展", "条例", "", "养老 服务"}
	variants := []Request{executeVariants[0], executeVariants[1], executeVariants[3]}
	compareWithCollector(t, svc, queries, variants)

	// Writes between searches: new documents, one replaced, one deleted.
	if _, err := indexer.Build(t.Context(), idx, docsSeq(docs[24:]), indexer.Options{BatchSize: 4}); err != nil {
		t.Fatal(err)
	}
	replaced := docs[3]
	replaced.Title = "关于发展养老服务的通知"
	if _, err := indexer.Build(t.Context(), idx, docsSeq([]corpus.Document{replaced}), indexer.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := idx.Delete(docs[7].ID); err != nil {
		t.Fatal(err)
	}
	checkAddressing(t, svc)
	compareWithCollector(t, svc, queries, variants)

	// serve wraps its index in an alias (to swap in a rebuilt one): the
	// alias of one index takes the same path.
	aliased, err := New(bleve.NewIndexAlias(idx), Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkAddressing(t, aliased)
	compareWithCollector(t, aliased, queries[:2], variants[:1])

	res, err := svc.Search(t.Context(), Request{Size: MaxSize})
	if err != nil {
		t.Fatal(err)
	}
	if int(res.Total) != len(docs)-1 {
		t.Errorf("match-all total = %d, want %d (all indexed documents but the deleted one)", res.Total, len(docs)-1)
	}
}

// checkAddressing checks that the document table names every live document
// of the current snapshot as bleve does.
func checkAddressing(t *testing.T, svc *Service) {
	t.Helper()
	reader, view, release := testSnapshot(t, svc)
	defer release()
	snap := reader.(*scorch.IndexSnapshot)
	if len(snap.Segments()) < 2 {
		t.Fatalf("index has %d segments, want several", len(snap.Segments()))
	}
	live := 0
	for i, ss := range snap.Segments() {
		for _, n := range ss.DocNumbersLive().ToArray() {
			doc := view.offsets[i] + uint64(n)
			want, err := snap.ExternalID(index.NewIndexInternalID(nil, doc))
			if err != nil {
				t.Fatal(err)
			}
			seg, local := view.locate(doc, 0)
			if got := view.segs[seg].ids[local]; got != want {
				t.Errorf("table names document %d %q, bleve %q", doc, got, want)
			}
			live++
		}
	}
	if n, err := snap.DocCount(); err != nil || int(n) != live {
		t.Errorf("snapshot counts %d documents (%v), table addressed %d", n, err, live)
	}
}

// TestExportMatchesCollector checks that Export yields the hits bleve's
// collector pages through, in the same order, with the same fields.
func TestExportMatchesCollector(t *testing.T) {
	t.Parallel()
	svc := fixture(t).svc
	for _, q := range []string{"发展", "养老 服务", "", "养老 机器人 火星"} {
		for _, sort := range []string{SortRelevance, SortDate} {
			r := Request{Query: q, Sort: sort, Collapse: true}
			total, hits, err := svc.Export(t.Context(), r)
			if err != nil {
				t.Fatalf("Export(%+v): %v", r, err)
			}
			var got []Hit
			for h, err := range hits {
				if err != nil {
					t.Fatalf("Export(%+v): %v", r, err)
				}
				got = append(got, h)
			}
			vr := r
			vr.Collapse = false
			if err := vr.validate(); err != nil {
				t.Fatal(err)
			}
			strict, relaxed, _, err := svc.query(vr)
			if err != nil {
				t.Fatal(err)
			}
			wantTotal, wantHits, err := svc.exportCollector(t.Context(), vr, strict, relaxed)
			if err != nil {
				t.Fatal(err)
			}
			var want []Hit
			for h, err := range wantHits {
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, h)
			}
			if total != wantTotal || len(got) != int(total) {
				t.Errorf("Export(%+v) total %d with %d hits, collector %d", r, total, len(got), wantTotal)
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Export(%+v) differs from the collector (-collector +Export):\n%s", r, diff)
			}
		}
	}
}

// TestExecuteConcurrentWrites searches from several goroutines while
// documents are added in small batches (new segments, merges), as the write
// API does while serving: no search fails, totals never go down, and the
// last search counts every document.
func TestExecuteConcurrentWrites(t *testing.T) {
	t.Parallel()
	docs, idx := sampleIndex(t, 30)
	if _, err := indexer.Build(t.Context(), idx, docsSeq(docs[:5]), indexer.Options{}); err != nil {
		t.Fatal(err)
	}
	svc, err := New(idx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	errs := make(chan error, 4)
	for g := range 4 {
		go func() {
			var last uint64
			for i := 0; ; i++ {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				r := executeVariants[(g+i)%len(executeVariants)]
				res, err := svc.Search(t.Context(), r)
				if err != nil {
					errs <- fmt.Errorf("Search(%+v): %w", r, err)
					return
				}
				if r.Query == "" && len(r.Filters) == 0 && r.DateFrom == "" && r.DateTo == "" && r.AmountMin == nil && r.AmountMax == nil {
					if res.Total < last {
						errs <- fmt.Errorf("match-all total went down from %d to %d", last, res.Total)
						return
					}
					last = res.Total
				}
			}
		}()
	}
	for i := 5; i < len(docs); i += 3 {
		if _, err := indexer.Build(t.Context(), idx, docsSeq(docs[i:min(i+3, len(docs))]), indexer.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	res, err := svc.Search(t.Context(), Request{})
	if err != nil {
		t.Fatal(err)
	}
	if int(res.Total) != len(docs) {
		t.Errorf("match-all total = %d, want %d", res.Total, len(docs))
	}
}

// sampleIndex returns the first n documents of the embedded sample and a
// new empty in-memory index, closed when t ends; the test indexes them as
// it needs.
func sampleIndex(t *testing.T, n int) ([]corpus.Document, bleve.Index) {
	t.Helper()
	var docs []corpus.Document
	for d, err := range corpus.Load(t.Context(), corpus.Sample(), corpus.Options{}) {
		var skip *corpus.SkipError
		if errors.As(err, &skip) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d)
	}
	idx, err := indexer.Create("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := idx.Close(); err != nil {
			t.Error(err)
		}
	})
	return docs[:n], idx
}

// TestPageOf checks pageOf's partial selection against sorting every
// match, by relevance and by date, for pages at the start, the middle and
// the end: over the match-all query, whose documents tie on score and
// often on date, and over queries whose scores differ; and with the page's
// end inside a run of matches that tie on score and date (the reposts of a
// document keep its date), which only their IDs order.
func TestPageOf(t *testing.T) {
	t.Parallel()
	cuts := 0
	for fx, svc := range map[string]*Service{"sample": fixture(t).svc, "reposts": repostFixture(t).svc} {
		for _, q := range []string{"", "发展", "养老 服务", "个人所得税"} {
			v, ms := matchesOf(t, svc, Request{Query: q})
			for _, byDate := range []bool{false, true} {
				rank := v.order(byDate)
				sorted := slices.Clone(ms)
				slices.SortFunc(sorted, rank.compare)
				check := func(ms, sorted []match, from, want int) {
					t.Helper()
					want = min(want, len(sorted))
					if from > want {
						return
					}
					got := pageOf(slices.Clone(ms), from, want, rank)
					if !slices.Equal(got, sorted[from:want]) {
						t.Errorf("%s, query %q, by date %v: pageOf(%d of %d, %d) = %v, sorted %v", fx, q, byDate, from, len(ms), want, got, sorted[from:want])
					}
				}
				for _, w := range [][2]int{{0, 1}, {0, 10}, {3, 8}, {5, 12}, {len(ms) - 2, len(ms)}, {0, len(ms) / 5}} {
					check(ms, sorted, w[0], w[1])
				}
				for i := 1; i < len(sorted); i++ {
					a, b := sorted[i-1], sorted[i]
					if a.score != b.score || rank.published(a) != rank.published(b) || (i > 1 && !rank.after(sorted[i-1], sorted[i-2].score, rank.published(sorted[i-2]))) {
						continue
					}
					// sorted[i-1] starts a tie: keep it and what ranks
					// after it, in reverse, and cut after it.
					rest := slices.Clone(sorted[i-1:])
					if len(rest) <= 4 {
						continue
					}
					slices.Reverse(rest)
					check(rest, sorted[i-1:], 0, 1)
					cuts++
				}
			}
		}
	}
	if cuts == 0 {
		t.Error("no page ended inside a tie")
	}
}
