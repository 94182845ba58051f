package server

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"policysearch/search"
)

// searchParams are the query parameters of GET /api/v1/search. List
// parameters may be repeated (region=a&region=b) or comma-separated
// (region=a,b), or both.
type searchParams struct {
	Query  string   `form:"q"`
	From   int      `form:"from"`
	Size   int      `form:"size"`
	Region []string `form:"region"`
	Year   []string `form:"year"`
	Type   []string `form:"type"`
	Level  []string `form:"level"`
	Place  []string `form:"place"`
	Org    []string `form:"org"`
	Person []string `form:"person"`
	Topic  []string `form:"topic"`
	Term   []string `form:"term"`
	Amount []string `form:"amount"`
	// Issuer and Subject filter on the 发文机关 and the 主题词.
	Issuer  []string `form:"issuer"`
	Subject []string `form:"subject"`
	// AmountMin and AmountMax are sums of money: 100亿元, 1.2万亿元 or a
	// number of 元.
	AmountMin string   `form:"amount_min"`
	AmountMax string   `form:"amount_max"`
	DateFrom  string   `form:"date_from"`
	DateTo    string   `form:"date_to"`
	Facets    []string `form:"facets"`
	FacetSize int      `form:"facet_size"`
	Sort      string   `form:"sort"`
	// Highlight is nil when absent, which means true.
	Highlight *bool `form:"highlight"`
	Explain   bool  `form:"explain"`
	// Collapse is nil when absent, which means true: near-duplicates are
	// folded into one hit.
	Collapse *bool `form:"collapse"`
	// DupGroup lists the members of one near-duplicate group.
	DupGroup string `form:"dup_group"`
	// Format is "json" (the default) or "csv": every hit up to
	// search.MaxExport, streamed (search); the groups or points as rows
	// (compare, timeline).
	Format string `form:"format"`
}

// numericParams and boolParams are the searchParams fields that bind from
// integers and booleans, used to name the parameter when binding fails.
var (
	numericParams = []string{"from", "size", "facet_size"}
	boolParams    = []string{"highlight", "explain", "collapse"}
)

// searchResponse is the JSON body of a search.
type searchResponse struct {
	// Total counts matching documents; Groups counts the hits they make
	// when near-duplicates are collapsed (equal to Total otherwise), which
	// is what from and size page through. Facets count documents.
	Total  uint64 `json:"total"`
	Groups uint64 `json:"groups"`
	// Collapsed says whether near-duplicates were folded into one hit.
	Collapsed bool    `json:"collapsed"`
	TookMS    float64 `json:"took_ms"`
	Query     string  `json:"query"`
	From      int     `json:"from"`
	Size      int     `json:"size"`
	// Relaxed means no document matched the whole query and the hits
	// match at least half of its words instead.
	Relaxed bool                           `json:"relaxed"`
	Hits    []hitJSON                      `json:"hits"`
	Facets  map[string][]search.FacetValue `json:"facets"`
	// Explanation says how the query was understood (explain=true only).
	Explanation *search.Explanation `json:"explanation,omitempty"`
	// Self is the canonical URL of this response: every parameter given,
	// in a fixed order, so the same URL gives the same answer on the same
	// index.
	Self string `json:"self"`
}

// hitJSON is one hit in a searchResponse.
type hitJSON struct {
	ID     string  `json:"id"`
	Title  string  `json:"title"`
	Region string  `json:"region"`
	Level  string  `json:"level"`
	Date   string  `json:"date"`
	Year   int     `json:"year,omitempty"`
	Type   string  `json:"type"`
	Score  float64 `json:"score"`
	URL    string  `json:"url"`
	// Highlights holds HTML fragments by field: text escaped, matches in
	// <mark>.
	Highlights map[string][]string `json:"highlights,omitempty"`
	// Matches says which terms matched where (explain=true only).
	Matches []search.FieldMatch `json:"matches,omitempty"`
	// DupGroup is the document's near-duplicate group: dup_group=ID lists
	// its members.
	DupGroup string `json:"dup_group"`
	// Copies is the number of other matching documents of the group
	// folded into this hit; CopyRegions are their regions.
	Copies      int      `json:"copies"`
	CopyRegions []string `json:"copy_regions"`
}

// search answers GET /api/v1/search.
func (s *Server) search(c *gin.Context) error {
	var p searchParams
	if err := c.ShouldBindQuery(&p); err != nil {
		return bindError(c, err)
	}
	req, err := p.request()
	if err != nil {
		return err
	}
	format, err := p.format()
	if err != nil {
		return err
	}
	svc, ctx, cancel, err := s.searchService(c)
	if err != nil {
		return err
	}
	defer cancel()
	if format == formatCSV {
		return s.searchCSV(ctx, c, svc, req)
	}
	res, err := svc.Search(ctx, req)
	if err != nil {
		return err
	}
	size := req.Size
	if size == 0 {
		size = search.DefaultSize
	}
	out := searchResponse{
		Total:       res.Total,
		Groups:      res.Groups,
		Collapsed:   req.Collapse && req.DupGroup == "",
		TookMS:      milliseconds(res.Took),
		Query:       req.Query,
		From:        req.From,
		Size:        size,
		Relaxed:     res.Relaxed,
		Hits:        make([]hitJSON, 0, len(res.Hits)),
		Facets:      make(map[string][]search.FacetValue, len(res.Facets)),
		Explanation: res.Explanation,
		Self:        "/api/v1/search?" + canonicalQuery(c.Request.URL.Query()),
	}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, toHitJSON(h))
	}
	for name, vals := range res.Facets {
		out.Facets[name] = vals
	}
	c.PureJSON(http.StatusOK, out)
	return nil
}

// toHitJSON renders one hit.
func toHitJSON(h search.Hit) hitJSON {
	return hitJSON{
		ID:          h.ID,
		Title:       h.Title,
		Region:      h.Region,
		Level:       h.Level,
		Date:        h.Date,
		Year:        year(h.Year),
		Type:        h.Type,
		Score:       h.Score,
		URL:         documentURL(h.ID),
		Highlights:  h.Highlights,
		Matches:     h.Matches,
		DupGroup:    h.DupGroup,
		Copies:      h.Copies,
		CopyRegions: stringsOrEmpty(h.CopyRegions),
	}
}

// request turns the parameters into a search.Request.
func (p searchParams) request() (search.Request, error) {
	req := search.Request{
		Query:     p.Query,
		From:      p.From,
		Size:      p.Size,
		FacetSize: p.FacetSize,
		Sort:      p.Sort,
		Highlight: p.Highlight == nil || *p.Highlight,
		Explain:   p.Explain,
		DateFrom:  p.DateFrom,
		DateTo:    p.DateTo,
		Collapse:  p.Collapse == nil || *p.Collapse,
		DupGroup:  strings.TrimSpace(p.DupGroup),
	}
	for _, a := range []struct {
		param string
		text  string
		dst   **float64
	}{{"amount_min", p.AmountMin, &req.AmountMin}, {"amount_max", p.AmountMax, &req.AmountMax}} {
		if a.text == "" {
			continue
		}
		v, err := search.ParseAmount(a.text)
		if err != nil {
			return search.Request{}, &search.ValidationError{Param: a.param, Msg: err.Error()}
		}
		*a.dst = &v
	}
	var err error
	if req.Facets, err = splitList("facets", p.Facets); err != nil {
		return search.Request{}, err
	}
	filters := []struct {
		name string
		vals []string
	}{
		{search.FacetRegion, p.Region},
		{search.FacetYear, p.Year},
		{search.FacetType, p.Type},
		{search.FacetLevel, p.Level},
		{search.FacetPlace, p.Place},
		{search.FacetOrg, p.Org},
		{search.FacetPerson, p.Person},
		{search.FacetTopic, p.Topic},
		{search.FacetTerm, p.Term},
		{search.FacetAmount, p.Amount},
		{search.FacetIssuer, p.Issuer},
		{search.FacetSubject, p.Subject},
	}
	for _, f := range filters {
		vals, err := splitList(f.name, f.vals)
		if err != nil {
			return search.Request{}, err
		}
		if len(vals) == 0 {
			continue
		}
		if req.Filters == nil {
			req.Filters = make(map[string][]string)
		}
		req.Filters[f.name] = vals
	}
	return req, nil
}

// splitList splits each value at commas (ASCII or full-width) and drops
// blanks. Values must be UTF-8.
func splitList(param string, vals []string) ([]string, error) {
	var out []string
	for _, v := range vals {
		if !utf8.ValidString(v) {
			return nil, &search.ValidationError{Param: param, Msg: "not valid UTF-8"}
		}
		for part := range strings.FieldsFuncSeq(v, func(r rune) bool { return r == ',' || r == '，' }) {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out, nil
}

// bindError names the parameter that failed to bind where it can: gin's
// binding errors do not say which field they came from.
func bindError(c *gin.Context, err error) error {
	for _, name := range numericParams {
		if v := c.Query(name); v != "" {
			if _, perr := strconv.Atoi(v); perr != nil {
				return &search.ValidationError{Param: name, Msg: fmt.Sprintf("%q is not an integer", v)}
			}
		}
	}
	for _, name := range boolParams {
		if v := c.Query(name); v != "" {
			if _, perr := strconv.ParseBool(v); perr != nil {
				return &search.ValidationError{Param: name, Msg: fmt.Sprintf("%q is not true or false", v)}
			}
		}
	}
	return &search.ValidationError{Param: "query string", Msg: err.Error()}
}

// canonicalQuery encodes the parameters with keys sorted and values kept in
// their order, blank values dropped.
func canonicalQuery(v url.Values) string {
	out := url.Values{}
	for k, vals := range v {
		for _, x := range vals {
			if strings.TrimSpace(x) != "" {
				out.Add(k, x)
			}
		}
	}
	return out.Encode()
}

// stringsOrEmpty makes an absent list answer [] rather than null.
func stringsOrEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// milliseconds returns d in milliseconds with microsecond precision.
func milliseconds(d time.Duration) float64 {
	return math.Round(float64(d.Microseconds())) / 1000
}

// year returns the year stored as a keyword as a number, 0 when unknown.
func year(s string) int {
	y, err := strconv.Atoi(s)
	if err != nil {
		return 0 // unknown year; the field is omitted
	}
	return y
}
