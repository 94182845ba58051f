package indexer

import (
	"io/fs"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/blevesearch/bleve/v2"

	"policysearch/corpus"
)

// sampleBody returns the text of a document of the embedded sample corpus
// by its path there.
func sampleBody(t *testing.T, path string) string {
	t.Helper()
	for d, err := range corpus.Load(t.Context(), corpus.Sample(), corpus.Options{}) {
		if err != nil {
			continue // skipped files are not the one asked for
		}
		if d.Path == path {
			return d.Body
		}
	}
	t.Fatalf("sample document %s not found", path)
	return ""
}

// repostHeader is the header a city government puts above a State Council
// document it forwards.
const repostHeader = "济南市人民政府办公厅关于转发国务院文件的通知\n济政办字〔2019〕3号\n各区县人民政府，市政府各部门：\n现将国务院文件转发给你们，请结合实际，认真贯彻执行。\n济南市人民政府办公厅\n2019年1月10日\n\n"

const (
	pathGovCN      = "docs/state-council-policies-govcn/2018-12-22_content_5351177.html"
	pathQingyuan3  = "docs/gwr-county-baoding/清苑区/2003_保定市清苑区2003年政府工作报告.txt"
	pathQingyuan23 = "docs/gwr-county-baoding/清苑区/2023_保定市清苑区2023年政府工作报告.txt"
	pathBeijing    = "docs/civilized-behaviour-regulations/北京市/2020_北京市文明行为促进条例.txt"
	pathTianjin    = "docs/civilized-behaviour-regulations/天津市/2019_天津市文明行为促进条例.txt"
)

// TestNearDuplicate checks the near-duplicate decision on real documents
// and on reposts made from them.
func TestNearDuplicate(t *testing.T) {
	t.Parallel()
	govcn := sampleBody(t, pathGovCN)
	beijing := sampleBody(t, pathBeijing)
	// The same text laid out again: full-width digits, spaces, other line
	// breaks, as a Word conversion leaves it.
	relaid := strings.NewReplacer("\n", "\n\n　　", "2018", "２０１８", "，", ", ").Replace(govcn)
	// The first paragraph dropped and another added: an edited repost.
	paras := strings.Split(beijing, "\n")
	edited := strings.Join(paras[1:], "\n") + "\n本条例自公布之日起施行。（北京市人大常委会办公厅转载）"
	tests := []struct {
		name string
		a, b string
		want bool
	}{
		{"repost under a city header", govcn, repostHeader + govcn, true},
		{"the same text laid out again", govcn, relaid, true},
		{"edited repost", beijing, edited, true},
		{"one district's reports of 2003 and 2023", sampleBody(t, pathQingyuan3), sampleBody(t, pathQingyuan23), false},
		{"two cities' regulations on one subject", beijing, sampleBody(t, pathTianjin), false},
		{"a State Council document and a regulation", govcn, beijing, false},
		{"too short to tell", "关于做好春节期间安全生产工作的通知", "关于做好春节期间安全生产工作的通知", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, b := NewFingerprint(tt.a), NewFingerprint(tt.b)
			got, sim := a.NearDuplicate(b)
			if got != tt.want {
				t.Errorf("NearDuplicate = %v (similarity %.3f, containment %.3f), want %v", got, sim, a.Containment(b), tt.want)
			}
			if rev, _ := b.NearDuplicate(a); rev != got {
				t.Errorf("NearDuplicate is not symmetric: %v one way, %v the other", got, rev)
			}
		})
	}
}

// TestFingerprintRoundTrip checks that the stored form decodes to the same
// fingerprint and that bad stored forms are refused.
func TestFingerprintRoundTrip(t *testing.T) {
	t.Parallel()
	fp := NewFingerprint(sampleBody(t, pathBeijing))
	got, err := ParseFingerprint(fp.String())
	if err != nil {
		t.Fatalf("ParseFingerprint: %v", err)
	}
	if got != fp {
		t.Errorf("ParseFingerprint(String()) differs from the fingerprint")
	}
	if sim := got.Similarity(fp); sim != 1 {
		t.Errorf("Similarity with itself = %v, want 1", sim)
	}
	for _, bad := range []string{"not base64!", "AAAA", strings.Repeat("A", 690)} {
		if _, err := ParseFingerprint(bad); err == nil {
			t.Errorf("ParseFingerprint(%.20q) = nil error, want one", bad)
		}
	}
	if f, err := ParseFingerprint(""); err != nil || f.Valid() {
		t.Errorf(`ParseFingerprint("") = %v, %v; want an invalid fingerprint`, f.Valid(), err)
	}
}

// groups returns the near-duplicate group of every document in idx, by
// path.
func groups(t *testing.T, idx bleve.Index) map[string]string {
	t.Helper()
	req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 100, 0, false)
	req.Fields = []string{FieldPath, FieldDupGroup}
	res, err := idx.SearchInContext(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, h := range res.Hits {
		p, _ := h.Fields[FieldPath].(string)
		g, _ := h.Fields[FieldDupGroup].(string)
		if g == "" {
			t.Errorf("document %s has no group", p)
		}
		out[p] = g
	}
	return out
}

// TestBuildDupGroups builds an index incrementally and checks that reposts
// join the group of the document they copy, that the group ID survives the
// deletion of its founder, and that a document that stops being a copy
// leaves the group.
func TestBuildDupGroups(t *testing.T) {
	t.Parallel()
	read := func(path string) []byte {
		b, err := fs.ReadFile(corpus.Sample(), path)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	govcn := sampleBody(t, pathGovCN)
	idx, err := Create("")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"govcn.html":  {Data: read(pathGovCN)},
		"beijing.txt": {Data: read(pathBeijing)},
		"tianjin.txt": {Data: read(pathTianjin)},
		"qy2003.txt":  {Data: read(pathQingyuan3)},
		"qy2023.txt":  {Data: read(pathQingyuan23)},
	}
	build(t, idx, fsys)
	g := groups(t, idx)
	distinct := map[string]bool{}
	for _, v := range g {
		distinct[v] = true
	}
	if len(distinct) != len(fsys) {
		t.Fatalf("groups of 5 different documents = %v, want 5 groups", g)
	}
	original := g["govcn.html"]

	// Two local governments repost it, in a later build.
	fsys["jinan.txt"] = &fstest.MapFile{Data: []byte(repostHeader + govcn)}
	fsys["qingdao.txt"] = &fstest.MapFile{Data: []byte(strings.ReplaceAll(repostHeader, "济南", "青岛") + govcn)}
	build(t, idx, fsys)
	g = groups(t, idx)
	for _, p := range []string{"jinan.txt", "qingdao.txt"} {
		if g[p] != original {
			t.Errorf("group of repost %s = %q, want the original's %q", p, g[p], original)
		}
	}
	if g["beijing.txt"] == original || g["qy2003.txt"] == g["qy2023.txt"] {
		t.Errorf("unrelated documents grouped: %v", g)
	}

	// The original disappears: the reposts keep their group.
	delete(fsys, "govcn.html")
	build(t, idx, fsys)
	g = groups(t, idx)
	if g["jinan.txt"] != original || g["qingdao.txt"] != original {
		t.Errorf("after deleting the original, groups = %v, want both reposts in %q", g, original)
	}

	// One repost is replaced by another text: it leaves the group; the
	// original comes back and rejoins it.
	fsys["qingdao.txt"] = &fstest.MapFile{Data: read(pathTianjin)}
	fsys["govcn.html"] = &fstest.MapFile{Data: read(pathGovCN)}
	build(t, idx, fsys)
	g = groups(t, idx)
	if g["qingdao.txt"] != g["tianjin.txt"] || g["qingdao.txt"] == original {
		t.Errorf("replaced repost: group %q, want the group of the text it now holds (%q)", g["qingdao.txt"], g["tianjin.txt"])
	}
	if g["govcn.html"] != original {
		t.Errorf("re-added original: group %q, want %q", g["govcn.html"], original)
	}

	// A fresh build of the same files in one go gives the same partition.
	fresh, err := Create("")
	if err != nil {
		t.Fatal(err)
	}
	build(t, fresh, fsys)
	if got, want := partition(groups(t, fresh)), partition(g); got != want {
		t.Errorf("fresh build partition %s, incremental %s", got, want)
	}
}

// partition describes which paths share a group, independent of group IDs.
func partition(g map[string]string) string {
	byGroup := map[string][]string{}
	for p, id := range g {
		byGroup[id] = append(byGroup[id], p)
	}
	var parts []string
	for _, ps := range byGroup {
		slices.Sort(ps)
		parts = append(parts, strings.Join(ps, "+"))
	}
	slices.Sort(parts)
	return strings.Join(parts, " ")
}

// TestCountDistinct checks the hash-table count of distinct shingle hashes
// against sorting them: values sharing their low bits (one table slot),
// zero (the free-slot mark), repeats, and random runs with many repeats.
func TestCountDistinct(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		hashes []uint64
		want   int
	}{
		{"empty", nil, 0},
		{"one", []uint64{42}, 1},
		{"zero counts once", []uint64{0, 7, 0, 0}, 2},
		{"same slot", []uint64{1 << 40, 2 << 40, 3 << 40, 1 << 40}, 3},
		{"wrap around the table", []uint64{3, 7, 11, 15, 3}, 4},
	}
	for _, tt := range tests {
		if got := countDistinct(tt.hashes); got != tt.want {
			t.Errorf("%s: countDistinct(%v) = %d, want %d", tt.name, tt.hashes, got, tt.want)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 100 {
		hashes := make([]uint64, rng.IntN(3000))
		for i := range hashes {
			// Few bits of range: many repeats, many shared slots.
			hashes[i] = mix64(uint64(rng.IntN(len(hashes)+1))) & (^uint64(0) << rng.IntN(60))
		}
		sorted := slices.Clone(hashes)
		slices.Sort(sorted)
		if got, want := countDistinct(hashes), len(slices.Compact(sorted)); got != want {
			t.Fatalf("countDistinct of %d hashes = %d, want %d", len(hashes), got, want)
		}
	}
}
