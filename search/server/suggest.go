package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"policysearch/search"
)

// suggestParams are the query parameters of GET /api/v1/suggest.
type suggestParams struct {
	Query string `form:"q"`
	// Size is the number of completions; 0 means 8.
	Size int `form:"size"`
}

// suggestResponse is the JSON body of GET /api/v1/suggest.
type suggestResponse struct {
	Query       string              `json:"query"`
	Suggestions []search.Suggestion `json:"suggestions"`
}

// suggest answers GET /api/v1/suggest?q=医: indexed words starting with the
// prefix, by descending document count, for completion as the user types.
func (s *Server) suggest(c *gin.Context) error {
	var p suggestParams
	if err := c.ShouldBindQuery(&p); err != nil {
		return bindError(c, err)
	}
	if p.Size == 0 {
		p.Size = 8
	}
	svc, ctx, cancel, err := s.searchService(c)
	if err != nil {
		return err
	}
	defer cancel()
	out, err := svc.Suggest(ctx, p.Query, p.Size)
	if err != nil {
		return err
	}
	c.PureJSON(http.StatusOK, suggestResponse{Query: p.Query, Suggestions: out})
	return nil
}
