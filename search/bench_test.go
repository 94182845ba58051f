package search

import (
	"fmt"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"
)

// BenchmarkSearch runs faceted, highlighted searches on the sample corpus:
// a 2-character word, a 4-character word and two words.
func BenchmarkSearch(b *testing.B) {
	f, err := sample()
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{"医养", "城市更新", "养老 服务"} {
		b.Run(q, func(b *testing.B) {
			r := Request{Query: q, Facets: []string{FacetRegion, FacetYear}, Highlight: true}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := f.svc.Search(b.Context(), r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkParse parses a query using every syntax form.
func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(`(医养 OR 康养) "城市更新" -棚户区 title:养老 year:2019..2023`); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHighlight runs the same faceted search of a frequent word with
// and without highlighting: the difference is the highlighter's cost for
// one page of hits.
func BenchmarkHighlight(b *testing.B) {
	f, err := sample()
	if err != nil {
		b.Fatal(err)
	}
	for _, hl := range []bool{false, true} {
		name := "off"
		if hl {
			name = "on"
		}
		b.Run(name, func(b *testing.B) {
			r := Request{Query: "发展", Highlight: hl, Size: 20}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := f.svc.Search(b.Context(), r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDocTable builds the document table of the whole index from
// scratch, as a search does after a merge rewrote every segment, and
// reports its size.
func BenchmarkDocTable(b *testing.B) {
	svc := benchService(b)
	reader, err := svc.idx.Advanced()
	if err != nil {
		b.Fatal(err)
	}
	r, err := reader.Reader()
	if err != nil {
		b.Fatal(err)
	}
	defer func() {
		if err := r.Close(); err != nil {
			b.Error(err)
		}
	}()
	snap := r.(*scorch.IndexSnapshot)
	var v *tableView
	b.ReportAllocs()
	for b.Loop() {
		if v, err = newDocTables().view(snap); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(v.bytes()), "table-bytes")
	b.ReportMetric(float64(v.offsets[len(v.segs)]), "docs")
}

// BenchmarkExecute ranks, counts and pages all documents of the index (the
// matches of an empty query) without running a searcher: the cost of
// execute alone, per request shape.
func BenchmarkExecute(b *testing.B) {
	svc := benchService(b)
	reader, v, release := testSnapshot(b, svc)
	defer release()
	q, _, _, err := svc.query(Request{})
	if err != nil {
		b.Fatal(err)
	}
	one, err := svc.collect(b.Context(), reader, v, q, nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, scale := range []int{1, 10} {
		// ×10 repeats the index's segments ten times over: the scaled
		// corpus of the bench, whose copies share texts and groups.
		sv := &tableView{terms: v.terms, offsets: []uint64{0}}
		var all []match
		for k := range scale {
			for i, t := range v.segs {
				sv.segs = append(sv.segs, t)
				sv.offsets = append(sv.offsets, sv.offsets[len(sv.offsets)-1]+v.offsets[i+1]-v.offsets[i])
			}
			for _, m := range one {
				all = append(all, match{seg: m.seg + int32(k*len(v.segs)), local: m.local, score: m.score})
			}
		}
		sv.totals = newFacetTotals(sv.segs)
		b.Run(fmt.Sprintf("x%d", scale), func(b *testing.B) { benchmarkExecute(b, sv, all) })
	}
}

// benchmarkExecute runs execute over the matches all in v, per request
// shape.
func benchmarkExecute(b *testing.B, v *tableView, all []match) {
	for _, c := range []struct {
		name string
		r    Request
	}{
		{"page", Request{Size: 10}},
		{"facets", Request{Size: 10, Facets: FacetNames()}},
		{"collapse", Request{Size: 10, Collapse: true}},
		{"collapse-deep-date", Request{From: 500, Size: 20, Collapse: true, Sort: SortDate}},
	} {
		b.Run(c.name, func(b *testing.B) {
			if err := c.r.validate(); err != nil {
				b.Fatal(err)
			}
			ms := make([]match, len(all))
			b.ReportAllocs()
			for b.Loop() {
				copy(ms, all)
				v.execute(c.r, ms)
			}
		})
	}
	// A third of the documents: facets counted over the matches, not
	// over the rest.
	var third []match
	for i := 0; i < len(all); i += 3 {
		third = append(third, all[i])
	}
	b.Run("facets-third", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			v.countFacets(third, Request{Facets: FacetNames()})
		}
	})
}
