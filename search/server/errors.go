package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"policysearch/indexer"
	"policysearch/search"
)

// Error codes sent in error bodies. Clients may switch on them; they are
// part of the API.
const (
	codeBadQuery         = "bad_query"
	codeBadRequest       = "bad_request"
	codeNotFound         = "not_found"
	codeMethodNotAllowed = "method_not_allowed"
	codeTooLarge         = "too_large"
	codeIndexBuilding    = "index_building"
	codeTimeout          = "timeout"
	codeCanceled         = "canceled"
	codeInternal         = "internal"
	codeUnauthorized     = "unauthorized"
	codeForbidden        = "forbidden"
	codeRateLimited      = "rate_limited"
	codeUnsupportedMedia = "unsupported_media_type"
)

var (
	// errIndexBuilding means no search service is set yet.
	errIndexBuilding = errors.New("index is being built")
	// errNoRoute means no route matches the request path.
	errNoRoute = errors.New("no such route")
	// errNoMethod means the path exists but not for this method.
	errNoMethod = errors.New("method not allowed")
)

// errorBody is the JSON shape of every error response.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// handle adapts a handler that returns an error to gin, rendering the error
// with renderError.
func (s *Server) handle(h func(c *gin.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c); err != nil {
			s.renderError(c, err)
		}
	}
}

// renderError writes err as an error response. It is the one place that
// maps errors to HTTP status codes. Only internal errors are logged here;
// client errors show in the access log by their status.
func (s *Server) renderError(c *gin.Context, err error) {
	status, code, msg := s.classify(c, err)
	switch code {
	case codeInternal:
		s.log.ErrorContext(c.Request.Context(), "request failed",
			slog.String("method", c.Request.Method), slog.String("route", c.FullPath()),
			slog.String("request_id", requestIDOf(c)), slog.Any("error", err))
	case codeIndexBuilding:
		c.Header("Retry-After", "5")
	case codeUnauthorized:
		c.Header("WWW-Authenticate", `Bearer realm="policysearch"`)
	case codeRateLimited:
		var rl *rateLimitError
		if errors.As(err, &rl) {
			c.Header("Retry-After", strconv.Itoa(int(math.Ceil(rl.RetryAfter.Seconds()))))
		}
	}
	c.Abort()
	c.PureJSON(status, errorBody{Error: errorDetail{Code: code, Message: msg}})
}

// classify returns the status, code and client message for err.
func (s *Server) classify(c *gin.Context, err error) (status int, code, msg string) {
	var (
		syntax   *search.SyntaxError
		invalid  *search.ValidationError
		tooLarge *http.MaxBytesError
		limit    *limitError
		media    *mediaError
		rl       *rateLimitError
	)
	switch {
	case errors.Is(err, errNoKey), errors.Is(err, errBadKey):
		return http.StatusUnauthorized, codeUnauthorized, err.Error()
	case errors.Is(err, errScope), errors.Is(err, errOrigin):
		return http.StatusForbidden, codeForbidden, err.Error()
	case errors.As(err, &rl):
		return http.StatusTooManyRequests, codeRateLimited, rl.Error()
	case errors.As(err, &limit):
		return http.StatusRequestEntityTooLarge, codeTooLarge, limit.Error()
	case errors.As(err, &media):
		return http.StatusUnsupportedMediaType, codeUnsupportedMedia, media.Error()
	case errors.Is(err, indexer.ErrWriterClosed):
		return http.StatusServiceUnavailable, codeIndexBuilding, "the server is shutting down or swapping its index; try again shortly"
	case errors.Is(err, errNoWriter):
		return http.StatusServiceUnavailable, codeIndexBuilding, "the search index is being built; writes are taken once it is ready"
	case errors.As(err, &syntax):
		return http.StatusBadRequest, codeBadQuery, syntax.Error()
	case errors.As(err, &invalid):
		return http.StatusBadRequest, codeBadRequest, invalid.Error()
	case errors.As(err, &tooLarge):
		return http.StatusRequestEntityTooLarge, codeTooLarge, fmt.Sprintf("request body larger than %d bytes", tooLarge.Limit)
	case errors.Is(err, search.ErrPassageNotFound):
		return http.StatusNotFound, codeNotFound, "passage not found: the document has no paragraph with that hash or number"
	case errors.Is(err, search.ErrNotFound):
		return http.StatusNotFound, codeNotFound, "document not found"
	case errors.Is(err, errNoRoute):
		return http.StatusNotFound, codeNotFound, fmt.Sprintf("no route for %s %s", c.Request.Method, c.Request.URL.Path)
	case errors.Is(err, errNoMethod):
		return http.StatusMethodNotAllowed, codeMethodNotAllowed, fmt.Sprintf("%s is not allowed here (allowed: %s)", c.Request.Method, c.Writer.Header().Get("Allow"))
	case errors.Is(err, errIndexBuilding):
		return http.StatusServiceUnavailable, codeIndexBuilding, "the search index is being built; try again shortly"
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, codeTimeout, fmt.Sprintf("the request took longer than %s", s.opts.SearchTimeout)
	case errors.Is(err, context.Canceled):
		// The client went away; nobody reads this, and it is no server fault.
		return http.StatusServiceUnavailable, codeCanceled, "request canceled"
	}
	return http.StatusInternalServerError, codeInternal, "internal error; the request ID identifies it in the server log"
}

// noRoute answers requests for paths that have no route.
func (s *Server) noRoute(c *gin.Context) error {
	return errNoRoute
}

// noMethod answers requests whose path exists for other methods only.
func (s *Server) noMethod(c *gin.Context) error {
	return errNoMethod
}
