package corpus

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
)

// readFormat returns the bytes of a file under testdata/formats (see its
// README for where each came from).
func readFormat(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "formats", filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// parseFormat parses a fixture that must give exactly one document.
func parseFormat(t *testing.T, name string, data []byte) Document {
	t.Helper()
	docs, err := Parse(name, data, nil)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	if len(docs) != 1 {
		t.Fatalf("Parse(%s) gave %d documents, want 1", name, len(docs))
	}
	return docs[0]
}

// noSpace removes all white space, so that texts laid out differently
// compare equal when they hold the same characters.
func noSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// formatMeta is the metadata the format tests check.
type formatMeta struct {
	Title, Date, DocNumber, Issuer, Written, Type string
	Subjects                                      []string
}

// TestParseFormats checks each converted fixture against the gov.cn page it
// was made from: the text must hold the same characters in the same order
// (white space aside), and the title, date, 文号, issuer and 成文日期 must
// come out of the file itself.
func TestParseFormats(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file, source string
		want         formatMeta
		// absent is text of the layout (running header, page numbers,
		// page chrome) that must not be in the text.
		absent []string
	}{
		{
			// LibreOffice PDF, 8-bit Type 1 font subsets with ToUnicode
			// maps, two pages with a running header and "— N —" footers,
			// paragraphs broken at the right margin.
			file: "guohan-2018-144.pdf", source: "2018-11-27_content_5343832.html",
			want: formatMeta{Title: "国务院关于同意建立国务院职业教育工作部际联席会议制度的批复", Date: "2018-11-20",
				DocNumber: "国函〔2018〕144号", Issuer: "国务院", Written: "2018-11-20", Type: "批复"},
			absent: []string{"国务院文件", "—1—", "—2—"},
		},
		{
			// LibreOffice PDF in two columns: the left column is read
			// before the right one, and the paragraph that runs from one
			// to the other is one line.
			file: "guobanhan-2018-74-columns.pdf", source: "2018-11-12_content_5339579.html",
			want: formatMeta{Title: "国务院办公厅关于调整国务院第二次全国污染源普查领导小组组成人员的通知", Date: "2018-11-05",
				DocNumber: "国办函〔2018〕74号", Issuer: "国务院办公厅", Written: "2018-11-05", Type: "通知"},
		},
		{
			// The same kind of PDF rewritten by cairo: CID TrueType fonts,
			// Identity-H encoding with ToUnicode maps.
			file: "guohan-2018-145-cid.pdf", source: "2018-11-28_content_5344150.html",
			want: formatMeta{Title: "国务院关于同意乌鲁木齐、昌吉、石河子高新技术产业开发区建设国家自主创新示范区的批复",
				Date: "2018-11-23", DocNumber: "国函〔2018〕145号", Issuer: "国务院", Written: "2018-11-23", Type: "批复"},
		},
		{
			// DOCX with a Title-style heading and the member list as a table.
			file: "guobanfa-2018-109.docx", source: "2018-11-28_content_5344146.html",
			want: formatMeta{Title: "国务院办公厅关于调整国家教材委员会组成人员的通知", Date: "2018-11-20",
				DocNumber: "国办发〔2018〕109号", Issuer: "国务院办公厅", Written: "2018-11-20", Type: "通知"},
		},
		{
			// DOCX whose 一、二、三、四、 are Word's automatic numbering
			// (numbering.xml, taiwaneseCountingThousand), not text.
			file: "guohan-2018-145.docx", source: "2018-11-28_content_5344150.html",
			want: formatMeta{Title: "国务院关于同意乌鲁木齐、昌吉、石河子高新技术产业开发区建设国家自主创新示范区的批复",
				Date: "2018-11-23", DocNumber: "国函〔2018〕145号", Issuer: "国务院", Written: "2018-11-23", Type: "批复"},
		},
		{
			// ODT whose 一、二、三、四、 are a numbered list.
			file: "guohan-2018-145.odt", source: "2018-11-28_content_5344150.html",
			want: formatMeta{Title: "国务院关于同意乌鲁木齐、昌吉、石河子高新技术产业开发区建设国家自主创新示范区的批复",
				Date: "2018-11-23", DocNumber: "国函〔2018〕145号", Issuer: "国务院", Written: "2018-11-23", Type: "批复"},
		},
		{
			// ODT with a level-1 heading and a table.
			file: "guobanhan-2018-74.odt", source: "2018-11-12_content_5339579.html",
			want: formatMeta{Title: "国务院办公厅关于调整国务院第二次全国污染源普查领导小组组成人员的通知", Date: "2018-11-05",
				DocNumber: "国办函〔2018〕74号", Issuer: "国务院办公厅", Written: "2018-11-05", Type: "通知"},
		},
		{
			// A GBK page laid out like a saved gov.cn article: the date is
			// the publication date of the page, the rest comes from its
			// metadata table.
			file: "guohan-2018-145.html", source: "2018-11-28_content_5344150.html",
			want: formatMeta{Title: "国务院关于同意乌鲁木齐、昌吉、石河子高新技术产业开发区建设国家自主创新示范区的批复",
				Date: "2018-11-28", DocNumber: "国函〔2018〕145号", Issuer: "国务院", Written: "2018-11-23", Type: "批复",
				Subjects: []string{"科技", "高新区", "示范区", "批复"}},
			absent: []string{"首页", "国务院文件", "相关稿件", "国家教材委员会", "主办单位", "责任编辑", "索引号", "打印"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			d := parseFormat(t, tt.file, readFormat(t, tt.file))
			src := parseFormat(t, tt.source, readFormat(t, "src/"+tt.source))
			if got, want := noSpace(d.Body), noSpace(src.Body); got != want {
				t.Errorf("text of %s differs from %s (white space aside) (-want +got):\n%s", tt.file, tt.source, cmp.Diff(want, got))
			}
			got := formatMeta{Title: d.Title, Date: d.Date, DocNumber: d.DocNumber, Issuer: d.Issuer,
				Written: d.Written, Type: d.Type, Subjects: d.Subjects}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("metadata of %s mismatch (-want +got):\n%s", tt.file, diff)
			}
			for _, s := range tt.absent {
				if strings.Contains(noSpace(d.Body), s) {
					t.Errorf("text of %s contains %q", tt.file, s)
				}
			}
		})
	}
}

// TestParsePDFLines checks that lines broken at the right margin inside a
// paragraph are joined, also across a page or column break, and that
// paragraphs stay apart.
func TestParsePDFLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file  string
		lines []string
	}{
		{"guohan-2018-144.pdf", []string{
			// Three lines on the page.
			"为贯彻落实全国教育大会精神，进一步加强对职业教育工作的领导，强化统筹协调，形成工作合力，经国务院同意，建立国务院职业教育工作部际联席会议（以下简称联席会议）制度。",
			// A number broken across lines: "（教职成〔201" / "8〕8号）".
			"你部《关于提请调整完善职业教育工作部际联席会议制度的请示》（教职成〔2018〕8号）收悉。现批复如下：",
			"一、主要职能",
			"二、成员单位",
		}},
		{"guobanhan-2018-74-columns.pdf", []string{
			"国办函〔2018〕74号",
			// From the foot of the left column to the top of the right.
			"领导小组办公室设在生态环境部，办公室主任由生态环境部副部长赵英民兼任。领导小组成员因工作变动等需要调整的，由所在单位向领导小组办公室提出，报领导小组组长审批。",
			"国务院办公厅",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			d := parseFormat(t, tt.file, readFormat(t, tt.file))
			lines := map[string]bool{}
			for l := range strings.Lines(d.Body) {
				lines[strings.TrimSpace(l)] = true
			}
			for _, want := range tt.lines {
				if !lines[want] {
					t.Errorf("no line %q in the text:\n%s", want, d.Body)
				}
			}
		})
	}
}

// TestParseFormatSkips checks the files that must be skipped, and why.
func TestParseFormatSkips(t *testing.T) {
	t.Parallel()
	pdf := readFormat(t, "guohan-2018-144.pdf")
	docx := readFormat(t, "guobanfa-2018-109.docx")
	tests := []struct {
		name   string
		data   []byte
		want   error
		reason string
	}{
		{"scanned.pdf", readFormat(t, "scanned.pdf"), ErrNoTextLayer, "no text layer"},
		{"corrupt.pdf", readFormat(t, "corrupt.pdf"), ErrCorrupt, ""},
		{"empty.pdf", nil, ErrCorrupt, ""},
		{"html-named.pdf", []byte("<html><body>不是PDF</body></html>"), ErrCorrupt, ""},
		{"cut-in-half.pdf", pdf[:len(pdf)/2], ErrCorrupt, ""},
		{"corrupt.docx", docx[:len(docx)/2], ErrCorrupt, ""},
		{"pdf-named.docx", pdf, ErrCorrupt, ""},
		{"no-content.odt", docx, ErrCorrupt, ""},
		{"empty.docx", nil, ErrCorrupt, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			docs, err := Parse(tt.name, tt.data, nil)
			var se *SkipError
			if len(docs) != 0 || !errors.As(err, &se) || !errors.Is(err, tt.want) {
				t.Fatalf("Parse(%s) = %d docs, %v; want a SkipError for %v", tt.name, len(docs), err, tt.want)
			}
			if tt.reason != "" && se.Reason != tt.reason {
				t.Errorf("Reason = %q, want %q", se.Reason, tt.reason)
			}
			if se.Path != tt.name {
				t.Errorf("Path = %q, want %q", se.Path, tt.name)
			}
		})
	}
}

// minimalPDF returns a one-page PDF whose page draws content, with
// Helvetica as /F1 and the form XObject /X1 drawing form; the
// cross-reference table is exact.
func minimalPDF(content, form string) []byte {
	objs := []string{
		"<</Type/Catalog/Pages 2 0 R>>",
		"<</Type/Pages/Kids[3 0 R]/Count 1>>",
		"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>/XObject<</X1 6 0 R>>>>>>",
		fmt.Sprintf("<</Length %d>>stream\n%s\nendstream", len(content), content),
		"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>",
		fmt.Sprintf("<</Type/XObject/Subtype/Form/BBox[0 0 595 842]/Matrix[1 0 0 1 0 -100]/Length %d>>stream\n%s\nendstream", len(form), form),
	}
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer<</Root 1 0 R/Size %d>>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return []byte(b.String())
}

// TestParsePDFForms checks that text drawn through a form XObject is read,
// in its place on the page, and that a diagonal watermark is not.
func TestParsePDFForms(t *testing.T) {
	t.Parallel()
	content := "BT /F1 12 Tf 72 700 Td (First line on the page) Tj ET\n" +
		"q /X1 Do Q\n" +
		"BT /F1 48 Tf 0.7071 0.7071 -0.7071 0.7071 200 300 Tm (DRAFT) Tj ET\n" +
		"BT /F1 12 Tf 72 500 Td (Last line on the page) Tj ET"
	form := "BT /F1 12 Tf 72 700 Td (Text of the form) Tj ET"
	_, body, err := parsePDF(minimalPDF(content, form))
	if err != nil {
		t.Fatal(err)
	}
	want := "First line on the page\nText of the form\nLast line on the page"
	if body != want {
		t.Errorf("parsePDF text = %q, want %q", body, want)
	}
}

func TestChineseNumeral(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n    int
		want string
	}{
		{1, "一"}, {4, "四"}, {10, "十"}, {11, "十一"}, {20, "二十"}, {23, "二十三"}, {100, "一百"},
		{105, "一百零五"}, {110, "一百一十"}, {1001, "一千零一"}, {0, "0"}, {10000, "10000"},
	}
	for _, tt := range tests {
		if got := chineseNumeral(tt.n); got != tt.want {
			t.Errorf("chineseNumeral(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

// TestParsePDFSlips checks that a PDF 2.0 header and padding after %%EOF,
// which the PDF library alone rejects, do not cost the text.
func TestParsePDFSlips(t *testing.T) {
	t.Parallel()
	good := readFormat(t, "guohan-2018-145-cid.pdf")
	_, want, err := parsePDF(good)
	if err != nil {
		t.Fatal(err)
	}
	v2 := append([]byte("%PDF-2.0\n"), good[9:]...)
	padded := append(slices.Clone(good), make([]byte, 512)...)
	for name, data := range map[string][]byte{"version 2.0": v2, "padded": padded} {
		if _, got, err := parsePDF(data); err != nil || got != want {
			t.Errorf("%s: parsePDF = %d bytes of text, %v; want the %d bytes of the original", name, len(got), err, len(want))
		}
	}
}
