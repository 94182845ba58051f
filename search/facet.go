package search

import (
	"slices"

	"policysearch/indexer"
)

// Facet names accepted in Request.Facets and as filter keys.
const (
	FacetRegion = "region"
	FacetYear   = "year"
	FacetType   = "type"
	FacetLevel  = "level"
)

// facetKind ties a facet name to the index fields it counts and filters on.
type facetKind struct {
	// field is counted for the facet.
	field string
	// filterField is matched by a filter value; a filter on a region
	// matches the region and everything inside it.
	filterField string
	// size is how many values the facet returns by default.
	size int
}

// facetKinds lists the facets in the order they are reported.
var facetKinds = map[string]facetKind{
	FacetRegion: {field: indexer.FieldRegion, filterField: indexer.FieldPlaces, size: 20},
	FacetYear:   {field: indexer.FieldYear, filterField: indexer.FieldYear, size: 20},
	FacetType:   {field: indexer.FieldType, filterField: indexer.FieldType, size: 10},
	FacetLevel:  {field: indexer.FieldLevel, filterField: indexer.FieldLevel, size: 5},
}

// FacetNames returns the known facet names, sorted.
func FacetNames() []string {
	names := make([]string, 0, len(facetKinds))
	for n := range facetKinds {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// FacetValue is one value of a facet with the number of matching documents
// that have it.
type FacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}
