package indexer

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"os"

	"github.com/blevesearch/bleve/v2"

	"policysearch/corpus"
)

// Rebuild builds a fresh index of docs beside dir (in dir + ".next") and
// then moves it into dir's place, returning it open. An index already open
// at dir keeps answering from its open files until the caller swaps it out
// (for example with a bleve.IndexAlias) and closes it; it must not be
// written to meanwhile. Use it when the dictionaries changed
// (ErrDictionaryMismatch) or the schema did. On error dir is left as it was.
//
// An interrupted rebuild resumes: a dir + ".next" left behind with the
// schema and dictionaries in force keeps its committed batches, and
// documents whose content hash is unchanged are not indexed again.
func Rebuild(ctx context.Context, dir string, docs iter.Seq2[corpus.Document, error], opts Options) (bleve.Index, Report, error) {
	next, old := dir+".next", dir+".old"
	idx, err := Open(next)
	if errors.Is(err, ErrIndexInUse) {
		return nil, Report{}, fmt.Errorf("rebuild %s: %w", dir, err)
	}
	if err != nil {
		if idx != nil {
			if err := idx.Close(); err != nil {
				return nil, Report{}, fmt.Errorf("rebuild %s: %w", dir, err)
			}
		}
		if err := os.RemoveAll(next); err != nil {
			return nil, Report{}, fmt.Errorf("rebuild %s: %w", dir, err)
		}
		if idx, err = Create(next); err != nil {
			return nil, Report{}, fmt.Errorf("rebuild %s: %w", dir, err)
		}
	}
	// A resumed build may hold documents since removed from the corpus.
	opts.Prune = true
	rep, err := Build(ctx, idx, docs, opts)
	if err = errors.Join(err, idx.Close()); err != nil {
		return nil, rep, fmt.Errorf("rebuild %s: %w", dir, errors.Join(err, os.RemoveAll(next)))
	}
	if err := os.RemoveAll(old); err != nil {
		return nil, rep, fmt.Errorf("rebuild %s: %w", dir, err)
	}
	if err := os.Rename(dir, old); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, rep, fmt.Errorf("rebuild %s: %w", dir, err)
	}
	if err := os.Rename(next, dir); err != nil {
		return nil, rep, fmt.Errorf("rebuild %s: %w", dir, errors.Join(err, os.Rename(old, dir)))
	}
	// The old files may still be open by the caller; on Unix they stay
	// readable until closed.
	if err := os.RemoveAll(old); err != nil {
		return nil, rep, fmt.Errorf("rebuild %s: remove old index: %w", dir, err)
	}
	idx, err = Open(dir)
	if err != nil {
		return nil, rep, fmt.Errorf("rebuild %s: %w", dir, err)
	}
	return idx, rep, nil
}
