package server

import (
	"encoding/json"
	"fmt"
	"net/http"

	_ "embed"

	"github.com/gin-gonic/gin"
)

// openAPIJSON is the OpenAPI 3 description of every route, kept by hand
// beside the handlers. openapi_test.go checks that it names exactly the
// routes registered in routes.go: whoever adds a route describes it there.
//
//go:embed openapi.json
var openAPIJSON []byte

// openAPIDoc is the part of the OpenAPI document the server and its tests
// read: the paths and, per path, the methods and the gin route serving it.
type openAPIDoc struct {
	OpenAPI string                     `json:"openapi"`
	Paths   map[string]openAPIPathItem `json:"paths"`
}

// openAPIPathItem is one entry of paths, by key: the operations under
// their lower-case method names, and "x-gin-path" naming the gin route
// when it is not the OpenAPI path with :name for {name}, as for the
// catch-all routes (/api/v1/documents/*id) that serve several OpenAPI paths.
type openAPIPathItem map[string]json.RawMessage

// parseOpenAPI decodes the embedded document. It fails only if the file
// committed in the repository is broken, which a test catches.
func parseOpenAPI() (*openAPIDoc, error) {
	var d openAPIDoc
	if err := json.Unmarshal(openAPIJSON, &d); err != nil {
		return nil, fmt.Errorf("parse openapi.json: %w", err)
	}
	if d.OpenAPI == "" || len(d.Paths) == 0 {
		return nil, fmt.Errorf("parse openapi.json: no openapi version or no paths")
	}
	return &d, nil
}

// openAPI answers GET /api/v1/openapi.json with the embedded document.
func (s *Server) openAPI(c *gin.Context) error {
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, "application/json; charset=utf-8", openAPIJSON)
	return nil
}
