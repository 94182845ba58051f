package corpus

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// sharedCorpus locates the shared corpus of 2,293 documents: the directory
// named by POLICYSEARCH_SHARED_CORPUS, else ../../shared/corpus relative to
// this package. It skips the test when the corpus is not there.
func sharedCorpus(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("POLICYSEARCH_SHARED_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "corpus")
	}
	if _, err := os.Stat(filepath.Join(dir, ManifestName)); err != nil {
		t.Skipf("shared corpus not found at %s (set POLICYSEARCH_SHARED_CORPUS to its directory): %v", dir, err)
	}
	return dir
}

func TestSharedCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 43 MB; skipped with -short")
	}
	t.Parallel()
	dir := sharedCorpus(t)
	docs, skips := loadAll(t, t.Context(), os.DirFS(dir), Options{})

	// The only files that do not become documents are 13 gov.cn pages whose
	// stored content is nothing but the page's print/close buttons (images
	// and links, 804 bytes each): there is no text to index.
	for _, s := range skips {
		if !strings.HasPrefix(s.Path, "docs/state-council-policies-govcn/") || !errors.Is(s, ErrEmpty) {
			t.Errorf("unexpected skip: %v", s)
		}
	}
	if len(skips) != 13 {
		t.Errorf("got %d skips, want the 13 empty gov.cn pages", len(skips))
	}
	if got, want := len(docs)+len(skips), 2293; got != want {
		t.Errorf("documents + skips = %d, want %d", got, want)
	}

	ids := map[string]string{}
	for _, d := range docs {
		if d.Title == "" || strings.TrimSpace(d.Body) == "" {
			t.Errorf("%s: empty title or body", d.Path)
		}
		for _, s := range []string{d.Title, d.Body, d.Region, d.Province, d.City, d.County, d.Type, d.Issuer} {
			if !utf8.ValidString(s) {
				t.Errorf("%s: invalid UTF-8", d.Path)
			}
		}
		if strings.ContainsRune(d.Body, utf8.RuneError) {
			t.Errorf("%s: body has replacement characters", d.Path)
		}
		if other, dup := ids[d.ID]; dup {
			t.Errorf("%s and %s share ID %s", d.Path, other, d.ID)
		}
		ids[d.ID] = d.Path
		if d.Level == "" || d.Region == "" || d.Year == 0 && d.Date != "" {
			t.Errorf("%s: level %q region %q year %d date %q", d.Path, d.Level, d.Region, d.Year, d.Date)
		}
	}
}

func TestSharedCorpusDefects(t *testing.T) {
	t.Parallel()
	dir := sharedCorpus(t)
	tests := []struct {
		name     string
		contains []string
		excludes []string
	}{
		{
			// GBK with CRLF.
			name:     "docs/gwr-national-gbk/2019.txt",
			contains: []string{"呼伦贝尔市海拉尔区人民政府代区长", "各位代表"},
			excludes: []string{"\r"},
		},
		{
			// Raw WordprocessingML whose text is also mojibake.
			name:     "docs/civilized-behaviour-regulations/海南省/2020_海南省文明行为促进条例.txt",
			contains: []string{"第一条 为了引导和促进文明行为，培育和践行社会主义核心价值观", "第六章 附则"},
			excludes: []string{"<w:", "pkg:", "æ", "\uFFFD"},
		},
		{
			// Literal \r\n and &nbsp; from the xlsx, aggregator watermark.
			name:     "docs/gwr-county-baoding/涞水县/2010_涞水县2010年政府工作报告.txt",
			contains: []string{"涞水县人民政府县长 于舒心"},
			excludes: []string{`\r\n`, "&nbsp;"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(tt.name)))
			if err != nil {
				t.Fatal(err)
			}
			d := parseOne(t, tt.name, data)
			for _, s := range tt.contains {
				if !strings.Contains(d.Body, s) {
					t.Errorf("body lacks %q", s)
				}
			}
			for _, s := range tt.excludes {
				if strings.Contains(d.Body, s) {
					t.Errorf("body contains %q", s)
				}
			}
			if n := utf8.RuneCountInString(d.Body); n > len(data) {
				t.Errorf("body has %d runes, more than the %d source bytes", n, len(data))
			}
		})
	}
}

func BenchmarkLoadShared(b *testing.B) {
	dir := os.Getenv("POLICYSEARCH_SHARED_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "corpus")
	}
	if _, err := os.Stat(dir); err != nil {
		b.Skipf("shared corpus not found at %s: %v", dir, err)
	}
	fsys := os.DirFS(dir)
	b.ReportAllocs()
	for b.Loop() {
		for range Load(b.Context(), fsys, Options{}) {
		}
	}
}
