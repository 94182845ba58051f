package search

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"policysearch/corpus"
	"policysearch/indexer"
)

// countBothWays counts every facet of every table field over ms (matches of
// v, in document order) over the matches and over the rest, and reports
// where the two differ; rest says whether the count over the rest ran.
func countBothWays(t *testing.T, v *tableView, ms []match) (rest bool) {
	t.Helper()
	fcs := make([]facetCounter, len(tableFields))
	want := make([]facetCounter, len(tableFields))
	for f := range tableFields {
		fcs[f] = facetCounter{f: f, counts: make([]int32, len(v.terms[f]))}
		want[f] = facetCounter{f: f, counts: make([]int32, len(v.terms[f]))}
	}
	v.countMatches(ms, want)
	if !v.countRest(ms, fcs) {
		return false
	}
	for f, name := range tableFields {
		if diff := cmp.Diff(want[f].counts, fcs[f].counts); diff != "" {
			t.Errorf("field %s: counts over the rest differ from counts over the %d matches (-matches +rest):\n%s", name, len(ms), diff)
		}
		slices.Sort(want[f].seen)
		if !slices.Equal(want[f].seen, fcs[f].seen) {
			t.Errorf("field %s: values seen over the rest %v, over the matches %v", name, fcs[f].seen, want[f].seen)
		}
	}
	return true
}

// matchesOf returns the matches of r's query in svc's current snapshot, in
// document order, and the snapshot's table.
func matchesOf(t *testing.T, svc *Service, r Request) (*tableView, []match) {
	t.Helper()
	strict, _, _, err := svc.query(r)
	if err != nil {
		t.Fatal(err)
	}
	reader, v, release := testSnapshot(t, svc)
	t.Cleanup(release)
	ms, err := svc.collect(t.Context(), reader, v, strict, nil)
	if err != nil {
		t.Fatal(err)
	}
	return v, ms
}

// TestCountRest checks that counting facets over the documents a search
// does not match gives the counts over its matches, for every table field:
// on the sample for real queries, common (most documents) and rare, and
// after deletes and replacements in several segments; and that matches out
// of document order are refused rather than miscounted.
func TestCountRest(t *testing.T) {
	t.Parallel()
	svc := fixture(t).svc
	restRan := 0
	for _, q := range executeQueries {
		v, ms := matchesOf(t, svc, Request{Query: q})
		t.Run(fmt.Sprintf("%q", q), func(t *testing.T) {
			if countBothWays(t, v, ms) {
				restRan++
			} else {
				t.Errorf("%d matches in document order refused", len(ms))
			}
		})
	}
	if restRan == 0 {
		t.Fatal("no query counted over the rest")
	}

	v, ms := matchesOf(t, svc, Request{Query: "发展"})
	if len(ms) < 3 {
		t.Fatalf("发展 matches %d documents, want several", len(ms))
	}
	reversed := slices.Clone(ms)
	slices.Reverse(reversed)
	for name, bad := range map[string][]match{
		"reversed": reversed,
		"repeated": append(slices.Clone(ms[:2]), ms[1:]...),
	} {
		fcs := []facetCounter{{f: fieldRegion, counts: make([]int32, len(v.terms[fieldRegion]))}}
		if v.countRest(bad, fcs) {
			t.Errorf("%s matches: countRest counted them", name)
		}
		if slices.ContainsFunc(fcs[0].counts, func(n int32) bool { return n != 0 }) || len(fcs[0].seen) > 0 {
			t.Errorf("%s matches: countRest refused them but left counts behind", name)
		}
	}

	// Several segments, a replaced and a deleted document.
	written := writtenService(t)
	for _, q := range []string{"", "发展", "-条例", "养老"} {
		v, ms := matchesOf(t, written, Request{Query: q})
		if len(v.segs) < 2 {
			t.Fatalf("%d segments, want several", len(v.segs))
		}
		t.Run(fmt.Sprintf("written/%q", q), func(t *testing.T) {
			if !countBothWays(t, v, ms) {
				t.Errorf("%d matches in document order refused", len(ms))
			}
		})
	}
}

// writtenService returns a Service over 30 documents of the sample indexed
// in segments of 7, then one replaced and one deleted: segments with
// deleted documents at their start and in their middle.
func writtenService(t *testing.T) *Service {
	t.Helper()
	docs, idx := sampleIndex(t, 30)
	if _, err := indexer.Build(t.Context(), idx, docsSeq(docs), indexer.Options{BatchSize: 7}); err != nil {
		t.Fatal(err)
	}
	replaced := docs[7]
	replaced.Title = "关于发展养老服务的通知"
	if _, err := indexer.Build(t.Context(), idx, docsSeq([]corpus.Document{replaced}), indexer.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := idx.Delete(docs[11].ID); err != nil {
		t.Fatal(err)
	}
	svc, err := New(idx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// TestFacetTotalsAfterWrites checks that the facet totals kept per set of
// segments follow writes: the landing view's facets and those of a common
// word agree with bleve's collector before and after a delete (the same
// segments: the totals are kept and the deleted document is subtracted)
// and after new documents (new segments: new totals).
func TestFacetTotalsAfterWrites(t *testing.T) {
	t.Parallel()
	docs, idx := sampleIndex(t, 36)
	if _, err := indexer.Build(t.Context(), idx, docsSeq(docs[:30]), indexer.Options{BatchSize: 10}); err != nil {
		t.Fatal(err)
	}
	svc, err := New(idx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	queries := []string{"", "发展"}
	variants := []Request{{Facets: FacetNames()}, {Facets: FacetNames(), FacetSize: 2}}
	compareWithCollector(t, svc, queries, variants)
	before := svc.tables.totals.Load()
	if before == nil {
		t.Fatal("no facet totals after counting the landing view")
	}

	if err := idx.Delete(docs[12].ID); err != nil {
		t.Fatal(err)
	}
	compareWithCollector(t, svc, queries, variants)
	if after := svc.tables.totals.Load(); after != before {
		// A background merge replaced segments: counted anew.
		t.Logf("segments changed after the delete; totals counted again")
	}
	res, err := svc.Search(t.Context(), Request{Facets: []string{FacetYear}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 29 {
		t.Errorf("landing view counts %d documents after a delete, want 29", res.Total)
	}

	kept := svc.tables.totals.Load()
	if _, err := indexer.Build(t.Context(), idx, docsSeq(docs[30:]), indexer.Options{}); err != nil {
		t.Fatal(err)
	}
	compareWithCollector(t, svc, queries, variants)
	if svc.tables.totals.Load() == kept {
		t.Error("facet totals kept after new documents were indexed")
	}
}
