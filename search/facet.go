package search

import (
	"slices"

	"policysearch/corpus"
	"policysearch/indexer"
)

// Facet names accepted in Request.Facets and as filter keys.
const (
	FacetRegion = "region"
	FacetYear   = "year"
	FacetType   = "type"
	FacetLevel  = "level"
	// FacetProvince, FacetCity and FacetCounty count the documents' own
	// regions by level, for a province → city → county tree: a city or
	// county value carries its chain of names (山东省济南市槐荫区) in
	// FacetValue.Name when the gazetteer knows it unambiguously. As
	// filters they work like FacetRegion: a value matches everything
	// inside it.
	FacetProvince = "province"
	FacetCity     = "city"
	FacetCounty   = "county"
	// FacetIssuer counts the issuing bodies (发文机关) and FacetSubject the
	// subject words (主题词) documents state.
	FacetIssuer  = "issuer"
	FacetSubject = "subject"
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
	// level is the administrative level of a region facet's values, whose
	// chains of names are looked up in the gazetteer.
	level corpus.Level
}

// facetSize returns how many values of facet name r asks for: the facet's
// default or r.FacetSize, and every range of the amount facet.
func (r Request) facetSize(name string) int {
	k := facetKinds[name]
	switch {
	case k.ranges:
		return len(indexer.AmountRanges)
	case r.FacetSize > 0:
		return r.FacetSize
	}
	return k.size
}

// facetKinds lists the facets in the order they are reported.
var facetKinds = map[string]facetKind{
	FacetRegion:   {field: indexer.FieldRegion, filterField: indexer.FieldPlaces, size: 20},
	FacetYear:     {field: indexer.FieldYear, filterField: indexer.FieldYear, size: 20},
	FacetType:     {field: indexer.FieldType, filterField: indexer.FieldType, size: 10},
	FacetLevel:    {field: indexer.FieldLevel, filterField: indexer.FieldLevel, size: 5},
	FacetProvince: {field: indexer.FieldProvince, filterField: indexer.FieldPlaces, size: 40, level: corpus.LevelProvince},
	FacetCity:     {field: indexer.FieldCity, filterField: indexer.FieldPlaces, size: 60, level: corpus.LevelCity},
	FacetCounty:   {field: indexer.FieldCounty, filterField: indexer.FieldPlaces, size: 60, level: corpus.LevelCounty},
	FacetIssuer:   {field: indexer.FieldIssuer, filterField: indexer.FieldIssuer, size: 20},
	FacetSubject:  {field: indexer.FieldSubject, filterField: indexer.FieldSubject, size: 20},
	FacetPlace:    {field: indexer.FieldPlace, filterField: indexer.FieldPlace, size: 20},
	FacetOrg:      {field: indexer.FieldOrg, filterField: indexer.FieldOrg, size: 20},
	FacetPerson:   {field: indexer.FieldPerson, filterField: indexer.FieldPerson, size: 20},
	FacetTerm:     {field: indexer.FieldTerm, filterField: indexer.FieldTerm, size: 20},
	FacetTopic:    {field: indexer.FieldTopic, filterField: indexer.FieldTopic, size: 25},
	FacetAmount:   {field: indexer.FieldAmountRange, filterField: indexer.FieldAmountRange, size: len(indexer.AmountRanges), ranges: true},
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

// regionChain returns the chain of names (山东省济南市槐荫区) of the region
// called name at the given level, or "" when the gazetteer does not know
// it or knows several (朝阳区 lies in 北京市 and in 长春市).
func regionChain(g *corpus.Gazetteer, name string, level corpus.Level) string {
	var found []corpus.Place
	for _, p := range g.Lookup(name) {
		if p.Level == level && !slices.ContainsFunc(found, func(f corpus.Place) bool { return f.Code == p.Code }) {
			found = append(found, p)
		}
	}
	if len(found) != 1 {
		return ""
	}
	return indexer.PlaceChain(g, found[0])
}
