package indexer

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"policysearch/corpus"
)

// writtenDoc returns a document as the write API makes it from a real
// paragraph.
func writtenDoc(t *testing.T, id, file string) corpus.Document {
	t.Helper()
	docs, err := corpus.Parse("api/"+id+".txt", realText(t, file), nil)
	if err != nil || len(docs) != 1 {
		t.Fatalf("parse %s: %v", file, err)
	}
	d := docs[0]
	d.ID, d.Hash = id, WrittenHash(d.Hash)
	return d
}

// TestWriterGroupsAndPruneKeeps writes from many goroutines at once, checks
// every write is there when Apply returns, and that a pruning build of a
// corpus keeps the written documents.
func TestWriterGroupsAndPruneKeeps(t *testing.T) {
	t.Parallel()
	idx, err := Create(filepath.Join(t.TempDir(), "idx"))
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	var batches, indexed int
	var mu sync.Mutex
	w, err := NewWriter(t.Context(), idx, WriterOptions{Committed: func(n, _ int, _ int64, _ time.Duration) {
		mu.Lock()
		batches++
		indexed += n
		mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	files := []string{"seed-yiyang.txt", "shanghai-2026.txt", "district-shanghai.txt"}
	var wg sync.WaitGroup
	const writers = 12
	for i := range writers {
		wg.Go(func() {
			d := writtenDoc(t, fmt.Sprintf("w-%d", i), files[i%len(files)])
			errs, err := w.Apply(t.Context(), []Op{{Doc: d}})
			if err != nil || errs[0] != nil {
				t.Errorf("Apply %s: %v %v", d.ID, err, errs)
				return
			}
			if n, err := idx.DocCount(); err != nil || n == 0 {
				t.Errorf("after Apply: %d documents, %v", n, err)
			}
		})
	}
	wg.Wait()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Apply(t.Context(), []Op{{Delete: "w-1"}}); !errors.Is(err, ErrWriterClosed) {
		t.Errorf("Apply after Close = %v, want ErrWriterClosed", err)
	}
	if indexed != writers || batches > writers {
		t.Errorf("committed %d documents in %d batches, want %d in at most %d", indexed, batches, writers, writers)
	}
	t.Logf("%d concurrent writes committed in %d batches", writers, batches)

	// A pruning build of a corpus leaves written documents alone.
	rep, err := Build(t.Context(), idx, corpus.Load(t.Context(), fstest.MapFS{"seed.txt": {Data: realText(t, "seed-yiyang.txt")}}, corpus.Options{}), Options{Prune: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Deleted != 0 || rep.Added != 1 {
		t.Errorf("build = %+v, want 1 added and nothing deleted", rep)
	}
	if n, err := idx.DocCount(); err != nil || n != writers+1 {
		t.Errorf("after the build: %d documents (%v), want %d", n, err, writers+1)
	}
	written, err := WrittenDocs(t.Context(), idx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range written {
		ids = append(ids, d.ID)
		if d.Body == "" || !IsWritten(d.Hash) {
			t.Errorf("written %s: body of %d bytes, hash %q", d.ID, len(d.Body), d.Hash)
		}
	}
	if len(ids) != writers || !slices.Contains(ids, "w-0") {
		t.Errorf("WrittenDocs = %v, want the %d written", ids, writers)
	}
}

// TestRebuildResumes interrupts nothing but leaves what an interrupted
// rebuild leaves: a dir.next with some documents, which the next Rebuild
// keeps; and a missing dir with a dir.old, which Open restores.
func TestRebuildResumes(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "idx")
	fsys := fstest.MapFS{
		"seed.txt":     {Data: realText(t, "seed-yiyang.txt")},
		"shanghai.txt": {Data: realText(t, "shanghai-2026.txt")},
		"jiading.txt":  {Data: realText(t, "district-shanghai.txt")},
	}
	// A rebuild stopped after one batch.
	next, err := Create(dir + ".next")
	if err != nil {
		t.Fatal(err)
	}
	build(t, next, fstest.MapFS{"seed.txt": fsys["seed.txt"]})
	if err := next.Close(); err != nil {
		t.Fatal(err)
	}
	idx, rep, err := Rebuild(t.Context(), dir, corpus.Load(t.Context(), fsys, corpus.Options{}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Unchanged != 1 || rep.Added != 2 {
		t.Errorf("resumed rebuild = %+v, want 1 unchanged and 2 added", rep)
	}
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	// Interrupted between its two renames: dir gone, dir.old there.
	if err := os.Rename(dir, dir+".old"); err != nil {
		t.Fatal(err)
	}
	idx, err = Open(dir)
	if err != nil {
		t.Fatalf("Open after an interrupted swap: %v", err)
	}
	defer idx.Close()
	if n, err := idx.DocCount(); err != nil || n != 3 {
		t.Errorf("restored index has %d documents (%v), want 3", n, err)
	}
}
