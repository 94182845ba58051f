package indexer

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"policysearch/corpus"
)

// TestHoldMerges builds 14 one-document batches of the sample corpus with
// merges held (more than scorch's ten segments a tier, which it would
// merge at once) and checks that every segment is still there a while
// later, and that scorch merges them once the hold is released.
func TestHoldMerges(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and waits for scorch's merger; skipped with -short")
	}
	idx, err := Create(filepath.Join(t.TempDir(), "idx"))
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	release := holdMerges(idx)
	defer release()
	const batches = 14
	docs := func(yield func(corpus.Document, error) bool) {
		n := 0
		for d, err := range corpus.Load(t.Context(), corpus.Sample(), corpus.Options{}) {
			if n == batches || !yield(d, err) {
				return
			}
			n++
		}
	}
	// Build holds merges itself; the hold taken above outlives it.
	if _, err := Build(t.Context(), idx, docs, Options{BatchSize: 1}); err != nil {
		t.Fatalf("Build: %v", err)
	}
	time.Sleep(3 * holdPoll)
	if n := fileSegments(t, idx); n != batches {
		t.Errorf("segments with merges held = %d, want %d", n, batches)
	}
	release()
	deadline := time.Now().Add(30 * time.Second)
	for fileSegments(t, idx) >= batches && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := fileSegments(t, idx); n >= batches {
		t.Errorf("segments 30 s after the hold was released = %d, want fewer than %d", n, batches)
	}
}

// fileSegments returns the number of persisted segments of idx's newest
// snapshot.
func fileSegments(t *testing.T, idx bleve.Index) uint64 {
	t.Helper()
	in, err := idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	n, _ := in.(*scorch.Scorch).StatsMap()["num_root_filesegments"].(uint64)
	return n
}
