package server

import (
	"math"
	"net/http"

	"github.com/gin-gonic/gin"

	"policysearch/search"
)

// cooccurResponse is the JSON body of GET /api/v1/cooccur.
type cooccurResponse struct {
	Query string `json:"query"`
	// Docs and Sentences say how much text the terms were counted in.
	Docs      int          `json:"docs"`
	Sentences int          `json:"sentences"`
	Terms     []coTermJSON `json:"terms"`
	TookMS    float64      `json:"took_ms"`
}

// coTermJSON is one term of a cooccurResponse.
type coTermJSON struct {
	Term  string  `json:"term"`
	Kind  string  `json:"kind"`
	Count int     `json:"count"`
	Docs  int     `json:"docs"`
	Score float64 `json:"score"`
}

// cooccur answers GET /api/v1/cooccur: the words and entities in the same
// sentences as the query, most distinctive first. size is the number of
// terms (default search.DefaultCooccurSize).
func (s *Server) cooccur(c *gin.Context) error {
	var p searchParams
	if err := c.ShouldBindQuery(&p); err != nil {
		return bindError(c, err)
	}
	size := p.Size
	p.Size = 0 // the number of terms, not a page
	req, err := p.request()
	if err != nil {
		return err
	}
	if format, err := p.format(); err != nil || format != formatJSON {
		return &search.ValidationError{Param: "format", Msg: `must be "json"`}
	}
	svc, ctx, cancel, err := s.searchService(c)
	if err != nil {
		return err
	}
	defer cancel()
	res, err := svc.Cooccur(ctx, search.CooccurRequest{Search: req, Size: size})
	if err != nil {
		return err
	}
	out := cooccurResponse{Query: res.Query, Docs: res.Docs, Sentences: res.Sentences, Terms: make([]coTermJSON, 0, len(res.Terms)), TookMS: milliseconds(res.Took)}
	for _, t := range res.Terms {
		out.Terms = append(out.Terms, coTermJSON{Term: t.Term, Kind: t.Kind, Count: t.Count, Docs: t.Docs, Score: math.Round(t.Score*1000) / 1000})
	}
	c.PureJSON(http.StatusOK, out)
	return nil
}
