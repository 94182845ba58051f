package search

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// clauseQueries add to executeQueries words with synonyms, single
// characters (alone and among words), field syntax, quoted phrases among
// words, filler words, words in nested groups and a number word.
var clauseQueries = append([]string{
	"养老院", "医保", "公租房", "如何申请公租房", "医", "医 养老", "养 老", "title:养老 服务", "body:\"城市更新\" 试点",
	"(养老 OR 医养) 服务", "乡村振兴 -扶贫", "year:2019..2023 就业", "养老 (服务 社区)", "(城市 更新) OR 医养", "三十",
}, executeQueries...)

// clauseFilters are the filters the clause tests run every query under.
var clauseFilters = []Request{
	{Filters: map[string][]string{FacetRegion: {"山东省"}}},
	{Filters: map[string][]string{FacetYear: {"2019", "2023"}}},
}

// TestClauseSearcherSame checks that a document's score does not depend on
// the path by which the search reached it. Text clauses run as
// clauseSearchers must match the same documents with the same scores, to
// the bit, as bleve's searchers of the same queries (with their should
// clauses held, see boolQuery): strict and relaxed, unfiltered and
// filtered, where conjunctions advance the clauses. Filtered, a query must
// find exactly its unfiltered matches that the filter selects, with the
// same scores. And the queries read the same as JSON (explain shows them).
func TestClauseSearcherSame(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	checkClauses(t, f.svc, shortened(clauseQueries))
}

// shortened returns qs, or every other query of qs with -short (CI's race
// run).
func shortened(qs []string) []string {
	if !testing.Short() {
		return qs
	}
	var out []string
	for i := 0; i < len(qs); i += 2 {
		out = append(out, qs[i])
	}
	return out
}

func TestClauseSearcherSameShared(t *testing.T) {
	t.Parallel()
	f := sharedFixture(t)
	checkClauses(t, f.svc, append(clauseQueries, sampleSubstrings(f.norm, 60)...))
}

func checkClauses(t *testing.T, svc *Service, queries []string) {
	t.Helper()
	var filters []query.Query
	var selected []map[string]float64
	for _, r := range clauseFilters {
		fq := svc.filterQuery(r)
		filters = append(filters, fq)
		selected = append(selected, scoresOf(t, svc, fq))
	}
	for _, q := range queries {
		n, err := Parse(q)
		if err != nil {
			t.Fatalf("Parse(%q): %v", q, err)
		}
		build := func(nested bool) (strict, relaxed query.Query) {
			tr := &translator{q: q, lex: svc.lex, nested: nested}
			strict, err := tr.translate(n, false)
			if err != nil {
				t.Fatalf("translate(%q): %v", q, err)
			}
			return strict, tr.relaxed()
		}
		nStrict, nRelaxed := build(true)
		fStrict, fRelaxed := build(false)
		if nStrict == nil {
			continue
		}
		nj, err := json.Marshal(nStrict)
		if err != nil {
			t.Fatal(err)
		}
		fj, err := json.Marshal(fStrict)
		if err != nil {
			t.Fatal(err)
		}
		if string(nj) != string(fj) {
			t.Errorf("%q as JSON: %s, bleve's %s", q, fj, nj)
		}
		type pair struct {
			name         string
			bleve, fused query.Query
		}
		// bleve sums the many terms of a single character's prefix and
		// regexp clauses in a heap's order, which depends on the path: the
		// last bits of such scores may differ.
		ulps := 0
		if expands(fStrict) {
			ulps = 4
		}
		pairs := []pair{{"strict", nStrict, fStrict}}
		if nRelaxed != nil {
			pairs = append(pairs, pair{"relaxed", nRelaxed, fRelaxed})
		}
		for _, p := range pairs {
			unfiltered := scoresOf(t, svc, p.fused)
			sameScores(t, fmt.Sprintf("%q %s", q, p.name), "bleve's searchers", scoresOf(t, svc, p.bleve), unfiltered, 0)
			for i, fq := range filters {
				name := fmt.Sprintf("%q %s, filter %v", q, p.name, clauseFilters[i].Filters)
				got := scoresOf(t, svc, withFilter(p.fused, fq))
				sameScores(t, name, "bleve's searchers", scoresOf(t, svc, withFilter(p.bleve, fq)), got, ulps)
				want := map[string]float64{}
				for id, s := range unfiltered {
					if _, ok := selected[i][id]; ok {
						want[id] = s
					}
				}
				sameScores(t, name, "unfiltered", want, got, ulps)
			}
		}
	}
}

// sameScores reports where got's documents or scores differ from want's
// by more than ulps units in the last place.
func sameScores(t *testing.T, name, wantName string, want, got map[string]float64, ulps int) {
	t.Helper()
	if len(want) != len(got) {
		t.Errorf("%s: %d matches, %s %d", name, len(got), wantName, len(want))
		return
	}
	bad := 0
	for id, s := range want {
		if g, ok := got[id]; !ok || math.Abs(g-s) > float64(ulps)*ulp(s) {
			if bad++; bad <= 3 {
				t.Errorf("%s: %s scores %v (found %t), %s %v", name, id, g, ok, wantName, s)
			}
		}
	}
	if bad > 3 {
		t.Errorf("%s: %d documents in all score differently from %s", name, bad, wantName)
	}
}

// ulp is the distance from x to the next float64 away from 0.
func ulp(x float64) float64 {
	return math.Abs(math.Nextafter(x, math.Copysign(math.Inf(1), x)) - x)
}

// expands says whether q holds a prefix or regexp query: many terms,
// summed in a heap's order.
func expands(q query.Query) bool {
	switch q := q.(type) {
	case *query.PrefixQuery, *query.RegexpQuery:
		return true
	case *clauseQuery:
		return expands(q.BooleanQuery)
	case *boolQuery:
		return expands(q.BooleanQuery)
	case *conjQuery:
		return expands(q.ConjunctionQuery)
	case *query.BooleanQuery:
		return (q.Must != nil && expands(q.Must)) || (q.Should != nil && expands(q.Should)) || (q.MustNot != nil && expands(q.MustNot))
	case *query.ConjunctionQuery:
		return slices.ContainsFunc(q.Conjuncts, expands)
	case *query.DisjunctionQuery:
		return slices.ContainsFunc(q.Disjuncts, expands)
	}
	return false
}

// TestShouldBonusKept is the case of bleve's BooleanSearcher.Advance bug
// found on the shared corpus (see boolean.go): 三十 filtered to 山东省,
// where bleve's own searchers gave document a2c3dce3954cbbc7 its literal
// score only. Run as we run it, it scores as unfiltered, whole-word bonus
// included. (Whether bleve's own searchers still drop it depends on how
// the index's segments are laid out, so that is only logged; see
// TestScoreIndependentOfPath for the bug shown deterministically.)
func TestShouldBonusKept(t *testing.T) {
	t.Parallel()
	const q, doc = "三十", "a2c3dce3954cbbc7"
	svc := sharedFixture(t).svc
	tr := &translator{q: q, lex: svc.lex}
	ours, err := tr.translate(&Term{Text: q}, false)
	if err != nil {
		t.Fatal(err)
	}
	filter := svc.filterQuery(clauseFilters[0])
	unfiltered := scoresOf(t, svc, ours)[doc]
	if unfiltered == 0 {
		t.Fatalf("%s does not match %q", doc, q)
	}
	if _, ok := scoresOf(t, svc, ours.(*clauseQuery).Should)[doc]; !ok {
		t.Fatalf("%s does not hold %q as a whole word: no bonus due", doc, q)
	}
	if got := scoresOf(t, svc, withFilter(ours, filter))[doc]; got != unfiltered {
		t.Errorf("%q filtered to 山东省 scores %s %v, unfiltered %v", q, doc, got, unfiltered)
	}
	t.Logf("on bleve's own searchers, %q filtered to 山东省 scores %s %v; unfiltered %v", q, doc, scoresOf(t, svc, withFilter(bleveOnly(ours), filter))[doc], unfiltered)
}

// TestScoreIndependentOfPath checks, for the first documents each of
// clauseQueries matches, unfiltered and filtered, that a searcher advanced
// from one to the next, skipping one each time, scores them as the
// searcher stepping through the matches does. It shows bleve's own boolean searchers failing
// that (the should bonus dropped, see boolean.go) on some of them.
func TestScoreIndependentOfPath(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name    string
		fixture func(*testing.T) *sampleFixture
	}{{"sample", fixture}, {"shared", sharedFixture}} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			svc := c.fixture(t).svc
			lost := 0
			for _, text := range clauseQueries {
				n, err := Parse(text)
				if err != nil {
					t.Fatal(err)
				}
				tr := &translator{q: text, lex: svc.lex}
				q, err := tr.translate(n, false)
				if err != nil {
					t.Fatal(err)
				}
				ulps := 0
				if expands(q) {
					ulps = 4
				}
				for _, fq := range []query.Query{q, withFilter(q, svc.filterQuery(clauseFilters[0]))} {
					ids, stepped, advanced := pathScores(t, svc, fq, 200)
					for i := range ids {
						if math.Abs(stepped[i]-advanced[i]) > float64(ulps)*ulp(stepped[i]) {
							t.Errorf("%q: document %d scores %v stepped to, %v advanced to", text, ids[i].Value(), stepped[i], advanced[i])
						}
					}
					ids, stepped, advanced = pathScores(t, svc, bleveOnly(fq), 200)
					for i := range ids {
						if advanced[i] < stepped[i]*(1-1e-9) {
							lost++
						}
					}
				}
			}
			t.Logf("bleve's own searchers dropped a should bonus of %d documents advanced to", lost)
			if lost == 0 {
				t.Errorf("bleve's own searchers scored every document advanced to as stepped to: the bug boolean.go works around is gone, or this test does not reach it")
			}
		})
	}
}

// pathScores returns every other one of the first max documents q
// matches, in document order, with the score a searcher stepping through
// the matches gives each and the score a searcher advanced from one to the
// next gives it.
func pathScores(t *testing.T, svc *Service, q query.Query, max int) (ids []index.IndexInternalID, stepped, advanced []float64) {
	t.Helper()
	reader, _, release := testSnapshot(t, svc)
	defer release()
	ctx := svc.searchContext(t.Context())
	open := func() (search.Searcher, *search.SearchContext) {
		sr, err := q.Searcher(ctx, reader, svc.idx.Mapping(), search.SearcherOptions{})
		if err != nil {
			t.Fatalf("searcher of %s: %v", fmt.Sprint(q), err)
		}
		return sr, &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(sr.DocumentMatchPoolSize()+1, 0), IndexReader: reader}
	}
	closeSearcher := func(sr search.Searcher) {
		if err := sr.Close(); err != nil {
			t.Error(err)
		}
	}
	sr, sctx := open()
	for len(ids) < max {
		dm, err := sr.Next(sctx)
		if err != nil {
			t.Fatal(err)
		}
		if dm == nil {
			break
		}
		ids = append(ids, slices.Clone(dm.IndexInternalID))
		stepped = append(stepped, dm.Score)
		sctx.DocumentMatchPool.Put(dm)
	}
	closeSearcher(sr)
	// Skipping a match each time, as a conjunction skips the documents
	// another clause lacks.
	sr, sctx = open()
	defer closeSearcher(sr)
	var skipIDs []index.IndexInternalID
	var skipStepped []float64
	for i := 1; i < len(ids); i += 2 {
		dm, err := sr.Advance(sctx, ids[i])
		if err != nil {
			t.Fatal(err)
		}
		if dm == nil || !dm.IndexInternalID.Equals(ids[i]) {
			t.Fatalf("%s advanced to document %d: found %v", fmt.Sprint(q), ids[i].Value(), dm)
		}
		skipIDs = append(skipIDs, ids[i])
		skipStepped = append(skipStepped, stepped[i])
		advanced = append(advanced, dm.Score)
		sctx.DocumentMatchPool.Put(dm)
	}
	ids, stepped = skipIDs, skipStepped
	return ids, stepped, advanced
}

// bleveOnly returns q with its text clauses and booleans as bleve's plain
// boolean queries, which run bleve's own searchers.
func bleveOnly(q query.Query) query.Query {
	each := func(qs []query.Query) []query.Query {
		out := make([]query.Query, len(qs))
		for i, c := range qs {
			out[i] = bleveOnly(c)
		}
		return out
	}
	switch q := q.(type) {
	case *clauseQuery:
		return bleveOnly(q.BooleanQuery)
	case *boolQuery:
		return bleveOnly(q.BooleanQuery)
	case *conjQuery:
		return bleveOnly(q.ConjunctionQuery)
	case *filterClause:
		return &filterClause{Query: bleveOnly(q.Query)}
	case *query.BooleanQuery:
		b := *q
		if q.Must != nil {
			b.Must = bleveOnly(q.Must)
		}
		if q.Should != nil {
			b.Should = bleveOnly(q.Should)
		}
		if q.MustNot != nil {
			b.MustNot = bleveOnly(q.MustNot)
		}
		return &b
	case *query.ConjunctionQuery:
		c := *q
		c.Conjuncts = each(q.Conjuncts)
		return &c
	case *query.DisjunctionQuery:
		d := *q
		d.Disjuncts = each(q.Disjuncts)
		return &d
	}
	return q
}

// scoresOf returns the score of every document q matches, by ID.
func scoresOf(t *testing.T, svc *Service, q query.Query) map[string]float64 {
	t.Helper()
	req := bleve.NewSearchRequestOptions(q, 100000, 0, false)
	res, err := svc.idx.SearchInContext(t.Context(), req)
	if err != nil {
		t.Fatalf("search %s: %v", fmt.Sprint(q), err)
	}
	out := make(map[string]float64, len(res.Hits))
	for _, h := range res.Hits {
		out[h.ID] = h.Score
	}
	return out
}
