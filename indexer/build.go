package indexer

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"policysearch/corpus"
)

// Options tune Build.
type Options struct {
	// BatchSize is how many documents go into one bleve batch. Zero means
	// 100. bleve analyzes a batch's documents on all cores.
	BatchSize int
	// BatchBytes caps the source bytes of one batch, so that a run of
	// large documents does not make a batch (and the memory its analysis
	// holds, about 50 bytes per byte of text) many times the usual size.
	// Zero means DefaultBatchBytes; a batch always takes at least one
	// document.
	BatchBytes int64
	// Logger receives per-document debug lines and lifecycle events. Nil
	// means discard.
	Logger *slog.Logger
	// Progress, if not nil, is called after each batch and once at the end
	// from the goroutine running Build.
	Progress func(Progress)
	// Prune deletes documents that are in the index but were not seen in
	// docs. Set it when docs is a whole corpus; leave it off when adding a
	// few documents. Nothing is pruned when the sequence stops with an
	// error, so an interrupted walk never deletes, and documents written
	// through the Writer (IsWritten) are never pruned.
	Prune bool
	// Compact merges the index into one segment (see Compact) at the end
	// of a build that changed anything. Set it for whole-corpus builds;
	// leave it off when adding a few documents, which would rewrite the
	// whole index each time.
	Compact bool
	// Now returns the indexing time stamp; it must be safe for concurrent
	// use. Nil means time.Now.
	Now func() time.Time
	// Gazetteer resolves the places a text names. Nil means
	// corpus.DefaultGazetteer.
	Gazetteer *corpus.Gazetteer
}

// DefaultBatchBytes is the batch size cap in source bytes when
// Options.BatchBytes is zero, about 50 documents of the shared corpus.
// Build analyses the next batch while bleve indexes one, so two batches'
// token streams are in memory at once: with 2 MB batches a build of the
// shared corpus peaked at 1,248 MB RSS, with 1 MB at 980 MB, for about the
// same CPU time (51 and 56 s on a loaded machine).
const DefaultBatchBytes = 1 << 20

// batchesInFlight is how many batches bleve indexes at once. bleve turns a
// batch's token streams into frequencies on all cores and then builds its
// segment on one; while it does, Build analyses the next batch. A second
// batch in flight held a third batch's analysis and segment in memory: with
// scorch's merging of unpersisted segments turned off, the shared corpus's
// build peaked at 1,344 MB of anonymous memory against 919 MB (1 MB
// batches), for no less CPU; with 512 KB batches at 1,081 MB, and the final
// merge of their 90 segments took 24 % more CPU than that of 2 MB batches'
// 22.
const batchesInFlight = 1

// Progress is a snapshot of a running build.
type Progress struct {
	// Docs is how many documents have been read so far, indexed or not.
	Docs int
	// Bytes is the source size of those documents.
	Bytes int64
	// Elapsed is the time since Build started.
	Elapsed time.Duration
}

// Skip is a source file or object that did not become a document.
type Skip struct {
	// Path is the corpus-relative source path.
	Path string `json:"path"`
	// Reason says why, in a short phrase.
	Reason string `json:"reason"`
}

// Report summarises a build.
type Report struct {
	// Added, Updated, Unchanged and Deleted count documents by outcome.
	Added, Updated, Unchanged, Deleted int
	// Skipped lists the sources that did not become documents, in order.
	Skipped []Skip
	// Failed lists documents bleve refused, by ID and error.
	Failed []Skip
	// Docs and Bytes count every document read and its source bytes.
	Docs  int
	Bytes int64
	// Elapsed is the wall time of the build.
	Elapsed time.Duration
}

// MBPerSecond is the source throughput of the build in MB (10⁶ bytes) per
// second.
func (r Report) MBPerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Bytes) / 1e6 / r.Elapsed.Seconds()
}

// Build adds the documents of docs to idx, skipping those whose content hash
// is unchanged, re-indexing changed ones and, with opts.Prune, deleting those
// no longer present. Each added or changed document gets a near-duplicate
// Fingerprint and joins the group of its closest near-duplicate among the
// documents indexed before it (see FieldDupGroup and dupgroup.go). An error from docs that is a *corpus.SkipError is
// recorded in the report and the build goes on; any other error stops the
// build after flushing what was read, and is returned. Build checks ctx
// between batches.
func Build(ctx context.Context, idx bleve.Index, docs iter.Seq2[corpus.Document, error], opts Options) (Report, error) {
	start := time.Now()
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	size := opts.BatchSize
	if size <= 0 {
		size = 100
	}
	maxBytes := opts.BatchBytes
	if maxBytes <= 0 {
		maxBytes = DefaultBatchBytes
	}
	g := opts.Gazetteer
	if g == nil {
		var err error
		if g, err = corpus.DefaultGazetteer(); err != nil {
			return Report{}, err
		}
	}
	seg, err := segmenter()
	if err != nil {
		return Report{}, err
	}
	known, err := indexedDocs(ctx, idx)
	if err != nil {
		return Report{}, err
	}
	dups := newDupTable()
	for id, k := range known {
		dups.add(id, k.fp, k.group)
	}
	var (
		rep   Report
		seen  = make(map[string]bool, len(known))
		batch = idx.NewBatch()
		// added and updated count the documents in the batch being filled.
		added, updated int
		// Batches run on their own goroutine, batchesInFlight at a time,
		// while the next one is prepared.
		running = make(chan struct{}, batchesInFlight)
		// indexing is closed when the batch last handed to bleve is in
		// the index; nil before the first.
		indexing chan struct{}
		wg       sync.WaitGroup
		mu       sync.Mutex // guards rep.Added, rep.Updated and batchErr
		batchErr error
	)
	flush := func() error {
		if batch.Size() == 0 {
			return nil
		}
		running <- struct{}{}
		wg.Add(1)
		indexing = make(chan struct{})
		go func(b *bleve.Batch, added, updated int, done chan struct{}) {
			defer wg.Done()
			defer close(done)
			defer func() { <-running }()
			err := idx.Batch(b)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				batchErr = errors.Join(batchErr, fmt.Errorf("index batch of %d documents: %w", b.Size(), err))
				return
			}
			rep.Added += added
			rep.Updated += updated
			// Committed means persisted: an interrupted build keeps it.
			log.Debug("batch committed", slog.Int("docs", b.Size()))
		}(batch, added, updated, indexing)
		batch, added, updated = idx.NewBatch(), 0, 0
		if opts.Progress != nil {
			opts.Progress(Progress{Docs: rep.Docs, Bytes: rep.Bytes, Elapsed: time.Since(start)})
		}
		mu.Lock()
		defer mu.Unlock()
		return batchErr
	}

	// queue holds the documents of the next batch. Extracting entities is
	// the slow part of preparing a document, and it runs on all cores, a
	// batch at a time.
	type queued struct {
		d      corpus.Document
		exists bool
	}
	var (
		queue      []queued
		queueBytes int64
	)
	index := func() error {
		fields := make([]map[string]any, len(queue))
		as := make([]analyzed, len(queue))
		errs := make([]error, len(queue))
		var next atomic.Int64
		var prep sync.WaitGroup
		busy := indexing
		for w := range runtime.GOMAXPROCS(0) {
			prep.Go(func() {
				if w > 0 && busy != nil {
					// bleve builds the previous batch's segment on one
					// core: one worker takes the other core until that is
					// done, and the rest join then. A worker per core from
					// the start shared two cores among three goroutines,
					// slowing the segment, and left a core idle when the
					// workers finished first.
					<-busy
				}
				for i := int(next.Add(1) - 1); i < len(queue); i = int(next.Add(1) - 1) {
					as[i] = analyzeDoc(seg, g, queue[i].d)
					fields[i], errs[i] = Fields(queue[i].d, now(), as[i].ents)
				}
			})
		}
		prep.Wait()
		for i, q := range queue {
			if errs[i] == nil {
				// In reading order, so that a document joins the group of
				// one read before it.
				fields[i][FieldDupGroup] = dups.assign(q.d.ID, as[i].fp, q.d.Hash)
				if s := as[i].fp.String(); s != "" {
					fields[i][FieldFingerprint] = s
				}
				errs[i] = indexAnalyzed(batch, idx.Mapping(), q.d.ID, fields[i], as[i])
				if errs[i] != nil {
					dups.remove(q.d.ID)
				}
			}
			as[i] = analyzed{}
			if errs[i] != nil {
				rep.Failed = append(rep.Failed, Skip{Path: q.d.Path, Reason: errs[i].Error()})
				continue
			}
			if q.exists {
				updated++
			} else {
				added++
			}
			log.Debug("index", slog.String("doc_id", q.d.ID), slog.String("path", q.d.Path))
		}
		queue, queueBytes = queue[:0], 0
		return flush()
	}

	// Merging is left for the end (Compact, or scorch's merger once
	// released): the segments of a build are merged once, not tier by tier
	// while it runs.
	release := holdMerges(idx)
	defer release()
	var walkErr error
	for d, err := range docs {
		if err != nil {
			var skip *corpus.SkipError
			if errors.As(err, &skip) {
				rep.Skipped = append(rep.Skipped, Skip{Path: skip.Path, Reason: skip.Reason})
				log.Debug("skip", slog.String("path", skip.Path), slog.String("reason", skip.Reason))
				continue
			}
			walkErr = err
			break
		}
		rep.Docs++
		rep.Bytes += int64(d.Size)
		if seen[d.ID] {
			rep.Failed = append(rep.Failed, Skip{Path: d.Path, Reason: "duplicate id " + d.ID})
			continue
		}
		seen[d.ID] = true
		old, exists := known[d.ID]
		if exists && old.hash == d.Hash {
			rep.Unchanged++
			continue
		}
		queue = append(queue, queued{d, exists})
		queueBytes += int64(d.Size)
		if len(queue) >= size || queueBytes >= maxBytes {
			if err := errors.Join(index(), ctx.Err()); err != nil {
				walkErr = err
				break
			}
		}
	}
	if err := index(); err != nil && walkErr == nil {
		walkErr = err
	}
	wg.Wait()
	if batchErr != nil && walkErr == nil {
		walkErr = batchErr
	}
	if walkErr == nil && opts.Prune {
		for id, hash := range known {
			// Documents written through the API belong to no corpus.
			if !seen[id] && !IsWritten(hash.hash) {
				batch.Delete(id)
				rep.Deleted++
			}
		}
		if batch.Size() > 0 {
			if err := idx.Batch(batch); err != nil {
				walkErr = fmt.Errorf("delete %d removed documents: %w", batch.Size(), err)
				rep.Deleted = 0
			}
		}
	}
	release()
	if walkErr == nil && opts.Compact && rep.Added+rep.Updated+rep.Deleted > 0 {
		walkErr = Compact(ctx, idx)
	}
	rep.Elapsed = time.Since(start)
	if opts.Progress != nil {
		opts.Progress(Progress{Docs: rep.Docs, Bytes: rep.Bytes, Elapsed: rep.Elapsed})
	}
	log.Info("build done",
		slog.Int("added", rep.Added), slog.Int("updated", rep.Updated),
		slog.Int("unchanged", rep.Unchanged), slog.Int("deleted", rep.Deleted),
		slog.Int("skipped", len(rep.Skipped)), slog.Duration("took", rep.Elapsed))
	return rep, walkErr
}

// Fields returns the bleve document for d with its entities (from
// Extract), keyed by the Field constants. indexed is the time stamp stored
// in FieldIndexed.
func Fields(d corpus.Document, indexed time.Time, ents []Entity) (map[string]any, error) {
	f := map[string]any{
		FieldTitle:        d.Title,
		FieldBody:         d.Body,
		FieldStoredBody:   string(encodeBody([]byte(d.Body))),
		FieldTitleBigrams: d.Title,
		FieldBodyBigrams:  d.Body,
		FieldHash:         d.Hash,
		FieldPath:         d.Path,
		FieldChars:        float64(utf8.RuneCountInString(d.Body)),
		FieldIndexed:      indexed.UTC(),
	}
	set := func(k, v string) {
		if v != "" {
			f[k] = v
		}
	}
	set(FieldRegion, d.Region)
	set(FieldProvince, d.Province)
	set(FieldCity, d.City)
	set(FieldCounty, d.County)
	set(FieldLevel, string(d.Level))
	set(FieldType, d.Type)
	set(FieldDocNumber, d.DocNumber)
	set(FieldIssuer, d.Issuer)
	set(FieldWritten, d.Written)
	if len(d.Subjects) > 0 {
		f[FieldSubject] = d.Subjects
	}
	set(FieldSourceURL, d.SourceURL)
	set(FieldDate, d.Date)
	if d.Year > 0 {
		f[FieldYear] = strconv.Itoa(d.Year)
	}
	if t, ok := published(d); ok {
		f[FieldPublished] = t
	}
	var places []string
	for _, p := range []string{d.Region, d.Province, d.City, d.County} {
		if p != "" && !slices.Contains(places, p) {
			places = append(places, p)
		}
	}
	if len(places) > 0 {
		f[FieldPlaces] = places
	}
	facets := map[string][]string{}
	var yuan []float64
	for _, e := range ents {
		switch e.Kind {
		case KindPlace:
			// The place and the divisions it lies in: 370104 → 37, 3701.
			facets[FieldPlace] = append(append(facets[FieldPlace], e.Within...), e.Code)
		case KindOrg:
			facets[FieldOrg] = append(facets[FieldOrg], e.Value)
		case KindPerson:
			facets[FieldPerson] = append(facets[FieldPerson], e.Value)
		case KindTerm:
			facets[FieldTerm] = append(facets[FieldTerm], e.Value)
		case KindTopic:
			facets[FieldTopic] = append(facets[FieldTopic], e.Value)
		case KindAmount:
			if e.Unit == "元" {
				yuan = append(yuan, e.Number)
			}
		}
	}
	for field, vals := range facets {
		slices.Sort(vals)
		f[field] = slices.Compact(vals)
	}
	if len(yuan) > 0 {
		f[FieldAmountYuan] = yuan
		var ranges []string
		for _, r := range AmountRanges {
			if slices.ContainsFunc(yuan, r.contains) {
				ranges = append(ranges, r.Name)
			}
		}
		f[FieldAmountRange] = ranges
	}
	stored, err := encodeEntities(d.Body, ents)
	if err != nil {
		return nil, err
	}
	f[FieldEntities] = stored
	return f, nil
}

// published turns the document date (or year) into a time, filling missing
// month and day with 1.
func published(d corpus.Document) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, d.Date); err == nil {
			return t, true
		}
	}
	if d.Year > 0 {
		return time.Date(d.Year, 1, 1, 0, 0, 0, 0, time.UTC), true
	}
	return time.Time{}, false
}

// Hashes returns the content hash of every document in idx, by ID.
func Hashes(ctx context.Context, idx bleve.Index) (map[string]string, error) {
	return mapIndexed(ctx, idx, []string{FieldHash}, func(h *search.DocumentMatch) (string, error) {
		return hashOf(h), nil
	})
}

// mapIndexed returns value(h) of every document h in idx, by ID, with the
// stored fields listed loaded into h.Fields. It pages through a match-all
// query in ID order, 1,000 documents a page, and stops at the first error
// of value.
func mapIndexed[T any](ctx context.Context, idx bleve.Index, fields []string, value func(h *search.DocumentMatch) (T, error)) (map[string]T, error) {
	n, err := idx.DocCount()
	if err != nil {
		return nil, fmt.Errorf("count documents: %w", err)
	}
	out := make(map[string]T, n)
	const page = 1000
	var after []string
	for {
		req := bleve.NewSearchRequestOptions(query.NewMatchAllQuery(), page, 0, false)
		req.Fields = fields
		req.SortBy([]string{"_id"})
		if after != nil {
			req.SearchAfter = after
		}
		res, err := idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("list indexed documents: %w", err)
		}
		for _, h := range res.Hits {
			v, err := value(h)
			if err != nil {
				return nil, err
			}
			out[h.ID] = v
		}
		if len(res.Hits) < page {
			return out, nil
		}
		after = []string{res.Hits[len(res.Hits)-1].ID}
	}
}

func hashOf(h *search.DocumentMatch) string {
	s, _ := h.Fields[FieldHash].(string) // a missing hash re-indexes the document
	return s
}
