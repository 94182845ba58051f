package search

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/cjk" // registers the "cjk" bigram analyzer for the baseline
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search/query"

	"policysearch/indexer"
)

// The evaluation compares the shipped design with two baselines built in
// the same run over ../shared/corpus:
//   - gse-only: gse's dictionary words (no sub-words), bleve match queries;
//   - bigram: bleve's built-in "cjk" bigram analyzer, bleve match queries.
const (
	baselineGSE    = "eval_gse_words"
	baselineBigram = "cjk"
)

// registerBaselines registers the gse-only analyzer once per test binary.
var registerBaselines = sync.OnceValue(func() error {
	if err := registry.RegisterTokenizer(baselineGSE, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		tk, err := indexer.NewTokenizer()
		return wordsOnly{tk}, err
	}); err != nil {
		return err
	}
	return registry.RegisterAnalyzer(baselineGSE, func(_ map[string]any, c *registry.Cache) (analysis.Analyzer, error) {
		tk, err := c.TokenizerNamed(baselineGSE)
		return &analysis.DefaultAnalyzer{Tokenizer: tk}, err
	})
})

// wordsOnly keeps gse's top-level words from indexer's tokenizer, numbered
// one after another, as a plain gse tokenizer would give them.
type wordsOnly struct{ tk *indexer.Tokenizer }

func (w wordsOnly) Tokenize(b []byte) analysis.TokenStream {
	var out analysis.TokenStream
	end := 0
	for _, t := range w.tk.Tokenize(b) {
		if t.Start >= end && t.End > t.Start {
			t.Position = len(out) + 1
			out = append(out, t)
			end = t.End
		}
	}
	return out
}

// baselineMapping is indexer's mapping with title and body analyzed by
// analyzer.
func baselineMapping(analyzer string) mapping.IndexMapping {
	im := indexer.NewMapping().(*mapping.IndexMappingImpl)
	for _, f := range []string{indexer.FieldTitle, indexer.FieldBody} {
		im.DefaultMapping.Properties[f].Fields[0].Analyzer = analyzer
	}
	im.DefaultAnalyzer = analyzer
	return im
}

// baselineQuery is what a plain bleve user writes: every space-separated
// part must match, as bleve match queries over title (boosted) and body.
func baselineQuery(q string) query.Query {
	c := bleve.NewConjunctionQuery()
	for _, part := range strings.Fields(strings.NewReplacer(`"`, " ", "“", " ", "”", " ").Replace(q)) {
		d := bleve.NewDisjunctionQuery()
		for _, f := range []string{indexer.FieldTitle, indexer.FieldBody} {
			m := bleve.NewMatchQuery(part)
			m.SetField(f)
			m.SetOperator(query.MatchQueryOperatorAnd)
			if f == indexer.FieldTitle {
				m.SetBoost(titleBoost)
			}
			d.AddQuery(m)
		}
		c.AddQuery(d)
	}
	return c
}

// topical is search/testdata/topical.json: queries with documents judged by
// reading them (grade 2 about the topic, 1 mentions it, 0 not relevant).
type topical struct {
	About   string `json:"about"`
	Queries []struct {
		ID        string         `json:"id"`
		Query     string         `json:"query"`
		Kind      string         `json:"kind"`
		Judgments map[string]int `json:"judgments"`
	} `json:"queries"`
}

// ndcg returns nDCG@k of ranked paths against graded judgments.
func ndcg(ranked []string, judged map[string]int, k int) float64 {
	dcg := 0.0
	for i, p := range ranked[:min(k, len(ranked))] {
		dcg += (math.Exp2(float64(judged[p])) - 1) / math.Log2(float64(i+2))
	}
	var grades []int
	for _, g := range judged {
		grades = append(grades, g)
	}
	slices.Sort(grades)
	slices.Reverse(grades)
	idcg := 0.0
	for i, g := range grades[:min(k, len(grades))] {
		idcg += (math.Exp2(float64(g)) - 1) / math.Log2(float64(i+2))
	}
	if idcg == 0 {
		return 0
	}
	return dcg / idcg
}

// recallAt returns the share of relevant (grade ≥ 1) paths in ranked[:k].
func recallAt(ranked []string, judged map[string]int, k int) float64 {
	rel, found := 0, 0
	top := ranked[:min(k, len(ranked))]
	for p, g := range judged {
		if g >= 1 {
			rel++
			if slices.Contains(top, p) {
				found++
			}
		}
	}
	if rel == 0 {
		return 0
	}
	return float64(found) / float64(rel)
}

type evalRow struct {
	design       string
	ndcg, recall float64
	p50, p99     time.Duration
}

// TestEvalTopical scores the topical query set on the shared corpus for the
// shipped design and both baselines, prints the table (go test -run
// EvalTopical -v ./search) and holds the shipped design to the thresholds
// reached.
func TestEvalTopical(t *testing.T) {
	f := sharedFixture(t)
	raw, err := os.ReadFile(filepath.Join("testdata", "topical.json"))
	if err != nil {
		t.Fatal(err)
	}
	var set topical
	if err := json.Unmarshal(raw, &set); err != nil {
		t.Fatalf("parse topical.json: %v", err)
	}
	if len(set.Queries) < 30 {
		t.Fatalf("topical.json has %d queries, want at least 30", len(set.Queries))
	}
	pathOf := make(map[string]string, len(f.docs))
	for _, d := range f.docs {
		pathOf[d.ID] = d.Path
	}
	if err := registerBaselines(); err != nil {
		t.Fatal(err)
	}

	run := func(design string, search func(ctx context.Context, q string) ([]string, error)) evalRow {
		row := evalRow{design: design}
		var lat []time.Duration
		for _, q := range set.Queries {
			var ids []string
			for range 3 {
				start := time.Now()
				ids, err = search(t.Context(), q.Query)
				lat = append(lat, time.Since(start))
				if err != nil {
					t.Fatalf("%s: %s %q: %v", design, q.ID, q.Query, err)
				}
			}
			ranked := make([]string, len(ids))
			for i, id := range ids {
				ranked[i] = pathOf[id]
			}
			n, r := ndcg(ranked, q.Judgments, 10), recallAt(ranked, q.Judgments, 100)
			row.ndcg += n
			row.recall += r
			if testing.Verbose() {
				t.Logf("%-8s %s %-24q nDCG@10 %.3f recall@100 %.3f hits %d", design, q.ID, q.Query, n, r, len(ids))
			}
		}
		row.ndcg /= float64(len(set.Queries))
		row.recall /= float64(len(set.Queries))
		slices.Sort(lat)
		row.p50, row.p99 = lat[len(lat)/2], lat[len(lat)*99/100]
		return row
	}

	ours := run("policysearch", func(ctx context.Context, q string) ([]string, error) {
		res, err := f.svc.Search(ctx, Request{Query: q, Size: 100})
		if err != nil {
			return nil, err
		}
		ids := make([]string, len(res.Hits))
		for i, h := range res.Hits {
			ids[i] = h.ID
		}
		return ids, nil
	})
	rows := []evalRow{ours}
	for _, b := range []string{baselineGSE, baselineBigram} {
		idx, err := bleve.NewUsing("", baselineMapping(b), scorch.Name, scorch.Name, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := indexer.Build(t.Context(), idx, docsSeq(f.docs), indexer.Options{}); err != nil {
			t.Fatal(err)
		}
		row := run(b, func(ctx context.Context, q string) ([]string, error) {
			req := bleve.NewSearchRequestOptions(baselineQuery(q), 100, 0, false)
			req.SortByCustom(sortOrder(SortRelevance))
			res, err := idx.SearchInContext(ctx, req)
			if err != nil {
				return nil, err
			}
			ids := make([]string, len(res.Hits))
			for i, h := range res.Hits {
				ids[i] = h.ID
			}
			return ids, nil
		})
		rows = append(rows, row)
		if err := idx.Close(); err != nil {
			t.Error(err)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-16s %8s %11s %9s %9s\n", "design", "nDCG@10", "recall@100", "p50", "p99")
	for _, r := range rows {
		fmt.Fprintf(&b, "%-16s %8.3f %11.3f %9s %9s\n", r.design, r.ndcg, r.recall, r.p50.Round(10*time.Microsecond), r.p99.Round(10*time.Microsecond))
	}
	t.Logf("topical evaluation, %d queries:%s", len(set.Queries), b.String())
	for _, r := range rows[1:] {
		if ours.ndcg <= r.ndcg {
			t.Errorf("nDCG@10 %.3f is not ahead of baseline %s %.3f", ours.ndcg, r.design, r.ndcg)
		}
	}
	// Thresholds at what the design reaches, so quality cannot silently fall.
	if ours.ndcg < minNDCG || ours.recall < minRecall {
		t.Errorf("nDCG@10 %.3f, recall@100 %.3f; want at least %.2f and %.2f", ours.ndcg, ours.recall, minNDCG, minRecall)
	}
}

// Quality floors for TestEvalTopical, set just below the measured values.
const (
	minNDCG   = 0.78
	minRecall = 0.78
)
