package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/blevesearch/bleve/v2"
	"golang.org/x/term"

	"policysearch/corpus"
	"policysearch/indexer"
)

// store says where an index lives and which corpus fills it.
type store struct {
	// dir is the index directory; "" keeps the index in memory.
	dir string
	// managed means dir is ours, in the user cache directory: an index
	// there built by another version is deleted and rebuilt.
	managed bool
	// source is the corpus the index is built from, and sourceName names it
	// in messages.
	source     fs.FS
	sourceName string
	// sync brings an existing index up to date with source on start.
	// Unchanged documents are skipped, so it costs one read of the corpus.
	sync bool
}

// newStore resolves where serve and search find their index. Without
// --index, the index is managed in the user cache directory: one for the
// embedded sample, one per --corpus directory. A managed index, or any index
// with --corpus, is synced with its corpus by serve.
func newStore(cfg Config, log *slog.Logger) (store, error) {
	s := store{dir: cfg.Index, source: corpus.Sample(), sourceName: "the embedded sample corpus"}
	name := "sample-index"
	if cfg.Corpus != "" {
		abs, err := filepath.Abs(cfg.Corpus)
		if err != nil {
			return store{}, fmt.Errorf("resolve corpus %s: %w", cfg.Corpus, err)
		}
		s.source, s.sourceName, s.sync = os.DirFS(abs), abs, true
		sum := sha256.Sum256([]byte(abs))
		name = "corpus-" + hex.EncodeToString(sum[:6])
	}
	if s.dir != "" {
		return s, nil
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		log.Warn("no user cache directory; the index is kept in memory", slog.Any("error", err))
		return s, nil
	}
	s.dir = filepath.Join(cache, "policysearch", name)
	s.managed, s.sync = true, true
	return s, nil
}

// location names the index for messages.
func (s store) location() string {
	if s.dir == "" {
		return "memory"
	}
	return s.dir
}

// open opens the index, or creates an empty one where there is none. fresh
// reports that it was created and must be built before it can answer. When
// the index was built with other dictionaries, open returns it together
// with an error wrapping indexer.ErrDictionaryMismatch.
func (s store) open(log *slog.Logger) (idx bleve.Index, fresh bool, err error) {
	if s.dir == "" {
		idx, err := indexer.Create("")
		return idx, true, err
	}
	idx, err = indexer.Open(s.dir)
	switch {
	case err == nil:
		return idx, false, nil
	case errors.Is(err, indexer.ErrDictionaryMismatch):
		// Open, and usable: literal matches do not depend on the
		// dictionary. The caller rebuilds it or says so.
		return idx, false, err
	case errors.Is(err, indexer.ErrIndexInUse):
		return nil, false, fmt.Errorf("%w\n\nAnother policysearch (serve or index) is using %s: stop it, or use another --index", err, s.dir)
	case errors.Is(err, indexer.ErrSchemaMismatch) && s.managed:
		log.Warn("index built by another version; rebuilding", slog.String("index_dir", s.dir), slog.Any("error", err))
		if err := os.RemoveAll(s.dir); err != nil {
			return nil, false, fmt.Errorf("remove outdated index: %w", err)
		}
	case errors.Is(err, indexer.ErrSchemaMismatch):
		return nil, false, fmt.Errorf("%w\n\nThe index was built by another version of policysearch. Rebuild it:\n"+
			"  rm -r %s && policysearch index --corpus DIR --index %[2]s", err, s.dir)
	case errors.Is(err, indexer.ErrNoIndex):
		// bleve creates only where nothing exists. An empty directory (made
		// by hand, or left by an interrupted create) may go: os.Remove
		// deletes empty directories only, never an index or anyone's files.
		if err := os.Remove(s.dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, false, fmt.Errorf("%s exists and holds no index; choose another directory: %w", s.dir, err)
		}
	default:
		return nil, false, err
	}
	if err := os.MkdirAll(filepath.Dir(s.dir), 0o755); err != nil {
		return nil, false, fmt.Errorf("create index parent directory: %w", err)
	}
	idx, err = indexer.Create(s.dir)
	if err != nil {
		return nil, false, err
	}
	log.Info("index created", slog.String("index_dir", s.dir))
	return idx, true, nil
}

// docs loads the corpus, counting it on a progress bar drawn on bar when bar
// is a terminal. Call stop when the documents have been consumed.
func (s store) docs(ctx context.Context, log *slog.Logger, bar *os.File) (docs iter.Seq2[corpus.Document, error], stop func()) {
	docs = corpus.Load(ctx, s.source, corpus.Options{Logger: log})
	if bar == nil || !term.IsTerminal(int(bar.Fd())) {
		return docs, func() {}
	}
	p := &progress{w: bar, total: corpusBytes(s.source), start: time.Now()}
	return p.count(docs), p.run(200 * time.Millisecond)
}

// build adds, updates and prunes documents so that idx matches the corpus.
// When bar is a terminal, a progress bar is drawn on it meanwhile.
func (s store) build(ctx context.Context, idx bleve.Index, opts indexer.Options, bar *os.File) (indexer.Report, error) {
	docs, stop := s.docs(ctx, opts.Logger, bar)
	defer stop()
	opts.Prune = true
	return indexer.Build(ctx, idx, docs, opts)
}

// rebuild builds a fresh index of the corpus, plus the documents written
// through the API (extra), beside the one in s.dir and moves it into place
// (indexer.Rebuild), drawing a progress bar on bar when it is a terminal.
// An index open at s.dir keeps answering meanwhile.
func (s store) rebuild(ctx context.Context, opts indexer.Options, extra []corpus.Document, bar *os.File) (bleve.Index, indexer.Report, error) {
	docs, stop := s.docs(ctx, opts.Logger, bar)
	defer stop()
	all := func(yield func(corpus.Document, error) bool) {
		for d, err := range docs {
			if !yield(d, err) {
				return
			}
		}
		for _, d := range extra {
			if !yield(d, nil) {
				return
			}
		}
	}
	return indexer.Rebuild(ctx, s.dir, all, opts)
}
