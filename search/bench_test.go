package search

import "testing"

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
