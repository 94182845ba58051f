package search

import (
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/google/go-cmp/cmp"
)

// TestCollectAll checks that the match-all query's matches, taken from the
// deleted-document bitmaps, are those its searcher steps through, scores
// included: on the sample, and with documents deleted at the start and in
// the middle of segments.
func TestCollectAll(t *testing.T) {
	t.Parallel()
	for name, svc := range map[string]*Service{"sample": fixture(t).svc, "written": writtenService(t)} {
		t.Run(name, func(t *testing.T) {
			reader, v, release := testSnapshot(t, svc)
			defer release()
			q := bleve.NewMatchAllQuery()
			got, err := svc.collect(t.Context(), reader, v, q, nil)
			if err != nil {
				t.Fatal(err)
			}
			sr, err := q.Searcher(svc.searchContext(t.Context()), reader, svc.idx.Mapping(), search.SearcherOptions{})
			if err != nil {
				t.Fatal(err)
			}
			want, err := collectRange(t.Context(), v, reader, sr, v.offsets[len(v.segs)], nil)
			if err != nil {
				t.Fatal(err)
			}
			n, err := reader.DocCount()
			if err != nil {
				t.Fatal(err)
			}
			if len(want) != int(n) {
				t.Fatalf("the searcher found %d documents, the index has %d", len(want), n)
			}
			if diff := cmp.Diff(want, got, cmp.AllowUnexported(match{})); diff != "" {
				t.Errorf("collect differs from the match-all searcher (-searcher +collect):\n%s", diff)
			}
		})
	}
}
