package server_test

import (
	"net/url"
	"strings"
	"testing"

	"policysearch/search/server"
)

// TestRegionTreeFacets checks the province, city and county facets the
// search page builds its region tree from: chains nest by prefix, a
// province counts at least the documents of its cities, and filtering on a
// province leaves only its cities.
func TestRegionTreeFacets(t *testing.T) {
	t.Parallel()
	h := newHandler(t, server.Options{})
	type facetValue struct {
		Value string `json:"value"`
		Count int    `json:"count"`
		Name  string `json:"name"`
		Level string `json:"level"`
	}
	type result struct {
		Total  int                     `json:"total"`
		Facets map[string][]facetValue `json:"facets"`
	}
	fetch := func(params url.Values) result {
		t.Helper()
		params.Set("facets", "province,city,county")
		params.Set("size", "0")
		rec := serve(t, h, "GET", "/api/v1/search?"+params.Encode(), nil)
		if rec.Code != 200 {
			t.Fatalf("search %s: status %d; body %.200s", params.Encode(), rec.Code, rec.Body.String())
		}
		return decode[result](t, rec)
	}
	all := fetch(url.Values{})
	provinces := map[string]int{}
	for _, p := range all.Facets["province"] {
		provinces[p.Value] = p.Count
		if p.Level != "province" || p.Name != p.Value {
			t.Errorf("province %q: name %q level %q, want itself and province", p.Value, p.Name, p.Level)
		}
	}
	if provinces["山东省"] == 0 {
		t.Fatalf("province facet %v has no 山东省", all.Facets["province"])
	}
	under := map[string]int{}
	var jinan bool
	for _, c := range all.Facets["city"] {
		if c.Value == "济南市" {
			jinan = true
			if c.Name != "山东省济南市" {
				t.Errorf("city 济南市 name = %q, want 山东省济南市", c.Name)
			}
		}
		for p := range provinces {
			if strings.HasPrefix(c.Name, p) {
				under[p] += c.Count
			}
		}
	}
	if !jinan {
		t.Fatalf("city facet %v has no 济南市", all.Facets["city"])
	}
	for p, n := range under {
		if n > provinces[p] {
			t.Errorf("cities of %s count %d documents, more than the province's %d", p, n, provinces[p])
		}
	}
	for _, c := range all.Facets["county"] {
		if c.Value == "槐荫区" && c.Name != "山东省济南市槐荫区" {
			t.Errorf("county 槐荫区 name = %q, want 山东省济南市槐荫区", c.Name)
		}
	}

	sd := fetch(url.Values{"region": {"山东省"}})
	if sd.Total != provinces["山东省"] {
		t.Errorf("region=山东省: total %d, want the province count %d", sd.Total, provinces["山东省"])
	}
	if len(sd.Facets["city"]) == 0 {
		t.Fatal("region=山东省: no city facet values")
	}
	for _, c := range sd.Facets["city"] {
		if !strings.HasPrefix(c.Name, "山东省") {
			t.Errorf("region=山东省: city %q (%q) lies outside 山东省", c.Value, c.Name)
		}
	}
}
