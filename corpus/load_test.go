package corpus

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// loadAll runs Load to the end and returns the documents and the skips;
// any other error fails the test.
func loadAll(t testing.TB, ctx context.Context, fsys fs.FS, opts Options) ([]Document, []*SkipError) {
	t.Helper()
	var docs []Document
	var skips []*SkipError
	for d, err := range Load(ctx, fsys, opts) {
		if err != nil {
			var skip *SkipError
			if !errors.As(err, &skip) {
				t.Fatalf("Load() fatal error = %v", err)
			}
			skips = append(skips, skip)
			continue
		}
		docs = append(docs, d)
	}
	return docs, skips
}

func TestLoadTestdata(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	docs, skips := loadAll(t, t.Context(), os.DirFS("testdata/corpus"), Options{Logger: logger})

	var paths []string
	for _, d := range docs {
		paths = append(paths, d.Path)
	}
	wantPaths := []string{
		"gbk/2013_hailaer_excerpt.txt",
		"html/2018-11-09_site_consolidation_gbk.htm",
		"html/2018-12-06_holidays_2019.html",
		"json/resolutions_array.json",
		"jsonl/npc_resolutions.jsonl",
		"jsonl/npc_resolutions.jsonl",
		"md/songjiang_urban_renewal_2025.md",
		"wordml/2020_hainan_civilized_behaviour_excerpt.txt",
	}
	if diff := cmp.Diff(wantPaths, paths); diff != "" {
		t.Errorf("loaded documents mismatch (-want +got):\n%s", diff)
	}

	type skipInfo struct {
		Path string
		Line int
		Err  error
	}
	var got []skipInfo
	for _, s := range skips {
		var sentinel error
		for _, e := range []error{ErrBinary, ErrEmpty, ErrNoText} {
			if errors.Is(s, e) {
				sentinel = e
			}
		}
		got = append(got, skipInfo{s.Path, s.Line, sentinel})
	}
	want := []skipInfo{
		{"bad/binary.txt", 0, ErrBinary},
		{"bad/empty.txt", 0, ErrEmpty},
		{"bad/whitespace.md", 0, ErrEmpty},
		{"json/resolutions_array.json", 2, ErrNoText},
		{"jsonl/npc_resolutions.jsonl", 2, nil}, // invalid json
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
		t.Errorf("skips mismatch (-want +got):\n%s", diff)
	}
	for _, s := range skips {
		if s.Reason == "" || !strings.Contains(s.Error(), s.Path) {
			t.Errorf("skip %#v lacks a reason or path in %q", s, s.Error())
		}
	}
	if !strings.Contains(logs.String(), "manifest line ignored") || !strings.Contains(logs.String(), "line=2") {
		t.Errorf("the broken manifest line was not logged at Warn; logs:\n%s", logs.String())
	}
}

func TestLoadManifest(t *testing.T) {
	t.Parallel()
	docs, _ := loadAll(t, t.Context(), os.DirFS("testdata/corpus"), Options{})
	byPath := map[string]Document{}
	for _, d := range docs {
		byPath[d.Path] = d
	}
	tests := []struct {
		path string
		want meta
		num  string
	}{
		{
			// The manifest's title, region and date replace the inferred ones.
			path: "gbk/2013_hailaer_excerpt.txt",
			want: meta{Title: "2013年海拉尔区政府工作报告", Region: "海拉尔区", Province: "内蒙古自治区", City: "呼伦贝尔市",
				County: "海拉尔区", Level: LevelCounty, Date: "2013-02-28", Year: 2013, Type: "政府工作报告"},
		},
		{
			// Line 2 for this file is broken and ignored; line 3 applies.
			path: "md/songjiang_urban_renewal_2025.md",
			want: meta{Title: "上海市松江区人民政府办公室关于转发区建设管理委制订的《松江区城市更新2025年度实施计划》的通知",
				Region: "松江区", Province: "上海市", City: "上海市", County: "松江区", Level: LevelCounty,
				Date: "2025-07-15", Year: 2025, Type: "区县政府政策文件"},
			num: "沪松府办〔2025〕31号",
		},
		{
			// Not in the manifest: inferred, the 文号 from the line under
			// the title.
			path: "html/2018-12-06_holidays_2019.html",
			want: meta{Title: "国务院办公厅关于2019年部分节假日安排的通知", Region: RegionNational, Level: LevelNational,
				Date: "2018-12-06", Year: 2018, Type: "通知"},
			num: "国办发明电〔2018〕15号",
		},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			d, ok := byPath[tt.path]
			if !ok {
				t.Fatalf("no document for %s", tt.path)
			}
			if diff := cmp.Diff(tt.want, metaOf(d)); diff != "" {
				t.Errorf("metadata of %s mismatch (-want +got):\n%s", tt.path, diff)
			}
			if d.DocNumber != tt.num {
				t.Errorf("DocNumber = %q, want %q", d.DocNumber, tt.num)
			}
		})
	}
}

func TestLoadManifestGroups(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"manifest.jsonl": {Data: []byte(strings.Join([]string{
			`{"path": "a.txt", "region": "全国", "level": "national", "year": null, "date": ""}`,
			`{"path": "b.txt", "title": "只改标题"}`,
			`not json at all`,
			`{"path": "c.txt", "level": "galactic", "year": 2019}`,
		}, "\n"))},
		"a.txt": {Data: []byte("上海航运交易所管理规定\n\n1996年9月19日 经国务院批准")},
		"b.txt": {Data: []byte("济南市养老服务条例\n\n2020年1月1日通过")},
		"c.txt": {Data: []byte("青岛市养老服务促进条例")},
	}
	docs, skips := loadAll(t, t.Context(), fsys, Options{})
	if len(skips) != 0 {
		t.Fatalf("skips = %v, want none", skips)
	}
	var got []meta
	for _, d := range docs {
		got = append(got, metaOf(d))
	}
	want := []meta{
		// The region group comes from the manifest as a whole, so the
		// inferred 上海市 does not survive next to level national; the date
		// group is empty in the manifest and stays inferred.
		{Title: "上海航运交易所管理规定", Region: RegionNational, Level: LevelNational, Date: "1996-09-19", Year: 1996, Type: "规定"},
		{Title: "只改标题", Region: "济南市", Province: "山东省", City: "济南市", Level: LevelCity, Date: "2020-01-01", Year: 2020, Type: "地方性法规"},
		// An unknown level is ignored; the year replaces the date group.
		{Title: "青岛市养老服务促进条例", Region: "青岛市", Province: "山东省", City: "青岛市", Level: LevelCity, Date: "2019", Year: 2019, Type: "地方性法规"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("metadata mismatch (-want +got):\n%s", diff)
	}
}

func TestLoadStableIDs(t *testing.T) {
	t.Parallel()
	ids := func() []string {
		docs, _ := loadAll(t, t.Context(), Sample(), Options{})
		var out []string
		for _, d := range docs {
			out = append(out, d.ID)
		}
		return out
	}
	first, second := ids(), ids()
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("IDs differ between two loads (-first +second):\n%s", diff)
	}
	seen := map[string]bool{}
	for _, id := range first {
		if seen[id] {
			t.Errorf("ID %s appears twice", id)
		}
		seen[id] = true
	}
	if got, want := first[0], DocID("docs/civilized-behaviour-regulations/内蒙古自治区/2020_内蒙古自治区文明行为促进条例.txt"); got != want {
		t.Errorf("first ID = %s, want DocID of its path %s", got, want)
	}
}

func TestLoadOrderAndRootFiles(t *testing.T) {
	t.Parallel()
	doc := &fstest.MapFile{Data: []byte("标题\n\n正文"), ModTime: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)}
	fsys := fstest.MapFS{
		"README.md":        doc,
		"LICENSE":          doc,
		"manifest.jsonl":   {Data: []byte("")},
		".hidden.txt":      doc,
		".git/config.txt":  doc,
		"b/README.md":      doc, // only the root's README is not a document
		"a/2.txt":          doc,
		"a/10.txt":         doc,
		"c/picture.png":    {Data: []byte("\x89PNG")},
		"c/notes.markdown": doc,
	}
	docs, skips := loadAll(t, t.Context(), fsys, Options{})
	var paths []string
	for _, d := range docs {
		paths = append(paths, d.Path)
		if !d.ModTime.Equal(doc.ModTime) {
			t.Errorf("%s: ModTime = %v, want %v", d.Path, d.ModTime, doc.ModTime)
		}
	}
	if diff := cmp.Diff([]string{"a/10.txt", "a/2.txt", "b/README.md", "c/notes.markdown"}, paths); diff != "" {
		t.Errorf("documents mismatch (-want +got):\n%s", diff)
	}
	if len(skips) != 1 || skips[0].Path != "c/picture.png" || !errors.Is(skips[0], ErrUnsupported) {
		t.Errorf("skips = %v, want one ErrUnsupported for c/picture.png", skips)
	}
	if len(skips) == 1 && skips[0].Reason != "unsupported format .png" {
		t.Errorf("Reason = %q, want %q", skips[0].Reason, "unsupported format .png")
	}
}

func TestLoadMaxFileBytes(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"small.txt": {Data: []byte("小文件")},
		"large.txt": {Data: []byte(strings.Repeat("大文件内容。", 100))},
	}
	docs, skips := loadAll(t, t.Context(), fsys, Options{MaxFileBytes: 100})
	if len(docs) != 1 || docs[0].Path != "small.txt" {
		t.Errorf("documents = %v, want only small.txt", docs)
	}
	if len(skips) != 1 || !errors.Is(skips[0], ErrTooLarge) {
		t.Errorf("skips = %v, want one ErrTooLarge", skips)
	}
	docs, _ = loadAll(t, t.Context(), fsys, Options{MaxFileBytes: -1})
	if len(docs) != 2 {
		t.Errorf("with no limit got %d documents, want 2", len(docs))
	}
}

func TestLoadFatal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		ctx  func() context.Context
		fsys fs.FS
		want error
	}{
		{
			name: "cancelled context",
			ctx: func() context.Context {
				ctx, cancel := context.WithCancel(t.Context())
				cancel()
				return ctx
			},
			fsys: Sample(),
			want: context.Canceled,
		},
		{
			name: "missing root",
			ctx:  t.Context,
			fsys: os.DirFS(path.Join(t.TempDir(), "does-not-exist")),
			want: fs.ErrNotExist,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var errs []error
			n := 0
			for _, err := range Load(tt.ctx(), tt.fsys, Options{}) {
				n++
				if err != nil {
					errs = append(errs, err)
				}
			}
			if n != 1 || len(errs) != 1 {
				t.Fatalf("Load yielded %d results with errors %v, want exactly one fatal error", n, errs)
			}
			var skip *SkipError
			if errors.As(errs[0], &skip) || !errors.Is(errs[0], tt.want) {
				t.Errorf("Load() error = %v, want a non-skip error wrapping %v", errs[0], tt.want)
			}
		})
	}
}

func TestLoadCancelMidway(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	n := 0
	var last error
	for _, err := range Load(ctx, Sample(), Options{}) {
		n++
		if n == 3 {
			cancel()
		}
		last = err
	}
	if !errors.Is(last, context.Canceled) || n != 4 {
		t.Errorf("after cancelling at the 3rd document got %d results ending in %v, want 4 ending in context.Canceled", n, last)
	}
}

func TestLoadStopEarly(t *testing.T) {
	t.Parallel()
	n := 0
	for range Load(t.Context(), Sample(), Options{}) {
		n++
		if n == 2 {
			break
		}
	}
	if n != 2 {
		t.Errorf("iteration went on to %d after break", n)
	}
}

func TestSample(t *testing.T) {
	t.Parallel()
	docs, skips := loadAll(t, t.Context(), Sample(), Options{})
	if len(skips) != 0 {
		t.Errorf("Load(Sample()) skipped %v, want no skips", skips)
	}
	if len(docs) < 50 {
		t.Fatalf("Load(Sample()) gave %d documents, want at least 50", len(docs))
	}
	levels := map[Level]int{}
	formats := map[string]int{}
	for _, d := range docs {
		levels[d.Level]++
		formats[path.Ext(d.Path)]++
		if d.Title == "" || strings.TrimSpace(d.Body) == "" || !utf8.ValidString(d.Body) {
			t.Errorf("%s: empty title or body, or invalid UTF-8", d.Path)
		}
	}
	for _, l := range []Level{LevelNational, LevelProvince, LevelCity, LevelCounty} {
		if levels[l] < 5 {
			t.Errorf("sample has %d documents at level %s, want at least 5", levels[l], l)
		}
	}
	for _, ext := range []string{".txt", ".md", ".json", ".html"} {
		if formats[ext] == 0 {
			t.Errorf("sample has no %s document", ext)
		}
	}
	for _, topic := range []string{"医养", "城市更新", "专精特新", "养老"} {
		if !slices.ContainsFunc(docs, func(d Document) bool { return strings.Contains(d.Body, topic) }) {
			t.Errorf("no sample document mentions %s", topic)
		}
	}

	i := slices.IndexFunc(docs, func(d Document) bool { return strings.HasPrefix(d.Path, "docs/seed/") })
	if i < 0 {
		t.Fatal("the seed document is missing from the sample")
	}
	seed := docs[i]
	want := meta{Title: "槐荫区全力打造“齐鲁门户、医养之都”", Region: "济南市槐荫区", Province: "山东省", City: "济南市",
		County: "槐荫区", Level: LevelCounty, Date: "2023-01-02", Year: 2023, Type: "政府工作报告解读"}
	if diff := cmp.Diff(want, metaOf(seed)); diff != "" {
		t.Errorf("seed metadata mismatch (-want +got):\n%s", diff)
	}
	if !strings.Contains(seed.Body, "医养健康产业链式集群发展") {
		t.Errorf("seed body lacks its 医养 passage")
	}
}

func BenchmarkLoadSample(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, err := range Load(b.Context(), Sample(), Options{}) {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}
