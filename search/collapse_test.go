package search

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"policysearch/corpus"
)

// reposts is an index of ten sample documents and the sample's State
// Council documents and national regulations, plus two reposts of one of
// them (the 个人所得税法实施条例 from gov.cn) by two city governments, under
// their own headers, built once for the package's tests.
var reposts = sync.OnceValues(func() (*sampleFixture, error) {
	ctx := context.Background()
	var docs []corpus.Document
	var original corpus.Document
	for d, err := range corpus.Load(ctx, corpus.Sample(), corpus.Options{}) {
		var skip *corpus.SkipError
		if errors.As(err, &skip) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if d.Path == repostedPath {
			original = d
		}
		if len(docs) < 10 || strings.HasPrefix(d.Path, "docs/state-council-policies-govcn/") || strings.HasPrefix(d.Path, "docs/national-regulations-lawrefbook/") {
			docs = append(docs, d)
		}
	}
	if original.ID == "" {
		return nil, errors.New("sample document " + repostedPath + " not found")
	}
	for _, city := range []string{"济南市", "青岛市"} {
		d := original
		d.Body = city + "人民政府关于转发《中华人民共和国个人所得税法实施条例》的通知\n各区县人民政府，市政府各部门：\n现将国务院令第707号转发给你们，请认真贯彻执行。\n" + city + "人民政府\n2019年1月5日\n\n" + original.Body
		d.Title = city + "人民政府关于转发个人所得税法实施条例的通知"
		d.Region, d.Province, d.City, d.Level = city, "山东省", city, corpus.LevelCity
		sum := sha256.Sum256([]byte(d.Body))
		d.Hash = hex.EncodeToString(sum[:])
		d.ID, d.Path = "repost-"+city, "reposts/"+city+".txt"
		docs = append(docs, d)
	}
	return buildFixtureDocs(docs)
})

// repostedPath is the sample document reposted in the reposts fixture.
const repostedPath = "docs/state-council-policies-govcn/2018-12-22_content_5351177.html"

func repostFixture(t *testing.T) *sampleFixture {
	t.Helper()
	f, err := reposts()
	if err != nil {
		t.Fatalf("build reposts index: %v", err)
	}
	return f
}

// TestCollapse checks that the reposts of one document make one hit, the
// best-ranked, with the number and regions of the copies, that
// collapse=false shows them all, and that a group lists its members.
func TestCollapse(t *testing.T) {
	t.Parallel()
	f := repostFixture(t)
	ctx := t.Context()
	const q = "专项附加扣除"

	res, err := f.svc.Search(ctx, Request{Query: q, Collapse: true, Size: 10, Highlight: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 3 || res.Groups != 1 || len(res.Hits) != 1 {
		t.Fatalf("collapsed %q: total %d, groups %d, %d hits; want 3, 1, 1", q, res.Total, res.Groups, len(res.Hits))
	}
	h := res.Hits[0]
	if h.Copies != 2 {
		t.Errorf("copies = %d, want 2", h.Copies)
	}
	slices.Sort(h.CopyRegions)
	wantRegions := []string{"济南市", "青岛市", "全国"}
	wantRegions = slices.DeleteFunc(wantRegions, func(r string) bool { return r == h.Region })
	slices.Sort(wantRegions)
	if !slices.Equal(h.CopyRegions, wantRegions) {
		t.Errorf("copy regions = %v, want %v (hit region %s)", h.CopyRegions, wantRegions, h.Region)
	}
	if len(h.Highlights["body"]) == 0 {
		t.Errorf("collapsed hit has no highlights")
	}

	all, err := f.svc.Search(ctx, Request{Query: q, Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Hits) != 3 || all.Groups != 3 {
		t.Fatalf("collapse off: %d hits, groups %d; want 3, 3", len(all.Hits), all.Groups)
	}
	if all.Hits[0].ID != h.ID || all.Hits[0].Score != h.Score {
		t.Errorf("collapsed hit %s (%.4f), want the best-ranked %s (%.4f)", h.ID, h.Score, all.Hits[0].ID, all.Hits[0].Score)
	}
	for _, x := range all.Hits {
		if x.DupGroup != h.DupGroup || x.Copies != 0 {
			t.Errorf("hit %s: group %q, copies %d; want %q, 0", x.ID, x.DupGroup, x.Copies, h.DupGroup)
		}
	}

	members, err := f.svc.Search(ctx, Request{DupGroup: h.DupGroup, Collapse: true, Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, x := range members.Hits {
		ids = append(ids, x.ID)
	}
	slices.Sort(ids)
	want := []string{"repost-济南市", "repost-青岛市", f.docs[slices.IndexFunc(f.docs, func(d corpus.Document) bool { return d.Path == repostedPath })].ID}
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		t.Errorf("members of %s = %v, want %v", h.DupGroup, ids, want)
	}
}

// TestCollapsePaging pages through all documents one hit at a time, by
// date and by relevance, and checks that the pages make the collapsed list
// exactly: every group once, in the order of its best member, and the
// copies account for every document.
func TestCollapsePaging(t *testing.T) {
	t.Parallel()
	f := repostFixture(t)
	for _, sort := range []string{SortRelevance, SortDate} {
		t.Run(sort, func(t *testing.T) {
			t.Parallel()
			full, err := f.svc.Search(t.Context(), Request{Sort: sort, Size: 100, Highlight: false})
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			seen := map[string]bool{}
			for _, h := range full.Hits {
				if !seen[h.DupGroup] {
					seen[h.DupGroup] = true
					want = append(want, h.ID)
				}
			}
			var got []string
			docs := 0
			for from := 0; ; from++ {
				res, err := f.svc.Search(t.Context(), Request{Sort: sort, From: from, Size: 1, Collapse: true})
				if err != nil {
					t.Fatal(err)
				}
				if res.Groups != uint64(len(want)) || res.Total != full.Total {
					t.Fatalf("from %d: groups %d, total %d; want %d, %d", from, res.Groups, res.Total, len(want), full.Total)
				}
				if len(res.Hits) == 0 {
					break
				}
				got = append(got, res.Hits[0].ID)
				docs += 1 + res.Hits[0].Copies
			}
			if !slices.Equal(got, want) {
				t.Errorf("pages = %v\nwant %v", got, want)
			}
			if docs != int(full.Total) {
				t.Errorf("hits and copies = %d documents, want %d", docs, full.Total)
			}
		})
	}
}

// TestDupGroupsShared checks grouping on real documents of ../shared/corpus:
// one regulation from two sources (a Word conversion and LawRefBook's
// Markdown; LawRefBook's Markdown and gov.cn's HTML), and pairs that must
// stay apart: one district's reports of two years, and two cities'
// regulations written from one model.
func TestDupGroupsShared(t *testing.T) {
	t.Parallel()
	dir := sharedCorpusDir()
	if dir == "" {
		t.Skip("../shared/corpus is absent (set POLICYSEARCH_SHARED_CORPUS to run this test); CI has it")
	}
	pairs := []struct {
		name string
		a, b string
		same bool
	}{
		{"one regulation as Word text and as Markdown",
			"docs/civilized-behaviour-regulations/山东省/2019_枣庄市文明行为促进条例.txt",
			"docs/local-regulations-lawrefbook/山东/枣庄市文明行为促进条例(2019-08-01).md", true},
		{"one regulation as Word text with its adoption notice and as Markdown",
			"docs/civilized-behaviour-regulations/浙江省/2020_台州市文明行为促进条例.txt",
			"docs/local-regulations-lawrefbook/浙江/台州市文明行为促进条例(2020-08-20).md", true},
		{"one State Council decree as Markdown and as gov.cn HTML",
			"docs/national-regulations-lawrefbook/个人所得税法实施条例(2018-12-18).md",
			"docs/state-council-policies-govcn/2018-12-22_content_5351177.html", true},
		{"one district's reports of 2013 and 2014 (GBK)",
			"docs/gwr-national-gbk/2013.txt", "docs/gwr-national-gbk/2014.txt", false},
		{"one county's reports of 2003 and 2023",
			"docs/gwr-county-baoding/清苑区/2003_保定市清苑区2003年政府工作报告.txt",
			"docs/gwr-county-baoding/清苑区/2023_保定市清苑区2023年政府工作报告.txt", false},
		{"two cities' regulations from one model",
			"docs/local-regulations-lawrefbook/浙江/嘉兴市制定地方性法规条例(2016-06-08).md",
			"docs/local-regulations-lawrefbook/浙江/衢州市制定地方性法规条例(2016-04-12).md", false},
		{"the national reports of 2016 and 2017",
			"docs/gwr-national-wikisource/2016_国务院政府工作报告.json",
			"docs/gwr-national-wikisource/2017_国务院政府工作报告.json", false},
	}
	fsys := fstest.MapFS{}
	root := os.DirFS(dir)
	for _, p := range pairs {
		for _, path := range []string{p.a, p.b} {
			b, err := fs.ReadFile(root, path)
			if err != nil {
				t.Fatalf("read %s: %v", path, err)
			}
			fsys[path] = &fstest.MapFile{Data: b}
		}
	}
	fx, err := buildFixture(fsys)
	if err != nil {
		t.Fatal(err)
	}
	res, err := fx.svc.Search(t.Context(), Request{Size: 100})
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]string{}
	for _, d := range fx.docs {
		for _, h := range res.Hits {
			if h.ID == d.ID {
				byPath[d.Path] = h.DupGroup
			}
		}
	}
	if len(byPath) != len(fsys) {
		t.Fatalf("indexed %d of %d documents: %v", len(byPath), len(fsys), slices.Collect(maps.Keys(byPath)))
	}
	for _, p := range pairs {
		if got := byPath[p.a] == byPath[p.b]; got != p.same {
			t.Errorf("%s: grouped = %v, want %v\n%s\n%s", p.name, got, p.same, strings.TrimPrefix(p.a, "docs/"), strings.TrimPrefix(p.b, "docs/"))
		}
	}
}
