package server_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"policysearch/search/server"
)

// BenchmarkSearchRoundTrip sends GET /api/v1/search through the real
// router (binding, search, facets, highlights, JSON encoding) over the
// sample index.
func BenchmarkSearchRoundTrip(b *testing.B) {
	h := newHandler(b, server.Options{})
	target := "/api/v1/search?" + url.Values{"q": {"养老 服务"}, "facets": {"region,year,type,level,topic"}}.Encode()
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequestWithContext(b.Context(), http.MethodGet, target, nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkRouteOverhead sends GET /healthz through the real router: the
// cost every request pays in middleware (request ID, access log, metrics,
// recovery, body cap, CORS, keys, rate limit) and JSON rendering, without
// a search.
func BenchmarkRouteOverhead(b *testing.B) {
	h := newHandler(b, server.Options{IPRate: server.RateLimit{Rate: 1e9, Burst: 1e9}})
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequestWithContext(b.Context(), http.MethodGet, "/healthz", nil)
		req.Header.Set("Origin", "https://example.org")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}
