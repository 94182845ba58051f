package indexer

import (
	"context"
	"fmt"

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
	if err := s.ForceMerge(ctx, &opts); err != nil {
		return fmt.Errorf("compact index: %w", err)
	}
	return ctx.Err()
}
