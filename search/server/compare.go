package server

import (
	"math"
	"net/http"

	"github.com/gin-gonic/gin"

	"policysearch/search"
)

// compareParams are the query parameters of GET /api/v1/compare and
// GET /api/v1/timeline: those of a search (its filters apply; region
// values are the groups) plus the grouping and the output format. Sort
// takes the compare orders (rate, matches, name).
type compareParams struct {
	searchParams
	By []string `form:"by"`
}

// Output formats of the format parameter.
const (
	formatJSON = "json"
	formatCSV  = "csv"
)

// format returns the validated output format, JSON when absent.
func (p searchParams) format() (string, error) {
	switch p.Format {
	case "", formatJSON:
		return formatJSON, nil
	case formatCSV:
		return formatCSV, nil
	}
	return "", &search.ValidationError{Param: "format", Msg: `must be "json" or "csv"`}
}

// compareResponse is the JSON body of a comparison.
type compareResponse struct {
	Query  string      `json:"query"`
	By     []string    `json:"by"`
	Groups []groupJSON `json:"groups"`
	TookMS float64     `json:"took_ms"`
}

// groupJSON is one group of a compareResponse.
type groupJSON struct {
	Label        string  `json:"label"`
	Region       string  `json:"region"`
	Year         int     `json:"year"`
	Type         string  `json:"type"`
	Docs         int     `json:"docs"`
	MatchingDocs int     `json:"matching_docs"`
	Occurrences  int     `json:"occurrences"`
	Chars        int     `json:"chars"`
	Rate         float64 `json:"rate"`
	FirstYear    int     `json:"first_year"`
	LatestYear   int     `json:"latest_year"`
}

// timelineResponse is the JSON body of a timeline.
type timelineResponse struct {
	Query  string       `json:"query"`
	Years  []int        `json:"years"`
	Series []seriesJSON `json:"series"`
	TookMS float64      `json:"took_ms"`
}

// seriesJSON is one region's series of a timelineResponse.
type seriesJSON struct {
	Region string      `json:"region"`
	Label  string      `json:"label"`
	Points []pointJSON `json:"points"`
}

// pointJSON is one year of a seriesJSON.
type pointJSON struct {
	Year         int     `json:"year"`
	Docs         int     `json:"docs"`
	MatchingDocs int     `json:"matching_docs"`
	Occurrences  int     `json:"occurrences"`
	Chars        int     `json:"chars"`
	Rate         float64 `json:"rate"`
}

// rate rounds a rate per 10,000 characters to 4 decimals for display.
func rate(r float64) float64 {
	return math.Round(r*1e4) / 1e4
}

// bindCompare binds and validates the parameters shared by compare and
// timeline; sort is the compare order.
func bindCompare(c *gin.Context) (p compareParams, req search.Request, format, sort string, err error) {
	if err = c.ShouldBindQuery(&p); err != nil {
		return p, req, "", "", bindError(c, err)
	}
	if format, err = p.format(); err != nil {
		return p, req, "", "", err
	}
	sort, p.Sort = p.Sort, ""
	if req, err = p.request(); err != nil {
		return p, req, "", "", err
	}
	return p, req, format, sort, nil
}

// compare answers GET /api/v1/compare.
func (s *Server) compare(c *gin.Context) error {
	p, req, format, sort, err := bindCompare(c)
	if err != nil {
		return err
	}
	by, err := splitList("by", p.By)
	if err != nil {
		return err
	}
	svc, ctx, cancel, err := s.searchService(c)
	if err != nil {
		return err
	}
	defer cancel()
	res, err := svc.Compare(ctx, search.CompareRequest{Search: req, By: by, Sort: sort})
	if err != nil {
		return err
	}
	out := compareResponse{Query: res.Query, By: res.By, Groups: make([]groupJSON, 0, len(res.Groups)), TookMS: milliseconds(res.Took)}
	for _, g := range res.Groups {
		out.Groups = append(out.Groups, groupJSON{
			Label: g.Label, Region: g.Region, Year: g.Year, Type: g.Type,
			Docs: g.Docs, MatchingDocs: g.MatchingDocs, Occurrences: g.Occurrences, Chars: g.Chars,
			Rate: rate(g.Rate), FirstYear: g.FirstYear, LatestYear: g.LatestYear,
		})
	}
	if format == formatCSV {
		return writeCompareCSV(c, out)
	}
	c.PureJSON(http.StatusOK, out)
	return nil
}

// timeline answers GET /api/v1/timeline.
func (s *Server) timeline(c *gin.Context) error {
	_, req, format, sort, err := bindCompare(c)
	if err != nil {
		return err
	}
	if sort != "" {
		return &search.ValidationError{Param: "sort", Msg: "a timeline is in year order"}
	}
	svc, ctx, cancel, err := s.searchService(c)
	if err != nil {
		return err
	}
	defer cancel()
	res, err := svc.Timeline(ctx, req)
	if err != nil {
		return err
	}
	out := timelineResponse{Query: res.Query, Years: res.Years, Series: make([]seriesJSON, 0, len(res.Series)), TookMS: milliseconds(res.Took)}
	for _, sr := range res.Series {
		js := seriesJSON{Region: sr.Region, Label: sr.Label, Points: make([]pointJSON, 0, len(sr.Points))}
		for _, pt := range sr.Points {
			js.Points = append(js.Points, pointJSON{
				Year: pt.Year, Docs: pt.Docs, MatchingDocs: pt.MatchingDocs,
				Occurrences: pt.Occurrences, Chars: pt.Chars, Rate: rate(pt.Rate),
			})
		}
		out.Series = append(out.Series, js)
	}
	if format == formatCSV {
		return writeTimelineCSV(c, out)
	}
	c.PureJSON(http.StatusOK, out)
	return nil
}
