package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"policysearch/search"
)

// relatedParams are the query parameters of
// GET /api/v1/documents/{id}/related.
type relatedParams struct {
	Size int `form:"size"`
	// ExcludeRegion leaves out documents of these regions and the regions
	// inside them; repeat it or separate values with commas.
	ExcludeRegion []string `form:"exclude_region"`
	// OtherRegions leaves out the document's own region.
	OtherRegions bool `form:"other_regions"`
}

// relatedResponse is the JSON body of GET /api/v1/documents/{id}/related.
type relatedResponse struct {
	Hits   []hitJSON `json:"hits"`
	TookMS float64   `json:"took_ms"`
}

// related answers GET /api/v1/documents/{id}/related: the documents most
// like document id, by its distinctive words and entities.
func (s *Server) related(c *gin.Context, id string) error {
	var p relatedParams
	if err := c.ShouldBindQuery(&p); err != nil {
		return bindError(c, err)
	}
	exclude, err := splitList("exclude_region", p.ExcludeRegion)
	if err != nil {
		return err
	}
	svc, ctx, cancel, err := s.searchService(c)
	if err != nil {
		return err
	}
	defer cancel()
	res, err := svc.Related(ctx, id, search.RelatedOptions{Size: p.Size, ExcludeRegions: exclude, OtherRegions: p.OtherRegions})
	if err != nil {
		return err
	}
	out := relatedResponse{Hits: make([]hitJSON, 0, len(res.Hits)), TookMS: milliseconds(res.Took)}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, toHitJSON(h))
	}
	c.PureJSON(http.StatusOK, out)
	return nil
}
