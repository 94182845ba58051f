package server

import (
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// headerRequestID carries the request ID in requests and responses.
const headerRequestID = "X-Request-ID"

// keyRequestID is the gin context key of the request ID.
const keyRequestID = "policysearch.request_id"

// maxRequestIDBytes bounds a client-supplied request ID.
const maxRequestIDBytes = 64

// requestID takes the client's X-Request-ID when it is short and plain,
// otherwise makes one, and echoes it in the response.
func (s *Server) requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader(headerRequestID)
		if !validRequestID(id) {
			id = rand.Text()
		}
		c.Set(keyRequestID, id)
		c.Header(headerRequestID, id)
		c.Next()
	}
}

// validRequestID accepts IDs that cannot forge log lines or headers.
func validRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDBytes {
		return false
	}
	for _, r := range id {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.'
		if !ok {
			return false
		}
	}
	return true
}

// requestIDOf returns the request ID set by the requestID middleware.
func requestIDOf(c *gin.Context) string {
	return c.GetString(keyRequestID)
}

// accessLog writes one line per request. It logs the route pattern, not
// the path or query string: query text is user data and stays out of the
// Info log.
func (s *Server) accessLog() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		s.log.LogAttrs(c.Request.Context(), slog.LevelInfo, "request",
			slog.String("method", c.Request.Method),
			slog.String("route", c.FullPath()),
			slog.Int("status", c.Writer.Status()),
			slog.Duration("duration", time.Since(start)),
			slog.Int("bytes", max(c.Writer.Size(), 0)),
			slog.String("request_id", requestIDOf(c)))
	}
}

// recovery turns a panic in a handler into a 500 response and one log line
// with the stack. It is the only recover in the program.
func (s *Server) recovery() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				// net/http's own signal to drop the connection; let it through.
				panic(v)
			}
			err := fmt.Errorf("panic: %v\n%s", v, debug.Stack())
			if c.Writer.Written() {
				// Too late for an error body; the log still gets the panic.
				c.Abort()
				s.log.ErrorContext(c.Request.Context(), "request failed",
					slog.String("request_id", requestIDOf(c)), slog.Any("error", err))
				return
			}
			s.renderError(c, err)
		}()
		c.Next()
	}
}

// limitBody caps request bodies at Options.MaxBodyBytes, or for writes
// (POST, PUT, PATCH) at Options.MaxWriteBytes: a declared larger body is
// refused at once, and reading past the cap fails with *http.MaxBytesError.
func (s *Server) limitBody() gin.HandlerFunc {
	return func(c *gin.Context) {
		limit := s.opts.MaxBodyBytes
		switch c.Request.Method {
		case http.MethodPost, http.MethodPut, http.MethodPatch:
			limit = s.opts.MaxWriteBytes
		}
		if c.Request.ContentLength > limit {
			s.renderError(c, &http.MaxBytesError{Limit: limit})
			return
		}
		if c.Request.Body != nil {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
		}
		c.Next()
	}
}

// corsReadMethods are the methods other origins may use.
var corsReadMethods = []string{http.MethodGet, http.MethodHead}

// corsWriteMethods are the methods origins in Options.WriteOrigins may also
// use.
var corsWriteMethods = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodDelete}

// cors lets pages on other origins read the API: GET and HEAD from the
// allowed origins (any, when none are configured), with "*" rather than an
// echoed origin in that case and never with credentials. Preflight requests
// are answered here with 204; they grant reads, and writes only to the
// origins in Options.WriteOrigins. The Authorization header may be sent, for
// scoped read keys; it is not a credential in the CORS sense.
func (s *Server) cors() gin.HandlerFunc {
	allowMethods := strings.Join(corsReadMethods, ", ")
	allowWrites := strings.Join(corsWriteMethods, ", ")
	return func(c *gin.Context) {
		origin := c.GetHeader("Origin")
		if origin == "" {
			c.Next()
			return
		}
		h := c.Writer.Header()
		allowed := s.origins == nil || s.origins[origin]
		allowOrigin := "*"
		if s.origins != nil {
			allowOrigin = origin
			h.Add("Vary", "Origin")
		}
		writer := s.writeOrigins[origin]
		if writer {
			allowOrigin = origin
			h.Add("Vary", "Origin")
		}
		if want := c.GetHeader("Access-Control-Request-Method"); c.Request.Method == http.MethodOptions && want != "" {
			switch {
			case writer && slices.Contains(corsWriteMethods, want):
				h.Set("Access-Control-Allow-Methods", allowWrites)
			case allowed && isRead(want):
				h.Set("Access-Control-Allow-Methods", allowMethods)
			default:
				c.AbortWithStatus(http.StatusNoContent)
				return
			}
			h.Set("Access-Control-Allow-Origin", allowOrigin)
			h.Set("Access-Control-Allow-Headers", "Accept, Accept-Language, Authorization, Content-Language, Content-Type, X-Request-ID")
			h.Set("Access-Control-Max-Age", "600")
			c.AbortWithStatus(http.StatusNoContent)
			return
		}
		if (allowed && isRead(c.Request.Method)) || (writer && slices.Contains(corsWriteMethods, c.Request.Method)) {
			h.Set("Access-Control-Allow-Origin", allowOrigin)
			h.Set("Access-Control-Expose-Headers", headerRequestID+", Retry-After")
		}
		c.Next()
	}
}

func isRead(method string) bool {
	return slices.Contains(corsReadMethods, method)
}
