package indexer

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/go-ego/gse"

	"policysearch/corpus"
)

// writtenHashPrefix marks the content hash of a document written through
// the Writer (the HTTP write API) rather than read from a corpus. Corpus
// hashes are plain hex, so the prefix tells the two apart without a field
// of its own: Build never prunes written documents.
const writtenHashPrefix = "api:"

// WrittenHash returns the content hash stored for a document written
// through the Writer whose source hash (hex SHA-256) is sum.
func WrittenHash(sum string) string {
	return writtenHashPrefix + sum
}

// IsWritten reports whether a stored content hash belongs to a document
// written through the Writer.
func IsWritten(hash string) bool {
	return strings.HasPrefix(hash, writtenHashPrefix)
}

// ErrWriterClosed is returned by writes after Close.
var ErrWriterClosed = errors.New("index writer closed")

// WriterOptions tune a Writer.
type WriterOptions struct {
	// MaxBatch is the most documents committed in one bleve batch; writes
	// waiting together are grouped up to this size. Zero means 256.
	MaxBatch int
	// Now returns the indexing time stamp. Nil means time.Now.
	Now func() time.Time
	// Gazetteer resolves places for entity extraction. Nil means
	// corpus.DefaultGazetteer.
	Gazetteer *corpus.Gazetteer
	// Committed, if not nil, is called after each committed batch with the
	// number of documents indexed and deleted and their source bytes. It
	// runs on the writer's goroutine.
	Committed func(indexed, deleted int, bytes int64, took time.Duration)
}

// Op is one document change: a put (Doc set) or a delete (Delete set).
type Op struct {
	// Doc is the document to index under Doc.ID; it replaces any document
	// with that ID.
	Doc corpus.Document
	// Delete is the ID of a document to delete; it is not an error if no
	// such document exists.
	Delete string
}

// Writer applies document changes to an index in bleve batches. Changes
// sent concurrently are grouped into one batch (group commit), and Apply
// returns only when the batch holding its changes is committed: bleve's
// scorch persists and syncs a batch before it returns, so an applied change
// survives a crash of the process. Within a batch, later changes to an ID
// win. A Writer is safe for concurrent use.
type Writer struct {
	idx  bleve.Index
	opts WriterOptions
	gaz  *corpus.Gazetteer
	seg  *gse.Segmenter
	// dups holds the near-duplicate fingerprints and groups of the index,
	// as read when the writer opened plus its own writes; only the loop
	// goroutine uses it.
	dups *dupTable
	reqs chan *writeReq
	// mu guards closed against sends after Close.
	mu     sync.RWMutex
	closed bool
	done   chan struct{}
	// pending counts the operations waiting or being committed.
	pending atomic.Int64
}

type writeReq struct {
	ops  []Op
	errs []error // one per op, filled before done is closed
	err  error   // the batch error, for every op
	done chan struct{}
}

// NewWriter returns a Writer over idx and starts its goroutine; Close
// stops it. idx stays open and owned by the caller. Written documents join
// near-duplicate groups like built ones (see dupgroup.go), against the
// documents in idx when the writer opens and those written since.
func NewWriter(ctx context.Context, idx bleve.Index, opts WriterOptions) (*Writer, error) {
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 256
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	g := opts.Gazetteer
	if g == nil {
		var err error
		if g, err = corpus.DefaultGazetteer(); err != nil {
			return nil, err
		}
	}
	seg, err := segmenter()
	if err != nil {
		return nil, err
	}
	known, err := indexedDocs(ctx, idx)
	if err != nil {
		return nil, err
	}
	dups := newDupTable()
	for id, k := range known {
		dups.add(id, k.fp, k.group)
	}
	w := &Writer{idx: idx, opts: opts, gaz: g, seg: seg, dups: dups, reqs: make(chan *writeReq, 64), done: make(chan struct{})}
	go w.loop()
	return w, nil
}

// Pending returns the number of operations waiting to be committed.
func (w *Writer) Pending() int64 {
	return w.pending.Load()
}

// Apply commits ops and returns one error per op (nil where it was
// applied) once they are durably in the index. A document that cannot be
// indexed gets its own error and does not stop the others; an error of
// the whole batch (a failing disk) is returned as err and no op of the
// call is applied. If ctx ends before the batch is committed, Apply returns
// ctx.Err() while the changes may still be applied.
func (w *Writer) Apply(ctx context.Context, ops []Op) ([]error, error) {
	r := &writeReq{ops: ops, errs: make([]error, len(ops)), done: make(chan struct{})}
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return nil, ErrWriterClosed
	}
	w.pending.Add(int64(len(ops)))
	select {
	case w.reqs <- r:
	case <-ctx.Done():
		w.pending.Add(-int64(len(ops)))
		w.mu.RUnlock()
		return nil, ctx.Err()
	}
	w.mu.RUnlock()
	select {
	case <-r.done:
		return r.errs, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Close commits the changes already sent and stops the writer. Later
// writes fail with ErrWriterClosed. It does not close the index.
func (w *Writer) Close() error {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		close(w.reqs)
	}
	w.mu.Unlock()
	<-w.done
	return nil
}

// loop takes requests and commits them in groups.
func (w *Writer) loop() {
	defer close(w.done)
	for r := range w.reqs {
		group, n := []*writeReq{r}, len(r.ops)
	more:
		for n < w.opts.MaxBatch {
			select {
			case r2, ok := <-w.reqs:
				if !ok {
					break more
				}
				group = append(group, r2)
				n += len(r2.ops)
			default:
				break more
			}
		}
		w.commit(group, n)
	}
}

// commit prepares the documents of group on all cores, indexes them in one
// batch and reports to each request.
func (w *Writer) commit(group []*writeReq, n int) {
	start := time.Now()
	type prepared struct {
		req    *writeReq
		i      int
		fields map[string]any
		a      analyzed
	}
	var puts []prepared
	for _, r := range group {
		for i, op := range r.ops {
			if op.Delete == "" {
				puts = append(puts, prepared{req: r, i: i})
			}
		}
	}
	now := w.opts.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(puts), 1)) {
		wg.Go(func() {
			for k := int(next.Add(1) - 1); k < len(puts); k = int(next.Add(1) - 1) {
				p := &puts[k]
				d := p.req.ops[p.i].Doc
				p.a = analyzeDoc(w.seg, w.gaz, d)
				p.fields, p.req.errs[p.i] = Fields(d, now, p.a.ents)
			}
		})
	}
	wg.Wait()
	b := w.idx.NewBatch()
	var indexed, deleted int
	var bytes int64
	k := 0
	for _, r := range group {
		for i, op := range r.ops {
			if op.Delete != "" {
				b.Delete(op.Delete)
				w.dups.remove(op.Delete)
				deleted++
				continue
			}
			p := puts[k]
			k++
			if r.errs[i] != nil {
				continue
			}
			// In arrival order, like Build's reading order.
			p.fields[FieldDupGroup] = w.dups.assign(op.Doc.ID, p.a.fp, op.Doc.Hash)
			if s := p.a.fp.String(); s != "" {
				p.fields[FieldFingerprint] = s
			}
			if err := indexAnalyzed(b, w.idx.Mapping(), op.Doc.ID, p.fields, p.a); err != nil {
				w.dups.remove(op.Doc.ID)
				r.errs[i] = fmt.Errorf("index document %s: %w", op.Doc.ID, err)
				continue
			}
			indexed++
			bytes += int64(op.Doc.Size)
		}
	}
	var err error
	if b.Size() > 0 {
		if err = w.idx.Batch(b); err != nil {
			err = fmt.Errorf("commit batch of %d documents: %w", b.Size(), err)
		}
	}
	if err == nil && w.opts.Committed != nil {
		w.opts.Committed(indexed, deleted, bytes, time.Since(start))
	}
	for _, r := range group {
		r.err = err
		close(r.done)
	}
	w.pending.Add(-int64(n))
}

// WrittenDocs returns the documents in idx that were written through the
// Writer, rebuilt from their stored fields, so that a Rebuild from a
// corpus can carry them over.
func WrittenDocs(ctx context.Context, idx bleve.Index) ([]corpus.Document, error) {
	var out []corpus.Document
	const page = 500
	var after []string
	for {
		q := bleve.NewPrefixQuery(writtenHashPrefix)
		q.SetField(FieldHash)
		req := bleve.NewSearchRequestOptions(q, page, 0, false)
		req.Fields = []string{"*"}
		req.SortBy([]string{"_id"})
		if after != nil {
			req.SearchAfter = after
		}
		res, err := idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("list written documents: %w", err)
		}
		for _, h := range res.Hits {
			str := func(f string) string {
				s, _ := h.Fields[f].(string) // absent fields are empty
				return s
			}
			body, err := StoredBody(h.Fields[FieldStoredBody])
			if err != nil {
				return nil, fmt.Errorf("list written documents: %s: %w", h.ID, err)
			}
			d := corpus.Document{
				ID: h.ID, Title: str(FieldTitle), Body: body, Region: str(FieldRegion),
				Province: str(FieldProvince), City: str(FieldCity), County: str(FieldCounty),
				Level: corpus.Level(str(FieldLevel)), Date: str(FieldDate), Type: str(FieldType),
				DocNumber: str(FieldDocNumber), Issuer: str(FieldIssuer), SourceURL: str(FieldSourceURL),
				Path: str(FieldPath), Hash: str(FieldHash),
			}
			if y, err := strconv.Atoi(str(FieldYear)); err == nil {
				d.Year = y
			}
			d.Size = len(d.Body)
			out = append(out, d)
		}
		if len(res.Hits) < page {
			return out, nil
		}
		after = []string{res.Hits[len(res.Hits)-1].ID}
	}
}
