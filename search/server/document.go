package server

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"policysearch/indexer"
	"policysearch/search"
)

// documentsPrefix is the path of the document route without its ID.
const documentsPrefix = "/api/v1/documents/"

// documentPagePrefix is the path of the document page without its ID.
const documentPagePrefix = "/documents/"

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
	// Written is the 成文日期 (date of signature); Subjects the 主题词.
	Written   string   `json:"written"`
	Subjects  []string `json:"subjects"`
	SourceURL string   `json:"source_url"`
	Path      string   `json:"path"`
	// Chars is the length of Body in characters (runes).
	Chars int `json:"chars"`
	// Entities are the mentions found in the body, with character (rune)
	// offsets into it, and the document's topics.
	Entities []indexer.DocumentEntity `json:"entities"`
	// DupGroup is the document's near-duplicate group (search with
	// dup_group=ID lists its members).
	DupGroup string `json:"dup_group"`
	// Permalink is the public address of the document page.
	Permalink string `json:"permalink"`
	// Citation is the text to copy to cite the document: title, issuing
	// body, 文号, date and permalink, where known, joined by "，".
	Citation string `json:"citation"`
	// Paragraphs are the body's paragraphs with their numbers, hashes and
	// rune offsets; a passage link is Permalink#p{n}-{hash}.
	Paragraphs []search.Paragraph `json:"paragraphs"`
}

// document answers GET /api/v1/documents/{id} and the document's
// sub-resources, GET /api/v1/documents/{id}/related (related) and
// GET /api/v1/documents/{id}/passages/{ref} (passage). IDs may contain
// slashes, so the route takes the rest of the path; each segment may be
// escaped. An ID ending in "/related" or holding "/passages/" reaches only
// the sub-resource.
func (s *Server) document(c *gin.Context) error {
	id := strings.TrimPrefix(c.Param("id"), "/")
	if doc, ok := strings.CutSuffix(id, "/related"); ok && doc != "" {
		return s.related(c, doc)
	}
	if i := strings.LastIndex(id, "/passages/"); i > 0 {
		return s.passage(c, id[:i], id[i+len("/passages/"):])
	}
	if id == "" {
		return &search.ValidationError{Param: "id", Msg: "missing document id"}
	}
	svc, ctx, cancel, err := s.searchService(c)
	if err != nil {
		return err
	}
	defer cancel()
	d, err := svc.Document(ctx, id)
	if err != nil {
		return err
	}
	permalink := s.publicURL(c) + pagePath(d.ID)
	c.PureJSON(http.StatusOK, documentJSON{
		ID:         d.ID,
		Title:      d.Title,
		Body:       d.Body,
		Region:     d.Region,
		Province:   d.Province,
		City:       d.City,
		County:     d.County,
		Level:      d.Level,
		Date:       d.Date,
		Year:       year(d.Year),
		Type:       d.Type,
		DocNumber:  d.DocNumber,
		Issuer:     d.Issuer,
		Written:    d.Written,
		Subjects:   nonNil(d.Subjects),
		SourceURL:  d.SourceURL,
		Path:       d.Path,
		Chars:      d.Chars,
		Entities:   entitiesOrEmpty(d.Entities),
		DupGroup:   d.DupGroup,
		Permalink:  permalink,
		Citation:   d.Citation(permalink),
		Paragraphs: paragraphsOrEmpty(search.Paragraphs(d.Body)),
	})
	return nil
}

// publicURL returns the scheme and host under which clients reach the
// server: Options.PublicURL, or else the request's own, as the client
// addressed it (forwarding headers are not trusted: set PublicURL behind a
// proxy).
func (s *Server) publicURL(c *gin.Context) string {
	if s.opts.PublicURL != "" {
		return strings.TrimRight(s.opts.PublicURL, "/")
	}
	scheme := "http"
	if c.Request.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host
}

// pagePath returns the path of the page of the document with the given ID,
// each segment escaped.
func pagePath(id string) string {
	return documentPagePrefix + escapeSegments(id)
}

// documentURL returns the API path of the document with the given ID, each
// path segment escaped.
func documentURL(id string) string {
	return documentsPrefix + escapeSegments(id)
}

// escapeSegments escapes each slash-separated segment of id.
func escapeSegments(id string) string {
	segs := strings.Split(id, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// paragraphsOrEmpty makes an empty body answer [] rather than null.
func paragraphsOrEmpty(p []search.Paragraph) []search.Paragraph {
	if p == nil {
		return []search.Paragraph{}
	}
	return p
}

// entitiesOrEmpty makes a document without entities answer [] rather than
// null.
func entitiesOrEmpty(e []indexer.DocumentEntity) []indexer.DocumentEntity {
	if e == nil {
		return []indexer.DocumentEntity{}
	}
	return e
}

// nonNil returns s, or an empty slice for nil, so that JSON shows [].
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
