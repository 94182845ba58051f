package server

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// webFS holds the search page and its assets.
//
//go:embed web
var webFS embed.FS

// pagePolicy is the Content-Security-Policy of the pages: our own scripts
// and styles only, so that even a fragment the highlighter failed to
// escape could not run code, and no request leaves the serving host.
// ECharts sets the style attribute of the elements it draws, hence
// 'unsafe-inline' for styles on the compare page only.
const (
	pagePolicy    = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
	comparePolicy = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
	// embedPolicy lacks frame-ancestors: embedFrameAncestors adds it.
	embedPolicy = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'"
)

// asset is one embedded file, with an ETag from its content.
type asset struct {
	name string
	data []byte
	etag string
}

// assets holds the embedded files by name relative to web/.
type assets struct {
	byName map[string]asset
}

// loadAssets reads the embedded files once. It panics if they cannot be
// read: they are compiled into the binary, so that is a build mistake.
func loadAssets() *assets {
	a := &assets{byName: make(map[string]asset)}
	err := fs.WalkDir(webFS, "web", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := webFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		name := strings.TrimPrefix(p, "web/")
		a.byName[name] = asset{name: name, data: data, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		return nil
	})
	if err != nil {
		panic(fmt.Sprintf("read embedded web assets: %v", err))
	}
	return a
}

// serve writes the named asset, answering conditional requests.
func (a *assets) serve(c *gin.Context, name string) error {
	f, ok := a.byName[name]
	if !ok {
		return errNoRoute
	}
	h := c.Writer.Header()
	h.Set("ETag", f.etag)
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(c.Writer, c.Request, path.Base(f.name), time.Time{}, bytes.NewReader(f.data))
	return nil
}

// page answers GET /: the search page. Its state lives in its URL
// (?q=…&region=…&year=…&sort=…&from=…), and app.js renders it from the
// JSON API.
func (s *Server) page(c *gin.Context) error {
	return s.htmlPage(c, "index.html", pagePolicy)
}

// documentPage answers GET /documents/{id}: the document page, which
// document.js fills from /api/v1/documents/{id}.
func (s *Server) documentPage(c *gin.Context) error {
	return s.htmlPage(c, "document.html", pagePolicy)
}

// comparePage answers GET /compare: the compare page, with charts drawn by
// the vendored ECharts bundle from /api/v1/compare and /api/v1/timeline.
func (s *Server) comparePage(c *gin.Context) error {
	return s.htmlPage(c, "compare.html", comparePolicy)
}

// embedPage answers GET /embed: the widget on a page of its own, for
// iframes on other sites. The origins allowed to read the API may frame it
// (any, when none are configured).
func (s *Server) embedPage(c *gin.Context) error {
	return s.htmlPage(c, "embed.html", embedPolicy+"; frame-ancestors "+s.frameAncestors())
}

// widget answers GET /widget.js: the embeddable search box (see web/widget.js).
func (s *Server) widget(c *gin.Context) error {
	return s.assets.serve(c, "widget.js")
}

// frameAncestors is the frame-ancestors source list of the embed page.
func (s *Server) frameAncestors() string {
	if s.origins == nil {
		return "*"
	}
	list := []string{"'self'"}
	for _, o := range s.opts.AllowedOrigins {
		// An origin with characters CSP gives meaning to would widen or
		// break the policy; such an origin is not a browser origin anyway.
		if o != "" && !strings.ContainsAny(o, " ;,'\"\r\n") {
			list = append(list, o)
		}
	}
	return strings.Join(list, " ")
}

// htmlPage writes the named page with its security headers. Pages send a
// Referer to their own host only: the embed page's URL may carry an API key.
func (s *Server) htmlPage(c *gin.Context, name, policy string) error {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", policy)
	h.Set("Referrer-Policy", "same-origin")
	return s.assets.serve(c, name)
}

// asset answers GET /static/{file} from the embedded web directory. Pages
// are served only at their own paths, with their headers.
func (s *Server) asset(c *gin.Context) error {
	name := strings.TrimPrefix(c.Param("file"), "/")
	if strings.HasSuffix(name, ".html") {
		return errNoRoute
	}
	return s.assets.serve(c, name)
}
