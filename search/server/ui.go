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

// pagePolicy is the Content-Security-Policy of the page: our own script and
// styles only, so that even a fragment the highlighter failed to escape
// could not run code.
const pagePolicy = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"

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

// page answers GET /: the search page. Search state lives in its URL
// (?q=…&region=…&year=…&from=…, and ?doc=ID for the document view), and
// app.js renders it from the JSON API.
func (s *Server) page(c *gin.Context) error {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", pagePolicy)
	h.Set("Referrer-Policy", "no-referrer")
	return s.assets.serve(c, "index.html")
}

// asset answers GET /static/{file} from the embedded web directory.
func (s *Server) asset(c *gin.Context) error {
	name := strings.TrimPrefix(c.Param("file"), "/")
	if name == "index.html" {
		return errNoRoute // served at / only, with its headers
	}
	return s.assets.serve(c, name)
}
