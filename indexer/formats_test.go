package indexer

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/blevesearch/bleve/v2"
	"github.com/google/go-cmp/cmp"

	"policysearch/corpus"
)

// formatFixture reads a file of corpus/testdata (see
// corpus/testdata/formats/README.md for where each came from).
func formatFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "corpus", "testdata", filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestBuildMixedFormats indexes a folder of every format the loader reads,
// with a scanned PDF, a damaged PDF and an empty file among them: those
// three are skipped for their reasons, and every other file is indexed
// with its 文号 and issuer.
func TestBuildMixedFormats(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"txt/yiyang.txt":              {Data: realText(t, "seed-yiyang.txt")},
		"txt/hailaer-gbk.txt":         {Data: formatFixture(t, "corpus/gbk/2013_hailaer_excerpt.txt")},
		"html/guohan-2018-145.html":   {Data: formatFixture(t, "formats/guohan-2018-145.html")},
		"pdf/guohan-2018-144.pdf":     {Data: formatFixture(t, "formats/guohan-2018-144.pdf")},
		"pdf/guohan-2018-145.pdf":     {Data: formatFixture(t, "formats/guohan-2018-145-cid.pdf")},
		"docx/guobanfa-2018-109.docx": {Data: formatFixture(t, "formats/guobanfa-2018-109.docx")},
		"odt/guobanhan-2018-74.odt":   {Data: formatFixture(t, "formats/guobanhan-2018-74.odt")},
		"pdf/scanned.pdf":             {Data: formatFixture(t, "formats/scanned.pdf")},
		"pdf/corrupt.pdf":             {Data: formatFixture(t, "formats/corrupt.pdf")},
		"txt/zero.txt":                {Data: []byte{}},
	}
	wantSkips := map[string]error{
		"pdf/scanned.pdf": corpus.ErrNoTextLayer,
		"pdf/corrupt.pdf": corpus.ErrCorrupt,
		"txt/zero.txt":    corpus.ErrEmpty,
	}
	reasons := map[string]string{}
	for d, err := range corpus.Load(t.Context(), fsys, corpus.Options{}) {
		var se *corpus.SkipError
		switch {
		case errors.As(err, &se):
			if want := wantSkips[se.Path]; !errors.Is(err, want) {
				t.Errorf("Load skipped %s: %v, want %v", se.Path, err, want)
			}
			reasons[se.Path] = se.Reason
		case err != nil:
			t.Fatalf("Load: %v", err)
		case d.Body == "":
			t.Errorf("Load gave %s with no text", d.Path)
		}
	}
	if got := reasons["pdf/scanned.pdf"]; got != "no text layer" {
		t.Errorf("reason for the scanned PDF = %q, want %q", got, "no text layer")
	}

	idx, err := bleve.NewMemOnly(NewMapping())
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Build(t.Context(), idx, corpus.Load(t.Context(), fsys, corpus.Options{}), Options{})
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	gotSkips := map[string]string{}
	for _, s := range rep.Skipped {
		gotSkips[s.Path] = s.Reason
	}
	if diff := cmp.Diff(reasons, gotSkips); diff != "" {
		t.Errorf("Build skipped (-Load's skips +Build's):\n%s", diff)
	}
	if want := len(fsys) - len(wantSkips); rep.Added != want || len(rep.Failed) != 0 {
		t.Errorf("Build added %d, failed %v; want %d added, none failed", rep.Added, rep.Failed, want)
	}
	if n, err := idx.DocCount(); err != nil || int(n) != len(fsys)-len(wantSkips) {
		t.Errorf("DocCount = %d, %v; want %d", n, err, len(fsys)-len(wantSkips))
	}

	// Each converted document is found by its 文号, and the page by its
	// issuer and a subject word.
	tests := []struct{ field, value, path string }{
		{FieldDocNumber, "国函〔2018〕144号", "pdf/guohan-2018-144.pdf"},
		{FieldDocNumber, "国办发〔2018〕109号", "docx/guobanfa-2018-109.docx"},
		{FieldDocNumber, "国办函〔2018〕74号", "odt/guobanhan-2018-74.odt"},
		{FieldSubject, "高新区", "html/guohan-2018-145.html"},
		{FieldIssuer, "国务院办公厅", "docx/guobanfa-2018-109.docx"},
	}
	for _, tt := range tests {
		q := bleve.NewTermQuery(tt.value)
		q.SetField(tt.field)
		req := bleve.NewSearchRequest(q)
		req.Fields = []string{FieldPath}
		res, err := idx.SearchInContext(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		var paths []string
		for _, h := range res.Hits {
			p, _ := h.Fields[FieldPath].(string) // a missing path fails below
			paths = append(paths, p)
		}
		if !slices.Contains(paths, tt.path) {
			t.Errorf("%s:%s found %v, want %s among them", tt.field, tt.value, paths, tt.path)
		}
	}
}
