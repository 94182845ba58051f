package main

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"policysearch/search"
)

// benchQuery is one query of the bench's fixed mix.
type benchQuery struct {
	// Name labels the query in the bench output.
	Name string
	// Req is the request, run in process and sent over HTTP.
	Req search.Request
}

// facetsAll are the facets the search page asks for.
var facetsAll = []string{
	search.FacetRegion, search.FacetYear, search.FacetType, search.FacetLevel,
	search.FacetPlace, search.FacetOrg, search.FacetPerson, search.FacetTopic, search.FacetAmount,
}

// queryMix is the bench's committed query mix: 2-character words, longer
// words, phrases and several words, with and without facets and filters,
// sorted by date, and deep pages. Highlighting is on unless a query says
// otherwise, as on the search page. Changing the mix makes figures
// incomparable with earlier runs: add a query rather than edit one.
var queryMix = []benchQuery{
	{"2char", search.Request{Query: "医养", Highlight: true}},
	{"2char-facets", search.Request{Query: "养老", Highlight: true, Facets: facetsAll}},
	{"2char-common-facets", search.Request{Query: "发展", Highlight: true, Facets: facetsAll}},
	{"word4", search.Request{Query: "城市更新", Highlight: true}},
	{"word6-facets", search.Request{Query: "人民代表大会", Highlight: true, Facets: facetsAll}},
	{"word4-nohl", search.Request{Query: "乡村振兴", Facets: []string{search.FacetRegion, search.FacetYear}}},
	{"phrase", search.Request{Query: `"高质量发展"`, Highlight: true}},
	{"phrase-facets", search.Request{Query: `"营商环境"`, Highlight: true, Facets: facetsAll}},
	{"multi", search.Request{Query: "养老 服务 社区", Highlight: true}},
	{"multi-facets", search.Request{Query: "科技 创新 人才", Highlight: true, Facets: facetsAll}},
	{"filter-region", search.Request{Query: "教育", Highlight: true, Filters: map[string][]string{search.FacetRegion: {"山东省"}}, Facets: facetsAll}},
	{"filter-year", search.Request{Query: "就业", Highlight: true, Filters: map[string][]string{search.FacetYear: {"2023"}}}},
	{"sort-date", search.Request{Query: "文明行为", Highlight: true, Sort: search.SortDate}},
	{"deep-page", search.Request{Query: "管理", Highlight: true, From: 500, Size: 20}},
	{"deep-page-far", search.Request{Query: "工作", From: 1500, Size: 50}},
	{"all-facets", search.Request{Facets: facetsAll}},
}

// values encodes r as the query string of GET /api/v1/search.
func values(r search.Request) url.Values {
	v := url.Values{}
	if r.Query != "" {
		v.Set("q", r.Query)
	}
	if r.From > 0 {
		v.Set("from", strconv.Itoa(r.From))
	}
	if r.Size > 0 {
		v.Set("size", strconv.Itoa(r.Size))
	}
	if r.Sort != "" {
		v.Set("sort", r.Sort)
	}
	v.Set("highlight", strconv.FormatBool(r.Highlight))
	if len(r.Facets) > 0 {
		v.Set("facets", strings.Join(r.Facets, ","))
	}
	keys := make([]string, 0, len(r.Filters))
	for k := range r.Filters {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v.Set(k, strings.Join(r.Filters[k], ","))
	}
	return v
}
