package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"policysearch/search"
)

// passageJSON is the JSON body of GET /api/v1/documents/{id}/passages/{ref}.
type passageJSON struct {
	// Requested is the passage reference asked for, "p12-3f2a9c1b".
	Requested string `json:"requested"`
	// Status says how it was found: "exact" (same number, same text),
	// "moved" (same text, another number) or "changed" (no paragraph has
	// the text any more; the paragraph now at the number is given).
	Status string `json:"status"`
	search.Paragraph
	// Ref is the paragraph's current reference and Link its passage link.
	Ref  string `json:"ref"`
	Link string `json:"link"`
	// Text is the paragraph's text now.
	Text string `json:"text"`
}

// passage answers GET /api/v1/documents/{id}/passages/{ref}: it resolves
// a passage link made when the document was indexed before, by its
// paragraph number and hash.
func (s *Server) passage(c *gin.Context, id, ref string) error {
	r, err := search.ParsePassageRef(ref)
	if err != nil {
		return err
	}
	svc, ctx, cancel, err := s.searchService(c)
	if err != nil {
		return err
	}
	defer cancel()
	p, err := svc.ResolvePassage(ctx, id, r)
	if err != nil {
		return err
	}
	c.PureJSON(http.StatusOK, passageJSON{
		Requested: ref,
		Status:    p.Status,
		Paragraph: p.Paragraph,
		Ref:       p.Ref(),
		Link:      s.publicURL(c) + pagePath(id) + "#" + p.Ref(),
		Text:      p.Text,
	})
	return nil
}
