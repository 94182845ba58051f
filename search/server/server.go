package server

import (
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

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
}

// Server serves the search API and page. Create it with New; it is safe for
// concurrent use, including SetService while requests are served.
type Server struct {
	opts    Options
	log     *slog.Logger
	origins map[string]bool // nil means any origin
	svc     atomic.Pointer[search.Service]
	engine  *gin.Engine
	assets  *assets
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
	s := &Server{opts: opts, log: opts.Logger, assets: loadAssets()}
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
