package server_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"policysearch/search"
	"policysearch/search/server"
)

// documentResult is the part of GET /api/v1/documents/{id} about
// permalinks, as a client sees it.
type documentResult struct {
	ID         string             `json:"id"`
	Title      string             `json:"title"`
	Body       string             `json:"body"`
	DocNumber  string             `json:"doc_number"`
	Date       string             `json:"date"`
	DupGroup   string             `json:"dup_group"`
	Permalink  string             `json:"permalink"`
	Citation   string             `json:"citation"`
	Paragraphs []search.Paragraph `json:"paragraphs"`
}

// passageResult is the JSON of GET /api/v1/documents/{id}/passages/{ref}.
type passageResult struct {
	Requested string `json:"requested"`
	Status    string `json:"status"`
	N         int    `json:"n"`
	Hash      string `json:"hash"`
	Start     int    `json:"start"`
	End       int    `json:"end"`
	Ref       string `json:"ref"`
	Link      string `json:"link"`
	Text      string `json:"text"`
}

// docWithNumber finds a sample document that has a 文号 through the search
// API.
func docWithNumber(t *testing.T, h http.Handler) documentResult {
	t.Helper()
	res := get(t, h, url.Values{"q": {"国务院令"}, "size": {"20"}})
	for _, hit := range res.Hits {
		rec := serve(t, h, http.MethodGet, hit.URL, nil)
		d := decode[documentResult](t, rec)
		if d.DocNumber != "" {
			return d
		}
	}
	t.Fatal("no sample document with a 文号 among the hits of 国务院令")
	return documentResult{}
}

// TestDocumentCitation checks the permalink, the citation text and the
// paragraphs of a document, with the base URL from the request and from
// Options.PublicURL.
func TestDocumentCitation(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		opts server.Options
		base string
	}{
		{"request host", server.Options{}, "http://example.com"},
		{"public url", server.Options{PublicURL: "https://policy.example.org/"}, "https://policy.example.org"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHandler(t, tt.opts)
			d := docWithNumber(t, h)
			if want := tt.base + "/documents/" + d.ID; d.Permalink != want {
				t.Errorf("permalink = %q, want %q", d.Permalink, want)
			}
			for _, part := range []string{d.Title, d.DocNumber, d.Date, d.Permalink} {
				if !strings.Contains(d.Citation, part) {
					t.Errorf("citation %q lacks %q", d.Citation, part)
				}
			}
			if !strings.HasPrefix(d.Citation, d.Title+"，") || !strings.HasSuffix(d.Citation, "，"+d.Permalink) {
				t.Errorf("citation %q: want title first and link last", d.Citation)
			}
			runes := []rune(d.Body)
			if len(d.Paragraphs) == 0 {
				t.Fatal("no paragraphs")
			}
			for i, p := range d.Paragraphs {
				if p.N != i+1 || p.Start >= p.End || p.End > len(runes) {
					t.Fatalf("paragraph %d = %+v: bad number or offsets (body %d runes)", i, p, len(runes))
				}
				if got := search.ParagraphHash(string(runes[p.Start:p.End])); got != p.Hash {
					t.Fatalf("paragraph %d hash %s, want %s", p.N, p.Hash, got)
				}
			}
		})
	}
}

// TestPassage resolves a passage link of a document over HTTP, and checks
// the errors for a malformed link, an unknown passage and an unknown
// document.
func TestPassage(t *testing.T) {
	t.Parallel()
	h := newHandler(t, server.Options{PublicURL: "https://policy.example.org"})
	d := docWithNumber(t, h)
	p := d.Paragraphs[len(d.Paragraphs)/2]
	ref := "p" + strconv.Itoa(p.N) + "-" + p.Hash
	rec := serve(t, h, http.MethodGet, "/api/v1/documents/"+d.ID+"/passages/"+ref, nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d, want 200; body %.300s", rec.Code, rec.Body.String())
	}
	got := decode[passageResult](t, rec)
	runes := []rune(d.Body)
	want := passageResult{Requested: ref, Status: search.PassageExact, N: p.N, Hash: p.Hash, Start: p.Start, End: p.End,
		Ref: ref, Link: d.Permalink + "#" + ref, Text: string(runes[p.Start:p.End])}
	if got != want {
		t.Errorf("passage = %+v\nwant %+v", got, want)
	}
	// A link whose hash is now at another number is found there.
	other := d.Paragraphs[0]
	moved := decode[passageResult](t, serve(t, h, http.MethodGet, "/api/v1/documents/"+d.ID+"/passages/p"+strconv.Itoa(p.N)+"-"+other.Hash, nil))
	if moved.Status != search.PassageMoved || moved.N != other.N {
		t.Errorf("hash of paragraph %d under number %d: status %s, paragraph %d; want moved, %d", other.N, p.N, moved.Status, moved.N, other.N)
	}
	for _, tt := range []struct {
		path string
		code int
	}{
		{"/api/v1/documents/" + d.ID + "/passages/p1", http.StatusBadRequest},
		{"/api/v1/documents/" + d.ID + "/passages/p100000-00000000", http.StatusNotFound},
		{"/api/v1/documents/nope/passages/" + ref, http.StatusNotFound},
	} {
		rec := serve(t, h, http.MethodGet, tt.path, nil)
		if rec.Code != tt.code {
			t.Errorf("GET %s: status %d, want %d", tt.path, rec.Code, tt.code)
		}
		if e := decode[errorResult](t, rec); e.Error.Code == "" || e.Error.Message == "" {
			t.Errorf("GET %s: error body %+v lacks code or message", tt.path, e)
		}
	}
}

// TestRelatedAPI checks GET /api/v1/documents/{id}/related: hits in the
// search hit shape, never the document itself, other_regions and
// exclude_region honoured, and errors for bad input.
func TestRelatedAPI(t *testing.T) {
	t.Parallel()
	h := newHandler(t, server.Options{})
	res := get(t, h, url.Values{"q": {"文明行为促进条例"}, "region": {"北京市"}})
	if len(res.Hits) == 0 {
		t.Fatal("no 北京市 文明行为促进条例 in the sample")
	}
	doc := res.Hits[0]
	for _, tt := range []struct {
		query    string
		excluded []string
	}{
		{"size=5", nil},
		{"size=5&other_regions=true", []string{doc.Region}},
		{"size=5&exclude_region=天津市,内蒙古自治区&exclude_region=海南省", []string{"天津市", "内蒙古自治区", "海南省"}},
	} {
		rec := serve(t, h, http.MethodGet, doc.URL+"/related?"+tt.query, nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("related?%s: status %d; body %.300s", tt.query, rec.Code, rec.Body.String())
		}
		rel := decode[searchResult](t, rec)
		if len(rel.Hits) != 5 {
			t.Errorf("related?%s: %d hits, want 5", tt.query, len(rel.Hits))
		}
		for _, hit := range rel.Hits {
			if hit.ID == doc.ID {
				t.Errorf("related?%s: the document itself", tt.query)
			}
			if slices.Contains(tt.excluded, hit.Region) {
				t.Errorf("related?%s: hit %s of excluded region %s", tt.query, hit.Title, hit.Region)
			}
			if !strings.HasPrefix(hit.URL, "/api/v1/documents/") {
				t.Errorf("related?%s: hit url %q", tt.query, hit.URL)
			}
		}
	}
	for _, tt := range []struct {
		path string
		code int
	}{
		{doc.URL + "/related?size=1000", http.StatusBadRequest},
		{doc.URL + "/related?other_regions=maybe", http.StatusBadRequest},
		{"/api/v1/documents/nope/related", http.StatusNotFound},
	} {
		if rec := serve(t, h, http.MethodGet, tt.path, nil); rec.Code != tt.code {
			t.Errorf("GET %s: status %d, want %d", tt.path, rec.Code, tt.code)
		}
	}
}

// TestSearchCollapseParams checks the near-duplicate fields and parameters
// of the search API on the sample, where every document is its own group.
func TestSearchCollapseParams(t *testing.T) {
	t.Parallel()
	h := newHandler(t, server.Options{})
	type collapsed struct {
		Total     uint64 `json:"total"`
		Groups    uint64 `json:"groups"`
		Collapsed bool   `json:"collapsed"`
		Hits      []struct {
			ID          string   `json:"id"`
			DupGroup    string   `json:"dup_group"`
			Copies      int      `json:"copies"`
			CopyRegions []string `json:"copy_regions"`
		} `json:"hits"`
	}
	on := decode[collapsed](t, serve(t, h, http.MethodGet, "/api/v1/search?q=条例&size=100", nil))
	off := decode[collapsed](t, serve(t, h, http.MethodGet, "/api/v1/search?q=条例&size=100&collapse=false", nil))
	if !on.Collapsed || off.Collapsed || on.Total != off.Total || off.Groups != off.Total || on.Groups > on.Total {
		t.Errorf("collapse on: %+v / off: %+v (collapsed, total, groups)", [3]any{on.Collapsed, on.Total, on.Groups}, [3]any{off.Collapsed, off.Total, off.Groups})
	}
	copies := 0
	for _, hit := range on.Hits {
		if hit.DupGroup == "" || hit.CopyRegions == nil {
			t.Errorf("hit %s: dup_group %q, copy_regions %v; want both set", hit.ID, hit.DupGroup, hit.CopyRegions)
		}
		copies += 1 + hit.Copies
	}
	if uint64(copies) != on.Total || uint64(len(on.Hits)) != on.Groups {
		t.Errorf("%d hits with %d documents, want %d groups and %d documents", len(on.Hits), copies, on.Groups, on.Total)
	}
	g := on.Hits[0].DupGroup
	members := decode[collapsed](t, serve(t, h, http.MethodGet, "/api/v1/search?dup_group="+url.QueryEscape(g), nil))
	if members.Collapsed || len(members.Hits) != 1+on.Hits[0].Copies {
		t.Errorf("dup_group=%s: %d members (collapsed %v), want %d", g, len(members.Hits), members.Collapsed, 1+on.Hits[0].Copies)
	}
	for _, m := range members.Hits {
		if m.DupGroup != g {
			t.Errorf("dup_group=%s lists %s of group %s", g, m.ID, m.DupGroup)
		}
	}
	if rec := serve(t, h, http.MethodGet, "/api/v1/search?q=条例&collapse=maybe", nil); rec.Code != http.StatusBadRequest {
		t.Errorf("collapse=maybe: status %d, want 400", rec.Code)
	}
}

// TestSearchSelf checks that a search names its own canonical URL, with
// every parameter, and that fetching it gives the same answer.
func TestSearchSelf(t *testing.T) {
	t.Parallel()
	h := newHandler(t, server.Options{})
	type page struct {
		Self  string `json:"self"`
		Total uint64 `json:"total"`
		Hits  []struct {
			ID string `json:"id"`
		} `json:"hits"`
	}
	first := decode[page](t, serve(t, h, http.MethodGet, "/api/v1/search?size=3&q=条例&from=2&collapse=false&region=北京市,天津市&region=&sort=date&highlight=false", nil))
	want := "/api/v1/search?" + url.Values{"q": {"条例"}, "size": {"3"}, "from": {"2"}, "collapse": {"false"},
		"region": {"北京市,天津市"}, "sort": {"date"}, "highlight": {"false"}}.Encode()
	if first.Self != want {
		t.Errorf("self = %s\nwant %s", first.Self, want)
	}
	again := decode[page](t, serve(t, h, http.MethodGet, first.Self, nil))
	if again.Self != first.Self || again.Total != first.Total || len(again.Hits) != len(first.Hits) || len(first.Hits) == 0 {
		t.Fatalf("self URL answered %+v, first %+v", again, first)
	}
	for i := range first.Hits {
		if again.Hits[i].ID != first.Hits[i].ID {
			t.Errorf("hit %d: %s by the self URL, %s first", i, again.Hits[i].ID, first.Hits[i].ID)
		}
	}
}
