package measure

import (
	"bufio"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	t.Parallel()
	ms := func(n ...int) *Latencies {
		var l Latencies
		for _, v := range n {
			l.Add(time.Duration(v) * time.Millisecond)
		}
		return &l
	}
	tests := []struct {
		name string
		l    *Latencies
		p    float64
		want time.Duration
	}{
		{"empty", ms(), 50, 0},
		{"one", ms(7), 99, 7 * time.Millisecond},
		{"median of unsorted", ms(5, 1, 4, 2, 3), 50, 3 * time.Millisecond},
		{"p99 of 100 is the 99th", ms(seq(100)...), 99, 99 * time.Millisecond},
		{"p100 is the largest", ms(seq(100)...), 100, 100 * time.Millisecond},
		{"p1 of 100 is the first", ms(seq(100)...), 1, 1 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.l.Percentile(tt.p); got != tt.want {
				t.Errorf("Percentile(%v) = %v, want %v", tt.p, got, tt.want)
			}
		})
	}
}

// seq returns 1..n.
func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

// TestWriteScaled scales a two-document corpus three times and checks the
// files and the manifest: new paths, the same years in copy 0 and years
// moved back in the others.
func TestWriteScaled(t *testing.T) {
	t.Parallel()
	src := t.TempDir()
	for _, f := range []string{"docs/a.txt", "docs/b.txt", "README.md"} {
		p := filepath.Join(src, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("关于推进医养结合的通知"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	manifest := `{"path":"docs/a.txt","year":2020,"date":"2020-05-01"}` + "\n" + `{"path":"docs/b.txt","year":2019,"date":"2019"}` + "\n"
	if err := os.WriteFile(filepath.Join(src, manifestName), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "x3")
	if err := WriteScaled(src, dst, 3); err != nil {
		t.Fatalf("WriteScaled: %v", err)
	}
	for _, p := range []string{"x00/docs/a.txt", "x01/docs/b.txt", "x02/docs/a.txt"} {
		if b, err := os.ReadFile(filepath.Join(dst, p)); err != nil || string(b) != "关于推进医养结合的通知" {
			t.Errorf("read %s = %q, %v; want the source text", p, b, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dst, "x01", "README.md")); !os.IsNotExist(err) {
		t.Errorf("README.md was copied (stat error %v): it is not a document", err)
	}
	f, err := os.Open(filepath.Join(dst, manifestName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type entry struct {
		Path string `json:"path"`
		Year int    `json:"year"`
		Date string `json:"date"`
	}
	var got []entry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		got = append(got, e)
	}
	want := []entry{
		{"x00/docs/a.txt", 2020, "2020-05-01"}, {"x00/docs/b.txt", 2019, "2019"},
		{"x01/docs/a.txt", 2019, "2019-05-01"}, {"x01/docs/b.txt", 2018, "2018"},
		{"x02/docs/a.txt", 2018, "2018-05-01"}, {"x02/docs/b.txt", 2017, "2017"},
	}
	if len(got) != len(want) {
		t.Fatalf("manifest has %d lines, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("manifest line %d = %+v, want %+v", i+1, got[i], want[i])
		}
	}
}

// TestLoad runs a short load against a test server that fails one path,
// and checks that answers and failures are counted apart.
func TestLoad(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/bad" {
			http.Error(w, "no", http.StatusBadRequest)
			return
		}
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	res, err := Load(t.Context(), srv.Client(), []string{srv.URL + "/good", srv.URL + "/bad"}, 4, 200*time.Millisecond)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if res.Requests == 0 || res.Errors == 0 {
		t.Errorf("Load answered %d, failed %d; want both above zero", res.Requests, res.Errors)
	}
	if res.QPS() <= 0 || res.Latencies.Percentile(99) <= 0 {
		t.Errorf("QPS %v, p99 %v; want positive", res.QPS(), res.Latencies.Percentile(99))
	}
	if _, err := Load(t.Context(), srv.Client(), nil, 4, time.Millisecond); err == nil {
		t.Error("Load with no URLs: want an error")
	}
}

// TestSampleAnon samples this test process, whose anonymous memory holds
// at least a block it has just allocated and touched.
func TestSampleAnon(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc: Linux only")
	}
	block := make([]byte, 64<<20)
	for i := range block {
		block[i] = byte(i)
	}
	s := SampleAnon(os.Getpid(), 10*time.Millisecond)
	time.Sleep(50 * time.Millisecond)
	peak := s.Stop()
	if peak < int64(len(block)) {
		t.Errorf("peak anonymous memory %d bytes, want at least the %d-byte block", peak, len(block))
	}
	if again := s.Stop(); again != peak {
		t.Errorf("second Stop = %d, want %d", again, peak)
	}
	runtime.KeepAlive(block)
	if got := SampleAnon(1<<30, time.Millisecond).Stop(); got != 0 {
		t.Errorf("sampling a process that does not exist = %d, want 0", got)
	}
}
