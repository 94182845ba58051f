package server_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"policysearch/search/server"
)

// assetRef matches the src and href attributes of a page.
var assetRef = regexp.MustCompile(`(?:src|href)="([^"]*)"`)

// TestPages checks each page's status, type and security headers, and that
// everything a page refers to is served by the same host.
func TestPages(t *testing.T) {
	t.Parallel()
	h := server.New(server.Options{}).Handler()
	restricted := server.New(server.Options{AllowedOrigins: []string{"https://news.example", "https://bad.example; script-src *"}}).Handler()
	tests := []struct {
		name      string
		h         http.Handler
		target    string
		wantType  string
		wantCSP   string // a part the Content-Security-Policy must have
		checkRefs bool
	}{
		{"search page", h, "/", "text/html", "frame-ancestors 'self'", true},
		{"search page with state", h, "/?q=%E5%8C%BB%E5%85%BB&region=%E5%B1%B1%E4%B8%9C%E7%9C%81&sort=date&from=10", "text/html", "default-src 'self'", false},
		{"document page", h, "/documents/d21fdf18c4f5f269", "text/html", "frame-ancestors 'self'", true},
		{"document page, ID with slashes", h, "/documents/docs/seed/a%20b.txt", "text/html", "default-src 'self'", false},
		{"compare page", h, "/compare?q=%E5%8C%BB%E5%85%BB&level=city", "text/html", "frame-ancestors 'self'", true},
		{"embed page, any origin may frame", h, "/embed?q=%E5%8C%BB%E5%85%BB", "text/html", "frame-ancestors *", true},
		{"embed page, allowed origins may frame", restricted, "/embed", "text/html", "frame-ancestors 'self' https://news.example", false},
		{"widget", h, "/widget.js", "javascript", "", false},
		{"echarts bundle", h, "/static/vendor/echarts.min.js", "javascript", "", false},
		{"echarts licence", h, "/static/vendor/echarts.LICENSE.txt", "text/plain", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := serve(t, tt.h, http.MethodGet, tt.target, nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s: status %d, want 200", tt.target, rec.Code)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.Contains(ct, tt.wantType) {
				t.Errorf("GET %s: Content-Type %q, want %s", tt.target, ct, tt.wantType)
			}
			csp := rec.Header().Get("Content-Security-Policy")
			if !strings.Contains(csp, tt.wantCSP) {
				t.Errorf("GET %s: Content-Security-Policy %q, want %q in it", tt.target, csp, tt.wantCSP)
			}
			if strings.Contains(csp, "bad.example") {
				t.Errorf("GET %s: an origin with a semicolon made it into the policy: %q", tt.target, csp)
			}
			if !tt.checkRefs {
				return
			}
			for _, m := range assetRef.FindAllStringSubmatch(rec.Body.String(), -1) {
				ref := m[1]
				if strings.HasPrefix(ref, "data:") || strings.HasPrefix(ref, "#") {
					continue
				}
				if !strings.HasPrefix(ref, "/") || strings.HasPrefix(ref, "//") {
					t.Errorf("%s refers to %q, not a path on this host", tt.target, ref)
					continue
				}
				if strings.HasPrefix(ref, "/api/") || ref == "/" || ref == "/compare" {
					continue
				}
				if r := serve(t, h, http.MethodGet, ref, nil); r.Code != http.StatusOK {
					t.Errorf("%s refers to %s: status %d", tt.target, ref, r.Code)
				}
			}
		})
	}
}

// TestWidgetSize keeps the widget small: it is loaded on other sites' pages.
func TestWidgetSize(t *testing.T) {
	t.Parallel()
	const budget = 8 << 10
	rec := serve(t, server.New(server.Options{}).Handler(), http.MethodGet, "/widget.js", nil)
	if n := rec.Body.Len(); n == 0 || n > budget {
		t.Errorf("widget.js is %d bytes, want 1 to %d", n, budget)
	}
	for _, dep := range []string{"import ", "import(", "require(", `createElement("script")`, "XMLHttpRequest"} {
		if strings.Contains(rec.Body.String(), dep) {
			t.Errorf("widget.js contains %q: it must load nothing else", dep)
		}
	}
}

// TestPagesNotAsStatic checks that pages are served only at their paths,
// with their headers, not as static files.
func TestPagesNotAsStatic(t *testing.T) {
	t.Parallel()
	h := server.New(server.Options{}).Handler()
	for _, target := range []string{"/static/index.html", "/static/document.html", "/static/compare.html", "/static/embed.html", "/static/nope.js", "/static/../ui.go"} {
		if rec := serve(t, h, http.MethodGet, target, nil); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", target, rec.Code)
		}
	}
}
