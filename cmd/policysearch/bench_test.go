package main

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"policysearch/corpus"
	"policysearch/indexer"
)

// TestMain runs the program instead of the tests when the bench starts
// this binary as its child (the bench spawns os.Executable()).
func TestMain(m *testing.M) {
	if os.Getenv(benchChildEnv) == "1" && len(os.Args) > 1 && (os.Args[1] == benchBuildCommand || os.Args[1] == benchPlainCommand || isCommand(os.Args[1])) {
		os.Exit(run(os.Args[1:]))
	}
	os.Exit(m.Run())
}

// smallSample writes the n smallest documents of the embedded sample, with
// its manifest, into a new directory.
func smallSample(t *testing.T, n int) string {
	t.Helper()
	src := corpus.Sample()
	type file struct {
		path string
		size int64
	}
	var files []file
	err := fs.WalkDir(src, "docs", func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		files = append(files, file{p, info.Size()})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(files, func(a, b file) int { return int(a.size - b.size) })
	dir := t.TempDir()
	for _, f := range append(files[:min(n, len(files))], file{path: corpus.ManifestName}) {
		b, err := fs.ReadFile(src, f.path)
		if err != nil {
			t.Fatal(err)
		}
		to := filepath.Join(dir, filepath.FromSlash(f.path))
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestBench runs the bench on a few documents of the sample, scaled ×2,
// and checks the figures it writes.
func TestBench(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a build and a server; skipped with -short")
	}
	const docs, scale = 8, 2
	dir := smallSample(t, docs)
	out := filepath.Join(t.TempDir(), "bench.json")
	kept := filepath.Join(t.TempDir(), "index")
	if code := run([]string{"bench", "--corpus", dir, "--scale", "2", "--duration", "200ms", "--json", out, "--keep-index", kept}); code != exitOK {
		t.Fatalf("bench exit code = %d, want %d", code, exitOK)
	}
	idx, err := indexer.Open(kept)
	if err != nil {
		t.Fatalf("open the kept index: %v", err)
	}
	n, err := idx.DocCount()
	if cerr := idx.Close(); cerr != nil {
		t.Error(cerr)
	}
	if err != nil || n != docs*scale {
		t.Errorf("kept index holds %d documents (%v), want %d", n, err, docs*scale)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("bench JSON: %v", err)
	}
	for _, k := range []string{
		"ceiling_mb_s", "index_mb_s", "index_ratio", "index_bytes", "peak_rss_bytes",
		"query_p50_ms", "query_p99_ms", "load_qps", "load_p99_ms", "cold_start_ms",
	} {
		v, ok := got[k].(float64)
		if !ok || v <= 0 {
			t.Errorf("bench JSON %s = %v, want a positive number", k, got[k])
		}
	}
	if n, _ := got["docs"].(float64); int(n) != docs*scale {
		t.Errorf("bench JSON docs = %v, want %d (%d documents ×%d)", got["docs"], docs*scale, docs, scale)
	}
	p50, _ := got["query_p50_ms"].(float64)
	p99, _ := got["query_p99_ms"].(float64)
	if p50 > p99 {
		t.Errorf("query_p50_ms %v > query_p99_ms %v", p50, p99)
	}
	if r, _ := got["index_ratio"].(float64); r > 3 {
		t.Errorf("index_ratio = %v: indexing faster than segmenting alone is a measuring error", r)
	}
	if runtime.GOOS == "linux" {
		// Sampled from /proc: a child that ran at all has some.
		for _, k := range []string{"peak_anon_bytes", "serve_peak_anon_bytes"} {
			if v, _ := got[k].(float64); v <= 0 {
				t.Errorf("bench JSON %s = %v, want a positive number on Linux", k, got[k])
			}
		}
		if a, r := got["peak_anon_bytes"].(float64), got["peak_rss_bytes"].(float64); a > r {
			t.Errorf("peak_anon_bytes %v > peak_rss_bytes %v", a, r)
		}
	}
	base, _ := got["baseline"].(map[string]any)
	for _, k := range []string{"index_mb_s", "index_bytes", "peak_rss_bytes", "http_p50_ms", "load_qps"} {
		if v, ok := base[k].(float64); !ok || v <= 0 {
			t.Errorf("bench JSON baseline.%s = %v, want a positive number", k, base[k])
		}
	}
	if s, _ := got["dict_load_share"].(float64); s <= 0 || s > 1 {
		t.Errorf("dict_load_share = %v, want in (0, 1]", s)
	}
}
