package search

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"policysearch/corpus"
	"policysearch/indexer"
)

// scanChain is the full region name of d, worked out in the test: its
// province, city and county without repeats, or its region.
func scanChain(d corpus.Document) string {
	var parts []string
	for _, p := range []string{d.Province, d.City, d.County} {
		if p != "" && (len(parts) == 0 || parts[len(parts)-1] != p) {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return d.Region
	}
	return strings.Join(parts, "")
}

// scanGroups is the ground truth of a comparison by a plain scan of the
// documents' text: key assigns a document to groups (none to leave it out);
// a document matches when its normalized title or body contains any of
// matchAny; occurrences count literal in the normalized body.
func scanGroups(f *sampleFixture, key func(corpus.Document) []string, matchAny []string, literal string) map[string]*Group {
	lit := indexer.Normalize(literal)
	out := map[string]*Group{}
	for i, d := range f.docs {
		matched := slices.ContainsFunc(matchAny, func(m string) bool { return strings.Contains(f.norm[i], indexer.Normalize(m)) })
		for _, k := range key(d) {
			g := out[k]
			if g == nil {
				g = &Group{}
				out[k] = g
			}
			g.Docs++
			g.Chars += utf8.RuneCountInString(d.Body)
			if !matched {
				continue
			}
			g.MatchingDocs++
			g.Occurrences += strings.Count(indexer.Normalize(d.Body), lit)
			if d.Year > 0 {
				if g.FirstYear == 0 || d.Year < g.FirstYear {
					g.FirstYear = d.Year
				}
				if d.Year > g.LatestYear {
					g.LatestYear = d.Year
				}
			}
		}
	}
	for _, g := range out {
		if g.Chars > 0 {
			g.Rate = float64(g.Occurrences) * 10000 / float64(g.Chars)
		}
	}
	return out
}

// groupCounts strips a group to the counts the scan knows.
type groupCounts struct {
	Docs, MatchingDocs, Occurrences, Chars int
	Rate                                   float64
	FirstYear, LatestYear                  int
}

func countsOf(g Group) groupCounts {
	return groupCounts{g.Docs, g.MatchingDocs, g.Occurrences, g.Chars, g.Rate, g.FirstYear, g.LatestYear}
}

var approx = cmpopts.EquateApprox(0, 1e-9)

func TestCompareMatchesScan(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	inShandong := func(d corpus.Document) bool { return d.Province == "山东省" }
	tests := []struct {
		name    string
		req     CompareRequest
		key     func(corpus.Document) []string
		keyOf   func(Group) string
		match   []string // matching documents contain one of these
		literal string
		// explicit lists the groups asked for, which are listed even
		// without a match.
		explicit bool
	}{
		{
			name:    "医养 by region",
			req:     CompareRequest{Search: Request{Query: "医养"}},
			key:     func(d corpus.Document) []string { return []string{scanChain(d)} },
			keyOf:   func(g Group) string { return g.Region },
			match:   []string{"医养"},
			literal: "医养",
		},
		{
			name:    "养老 by year in 山东省",
			req:     CompareRequest{Search: Request{Query: "养老", Filters: map[string][]string{FacetRegion: {"山东省"}}}, By: []string{ByYear}},
			key:     keyIf(inShandong, func(d corpus.Document) string { return yearLabel(d.Year) }),
			keyOf:   func(g Group) string { return g.Label },
			match:   []string{"养老"},
			literal: "养老",
		},
		{
			// Synonyms (旧城改造, 城市有机更新) match documents; only the
			// words typed are counted.
			name:    "城市更新 by type",
			req:     CompareRequest{Search: Request{Query: "城市更新"}, By: []string{ByType}},
			key:     func(d corpus.Document) []string { return []string{d.Type} },
			keyOf:   func(g Group) string { return g.Type },
			match:   []string{"城市更新", "旧城改造", "城市有机更新"},
			literal: "城市更新",
		},
		{
			name:    "文明行为 by region and year, city documents",
			req:     CompareRequest{Search: Request{Query: `"文明行为"`, Filters: map[string][]string{FacetLevel: {"city"}}}, By: []string{ByRegion, ByYear}},
			key:     keyIf(func(d corpus.Document) bool { return d.Level == corpus.LevelCity }, func(d corpus.Document) string { return scanChain(d) + "/" + strconv.Itoa(d.Year) }),
			keyOf:   func(g Group) string { return g.Region + "/" + strconv.Itoa(g.Year) },
			match:   []string{"文明行为"},
			literal: "文明行为",
		},
		{
			// Regions named are the groups, each with the regions inside
			// it; one with no document is listed with zeros.
			name: "医养 in named regions",
			req:  CompareRequest{Search: Request{Query: "医养", Filters: map[string][]string{FacetRegion: {"山东省", "济南市", "上海市", "火星市"}}}},
			key: func(d corpus.Document) []string {
				var ks []string
				for _, r := range []string{"山东省", "济南市", "上海市", "火星市"} {
					if r == d.Region || r == d.Province || r == d.City || r == d.County {
						ks = append(ks, r)
					}
				}
				return ks
			},
			keyOf:    func(g Group) string { return g.Label },
			match:    []string{"医养"},
			literal:  "医养",
			explicit: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := f.svc.Compare(t.Context(), tc.req)
			if err != nil {
				t.Fatalf("Compare(%+v): %v", tc.req, err)
			}
			want := map[string]groupCounts{}
			for k, g := range scanGroups(f, tc.key, tc.match, tc.literal) {
				if g.MatchingDocs > 0 || tc.explicit {
					want[k] = countsOf(*g)
				}
			}
			if tc.explicit {
				for _, r := range tc.req.Search.Filters[FacetRegion] {
					if _, ok := want[r]; !ok {
						want[r] = groupCounts{}
					}
				}
			}
			gotCounts := map[string]groupCounts{}
			for _, g := range got.Groups {
				gotCounts[tc.keyOf(g)] = countsOf(g)
			}
			if diff := cmp.Diff(want, gotCounts, approx); diff != "" {
				t.Errorf("Compare(%q) groups mismatch (-scan +got):\n%s", tc.req.Search.Query, diff)
			}
			matched := 0
			for _, g := range got.Groups {
				matched += g.MatchingDocs
			}
			if matched == 0 {
				t.Errorf("Compare(%q) matched nothing; the case tests nothing", tc.req.Search.Query)
			}
			if !slices.IsSortedFunc(got.Groups, func(a, b Group) int { return -cmpFloat(a.Rate, b.Rate) }) {
				t.Errorf("Compare(%q) groups not sorted by rate", tc.req.Search.Query)
			}
		})
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// keyIf keys the documents for which keep holds by key.
func keyIf(keep func(corpus.Document) bool, key func(corpus.Document) string) func(corpus.Document) []string {
	return func(d corpus.Document) []string {
		if !keep(d) {
			return nil
		}
		return []string{key(d)}
	}
}

func TestCompareRegionLabels(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	got, err := f.svc.Compare(t.Context(), CompareRequest{Search: Request{Query: "医养"}})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(got.Groups, func(g Group) bool { return g.Region == "山东省济南市槐荫区" })
	if i < 0 {
		t.Fatalf("Compare(医养) has no group 山东省济南市槐荫区: %+v", got.Groups)
	}
	if g := got.Groups[i]; g.Label != "槐荫区" || g.Year != 0 || g.Type != "" {
		t.Errorf("槐荫区 group = %+v, want label 槐荫区 and no year or type", g)
	}
}

func TestCompareSort(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	for _, order := range []string{CompareSortMatches, CompareSortName} {
		got, err := f.svc.Compare(t.Context(), CompareRequest{Search: Request{Query: "养老"}, Sort: order})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Groups) < 3 {
			t.Fatalf("Compare(养老) has %d groups, want several", len(got.Groups))
		}
		sorted := slices.IsSortedFunc(got.Groups, func(a, b Group) int {
			if order == CompareSortName {
				return strings.Compare(a.Label, b.Label)
			}
			return b.MatchingDocs - a.MatchingDocs
		})
		if !sorted {
			t.Errorf("Compare(养老, sort %s) not sorted: %+v", order, got.Groups)
		}
	}
}

func TestCompareInvalid(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	many := make([]string, MaxCompareRegions+1)
	for i := range many {
		many[i] = "区" + strconv.Itoa(i)
	}
	tests := []struct {
		name  string
		req   CompareRequest
		param string
	}{
		{"no query", CompareRequest{Search: Request{Query: "  "}}, "q"},
		{"bad by", CompareRequest{Search: Request{Query: "医养"}, By: []string{"issuer"}}, "by"},
		{"by that does not combine", CompareRequest{Search: Request{Query: "医养"}, By: []string{ByType, ByYear}}, "by"},
		{"bad sort", CompareRequest{Search: Request{Query: "医养"}, Sort: "size"}, "sort"},
		{"too many regions", CompareRequest{Search: Request{Query: "医养", Filters: map[string][]string{FacetRegion: many}}}, "region"},
		{"bad filter", CompareRequest{Search: Request{Query: "医养", DateFrom: "2019-13"}}, "date_from"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := f.svc.Compare(t.Context(), tc.req)
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Param != tc.param {
				t.Errorf("Compare(%+v) = %v, want a validation error on %s", tc.req, err, tc.param)
			}
		})
	}
	var se *SyntaxError
	if _, err := f.svc.Compare(t.Context(), CompareRequest{Search: Request{Query: `"医养`}}); !errors.As(err, &se) {
		t.Errorf("Compare with an unclosed quote = %v, want a syntax error", err)
	}
}

func TestTimelineMatchesScan(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	tests := []struct {
		name    string
		regions []string
	}{
		{"all documents", nil},
		{"three regions and one with no document", []string{"山东省", "上海市", "济南市", "火星市"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := Request{Query: "养老"}
			if tc.regions != nil {
				r.Filters = map[string][]string{FacetRegion: tc.regions}
			}
			got, err := f.svc.Timeline(t.Context(), r)
			if err != nil {
				t.Fatalf("Timeline: %v", err)
			}
			regions := tc.regions
			if regions == nil {
				regions = []string{""}
			}
			want := map[string]groupCounts{}
			lo, hi := 0, 0
			for _, reg := range regions {
				key := func(d corpus.Document) []string {
					if d.Year == 0 || reg != "" && reg != d.Region && reg != d.Province && reg != d.City && reg != d.County {
						return nil
					}
					return []string{strconv.Itoa(d.Year)}
				}
				for k, g := range scanGroups(f, key, []string{"养老"}, "养老") {
					y, _ := strconv.Atoi(k)
					if lo == 0 || y < lo {
						lo = y
					}
					hi = max(hi, y)
					want[reg+"/"+k] = groupCounts{Docs: g.Docs, MatchingDocs: g.MatchingDocs, Occurrences: g.Occurrences, Chars: g.Chars, Rate: g.Rate}
				}
			}
			var years []int
			for y := lo; y <= hi; y++ {
				years = append(years, y)
			}
			if diff := cmp.Diff(years, got.Years); diff != "" {
				t.Errorf("Timeline years mismatch (-want +got):\n%s", diff)
			}
			if len(got.Series) != len(regions) {
				t.Fatalf("Timeline has %d series, want %d", len(got.Series), len(regions))
			}
			gotCounts := map[string]groupCounts{}
			for i, s := range got.Series {
				if len(s.Points) != len(got.Years) {
					t.Errorf("series %s has %d points, want %d", s.Label, len(s.Points), len(got.Years))
				}
				for _, p := range s.Points {
					if p.Docs > 0 {
						gotCounts[regions[i]+"/"+strconv.Itoa(p.Year)] = groupCounts{Docs: p.Docs, MatchingDocs: p.MatchingDocs, Occurrences: p.Occurrences, Chars: p.Chars, Rate: p.Rate}
					}
				}
			}
			if diff := cmp.Diff(want, gotCounts, approx); diff != "" {
				t.Errorf("Timeline(养老) points mismatch (-scan +got):\n%s", diff)
			}
		})
	}
}

func TestTimelineTooManyRegions(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	regions := make([]string, MaxTimelineRegions+1)
	for i := range regions {
		regions[i] = "区" + strconv.Itoa(i)
	}
	_, err := f.svc.Timeline(t.Context(), Request{Query: "养老", Filters: map[string][]string{FacetRegion: regions}})
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Param != "region" {
		t.Errorf("Timeline with %d regions = %v, want a validation error on region", len(regions), err)
	}
}

// TestAnalysisShared checks compare, timeline and cooccur against a plain
// scan of the shared corpus and, with -v, logs their latency (median and
// 99th percentile of 20 runs each; see the README for figures):
//
//	go test ./search -run AnalysisShared -v
func TestAnalysisShared(t *testing.T) {
	f := sharedFixture(t)
	county := func(d corpus.Document) bool { return d.Level == corpus.LevelCounty }
	for _, q := range []string{"医养", "养老"} {
		req := CompareRequest{Search: Request{Query: q, Filters: map[string][]string{FacetLevel: {"county"}}}}
		got, err := f.svc.Compare(t.Context(), req)
		if err != nil {
			t.Fatalf("Compare(%s): %v", q, err)
		}
		want := map[string]groupCounts{}
		for k, g := range scanGroups(f, keyIf(county, scanChain), []string{q}, q) {
			if g.MatchingDocs > 0 {
				want[k] = countsOf(*g)
			}
		}
		gotCounts := map[string]groupCounts{}
		for _, g := range got.Groups {
			gotCounts[g.Region] = countsOf(g)
		}
		if diff := cmp.Diff(want, gotCounts, approx); diff != "" {
			t.Errorf("Compare(%s) by county mismatch (-scan +got):\n%s", q, diff)
		}
		if len(got.Groups) < 5 {
			t.Errorf("Compare(%s) by county has %d groups, want several", q, len(got.Groups))
		}
	}

	tl, err := f.svc.Timeline(t.Context(), Request{Query: "养老", Filters: map[string][]string{FacetRegion: {"山东省", "上海市"}}})
	if err != nil {
		t.Fatal(err)
	}
	for i, reg := range []string{"山东省", "上海市"} {
		key := func(d corpus.Document) []string {
			if d.Year == 0 || reg != d.Region && reg != d.Province && reg != d.City && reg != d.County {
				return nil
			}
			return []string{strconv.Itoa(d.Year)}
		}
		want := scanGroups(f, key, []string{"养老"}, "养老")
		for _, p := range tl.Series[i].Points {
			w := want[strconv.Itoa(p.Year)]
			if w == nil {
				w = &Group{}
			}
			if p.Docs != w.Docs || p.MatchingDocs != w.MatchingDocs || p.Occurrences != w.Occurrences || p.Chars != w.Chars {
				t.Errorf("Timeline(养老) %s %d = %+v, scan %+v", reg, p.Year, p, *w)
			}
		}
	}

	co, err := f.svc.Cooccur(t.Context(), CooccurRequest{Search: Request{Query: "医养"}})
	if err != nil {
		t.Fatal(err)
	}
	sents := scanSentences(f, "医养")
	for _, term := range co.Terms {
		if term.Kind != KindWord {
			continue
		}
		count := 0
		for _, ss := range sents {
			for _, s := range ss {
				if strings.Contains(s, term.Term) {
					count++
				}
			}
		}
		if term.Count != count {
			t.Errorf("Cooccur(医养) %q: count %d, scan %d", term.Term, term.Count, count)
		}
	}

	if !testing.Verbose() {
		return // the latencies are measured only where they are shown
	}
	for _, m := range []struct {
		name string
		run  func() error
	}{
		{"compare 医养 by county", func() error {
			_, err := f.svc.Compare(t.Context(), CompareRequest{Search: Request{Query: "医养", Filters: map[string][]string{FacetLevel: {"county"}}}})
			return err
		}},
		{"compare 养老 by region", func() error {
			_, err := f.svc.Compare(t.Context(), CompareRequest{Search: Request{Query: "养老"}})
			return err
		}},
		{"timeline 养老 in 山东省, 上海市", func() error {
			_, err := f.svc.Timeline(t.Context(), Request{Query: "养老", Filters: map[string][]string{FacetRegion: {"山东省", "上海市"}}})
			return err
		}},
		{"cooccur 医养", func() error {
			_, err := f.svc.Cooccur(t.Context(), CooccurRequest{Search: Request{Query: "医养"}})
			return err
		}},
	} {
		p50, p99, err := latencies(20, m.run)
		if err != nil {
			t.Fatalf("%s: %v", m.name, err)
		}
		t.Logf("%-32s median %v  p99 %v", m.name, p50.Round(time.Microsecond), p99.Round(time.Microsecond))
	}
}
