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
	// Entity facets, drawn from the text (see indexer.Extract). A place
	// facet counts gazetteer codes, with names and levels in FacetValue; a
	// place filter takes a name (济南市槐荫区, 槐荫区) or a code.
	FacetPlace  = "place"
	FacetOrg    = "org"
	FacetPerson = "person"
	FacetTerm   = "term"
	FacetTopic  = "topic"
	// FacetAmount counts documents by the sums of money they state, in
	// the ranges of indexer.AmountRanges; a document stating several falls
	// in several ranges.
	FacetAmount = "amount"
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
	// ranges marks the facet whose values are indexer.AmountRanges, all
	// reported in their order.
	ranges bool
}

// facetKinds lists the facets in the order they are reported.
var facetKinds = map[string]facetKind{
	FacetRegion: {field: indexer.FieldRegion, filterField: indexer.FieldPlaces, size: 20},
	FacetYear:   {field: indexer.FieldYear, filterField: indexer.FieldYear, size: 20},
	FacetType:   {field: indexer.FieldType, filterField: indexer.FieldType, size: 10},
	FacetLevel:  {field: indexer.FieldLevel, filterField: indexer.FieldLevel, size: 5},
	FacetPlace:  {field: indexer.FieldPlace, filterField: indexer.FieldPlace, size: 20},
	FacetOrg:    {field: indexer.FieldOrg, filterField: indexer.FieldOrg, size: 20},
	FacetPerson: {field: indexer.FieldPerson, filterField: indexer.FieldPerson, size: 20},
	FacetTerm:   {field: indexer.FieldTerm, filterField: indexer.FieldTerm, size: 20},
	FacetTopic:  {field: indexer.FieldTopic, filterField: indexer.FieldTopic, size: 25},
	FacetAmount: {field: indexer.FieldAmountRange, filterField: indexer.FieldAmountRange, size: len(indexer.AmountRanges), ranges: true},
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
	// Name and Level describe a place facet's value (a gazetteer code):
	// the full chain of names (山东省济南市槐荫区) and its level.
	Name  string `json:"name,omitempty"`
	Level string `json:"level,omitempty"`
}
