package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"policysearch/search/server"
)

// blockedWriter is a ResponseWriter whose first Write waits for release:
// the handler writing to it keeps its search slot until then.
type blockedWriter struct {
	*httptest.ResponseRecorder
	writing chan struct{} // closed when the first Write starts
	release chan struct{}
	started bool
}

func (w *blockedWriter) Write(b []byte) (int, error) {
	if !w.started {
		w.started = true
		close(w.writing)
		<-w.release
	}
	return w.ResponseRecorder.Write(b)
}

// TestMaxSearches checks that searches beyond Options.MaxSearches wait for
// a free slot, within the search timeout, and get one once a search ends.
func TestMaxSearches(t *testing.T) {
	t.Parallel()
	s := server.New(server.Options{MaxSearches: 1, SearchTimeout: 300 * time.Millisecond})
	s.SetService(sampleService(t))
	h := s.Handler()

	first := &blockedWriter{ResponseRecorder: httptest.NewRecorder(), writing: make(chan struct{}), release: make(chan struct{})}
	done := make(chan struct{})
	go func() {
		defer close(done)
		h.ServeHTTP(first, httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/api/v1/search?q=养老", nil))
	}()
	<-first.writing // the first search holds the only slot

	start := time.Now()
	rec := serve(t, h, http.MethodGet, "/api/v1/search?q=医养", nil)
	var body struct {
		Error struct{ Code string } `json:"error"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("decode %s: %v", rec.Body, err)
	}
	if rec.Code != http.StatusServiceUnavailable || body.Error.Code != "timeout" {
		t.Errorf("search while the slot is taken = %d %s, want 503 timeout", rec.Code, rec.Body)
	}
	if waited := time.Since(start); waited < 300*time.Millisecond {
		t.Errorf("search while the slot is taken gave up after %v, want the 300ms search timeout", waited)
	}

	close(first.release)
	<-done
	if first.Code != http.StatusOK {
		t.Errorf("first search = %d, want 200", first.Code)
	}
	if rec := serve(t, h, http.MethodGet, "/api/v1/search?q=医养", nil); rec.Code != http.StatusOK {
		t.Errorf("search after the slot was freed = %d %s, want 200", rec.Code, rec.Body)
	}
}
