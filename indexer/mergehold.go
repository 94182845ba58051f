package indexer

import (
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// scorchEvents is the name under which onScorchEvent is registered with
// scorch; Create and Open put it in every index's configuration.
const scorchEvents = "policysearch"

// holdPoll is how long onScorchEvent keeps scorch's merger waiting before
// it lets the merger loop go round again (and notice a Close).
const holdPoll = 500 * time.Millisecond

// held maps each *scorch.Scorch whose merges are held back to a channel
// closed when the hold is released.
var held sync.Map

// onScorchEvent is scorch's event callback. Before each round of merge
// planning it keeps the merger of an index whose merges are held (see
// holdMerges) waiting; all other events go through.
func onScorchEvent(e scorch.Event) bool {
	if e.Kind != scorch.EventKindPreMergeCheck {
		return true
	}
	v, ok := held.Load(e.Scorch)
	if !ok {
		return true
	}
	select {
	case <-v.(chan struct{}):
		return true
	case <-time.After(holdPoll):
		// false makes scorch plan again later; waiting for good here
		// would make a Close during the hold wait for the merger forever.
		return false
	}
}

// holdMerges stops scorch from merging idx's segments in the background
// until release is called. A build adds a segment per batch; left alone,
// scorch merges them tier by tier while the build goes on, rewriting every
// posting two or three times (a third of a full build's CPU on the shared
// corpus) before Compact merges them all once more. Held, the segments are
// merged once, at the end. Indexes not backed by scorch are left alone.
// Release must be called; calls after the first do nothing.
func holdMerges(idx bleve.Index) (release func()) {
	in, err := idx.Advanced()
	if err != nil {
		return func() {}
	}
	s, ok := in.(*scorch.Scorch)
	if !ok {
		return func() {}
	}
	ch := make(chan struct{})
	if _, loaded := held.LoadOrStore(s, ch); loaded {
		// Another build holds it already; that one releases it.
		return func() {}
	}
	return sync.OnceFunc(func() {
		held.Delete(s)
		close(ch)
	})
}

// scorchConfig is the scorch configuration of every index Create and Open
// make: the event callback through which holdMerges works.
func scorchConfig() map[string]any {
	return map[string]any{"eventCallbackName": scorchEvents}
}
