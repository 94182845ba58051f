package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/gin-gonic/gin"

	"policysearch/corpus"
	"policysearch/indexer"
	"policysearch/search"
	"policysearch/search/server"
)

// runServe listens at once, opens (or builds) the index in the background
// and serves until ctx is done, then shuts down gracefully and closes the
// index.
func runServe(ctx context.Context, cfg Config) error {
	log := newLogger(cfg, os.Stderr)
	defer tuneGC(log)()
	lex, err := vocabulary(cfg)
	if err != nil {
		return err
	}
	st, err := newStore(cfg, log)
	if err != nil {
		return err
	}
	gin.SetMode(gin.ReleaseMode)
	srv := server.New(server.Options{
		Logger:           log,
		AllowedOrigins:   cfg.AllowedOrigins,
		SearchTimeout:    cfg.SearchTimeout,
		Keys:             cfg.Keys,
		RequireReadKey:   cfg.RequireReadKey,
		WriteOrigins:     cfg.WriteOrigins,
		IPRate:           cfg.IPRate,
		KeyRate:          cfg.KeyRate,
		MaxBodyBytes:     int64(cfg.MaxBody),
		MaxWriteBytes:    int64(cfg.MaxWriteBody),
		MaxDocumentBytes: int(cfg.MaxDocument),
		MaxBatchDocs:     cfg.MaxBatch,
		MaxSearches:      cfg.MaxSearches,
		WriteTimeout:     cfg.WriteTimeout,
		IndexDir:         st.dir,
		PublicURL:        cfg.PublicURL,
	})
	if len(cfg.Keys) == 0 {
		log.Info("no API keys: the write API refuses every write (see --keys-file)")
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		// A client sending its body slowly cannot hold a connection longer
		// than a write may take.
		ReadTimeout: cfg.WriteTimeout,
		IdleTimeout: 2 * time.Minute,
		ErrorLog:    slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("listening", slog.String("addr", ln.Addr().String()), slog.String("url", "http://"+ln.Addr().String()+"/"))

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	type opened struct {
		idx bleve.Index
		w   *indexer.Writer
		err error
	}
	ready := make(chan opened, 1)
	go func() {
		idx, w, err := prepare(ctx, st, srv, cfg.BatchSize, lex, log)
		ready <- opened{idx, w, err}
	}()

	var (
		runErr error
		idx    bleve.Index
		writer *indexer.Writer
	)
wait:
	for {
		select {
		case <-ctx.Done():
			log.Info("shutting down")
			break wait
		case err := <-served:
			runErr = fmt.Errorf("serve: %w", err)
			break wait
		case o := <-ready:
			ready = nil // received; a nil channel blocks forever
			idx, writer = o.idx, o.w
			if o.err != nil {
				runErr = o.err
				break wait
			}
		}
	}
	cancel() // stops a build still running, between batches

	sctx, scancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer scancel()
	if err := hs.Shutdown(sctx); err != nil {
		runErr = errors.Join(runErr, fmt.Errorf("shutdown: %w", err))
	}
	if ready != nil {
		o := <-ready
		idx, writer = o.idx, o.w
		if o.err != nil && !errors.Is(o.err, context.Canceled) {
			runErr = errors.Join(runErr, o.err)
		}
	}
	// In-flight writes finished with the HTTP server; the writer commits
	// anything left before the index closes.
	srv.SetWriter(nil)
	if writer != nil {
		if err := writer.Close(); err != nil {
			runErr = errors.Join(runErr, fmt.Errorf("close writer: %w", err))
		}
	}
	if idx != nil {
		if err := idx.Close(); err != nil {
			runErr = errors.Join(runErr, fmt.Errorf("close index: %w", err))
		}
	}
	if runErr == nil {
		log.Info("stopped")
	}
	return runErr
}

// dictLoadedMsg is the log event of serve once the dictionaries are
// loaded, with their load time in "took"; the bench reads it.
const dictLoadedMsg = "dictionary loaded"

// prepare opens the index and hands it to srv, building or syncing it
// first where needed. An index that already exists is served at once and
// synced while it serves; one built with other dictionaries is served while
// a fresh one is built beside it, then swapped in through the alias with no
// moment of partial results.
//
// The write API is opened on the index once it answers: at once for an
// existing index (writes and the sync with the corpus go on together; the
// sync never prunes written documents), after the build for a new one. A
// rebuild takes no writes; it carries the written documents over.
//
// The returned index, if not nil, must be closed, also when err is not
// nil, after the returned writer, if not nil.
func prepare(ctx context.Context, st store, srv *server.Server, batch int, lex *search.Lexicon, log *slog.Logger) (bleve.Index, *indexer.Writer, error) {
	// The gazetteer and the synonym list load while the dictionaries do:
	// the service and the writer need them next.
	warm := make(chan struct{})
	go func() {
		defer close(warm)
		// Errors are not lost: search.New and the writer ask again (the
		// results are kept) and return them.
		corpus.DefaultGazetteer()
		if lex == nil {
			search.DefaultLexicon()
		}
	}()
	// Opening the index loads the dictionaries anyway; loading them first
	// tells how much of the start-up they take.
	ds, err := indexer.LoadDictionary()
	if err != nil {
		return nil, nil, err
	}
	log.Info(dictLoadedMsg, slog.Duration("took", ds.Took), slog.Bool("from_cache", ds.FromCache), slog.String("cache_file", ds.CacheFile))
	if ds.CacheErr != nil {
		log.Warn("dictionary cache not used", slog.Any("error", ds.CacheErr))
	}
	idx, fresh, err := st.open(log)
	stale := errors.Is(err, indexer.ErrDictionaryMismatch)
	if err != nil && !stale {
		return nil, nil, err
	}
	alias := bleve.NewIndexAlias(idx)
	<-warm
	svc, err := search.New(alias, search.Options{Logger: log, Lexicon: lex})
	if err != nil {
		return idx, nil, err
	}
	// A sync that changes nothing does not compact; one that changes a few
	// documents rewrites the index once, at start-up, in the background.
	opts := indexer.Options{BatchSize: batch, Logger: log, Compact: true, Progress: progressMetrics(srv)}
	if stale {
		srv.SetService(svc)
		logReady(log, st, svc, "index open; rebuilding it with the dictionaries in force")
		if !st.sync {
			log.Warn("cannot rebuild: the corpus of this index is unknown (give --corpus); literal matches are complete, whole-word ranking follows the old words")
			return openWriter(ctx, idx, srv, log)
		}
		written, err := indexer.WrittenDocs(ctx, idx)
		if err != nil {
			log.Warn("rebuild failed; serving the index as it was", slog.Any("error", err))
			return openWriter(ctx, idx, srv, log)
		}
		next, rep, err := st.rebuild(ctx, opts, written, nil)
		logSkips(log, rep)
		if err != nil {
			log.Warn("rebuild failed; serving the index as it was", slog.Any("error", err))
			return openWriter(ctx, idx, srv, log)
		}
		alias.Swap([]bleve.Index{next}, []bleve.Index{idx})
		if err := idx.Close(); err != nil {
			log.Warn("close replaced index", slog.Any("error", err))
		}
		logReady(log, st, svc, "rebuilt index swapped in")
		return openWriter(ctx, next, srv, log)
	}
	var w *indexer.Writer
	if !fresh {
		// Searches first: the writer reads every document's fingerprint
		// before it takes writes, which would double the time to the first
		// answer. Writes answer 503 until "write API open" is logged.
		srv.SetService(svc)
		logReady(log, st, svc, "index open")
		if idx, w, err = openWriter(ctx, idx, srv, log); err != nil {
			return idx, w, err
		}
		if !st.sync {
			return idx, w, nil
		}
	}
	log.Info("indexing", slog.String("corpus", st.sourceName), slog.String("index_dir", st.location()), slog.Bool("new", fresh))
	rep, err := st.build(ctx, idx, opts, nil)
	logSkips(log, rep)
	switch {
	case err != nil && fresh:
		return idx, w, fmt.Errorf("build index from %s: %w", st.sourceName, err)
	case err != nil && ctx.Err() != nil:
		return idx, w, nil // shutting down; the sync goes on at the next start
	case err != nil:
		log.Warn("index sync failed; serving the index as it was", slog.Any("error", err))
		return idx, w, nil
	}
	if fresh {
		if idx, w, err = openWriter(ctx, idx, srv, log); err != nil {
			return idx, w, err
		}
		srv.SetService(svc)
		logReady(log, st, svc, "index ready")
	}
	return idx, w, nil
}

// openWriter opens the write API on idx.
func openWriter(ctx context.Context, idx bleve.Index, srv *server.Server, log *slog.Logger) (bleve.Index, *indexer.Writer, error) {
	w, err := indexer.NewWriter(ctx, idx, indexer.WriterOptions{Committed: srv.ObserveCommit})
	if err != nil {
		return idx, nil, err
	}
	srv.SetWriter(w)
	log.Info("write API open")
	return idx, w, nil
}

// progressMetrics feeds the indexing throughput metrics from a build's
// progress reports.
func progressMetrics(srv *server.Server) func(indexer.Progress) {
	var last indexer.Progress
	return func(p indexer.Progress) {
		srv.ObserveIndexed(p.Docs-last.Docs, p.Bytes-last.Bytes, p.Elapsed-last.Elapsed)
		last = p
	}
}

// logSkips logs the documents a build skipped or could not index.
func logSkips(log *slog.Logger, rep indexer.Report) {
	for _, s := range rep.Skipped {
		log.Warn("skipped", slog.String("path", s.Path), slog.String("reason", s.Reason))
	}
	for _, s := range rep.Failed {
		log.Warn("not indexed", slog.String("path", s.Path), slog.String("reason", s.Reason))
	}
}

// logReady logs msg with the index location and size.
func logReady(log *slog.Logger, st store, svc *search.Service, msg string) {
	n, err := svc.Count()
	if err != nil {
		log.Warn("count documents", slog.Any("error", err))
	}
	log.Info(msg, slog.String("index_dir", st.location()), slog.Uint64("documents", n))
}
