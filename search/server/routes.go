package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// reads are the methods of the routes that change nothing.
var reads = []string{http.MethodGet, http.MethodHead}

// routes builds the gin engine. Every route is registered here.
func (s *Server) routes() *gin.Engine {
	r := gin.New()
	r.HandleMethodNotAllowed = true
	// ClientIP is the connection's address: X-Forwarded-For from anyone
	// could dodge the per-IP rate limit.
	if err := r.SetTrustedProxies(nil); err != nil {
		panic(err) // nil is always valid
	}
	// The access log and metrics wrap recovery so that a panic still gets
	// its line (status 500). Keys are checked before rate limits, which
	// count per key.
	r.Use(s.requestID(), s.accessLog(), s.instrument(), s.recovery(), s.limitBody(), s.cors(),
		s.authenticate(), s.rateLimit(), s.requireReadKey())
	write := []gin.HandlerFunc{s.require(ScopeWrite), s.writeOrigin()}

	r.Match(reads, "/api/v1/search", s.handle(s.search))
	r.Match(reads, "/api/v1/suggest", s.handle(s.suggest))
	r.Match(reads, "/api/v1/compare", s.handle(s.compare))
	r.Match(reads, "/api/v1/timeline", s.handle(s.timeline))
	r.Match(reads, "/api/v1/cooccur", s.handle(s.cooccur))
	r.Match(reads, "/api/v1/feed", s.handle(s.feed))
	r.Match(reads, "/api/v1/documents/*id", s.handle(s.document))
	r.Match(reads, "/api/v1/openapi.json", s.handle(s.openAPI))
	r.Match(reads, "/healthz", s.handle(s.healthz))
	r.Match(reads, "/readyz", s.handle(s.readyz))
	r.Match(reads, "/metrics", s.handle(s.metricsPage))
	r.POST("/api/v1/documents", append(write, s.handle(s.postDocuments))...)
	r.PUT("/api/v1/documents/*id", append(write, s.handle(s.putDocument))...)
	r.DELETE("/api/v1/documents/*id", append(write, s.handle(s.deleteDocument))...)
	r.Match(reads, "/", s.handle(s.page))
	r.Match(reads, "/documents/*id", s.handle(s.documentPage))
	r.Match(reads, "/compare", s.handle(s.comparePage))
	r.Match(reads, "/embed", s.handle(s.embedPage))
	r.Match(reads, "/widget.js", s.handle(s.widget))
	r.Match(reads, "/static/*file", s.handle(s.asset))

	r.NoRoute(s.handle(s.noRoute))
	r.NoMethod(s.handle(s.noMethod))
	return r
}
