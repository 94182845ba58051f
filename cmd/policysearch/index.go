package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"policysearch/corpus"
	"policysearch/indexer"
)

// runIndex builds or updates the index in cfg.Index from cfg.Corpus and
// prints a summary.
func runIndex(ctx context.Context, cfg Config) (err error) {
	log := newLogger(cfg, os.Stderr)
	if _, err := vocabulary(cfg); err != nil {
		return err
	}
	st := store{dir: cfg.Index, source: os.DirFS(cfg.Corpus), sourceName: cfg.Corpus}
	idx, _, err := st.open(log)
	opts := indexer.Options{BatchSize: cfg.BatchSize, Logger: log, Compact: true}
	var rep indexer.Report
	switch {
	case errors.Is(err, indexer.ErrDictionaryMismatch):
		// Every document segments differently now: build afresh, keeping
		// the documents written through the API.
		fmt.Fprintf(os.Stderr, "%v\nrebuilding the whole index with the dictionaries in force\n", err)
		written, werr := indexer.WrittenDocs(ctx, idx)
		if err := errors.Join(werr, idx.Close()); err != nil {
			return fmt.Errorf("close index: %w", err)
		}
		idx, rep, err = st.rebuild(ctx, opts, written, os.Stderr)
	case err == nil:
		rep, err = st.build(ctx, idx, opts, os.Stderr)
	}
	if idx != nil {
		defer func() {
			if cerr := idx.Close(); cerr != nil {
				err = errors.Join(err, fmt.Errorf("close index: %w", cerr))
			}
		}()
	}
	if rep.Docs == 0 && err != nil {
		return err
	}
	printReport(os.Stdout, st, rep)
	if err != nil {
		return fmt.Errorf("build stopped, %d documents processed: %w", rep.Docs, err)
	}
	return nil
}

// corpusBytes sums the sizes of the regular files in fsys. It is a quick
// estimate of the work for the ETA; it returns 0 (unknown) on any error.
func corpusBytes(fsys fs.FS) int64 {
	n, err := filesSize(fsys)
	if err != nil {
		return 0 // the ETA is optional; the build reports unreadable files
	}
	return n
}

// filesSize sums the sizes in bytes of the regular files in fsys.
func filesSize(fsys fs.FS) (int64, error) {
	var n int64
	err := fs.WalkDir(fsys, ".", func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			n += info.Size()
		}
		return nil
	})
	return n, err
}

// progress draws a one-line progress bar: documents, MB, MB/s and ETA.
type progress struct {
	w     io.Writer
	total int64 // bytes expected; 0 means unknown
	start time.Time
	docs  atomic.Int64
	bytes atomic.Int64
}

// count passes docs through, counting documents and source bytes.
func (p *progress) count(docs iter.Seq2[corpus.Document, error]) iter.Seq2[corpus.Document, error] {
	return func(yield func(corpus.Document, error) bool) {
		for d, err := range docs {
			if err == nil {
				p.docs.Add(1)
				p.bytes.Add(int64(d.Size))
			}
			if !yield(d, err) {
				return
			}
		}
	}
}

// run redraws the bar every interval until the returned stop is called,
// which also clears the line.
func (p *progress) run(interval time.Duration) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-done:
				fmt.Fprint(p.w, "\r\x1b[K")
				return
			case <-t.C:
				fmt.Fprint(p.w, "\r\x1b[K"+p.line())
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
	}
}

// line renders the current state.
func (p *progress) line() string {
	elapsed := time.Since(p.start)
	docs, b := p.docs.Load(), p.bytes.Load()
	rate := float64(b) / 1e6 / max(elapsed.Seconds(), 1e-9)
	var sb strings.Builder
	fmt.Fprintf(&sb, "indexing %6d docs  %6.1f", docs, float64(b)/1e6)
	if p.total > 0 {
		frac := min(float64(b)/float64(p.total), 1)
		const width = 24
		full := int(frac * width)
		fmt.Fprintf(&sb, "/%.1f MB [%s%s] %3.0f%%", float64(p.total)/1e6,
			strings.Repeat("█", full), strings.Repeat("░", width-full), frac*100)
	} else {
		sb.WriteString(" MB")
	}
	fmt.Fprintf(&sb, "  %5.2f MB/s", rate)
	if p.total > 0 && rate > 0 && b > 0 {
		left := time.Duration(float64(p.total-b) / 1e6 / rate * float64(time.Second))
		fmt.Fprintf(&sb, "  ETA %s", max(left, 0).Round(time.Second))
	}
	return sb.String()
}

// printReport prints the build summary.
func printReport(w io.Writer, st store, r indexer.Report) {
	fmt.Fprintf(w, "indexed %s into %s in %s (%.2f MB/s)\n",
		st.sourceName, st.location(), r.Elapsed.Round(time.Millisecond), r.MBPerSecond())
	row := func(label string, n int) { fmt.Fprintf(w, "  %-10s %6d\n", label, n) }
	fmt.Fprintf(w, "  %-10s %6d  (%.1f MB)\n", "documents", r.Docs, float64(r.Bytes)/1e6)
	row("added", r.Added)
	row("updated", r.Updated)
	row("deleted", r.Deleted)
	row("unchanged", r.Unchanged)
	row("skipped", len(r.Skipped))
	for _, s := range r.Skipped {
		fmt.Fprintf(w, "      %s: %s\n", s.Path, s.Reason)
	}
	row("failed", len(r.Failed))
	for _, s := range r.Failed {
		fmt.Fprintf(w, "      %s: %s\n", s.Path, s.Reason)
	}
}
