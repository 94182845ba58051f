package search

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"policysearch/indexer"
)

// Limits on a request. Requests beyond them are refused with a
// *ValidationError, not clamped.
const (
	// DefaultSize is the page size when Request.Size is 0.
	DefaultSize = 10
	// MaxSize is the largest page.
	MaxSize = 100
	// MaxWindow is the largest From+Size: deep paging costs memory.
	MaxWindow = 10000
	// MaxFacetSize is the most values one facet may return.
	MaxFacetSize = 200
	// MaxFilterValues is the most values across all filters.
	MaxFilterValues = 50
)

// Sort orders.
const (
	// SortRelevance orders by score, then newer first, then by ID.
	SortRelevance = "relevance"
	// SortDate orders newer first, then by score, then by ID.
	SortDate = "date"
)

// Request is a search. The zero value (besides Query) is a valid first page
// sorted by relevance with no facets.
type Request struct {
	// Query in the syntax of Parse. Empty means all documents.
	Query string
	// Filters restrict the results: facet name → accepted values. Values of
	// one facet are ORed, facets are ANDed. A region value matches that
	// region and every region inside it.
	Filters map[string][]string
	// Facets names the facets to count (see FacetNames).
	Facets []string
	// FacetSize is the number of values per facet; 0 means each facet's
	// default.
	FacetSize int
	// From is the 0-based offset of the first hit.
	From int
	// Size is the page size; 0 means DefaultSize.
	Size int
	// Sort is SortRelevance (also when empty) or SortDate.
	Sort string
	// Highlight asks for HTML fragments with <mark> around matches.
	Highlight bool
	// Explain asks for Result.Explanation and Hit.Matches.
	Explain bool
	// AmountMin and AmountMax, when set, keep documents that state a sum
	// of money within the range, in 元 (inclusive). See ParseAmount.
	AmountMin, AmountMax *float64
	// DateFrom and DateTo, when set, keep documents dated within the range
	// (inclusive): "2019", "2019-06" or "2019-06-30".
	DateFrom, DateTo string
	// Collapse shows each group of near-duplicate documents (reposts of one
	// text, see indexer.FieldDupGroup) as one hit, its best-ranked member,
	// with the number and regions of the others (Hit.Copies,
	// Hit.CopyRegions). From and Size then count groups, not documents.
	// Ignored when DupGroup is set.
	Collapse bool
	// DupGroup, when set, keeps only the members of that near-duplicate
	// group (Hit.DupGroup), to list the copies a collapsed hit stands for.
	DupGroup string

	// dateFrom and dateTo are DateFrom and DateTo parsed by validate; dateTo
	// is exclusive (the day after the range).
	dateFrom, dateTo time.Time
}

// Result is one page of hits.
type Result struct {
	// Total is the number of matching documents, whether collapsed or not.
	Total uint64
	// Groups is the number of hits the matching documents make when
	// collapsed: Total minus the copies folded into another hit. It
	// bounds From when Collapse is set, and equals Total otherwise. Facets
	// always count documents.
	Groups uint64
	// Took is the time the search took inside the engine, collapsing
	// included.
	Took time.Duration
	// Hits is the requested page.
	Hits []Hit
	// Facets holds the counted facets by name, values by descending count.
	Facets map[string][]FacetValue
	// Relaxed is true when the query as typed found nothing and these hits
	// come from the any-words query instead:
	// documents with at least half of the query's words, best first.
	Relaxed bool
	// Explanation says how the query was understood; set with Explain.
	Explanation *Explanation
}

// Hit is one matching document.
type Hit struct {
	ID     string
	Title  string
	Region string
	Level  string
	Date   string
	Year   string
	Type   string
	Score  float64
	// Highlights holds HTML fragments by field ("title", "body"): text is
	// escaped and matches are wrapped in <mark>. Empty without Highlight.
	Highlights map[string][]string
	// Matches says which terms matched in which field; set with Explain.
	Matches []FieldMatch
	// DupGroup is the document's near-duplicate group.
	DupGroup string
	// Copies is the number of other matching documents of the group folded
	// into this hit (Request.Collapse), 0 if none.
	Copies int
	// CopyRegions are the distinct regions of those copies, best-ranked
	// first; a copy without region is not listed.
	CopyRegions []string
}

// ValidationError reports a request parameter that is out of range or
// unknown.
type ValidationError struct {
	Param string
	Msg   string
}

// Error implements error.
func (e *ValidationError) Error() string {
	return fmt.Sprintf("invalid %s: %s", e.Param, e.Msg)
}

// validate checks r and fills defaults.
func (r *Request) validate() error {
	if r.Size == 0 {
		r.Size = DefaultSize
	}
	switch {
	case r.Size < 0 || r.Size > MaxSize:
		return &ValidationError{Param: "size", Msg: fmt.Sprintf("must be between 1 and %d", MaxSize)}
	case r.From < 0:
		return &ValidationError{Param: "from", Msg: "must not be negative"}
	case r.From+r.Size > MaxWindow:
		return &ValidationError{Param: "from", Msg: fmt.Sprintf("from+size must not exceed %d", MaxWindow)}
	case r.FacetSize < 0 || r.FacetSize > MaxFacetSize:
		return &ValidationError{Param: "facet_size", Msg: fmt.Sprintf("must be between 1 and %d", MaxFacetSize)}
	}
	switch r.Sort {
	case "":
		r.Sort = SortRelevance
	case SortRelevance, SortDate:
	default:
		return &ValidationError{Param: "sort", Msg: fmt.Sprintf("must be %q or %q", SortRelevance, SortDate)}
	}
	for _, f := range r.Facets {
		if _, ok := facetKinds[f]; !ok {
			return &ValidationError{Param: "facets", Msg: fmt.Sprintf("unknown facet %q (known: %s)", f, strings.Join(FacetNames(), ", "))}
		}
	}
	var err error
	if r.dateFrom, err = parseDateBound(r.DateFrom, false); err != nil {
		return &ValidationError{Param: "date_from", Msg: err.Error()}
	}
	if r.dateTo, err = parseDateBound(r.DateTo, true); err != nil {
		return &ValidationError{Param: "date_to", Msg: err.Error()}
	}
	if r.AmountMin != nil && r.AmountMax != nil && *r.AmountMin > *r.AmountMax {
		return &ValidationError{Param: "amount_min", Msg: "must not exceed amount_max"}
	}
	n := 0
	for k, vs := range r.Filters {
		if _, ok := facetKinds[k]; !ok {
			return &ValidationError{Param: k, Msg: "unknown filter"}
		}
		n += len(vs)
	}
	if n > MaxFilterValues {
		return &ValidationError{Param: "filters", Msg: fmt.Sprintf("at most %d values", MaxFilterValues)}
	}
	return nil
}

// parseDateBound parses "YYYY", "YYYY-MM" or "YYYY-MM-DD" as the start of
// that period, or with end set as the start of the next one. "" gives the
// zero time.
func parseDateBound(s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, l := range []struct {
		layout string
		years  int
		months int
		days   int
	}{{"2006-01-02", 0, 0, 1}, {"2006-01", 0, 1, 0}, {"2006", 1, 0, 0}} {
		t, err := time.Parse(l.layout, s)
		if err != nil {
			continue
		}
		if end {
			t = t.AddDate(l.years, l.months, l.days)
		}
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date like 2019, 2019-06 or 2019-06-30", s)
}

// ParseAmount reads a money amount for AmountMin and AmountMax: a plain
// number of 元 ("1e10", "10000000000") or Chinese units ("100亿元",
// "1.2万亿元", "两千亿元").
func ParseAmount(s string) (float64, error) {
	if v, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
		return v, nil
	}
	ents := indexer.ParseAmounts(s)
	if len(ents) == 1 && ents[0].Unit == "元" && strings.TrimSpace(s) == ents[0].Text {
		return ents[0].Number, nil
	}
	return 0, fmt.Errorf("%q is not an amount of money like 100亿元 or 1e10", s)
}
