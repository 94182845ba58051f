package indexer

import (
	"context"
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
)

// Compact merges the index's segments into one and waits until that is
// done. A build leaves a dozen segments behind, which scorch keeps merging
// in the background after the next open, while it serves; every query also
// visits every segment. Compacting after a full build costs the build that
// merge time once and leaves a smaller index whose queries touch one
// segment. Indexes not backed by scorch are left alone.
func Compact(ctx context.Context, idx bleve.Index) error {
	in, err := idx.Advanced()
	if err != nil {
		return fmt.Errorf("compact index: %w", err)
	}
	s, ok := in.(*scorch.Scorch)
	if !ok {
		return nil
	}
	opts := mergeplan.SingleSegmentMergePlanOptions
	// All segments in one merge task: scorch runs a plan's tasks one after
	// the other, so ten segments a task would merge most postings twice.
	opts.SegmentsPerMergeTask = maxMergeTask
	if err := s.ForceMerge(ctx, &opts); err != nil {
		return fmt.Errorf("compact index: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// scorch keeps the files of the snapshot before the newest one (for
	// rollback), which right after the merge are all the old segments:
	// the index would take twice its size on disk. One more snapshot,
	// recording when the index was compacted, lets it delete them.
	stamp := []byte(time.Now().UTC().Format(time.RFC3339))
	if err := idx.SetInternal(compactedKey, stamp); err != nil {
		return fmt.Errorf("compact index: %w", err)
	}
	// scorch deletes them in the background, soon after; a caller that
	// closes the index at once (the index command) would leave them on
	// disk until the next open. Wait for it, a little.
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for range compactWait / (20 * time.Millisecond) {
		if files, _ := s.StatsMap()["CurOnDiskFiles"].(uint64); files <= compactedFiles {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return nil
}

// compactedFiles is how many files a compacted index has on disk: its one
// segment and scorch's root.bolt.
const compactedFiles = 2

// compactWait is how long Compact waits at most for scorch to delete the
// files of the merged segments. It returns as soon as they are gone, which
// takes milliseconds on a quiet machine; 5 s was too short at load 15.
const compactWait = 15 * time.Second

// maxMergeTask is the most segments Compact merges in one task: more than
// a build of the shared corpus makes ten times over.
const maxMergeTask = 1000

// compactedKey is the internal key under which Compact records when it
// last ran.
var compactedKey = []byte("policysearch:compacted")
