package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"policysearch/indexer"
	"policysearch/search"
)

// documentsPrefix is the path of the document route without its ID.
const documentsPrefix = "/api/v1/documents/"

// documentJSON is the JSON body of GET /api/v1/documents/{id}.
type documentJSON struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Body      string `json:"body"`
	Region    string `json:"region"`
	Province  string `json:"province"`
	City      string `json:"city"`
	County    string `json:"county"`
	Level     string `json:"level"`
	Date      string `json:"date"`
	Year      int    `json:"year,omitempty"`
	Type      string `json:"type"`
	DocNumber string `json:"doc_number"`
	Issuer    string `json:"issuer"`
	SourceURL string `json:"source_url"`
	Path      string `json:"path"`
	// Chars is the length of Body in characters (runes).
	Chars int `json:"chars"`
	// Entities are the mentions found in the body, with character (rune)
	// offsets into it, and the document's topics.
	Entities []indexer.DocumentEntity `json:"entities"`
}

// document answers GET /api/v1/documents/{id}. IDs may contain slashes, so
// the route takes the rest of the path; each segment may be escaped.
func (s *Server) document(c *gin.Context) error {
	id := strings.TrimPrefix(c.Param("id"), "/")
	if id == "" {
		return &search.ValidationError{Param: "id", Msg: "missing document id"}
	}
	svc, err := s.service()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.opts.SearchTimeout)
	defer cancel()
	d, err := svc.Document(ctx, id)
	if err != nil {
		return err
	}
	c.PureJSON(http.StatusOK, documentJSON{
		ID:        d.ID,
		Title:     d.Title,
		Body:      d.Body,
		Region:    d.Region,
		Province:  d.Province,
		City:      d.City,
		County:    d.County,
		Level:     d.Level,
		Date:      d.Date,
		Year:      year(d.Year),
		Type:      d.Type,
		DocNumber: d.DocNumber,
		Issuer:    d.Issuer,
		SourceURL: d.SourceURL,
		Path:      d.Path,
		Chars:     d.Chars,
		Entities:  entitiesOrEmpty(d.Entities),
	})
	return nil
}

// documentURL returns the API path of the document with the given ID, each
// path segment escaped.
func documentURL(id string) string {
	segs := strings.Split(id, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return documentsPrefix + strings.Join(segs, "/")
}

// entitiesOrEmpty makes a document without entities answer [] rather than
// null.
func entitiesOrEmpty(e []indexer.DocumentEntity) []indexer.DocumentEntity {
	if e == nil {
		return []indexer.DocumentEntity{}
	}
	return e
}
