package server

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// openAPIMethods are the keys of a path item that are operations.
var openAPIMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// pathParam matches an OpenAPI path template parameter.
var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// describedRoutes returns "METHOD gin-path" for every operation in the
// document. A GET also stands for HEAD: every read route answers both.
func describedRoutes(t *testing.T, d *openAPIDoc) []string {
	t.Helper()
	var out []string
	for p, item := range d.Paths {
		gin := pathParam.ReplaceAllString(p, ":$1")
		if raw, ok := item["x-gin-path"]; ok {
			if err := json.Unmarshal(raw, &gin); err != nil {
				t.Fatalf("paths[%q].x-gin-path: %v", p, err)
			}
		}
		for _, m := range openAPIMethods {
			if _, ok := item[m]; !ok {
				continue
			}
			out = append(out, strings.ToUpper(m)+" "+gin)
			if m == "get" {
				out = append(out, http.MethodHead+" "+gin)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestOpenAPIMatchesRoutes checks that every route registered in routes.go
// is described in openapi.json and every described route is registered.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	d, err := parseOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var registered []string
	for _, r := range New(Options{}).engine.Routes() {
		registered = append(registered, r.Method+" "+r.Path)
	}
	slices.Sort(registered)
	registered = slices.Compact(registered)
	if diff := cmp.Diff(registered, describedRoutes(t, d)); diff != "" {
		t.Errorf("routes in routes.go (-) and in openapi.json (+) differ; describe new routes in openapi.json:\n%s", diff)
	}
}

// TestOpenAPIDocument checks the document itself: each operation has a
// unique operationId, a summary and responses; every {param} in a path is
// declared as a path parameter; every $ref points at a component.
func TestOpenAPIDocument(t *testing.T) {
	t.Parallel()
	var doc map[string]any
	if err := json.Unmarshal(openAPIJSON, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if v, _ := doc["openapi"].(string); !strings.HasPrefix(v, "3.") {
		t.Errorf("openapi = %q, want 3.x", v)
	}
	refs := map[string]bool{}
	collectRefs(doc, refs)
	for ref := range refs {
		if resolve(doc, ref) == nil {
			t.Errorf("$ref %q points at nothing", ref)
		}
	}
	paths, _ := doc["paths"].(map[string]any)
	ids := map[string]string{}
	for p, v := range paths {
		item, _ := v.(map[string]any)
		for _, m := range openAPIMethods {
			op, ok := item[m].(map[string]any)
			if !ok {
				continue
			}
			where := strings.ToUpper(m) + " " + p
			id, _ := op["operationId"].(string)
			if id == "" {
				t.Errorf("%s: no operationId", where)
			} else if other, dup := ids[id]; dup {
				t.Errorf("%s: operationId %q also used by %s", where, id, other)
			}
			ids[id] = where
			if s, _ := op["summary"].(string); s == "" {
				t.Errorf("%s: no summary", where)
			}
			if r, _ := op["responses"].(map[string]any); len(r) == 0 {
				t.Errorf("%s: no responses", where)
			}
			declared := map[string]bool{}
			params, _ := op["parameters"].([]any)
			if shared, ok := item["parameters"].([]any); ok {
				params = append(params, shared...)
			}
			for _, pv := range params {
				pm, _ := pv.(map[string]any)
				if ref, ok := pm["$ref"].(string); ok {
					pm, _ = resolve(doc, ref).(map[string]any)
				}
				if pm["in"] == "path" {
					name, _ := pm["name"].(string)
					declared[name] = true
				}
			}
			for _, m := range pathParam.FindAllStringSubmatch(p, -1) {
				if !declared[m[1]] {
					t.Errorf("%s: path parameter %q not declared", where, m[1])
				}
			}
		}
	}
}

// collectRefs adds every "$ref" value found in v to refs.
func collectRefs(v any, refs map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok && k == "$ref" {
				refs[s] = true
				continue
			}
			collectRefs(e, refs)
		}
	case []any:
		for _, e := range x {
			collectRefs(e, refs)
		}
	}
}

// resolve follows a local JSON pointer ("#/components/schemas/Hit") in doc,
// returning nil when it leads nowhere.
func resolve(doc map[string]any, ref string) any {
	rest, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil
	}
	var cur any = doc
	for _, part := range strings.Split(rest, "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		if cur, ok = m[part]; !ok {
			return nil
		}
	}
	return cur
}

// TestOpenAPIServed checks the route serves the embedded document as JSON.
func TestOpenAPIServed(t *testing.T) {
	t.Parallel()
	h := New(Options{}).Handler()
	req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/api/v1/openapi.json", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /api/v1/openapi.json: status %d, want 200", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	var got map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatalf("decode served document: %v", err)
	}
	if _, ok := got["paths"].(map[string]any)["/api/v1/search"]; !ok {
		t.Errorf("served document has no /api/v1/search path")
	}
}
