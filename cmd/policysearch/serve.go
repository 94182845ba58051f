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
	st, err := newStore(cfg, log)
	if err != nil {
		return err
	}
	gin.SetMode(gin.ReleaseMode)
	srv := server.New(server.Options{
		Logger:         log,
		AllowedOrigins: cfg.AllowedOrigins,
		SearchTimeout:  cfg.SearchTimeout,
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
		idx, err := prepare(ctx, st, srv, cfg.BatchSize, log)
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

// prepare opens the index and hands it to srv, building or syncing it
// first where needed. An index that already exists is served at once and
// synced while it serves. The returned index, if not nil, must be closed,
// also when err is not nil.
func prepare(ctx context.Context, st store, srv *server.Server, batch int, log *slog.Logger) (bleve.Index, error) {
	idx, fresh, err := st.open(ctx, log)
	if err != nil {
		return nil, err
	}
	svc, err := search.New(idx, search.Options{Logger: log})
	if err != nil {
		return idx, err
	}
	if !fresh {
		srv.SetService(svc)
		logReady(log, st, svc, "index open")
		if !st.sync {
			return idx, nil
		}
	}
	log.Info("indexing", slog.String("corpus", st.sourceName), slog.String("index_dir", st.location()), slog.Bool("new", fresh))
	rep, err := st.build(ctx, idx, indexer.Options{BatchSize: batch, Logger: log}, nil)
	for _, s := range rep.Skipped {
		log.Warn("skipped", slog.String("path", s.Path), slog.String("reason", s.Reason))
	}
	for _, s := range rep.Failed {
		log.Warn("not indexed", slog.String("path", s.Path), slog.String("reason", s.Reason))
	}
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

// logReady logs msg with the index location and size.
func logReady(log *slog.Logger, st store, svc *search.Service, msg string) {
	n, err := svc.Count()
	if err != nil {
		log.Warn("count documents", slog.Any("error", err))
	}
	log.Info(msg, slog.String("index_dir", st.location()), slog.Uint64("documents", n))
}
