package server

import (
	"context"
	"log/slog"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"policysearch/indexer"
	"policysearch/search"
)

// Defaults used where Options leaves a field zero.
const (
	// DefaultMaxBodyBytes is the request body cap when Options.MaxBodyBytes
	// is zero.
	DefaultMaxBodyBytes = 1 << 20
	// DefaultSearchTimeout is the time allowed for one search or document
	// lookup when Options.SearchTimeout is zero.
	DefaultSearchTimeout = 10 * time.Second
	// DefaultMaxWriteBytes is the body cap of write requests when
	// Options.MaxWriteBytes is zero.
	DefaultMaxWriteBytes = 32 << 20
	// DefaultMaxDocumentBytes is the largest document text (title and body,
	// UTF-8) when Options.MaxDocumentBytes is zero.
	DefaultMaxDocumentBytes = 4 << 20
	// DefaultMaxBatchDocs is the most documents in one write request when
	// Options.MaxBatchDocs is zero.
	DefaultMaxBatchDocs = 1000
	// DefaultWriteTimeout is the time allowed for one write request when
	// Options.WriteTimeout is zero.
	DefaultWriteTimeout = 60 * time.Second
)

// Options configure a Server. The zero value is usable.
type Options struct {
	// Logger receives one access-log line per request at Info and the
	// detail of internal errors at Error. Nil means discard.
	Logger *slog.Logger
	// AllowedOrigins lists the origins ("https://example.org", scheme, host
	// and port as a browser sends them in the Origin header) whose pages may
	// read the API. Nil or empty means any origin may read: responses carry
	// "Access-Control-Allow-Origin: *" and never allow credentials.
	AllowedOrigins []string
	// MaxBodyBytes caps the size of a request body in bytes. Zero means
	// DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// SearchTimeout bounds each search and document lookup. Zero means
	// DefaultSearchTimeout.
	SearchTimeout time.Duration
	// PublicURL is the scheme and host (and path prefix, if any) under
	// which readers reach the server, "https://policy.example.org", used
	// in permalinks and citations. Empty means the scheme and Host of each
	// request.
	PublicURL string

	// Keys are the API keys accepted (see ParseKeys). Nil means none, and
	// then every write is refused with 401.
	Keys []Key
	// RequireReadKey makes reads need a key of any scope. False means
	// reads are public (a read key still applies its filter).
	RequireReadKey bool
	// WriteOrigins lists the origins whose pages may write (with a write
	// key). Nil means none: a browser page on another origin can only read,
	// and a write request carrying another Origin is refused with 403.
	WriteOrigins []string
	// IPRate limits the requests of each client address that send no key;
	// KeyRate limits the requests of each key (admin keys are not limited).
	// The zero value means no limit; 429 with Retry-After beyond it.
	IPRate, KeyRate RateLimit
	// MaxWriteBytes caps the body of write requests in bytes. Zero means
	// DefaultMaxWriteBytes.
	MaxWriteBytes int64
	// MaxDocumentBytes caps the text (title and body, UTF-8) of one written
	// document. Zero means DefaultMaxDocumentBytes.
	MaxDocumentBytes int
	// MaxBatchDocs caps the documents of one write request. Zero means
	// DefaultMaxBatchDocs.
	MaxBatchDocs int
	// WriteTimeout bounds a write request. Zero means DefaultWriteTimeout.
	WriteTimeout time.Duration
	// MaxSearches caps the searches (and document lookups) running at
	// once; more wait in line, within their SearchTimeout, for one to end.
	// Searches are CPU-bound, so running more at once than there are
	// cores finishes none sooner, while each holds its working memory:
	// under 64 concurrent clients the cap is what keeps the heap small.
	// Zero means DefaultMaxSearches; a negative value means no cap.
	MaxSearches int
	// IndexDir is the index directory, for the index size metric. Empty
	// means unknown (reported as 0).
	IndexDir string
}

// Server serves the search API and page. Create it with New; it is safe for
// concurrent use, including SetService while requests are served.
type Server struct {
	opts         Options
	log          *slog.Logger
	origins      map[string]bool // nil means any origin
	writeOrigins map[string]bool
	svc          atomic.Pointer[search.Service]
	writer       atomic.Pointer[indexer.Writer]
	ipLimit      *limiter // nil means no limit
	keyLimit     *limiter // nil means no limit
	metrics      *metrics
	engine       *gin.Engine
	assets       *assets
	slots        chan struct{} // one token per running search; nil means no cap
}

// New returns a Server with no search service: it answers health checks and
// serves the page at once, and search routes once SetService is called.
func New(opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.SearchTimeout <= 0 {
		opts.SearchTimeout = DefaultSearchTimeout
	}
	if opts.MaxWriteBytes <= 0 {
		opts.MaxWriteBytes = DefaultMaxWriteBytes
	}
	if opts.MaxDocumentBytes <= 0 {
		opts.MaxDocumentBytes = DefaultMaxDocumentBytes
	}
	if opts.MaxBatchDocs <= 0 {
		opts.MaxBatchDocs = DefaultMaxBatchDocs
	}
	if opts.WriteTimeout <= 0 {
		opts.WriteTimeout = DefaultWriteTimeout
	}
	s := &Server{opts: opts, log: opts.Logger, assets: loadAssets(), writeOrigins: map[string]bool{}}
	if opts.MaxSearches == 0 {
		opts.MaxSearches = DefaultMaxSearches()
	}
	if opts.MaxSearches > 0 {
		s.slots = make(chan struct{}, opts.MaxSearches)
	}
	for _, o := range opts.WriteOrigins {
		s.writeOrigins[o] = true
	}
	if opts.IPRate.on() {
		s.ipLimit = newLimiter(opts.IPRate)
	}
	if opts.KeyRate.on() {
		s.keyLimit = newLimiter(opts.KeyRate)
	}
	s.metrics = newMetrics(s)
	if len(opts.AllowedOrigins) > 0 {
		s.origins = make(map[string]bool, len(opts.AllowedOrigins))
		for _, o := range opts.AllowedOrigins {
			s.origins[o] = true
		}
	}
	s.engine = s.routes()
	return s
}

// SetService makes svc answer searches from now on; requests already
// running keep the service they started with. A nil svc puts the server back
// into the "index building" state.
func (s *Server) SetService(svc *search.Service) {
	s.svc.Store(svc)
}

// SetWriter makes w take the documents of the write API from now on. A
// nil w refuses writes with 503 (while the index is built or rebuilt).
// The caller keeps owning w and closes it after the HTTP server stopped.
func (s *Server) SetWriter(w *indexer.Writer) {
	s.writer.Store(w)
}

// ObserveCommit records a batch committed by the write API's Writer; pass
// it as indexer.WriterOptions.Committed.
func (s *Server) ObserveCommit(indexed, deleted int, bytes int64, took time.Duration) {
	s.observeIndexed("api", indexed, bytes, took)
	s.metrics.deleted.Add(float64(deleted))
}

// Handler returns the HTTP handler serving every route.
func (s *Server) Handler() http.Handler {
	return s.engine
}

// service returns the current search service, or errIndexBuilding.
func (s *Server) service() (*search.Service, error) {
	svc := s.svc.Load()
	if svc == nil {
		return nil, errIndexBuilding
	}
	return svc, nil
}

// searchService returns the current search service and a context for one
// call to it: the request's context cut off after Options.SearchTimeout.
// The caller defers cancel once err is nil; on error (errIndexBuilding, or
// the timeout while waiting for one of the Options.MaxSearches slots)
// there is nothing to cancel. cancel also frees the slot.
func (s *Server) searchService(c *gin.Context) (svc *search.Service, ctx context.Context, cancel context.CancelFunc, err error) {
	svc, err = s.service()
	if err != nil {
		return nil, nil, nil, err
	}
	ctx, cancel = context.WithTimeout(c.Request.Context(), s.opts.SearchTimeout)
	if s.slots == nil {
		return svc, ctx, cancel, nil
	}
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		err := ctx.Err()
		cancel()
		return nil, nil, nil, err
	}
	// cancel is a result: the closure must call the timeout's own.
	stop := cancel
	var once sync.Once
	return svc, ctx, func() {
		once.Do(func() {
			stop()
			<-s.slots
		})
	}, nil
}

// DefaultMaxSearches is the cap on concurrent searches when
// Options.MaxSearches is zero: one per core the Go scheduler uses
// (GOMAXPROCS).
func DefaultMaxSearches() int {
	return runtime.GOMAXPROCS(0)
}
