package search

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2/search/query"
)

// scopeKey is the context key of a search scope.
type scopeKey struct{}

// WithScope returns a context in which every search and document lookup of
// a Service is restricted to documents matching filters (facet name →
// accepted values, as Request.Filters), in addition to the request's own
// filters. A request cannot widen a scope: this is how a read key given to
// one site sees only that site's documents. The filters must name known
// facets (see ValidScope).
func WithScope(ctx context.Context, filters map[string][]string) context.Context {
	if len(filters) == 0 {
		return ctx
	}
	return context.WithValue(ctx, scopeKey{}, filters)
}

// ValidScope checks that filters name known filter facets.
func ValidScope(filters map[string][]string) error {
	for k, vs := range filters {
		if _, ok := facetKinds[k]; !ok {
			return fmt.Errorf("unknown filter %q (known: %v)", k, FacetNames())
		}
		if len(vs) == 0 {
			return fmt.Errorf("filter %q has no values", k)
		}
	}
	return nil
}

// scoped restricts q to the scope of ctx, if any.
func (s *Service) scoped(ctx context.Context, q query.Query) query.Query {
	filters, _ := ctx.Value(scopeKey{}).(map[string][]string) // absent means no scope
	if len(filters) == 0 {
		return q
	}
	f := s.filterQuery(Request{Filters: filters})
	if f == nil {
		return q
	}
	return withFilter(q, f)
}
