package search

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"policysearch/indexer"
)

// literalQueries are real queries of the kinds users type: words of 2–10
// characters, digits and Latin letters next to Han, traditional characters,
// punctuation and spaces inside.
var literalQueries = []string{
	"医养", "养老", "城市更新", "人民代表大会", "人民政府办公厅", "养老服务体系建设",
	"中华人民共和国国务院令", "养老 服务", "城市 更新 行动", "2035年", "2035年远景目标",
	"5G基站", "5g", "PM2.5", "第十四个五年规划", "十四五", "醫養結合", "國務院",
	"人民，代表", "（试行）", "《中华人民共和国", "第5条", "2023年12月", "COVID-19",
	"发展发展", "规划规划", "新型城镇化", "乡村振兴战略", "数字经济", "碳达峰碳中和",
	"一网通办", "放管服", "营商环境", "不存在的词语组合",
}

// literalHit is one document's answer to a literal or phrase query.
type literalHit struct {
	score float64
	// locs are the reported term locations, "term@pos:start-end", sorted
	// and without duplicates.
	locs []string
}

// runLiteral runs q alone over the whole index and returns its hits by
// document ID.
func runLiteral(t *testing.T, idx bleve.Index, q query.Query, locations bool) map[string]literalHit {
	t.Helper()
	n, err := idx.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	req := bleve.NewSearchRequestOptions(q, int(n), 0, false)
	req.IncludeLocations = locations
	res, err := idx.SearchInContext(t.Context(), req)
	if err != nil {
		t.Fatalf("search %v: %v", q, err)
	}
	out := make(map[string]literalHit, len(res.Hits))
	for _, h := range res.Hits {
		var locs []string
		for _, tlm := range h.Locations {
			for term, ls := range tlm {
				for _, l := range ls {
					locs = append(locs, fmt.Sprintf("%s@%d:%d-%d", term, l.Pos, l.Start, l.End))
				}
			}
		}
		slices.Sort(locs)
		out[h.ID] = literalHit{score: h.Score, locs: slices.Compact(locs)}
	}
	return out
}

// phraseFreq is the number of occurrences of the phrase in a hit: the
// distinct positions of the locations of its first position's terms.
func phraseFreq(h literalHit, first []string) int {
	pos := map[string]bool{}
	for _, l := range h.locs {
		term, rest, _ := strings.Cut(l, "@")
		if slices.Contains(first, term) {
			p, _, _ := strings.Cut(rest, ":")
			pos[p] = true
		}
	}
	return len(pos)
}

// compareLiteral checks the literal query for text in the bigram twin of
// the word field against bleve's MultiPhraseQuery of the same phrase, the
// oracle: the same
// documents, the same locations (so the same phrase frequencies) and the
// same scores, with and without the word field as witness. It returns the
// number of documents found.
func compareLiteral(t *testing.T, idx bleve.Index, text, word string) int {
	t.Helper()
	field := indexer.BigramField(word)
	mk := func(witness bool) (query.Query, query.Query) {
		l := newLiteral(text, field)
		if witness {
			l.Witness = word
		}
		l.SetBoost(titleBoost)
		p := query.NewMultiPhraseQuery(oraclePhrase(t, idx, text, field), field)
		p.SetBoost(titleBoost)
		return l, p
	}
	var first []string
	toks := (indexer.BigramTokenizer{}).Tokenize([]byte(text))
	for _, tk := range toks {
		if tk.Position == toks[0].Position {
			first = append(first, string(tk.Term))
		}
	}
	var found int
	for _, run := range []struct{ locations, witness bool }{{false, false}, {false, true}, {true, false}, {true, true}} {
		locations := run.locations
		l, p := mk(run.witness)
		got, want := runLiteral(t, idx, l, locations), runLiteral(t, idx, p, locations)
		found = len(want)
		for id, w := range want {
			g, ok := got[id]
			if !ok {
				t.Errorf("%q in %s (locations %v, witness %v): misses %s", text, field, locations, run.witness, id)
				continue
			}
			if math.Abs(g.score-w.score) > 1e-9*math.Abs(w.score) {
				t.Errorf("%q in %s (locations %v, witness %v): %s scores %v, phrase %v", text, field, locations, run.witness, id, g.score, w.score)
			}
			if locations {
				if !slices.Equal(g.locs, w.locs) {
					t.Errorf("%q in %s: %s locations\n%v\nphrase\n%v", text, field, id, g.locs, w.locs)
				}
				if gf, wf := phraseFreq(g, first), phraseFreq(w, first); gf != wf || wf == 0 {
					t.Errorf("%q in %s: %s phrase frequency %d, phrase %d", text, field, id, gf, wf)
				}
			}
		}
		for id := range got {
			if _, ok := want[id]; !ok {
				t.Errorf("%q in %s (locations %v, witness %v): finds %s, which the phrase does not", text, field, locations, run.witness, id)
			}
		}
	}
	return found
}

// oraclePhrase is the phrase bleve's MatchPhraseQuery makes of text in the
// bigram field, less the lone characters literalPhrase leaves out.
func oraclePhrase(t testing.TB, idx bleve.Index, text, field string) [][]string {
	t.Helper()
	m := idx.Mapping()
	an := m.AnalyzerNamed(m.AnalyzerNameForPath(field))
	if an == nil {
		t.Fatalf("no analyzer for %s", field)
	}
	return literalPhrase(an.Analyze([]byte(text)))
}

// literalSubstrings draws n substrings of 2–10 characters from texts,
// deterministically: each starts and ends with a Han character and may hold
// anything between (digits, Latin, punctuation, white space).
func literalSubstrings(texts []string, n int, seed uint64) (subs []string, from []int) {
	rng := rand.New(rand.NewPCG(seed, 8))
	for tries := 0; len(subs) < n && tries < n*100; tries++ {
		d := rng.IntN(len(texts))
		body := []rune(texts[d])
		if len(body) < 12 {
			continue
		}
		l := 2 + rng.IntN(9)
		i := rng.IntN(len(body) - l)
		s := body[i : i+l]
		if !unicode.Is(unicode.Han, s[0]) || !unicode.Is(unicode.Han, s[l-1]) {
			continue
		}
		subs, from = append(subs, string(s)), append(from, d)
	}
	return subs, from
}

// literalFindable says whether a literal match can find s where it occurs:
// the bigram field has a lone Han character only where it touches letters
// or digits, so a run of one Han character in s (的 in "的,责") must touch
// them too.
func literalFindable(s string) bool {
	var rs []rune
	for _, r := range s {
		if !unicode.IsSpace(r) {
			rs = append(rs, r)
		}
	}
	alnum := func(i int) bool {
		return i >= 0 && i < len(rs) && !unicode.Is(unicode.Han, rs[i]) && (unicode.IsLetter(rs[i]) || unicode.IsNumber(rs[i]))
	}
	for i := 0; i < len(rs); {
		if !unicode.Is(unicode.Han, rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && unicode.Is(unicode.Han, rs[j]) {
			j++
		}
		if j-i == 1 && !alnum(i-1) && !alnum(j) {
			return false
		}
		i = j
	}
	return true
}

func TestLiteralMatchesPhraseSample(t *testing.T) {
	f := fixture(t)
	for _, q := range literalQueries {
		for _, field := range []string{indexer.FieldTitle, indexer.FieldBody} {
			compareLiteral(t, f.svc.idx, q, field)
		}
	}
	n := 150
	if testing.Short() {
		n = 40
	}
	subs, _ := literalSubstrings(f.norm, n, 1)
	for _, q := range subs {
		compareLiteral(t, f.svc.idx, q, indexer.FieldBody)
	}
}

// TestLiteralFindsItsDocument is the property test: a substring of a
// document (from a Han character to a Han character, anything between)
// finds that document.
func TestLiteralFindsItsDocument(t *testing.T) {
	f := fixture(t)
	subs, from := literalSubstrings(f.norm, 400, 2)
	tried := 0
	for i, q := range subs {
		if !literalFindable(q) {
			continue
		}
		tried++
		l := newLiteral(q, indexer.FieldBodyBigrams)
		tq := newLiteral(q, indexer.FieldTitleBigrams)
		hits := runLiteral(t, f.svc.idx, bleve.NewDisjunctionQuery(l, tq), false)
		if _, ok := hits[f.docs[from[i]].ID]; !ok {
			t.Errorf("%q from %s: not found (%d hits)", q, f.docs[from[i]].ID, len(hits))
		}
	}
	if tried < 250 {
		t.Errorf("tried %d substrings, want at least 250", tried)
	}
}

// TestLiteralPrecision checks that what a literal query finds holds the
// text, white space aside: 5G基站 must not find 5G基金.
func TestLiteralPrecision(t *testing.T) {
	f := fixture(t)
	squeeze := func(s string) string { return strings.Join(strings.Fields(s), "") }
	text := map[string]string{}
	for i, d := range f.docs {
		text[d.ID] = squeeze(f.norm[i])
	}
	subs, _ := literalSubstrings(f.norm, 150, 4)
	queries := append([]string{"5G基金", "5G基站", "5G网络", "2035年远景", "第5条", "2023年12月"}, literalQueries...)
	checked := 0
	for _, q := range append(queries, subs...) {
		if strings.ContainsFunc(q, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) }) {
			continue
		}
		want := squeeze(indexer.Normalize(q))
		hits := runLiteral(t, f.svc.idx, bleve.NewDisjunctionQuery(newLiteral(q, indexer.FieldTitleBigrams), newLiteral(q, indexer.FieldBodyBigrams)), false)
		for id := range hits {
			checked++
			if !strings.Contains(text[id], want) {
				t.Errorf("%q finds %s, which does not hold %q", q, id, want)
			}
		}
	}
	if checked < 500 {
		t.Errorf("checked %d hits, want at least 500", checked)
	}
}

// TestLiteralAcrossRuns checks the skipped pairs on the texts that would
// fool a check of positions alone: two runs of Han characters with
// punctuation or letters and digits between them (规划，建设 or 城市5更新),
// queried without what separates them (规划建设). A pair between two read
// pairs is confirmed from their positions alone, so the two must never be
// two positions apart across runs. What the literal query finds must hold
// the text, white space aside, and be what the phrase query finds.
func TestLiteralAcrossRuns(t *testing.T) {
	f := fixture(t)
	squeeze := func(s string) string { return strings.Join(strings.Fields(s), "") }
	han := func(r rune) bool { return unicode.Is(unicode.Han, r) }
	seen := map[string]bool{}
	var queries []string
	for _, text := range f.norm {
		rs := []rune(squeeze(text))
		for i := 2; i+2 < len(rs) && len(queries) < 300; i++ {
			// rs[i:j] is the separator: one punctuation mark, or a run
			// of letters and digits.
			j := i
			for j < len(rs) && !han(rs[j]) && (unicode.IsLetter(rs[j]) || unicode.IsNumber(rs[j])) {
				j++
			}
			if j == i && (unicode.IsPunct(rs[i]) || unicode.IsSymbol(rs[i])) {
				j = i + 1
			}
			if j == i || j+2 > len(rs) || !han(rs[i-2]) || !han(rs[i-1]) || !han(rs[j]) || !han(rs[j+1]) {
				continue
			}
			q := string(rs[i-2:i]) + string(rs[j:j+2])
			if !seen[q] {
				seen[q] = true
				queries = append(queries, q)
			}
		}
	}
	if len(queries) < 200 {
		t.Fatalf("%d queries across runs in the sample, want at least 200", len(queries))
	}
	text := map[string]string{}
	for i, d := range f.docs {
		text[d.ID] = squeeze(f.norm[i])
	}
	for _, q := range queries {
		compareLiteral(t, f.svc.idx, q, indexer.FieldBody)
		for id := range runLiteral(t, f.svc.idx, newLiteral(q, indexer.FieldBodyBigrams), false) {
			if !strings.Contains(text[id], q) {
				t.Errorf("%q finds %s, which does not hold it", q, id)
			}
		}
	}
}

// TestLiteralAdvance checks Advance through a conjunction with a DocIDQuery:
// the same documents as the phrase query restricted to those IDs.
func TestLiteralAdvance(t *testing.T) {
	f := fixture(t)
	var ids []string
	for i, d := range f.docs {
		if i%3 == 1 {
			ids = append(ids, d.ID)
		}
	}
	for _, q := range []string{"养老", "人民政府", "城市更新", "人民代表大会", "2035年", "养老 服务"} {
		for _, locations := range []bool{false, true} {
			p := query.NewMultiPhraseQuery(oraclePhrase(t, f.svc.idx, q, indexer.FieldBodyBigrams), indexer.FieldBodyBigrams)
			l := newLiteral(q, indexer.FieldBodyBigrams)
			l.Witness = indexer.FieldBody
			want := runLiteral(t, f.svc.idx, bleve.NewConjunctionQuery(bleve.NewDocIDQuery(ids), p), locations)
			got := runLiteral(t, f.svc.idx, bleve.NewConjunctionQuery(bleve.NewDocIDQuery(ids), l), locations)
			if len(want) == 0 {
				t.Errorf("%q: the phrase finds nothing among %d documents; pick another word", q, len(ids))
			}
			if !slices.Equal(slices.Sorted(mapKeys(got)), slices.Sorted(mapKeys(want))) {
				t.Errorf("%q (locations %v): literal finds %v, phrase %v", q, locations, slices.Sorted(mapKeys(got)), slices.Sorted(mapKeys(want)))
			}
			for id, w := range want {
				// The phrase searcher reports locations even when not
				// asked; only asked-for ones must agree.
				if g := got[id]; locations && !slices.Equal(g.locs, w.locs) {
					t.Errorf("%q (locations %v): %s locations %v, phrase %v", q, locations, id, g.locs, w.locs)
				}
			}
		}
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func TestLiteralMatchesPhraseShared(t *testing.T) {
	f := sharedFixture(t)
	found := 0
	for _, q := range literalQueries {
		for _, field := range []string{indexer.FieldTitle, indexer.FieldBody} {
			found += compareLiteral(t, f.svc.idx, q, field)
		}
	}
	subs, _ := literalSubstrings(f.norm, 200, 3)
	for _, q := range subs {
		found += compareLiteral(t, f.svc.idx, q, indexer.FieldBody)
	}
	t.Logf("%d queries, %d documents found", len(literalQueries)*2+len(subs), found)
}

// TestLiteralCount checks what conjunctions around the searcher rely on:
// Count bounds the matches, Min is 0.
func TestLiteralCount(t *testing.T) {
	f := fixture(t)
	ai, err := f.svc.idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := ai.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := r.Close(); err != nil {
			t.Error(err)
		}
	}()
	for _, q := range []string{"养老", "人民政府", "5G基站"} {
		s, err := newLiteral(q, indexer.FieldBodyBigrams).Searcher(t.Context(), r, f.svc.idx.Mapping(), search.SearcherOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
		n := uint64(0)
		for {
			dm, err := s.Next(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if dm == nil {
				break
			}
			n++
			ctx.DocumentMatchPool.Put(dm)
		}
		if n == 0 || n > s.Count() || s.Min() != 0 || s.Size() <= 0 {
			t.Errorf("%q: %d matches, Count %d, Min %d, Size %d", q, n, s.Count(), s.Min(), s.Size())
		}
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	}
}

// BenchmarkLiteral compares the literal searcher with bleve's phrase
// searcher on the body bigram field, counting every match (no collector, no
// page), without and with term locations (as for highlighting): words of 2,
// 4 and 6 characters, a phrase with a space and one with
// digits. It runs on the index named by POLICYSEARCH_BENCH_INDEX (the shared
// corpus built by `policysearch index`), else on the sample.
func BenchmarkLiteral(b *testing.B) {
	idx := benchIndex(b)
	ai, err := idx.Advanced()
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{"医养", "城市更新", "人民代表大会", "养老 服务", "2035年远景目标"} {
		for _, design := range []string{"phrase", "literal", "phrase-locations", "literal-locations"} {
			b.Run(q+"/"+design, func(b *testing.B) {
				l := newLiteral(q, indexer.FieldBodyBigrams)
				l.Witness = indexer.FieldBody
				var lq query.Query = l
				if strings.HasPrefix(design, "phrase") {
					p := bleve.NewMatchPhraseQuery(q)
					p.SetField(indexer.FieldBodyBigrams)
					lq = p
				}
				b.ReportAllocs()
				hits := 0
				for b.Loop() {
					r, err := ai.Reader()
					if err != nil {
						b.Fatal(err)
					}
					s, err := lq.Searcher(b.Context(), r, idx.Mapping(), search.SearcherOptions{IncludeTermVectors: strings.HasSuffix(design, "locations")})
					if err != nil {
						b.Fatal(err)
					}
					ctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
					hits = 0
					for {
						dm, err := s.Next(ctx)
						if err != nil {
							b.Fatal(err)
						}
						if dm == nil {
							break
						}
						hits++
						ctx.DocumentMatchPool.Put(dm)
					}
					if err := s.Close(); err != nil {
						b.Fatal(err)
					}
					if err := r.Close(); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(hits), "hits")
			})
		}
	}
}

// benchIndex is the index at $POLICYSEARCH_BENCH_INDEX, else the sample's.
func benchIndex(b *testing.B) bleve.Index {
	b.Helper()
	dir := os.Getenv("POLICYSEARCH_BENCH_INDEX")
	if dir == "" {
		f, err := sample()
		if err != nil {
			b.Fatal(err)
		}
		return f.svc.idx
	}
	return openTestIndex(b, dir)
}
