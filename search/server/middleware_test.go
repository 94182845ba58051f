package server

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/google/go-cmp/cmp"
)

// testEngine returns a gin engine with the server's middleware and extra
// routes for misbehaving handlers.
func testEngine(t *testing.T, opts Options) (*gin.Engine, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	opts.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	s := New(opts)
	r := s.routes()
	r.GET("/test/panic", func(c *gin.Context) { panic("boom") })
	r.POST("/test/echo", s.handle(func(c *gin.Context) error {
		b, err := io.ReadAll(c.Request.Body)
		if err != nil {
			return err
		}
		c.String(http.StatusOK, "%d", len(b))
		return nil
	}))
	return r, &logs
}

// logLines decodes the JSON log lines in buf.
func logLines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	dec := json.NewDecoder(buf)
	for dec.More() {
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			t.Fatalf("decode log line: %v", err)
		}
		out = append(out, m)
	}
	return out
}

func TestRecovery(t *testing.T) {
	t.Parallel()
	r, logs := testEngine(t, Options{})
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/test/panic", nil))
	var body errorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("decode: %v; body %q", err, rec.Body.String())
	}
	if rec.Code != http.StatusInternalServerError || body.Error.Code != codeInternal {
		t.Errorf("panic = %d %+v, want 500 %s", rec.Code, body.Error, codeInternal)
	}
	if strings.Contains(body.Error.Message, "boom") {
		t.Errorf("panic value leaked to the client: %q", body.Error.Message)
	}
	var failed, access int
	for _, l := range logLines(t, logs) {
		switch l["msg"] {
		case "request failed":
			failed++
			if err, _ := l["error"].(string); !strings.Contains(err, "boom") {
				t.Errorf("error log = %q, want the panic value", err)
			}
		case "request":
			access++
			if l["status"] != float64(500) {
				t.Errorf("access log status = %v, want 500", l["status"])
			}
		}
	}
	if failed != 1 || access != 1 {
		t.Errorf("logged %d failures and %d access lines, want 1 and 1", failed, access)
	}
}

func TestAccessLog(t *testing.T) {
	t.Parallel()
	r, logs := testEngine(t, Options{})
	req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/api/v1/documents/a/b.txt?secret=1", nil)
	req.Header.Set(headerRequestID, "req-1")
	r.ServeHTTP(httptest.NewRecorder(), req)
	lines := logLines(t, logs)
	if len(lines) != 1 {
		t.Fatalf("got %d log lines, want 1: %v", len(lines), lines)
	}
	got := lines[0]
	delete(got, "time")
	delete(got, "duration")
	delete(got, "bytes")
	want := map[string]any{
		"level": "INFO", "msg": "request", "method": "GET", "route": "/api/v1/documents/*id",
		"status": float64(http.StatusServiceUnavailable), "request_id": "req-1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("access log mismatch (-want +got):\n%s", diff)
	}
}

func TestBodyLimit(t *testing.T) {
	t.Parallel()
	r, _ := testEngine(t, Options{MaxBodyBytes: 10, MaxWriteBytes: 10})
	tests := []struct {
		name          string
		body          io.Reader
		contentLength int64
		status        int
	}{
		{"small", strings.NewReader("12345"), 5, http.StatusOK},
		{"declared too large", strings.NewReader(strings.Repeat("x", 11)), 11, http.StatusRequestEntityTooLarge},
		{"chunked too large", io.MultiReader(strings.NewReader(strings.Repeat("x", 20))), -1, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/test/echo", tt.body)
			req.ContentLength = tt.contentLength
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, req)
			if rec.Code != tt.status {
				t.Errorf("POST %d bytes = %d, want %d", tt.contentLength, rec.Code, tt.status)
			}
		})
	}
}
