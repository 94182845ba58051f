package search

import (
	"fmt"
	"strings"
	"time"
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
}

// Result is one page of hits.
type Result struct {
	// Total is the number of matching documents.
	Total uint64
	// Took is the time the search took inside the engine.
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
