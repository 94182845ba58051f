package search

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"policysearch/corpus"
)

// docByPath returns the sample document with the given path.
func docByPath(t *testing.T, f *sampleFixture, path string) corpus.Document {
	t.Helper()
	i := slices.IndexFunc(f.docs, func(d corpus.Document) bool { return d.Path == path })
	if i < 0 {
		t.Fatalf("sample document %s not found", path)
	}
	return f.docs[i]
}

// TestRelated checks on real sample documents that related documents share
// the subject (a regulation on civilized behaviour finds the other
// provinces' and cities' ones; a county's government work report finds
// other reports), never include the document itself, and honour the region
// limits.
func TestRelated(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	tests := []struct {
		name string
		path string
		opts RelatedOptions
		// like is a word most of the first five titles must have.
		like string
		// notIn are regions none of the hits may be of.
		notIn []string
	}{
		{"regulation", "docs/civilized-behaviour-regulations/北京市/2020_北京市文明行为促进条例.txt",
			RelatedOptions{Size: 5}, "文明", nil},
		{"county report", "docs/gwr-county-baoding/清苑区/2023_保定市清苑区2023年政府工作报告.txt",
			RelatedOptions{Size: 5}, "政府工作报告", nil},
		{"county report, other regions", "docs/gwr-county-baoding/清苑区/2023_保定市清苑区2023年政府工作报告.txt",
			RelatedOptions{Size: 5, OtherRegions: true}, "政府工作报告", []string{"清苑区", "保定市清苑区"}},
		{"regulation, Tianjin and Inner Mongolia excluded", "docs/civilized-behaviour-regulations/北京市/2020_北京市文明行为促进条例.txt",
			RelatedOptions{Size: 5, ExcludeRegions: []string{"天津市", "内蒙古自治区"}}, "文明", []string{"天津市", "内蒙古自治区"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := docByPath(t, f, tt.path)
			res, err := f.svc.Related(t.Context(), d.ID, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) != tt.opts.Size {
				t.Fatalf("%d hits, want %d", len(res.Hits), tt.opts.Size)
			}
			like := 0
			var titles []string
			for _, h := range res.Hits {
				titles = append(titles, h.Region+" "+h.Title)
				if h.ID == d.ID {
					t.Errorf("the document itself is related to itself")
				}
				if strings.Contains(h.Title, tt.like) {
					like++
				}
				for _, r := range tt.notIn {
					if strings.HasSuffix(h.Region, r) || h.Region == r {
						t.Errorf("hit %s of excluded region %s", h.Title, h.Region)
					}
				}
			}
			if like < 3 {
				t.Errorf("%d of 5 related titles have %q: %v", like, tt.like, titles)
			}
		})
	}
}

// TestRelatedLeavesOutCopies checks that a document's reposts are not
// related documents: they are the same document.
func TestRelatedLeavesOutCopies(t *testing.T) {
	t.Parallel()
	f := repostFixture(t)
	d := docByPath(t, f, repostedPath)
	res, err := f.svc.Related(t.Context(), d.ID, RelatedOptions{Size: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 {
		t.Fatal("no related documents")
	}
	for _, h := range res.Hits {
		if strings.HasPrefix(h.ID, "repost-") || h.ID == d.ID {
			t.Errorf("related hit %s is a copy of the document", h.ID)
		}
	}
	if _, err := f.svc.Related(t.Context(), "nope", RelatedOptions{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown document: error %v, want ErrNotFound", err)
	}
	var verr *ValidationError
	if _, err := f.svc.Related(t.Context(), d.ID, RelatedOptions{Size: MaxSize + 1}); !errors.As(err, &verr) {
		t.Errorf("size %d: error %v, want a *ValidationError", MaxSize+1, err)
	}
}
