package indexer

import (
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"policysearch/corpus"
)

// segments returns the number of segments of idx's current snapshot.
func segments(t *testing.T, idx bleve.Index) int {
	t.Helper()
	in, err := idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := in.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		t.Fatalf("reader is %T, want *scorch.IndexSnapshot", r)
	}
	return len(snap.Segments())
}

// TestBuildCompact builds one document a batch, which leaves a segment per
// document, and checks that Options.Compact leaves one segment holding them
// all, and one segment file on disk.
func TestBuildCompact(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"seed.txt":     {Data: realText(t, "seed-yiyang.txt")},
		"shanghai.txt": {Data: realText(t, "shanghai-2026.txt")},
		"jiading.txt":  {Data: realText(t, "district-shanghai.txt")},
	}
	for _, compact := range []bool{false, true} {
		dir := filepath.Join(t.TempDir(), "idx")
		idx, err := Create(dir)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := Build(t.Context(), idx, corpus.Load(t.Context(), fsys, corpus.Options{}), Options{BatchSize: 1, Compact: compact})
		if err != nil {
			t.Fatalf("Build: %v", err)
		}
		if rep.Added != 3 {
			t.Fatalf("Build added %d documents, want 3", rep.Added)
		}
		got := segments(t, idx)
		if compact && got != 1 {
			t.Errorf("segments after a compacting build = %d, want 1", got)
		}
		if !compact && got < 2 {
			t.Errorf("segments after a build of one document a batch = %d, want several (else this test shows nothing)", got)
		}
		if n, err := idx.DocCount(); err != nil || n != 3 {
			t.Errorf("DocCount = %d, %v; want 3", n, err)
		}
		if err := idx.Close(); err != nil {
			t.Fatal(err)
		}
		// The old segments' files must go too, or the index takes twice
		// its size on disk (scorch keeps the previous snapshot's files).
		files, err := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
		if err != nil {
			t.Fatal(err)
		}
		if compact && len(files) != 1 {
			t.Errorf("segment files after a compacting build = %d, want 1", len(files))
		}
	}
}

// TestCompactFiles compacts a build of the embedded sample, ten documents a
// batch, and checks that one segment file is left on disk: scorch keeps the
// previous snapshot's files, which right after a merge are all the old
// segments.
func TestCompactFiles(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the sample corpus; skipped with -short")
	}
	dir := filepath.Join(t.TempDir(), "idx")
	idx, err := Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Build(t.Context(), idx, corpus.Load(t.Context(), corpus.Sample(), corpus.Options{}), Options{BatchSize: 10, Compact: true}); err != nil {
		t.Fatalf("Build: %v", err)
	}
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 {
		t.Errorf("segment files after a compacting build = %d, want 1", len(files))
	}
}
