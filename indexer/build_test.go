package indexer

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/blevesearch/bleve/v2"

	"policysearch/corpus"
)

// realText reads a real paragraph from testdata/tokens.
func realText(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "tokens", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func build(t *testing.T, idx bleve.Index, fsys fstest.MapFS) Report {
	t.Helper()
	rep, err := Build(t.Context(), idx, corpus.Load(t.Context(), fsys, corpus.Options{}), Options{Prune: true, BatchSize: 2})
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return rep
}

// TestBuildIncremental re-indexes nothing on an unchanged corpus, re-indexes
// a changed file, deletes a removed one, and records a broken file as a skip
// without stopping.
func TestBuildIncremental(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	idx, err := Create(filepath.Join(dir, "idx"))
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"seed.txt":     {Data: realText(t, "seed-yiyang.txt")},
		"shanghai.txt": {Data: realText(t, "shanghai-2026.txt")},
		"jiading.txt":  {Data: realText(t, "district-shanghai.txt")},
		"broken.txt":   {Data: []byte("\x00\x01\x02PNG\x00\x00\x00binary")},
	}
	type counts struct{ Added, Updated, Unchanged, Deleted, Skipped int }
	get := func(r Report) counts {
		return counts{r.Added, r.Updated, r.Unchanged, r.Deleted, len(r.Skipped)}
	}
	if got, want := get(build(t, idx, fsys)), (counts{Added: 3, Skipped: 1}); got != want {
		t.Errorf("first build = %+v, want %+v", got, want)
	}
	if got, want := get(build(t, idx, fsys)), (counts{Unchanged: 3, Skipped: 1}); got != want {
		t.Errorf("unchanged rebuild = %+v, want %+v", got, want)
	}
	fsys["seed.txt"] = &fstest.MapFile{Data: append(realText(t, "seed-yiyang.txt"), "补充一段。\n"...)}
	delete(fsys, "jiading.txt")
	if got, want := get(build(t, idx, fsys)), (counts{Updated: 1, Unchanged: 1, Deleted: 1, Skipped: 1}); got != want {
		t.Errorf("after edit and delete = %+v, want %+v", got, want)
	}
	if n, err := idx.DocCount(); err != nil || n != 2 {
		t.Errorf("DocCount = %d, %v; want 2", n, err)
	}
	rep := build(t, idx, fsys)
	if len(rep.Skipped) != 1 || rep.Skipped[0].Path != "broken.txt" || rep.Skipped[0].Reason == "" {
		t.Errorf("Skipped = %+v, want broken.txt with a reason", rep.Skipped)
	}
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	// The index reopens with its schema and keeps its documents.
	idx, err = Open(filepath.Join(dir, "idx"))
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	if n, err := idx.DocCount(); err != nil || n != 2 {
		t.Errorf("reopened DocCount = %d, %v; want 2", n, err)
	}
}

func TestOpenErrors(t *testing.T) {
	t.Parallel()
	if _, err := Open(filepath.Join(t.TempDir(), "none")); !errors.Is(err, ErrNoIndex) {
		t.Errorf("Open(missing) error = %v, want ErrNoIndex", err)
	}
	// An index without our meta (built by something else) must be rebuilt.
	dir := filepath.Join(t.TempDir(), "foreign")
	idx, err := bleve.New(dir, bleve.NewIndexMapping())
	if err != nil {
		t.Fatal(err)
	}
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir); !errors.Is(err, ErrSchemaMismatch) {
		t.Errorf("Open(foreign) error = %v, want ErrSchemaMismatch", err)
	}
}

// TestOpenInUse: a second Open of an index held by a writer gives up with
// ErrIndexInUse instead of waiting for ever.
func TestOpenInUse(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "idx")
	idx, err := Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	if _, err := Open(dir); !errors.Is(err, ErrIndexInUse) {
		t.Errorf("Open(held index) error = %v, want ErrIndexInUse", err)
	}
}
