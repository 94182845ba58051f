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

	"policysearch/indexer"
	"policysearch/search"
	"policysearch/search/server"
)

// runServe listens at once, opens (or builds) the index in the background
// and serves until ctx is done, then shuts down gracefully and closes the
// index.
func runServe(ctx context.Context, cfg Config) error {
	log := newLogger(cfg, os.Stderr)
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
		Logger:         log,
		AllowedOrigins: cfg.AllowedOrigins,
		SearchTimeout:  cfg.SearchTimeout,
		PublicURL:      cfg.PublicURL,
	})
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("listening", slog.String("addr", ln.Addr().String()), slog.String("url", "http://"+ln.Addr().String()+"/"))

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	type opened struct {
		idx bleve.Index
		err error
	}
	ready := make(chan opened, 1)
	go func() {
		idx, err := prepare(ctx, st, srv, cfg.BatchSize, lex, log)
		ready <- opened{idx, err}
	}()

	var (
		runErr error
		idx    bleve.Index
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
			idx = o.idx
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
		idx = o.idx
		if o.err != nil && !errors.Is(o.err, context.Canceled) {
			runErr = errors.Join(runErr, o.err)
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
// moment of partial results. The returned index, if not nil, must be closed,
// also when err is not nil.
func prepare(ctx context.Context, st store, srv *server.Server, batch int, lex *search.Lexicon, log *slog.Logger) (bleve.Index, error) {
	// Opening the index loads the dictionaries anyway; loading them first
	// tells how much of the start-up they take.
	start := time.Now()
	if _, err := indexer.NewTokenizer(); err != nil {
		return nil, err
	}
	log.Info(dictLoadedMsg, slog.Duration("took", time.Since(start)))
	idx, fresh, err := st.open(log)
	stale := errors.Is(err, indexer.ErrDictionaryMismatch)
	if err != nil && !stale {
		return nil, err
	}
	alias := bleve.NewIndexAlias(idx)
	svc, err := search.New(alias, search.Options{Logger: log, Lexicon: lex})
	if err != nil {
		return idx, err
	}
	// A sync that changes nothing does not compact; one that changes a few
	// documents rewrites the index once, at start-up, in the background.
	opts := indexer.Options{BatchSize: batch, Logger: log, Compact: true}
	if stale {
		srv.SetService(svc)
		logReady(log, st, svc, "index open; rebuilding it with the dictionaries in force")
		if !st.sync {
			log.Warn("cannot rebuild: the corpus of this index is unknown (give --corpus); literal matches are complete, whole-word ranking follows the old words")
			return idx, nil
		}
		next, rep, err := st.rebuild(ctx, opts, nil)
		logSkips(log, rep)
		if err != nil {
			log.Warn("rebuild failed; serving the index as it was", slog.Any("error", err))
			return idx, nil
		}
		alias.Swap([]bleve.Index{next}, []bleve.Index{idx})
		if err := idx.Close(); err != nil {
			log.Warn("close replaced index", slog.Any("error", err))
		}
		logReady(log, st, svc, "rebuilt index swapped in")
		return next, nil
	}
	if !fresh {
		srv.SetService(svc)
		logReady(log, st, svc, "index open")
		if !st.sync {
			return idx, nil
		}
	}
	log.Info("indexing", slog.String("corpus", st.sourceName), slog.String("index_dir", st.location()), slog.Bool("new", fresh))
	rep, err := st.build(ctx, idx, opts, nil)
	logSkips(log, rep)
	switch {
	case err != nil && fresh:
		return idx, fmt.Errorf("build index from %s: %w", st.sourceName, err)
	case err != nil && ctx.Err() != nil:
		return idx, nil // shutting down; the sync goes on at the next start
	case err != nil:
		log.Warn("index sync failed; serving the index as it was", slog.Any("error", err))
		return idx, nil
	}
	if fresh {
		srv.SetService(svc)
		logReady(log, st, svc, "index ready")
	}
	return idx, nil
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
