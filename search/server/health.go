package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// healthJSON is the body of /healthz and /readyz.
type healthJSON struct {
	Status string `json:"status"`
	// Documents is the number of indexed documents (readyz only).
	Documents uint64 `json:"documents,omitempty"`
	// Dictionary and Lexicon name the segmentation dictionaries and the
	// synonym list in force (readyz only).
	Dictionary string `json:"dictionary,omitempty"`
	Lexicon    string `json:"lexicon,omitempty"`
}

// healthz answers GET /healthz: the process is up and serving.
func (s *Server) healthz(c *gin.Context) error {
	c.PureJSON(http.StatusOK, healthJSON{Status: "ok"})
	return nil
}

// readyz answers GET /readyz: 200 once the index is searchable, 503 while
// it is being built.
func (s *Server) readyz(c *gin.Context) error {
	svc, err := s.service()
	if err != nil {
		return err
	}
	n, err := svc.Count()
	if err != nil {
		return err
	}
	dict, lex := svc.Vocabulary()
	c.PureJSON(http.StatusOK, healthJSON{Status: "ready", Documents: n, Dictionary: dict, Lexicon: lex})
	return nil
}
