package corpus

import (
	"testing"
)

// formatBenchFiles are the fixtures of BenchmarkExtract and BenchmarkParse,
// one per format, with the extractor for each.
var formatBenchFiles = []struct {
	name, file string
	extract    func([]byte) error
}{
	{"pdf-type1", "guohan-2018-144.pdf", func(b []byte) error { _, _, err := parsePDF(b); return err }},
	{"pdf-cid", "guohan-2018-145-cid.pdf", func(b []byte) error { _, _, err := parsePDF(b); return err }},
	{"docx", "guobanfa-2018-109.docx", func(b []byte) error { _, _, err := parseDOCX(b); return err }},
	{"odt", "guobanhan-2018-74.odt", func(b []byte) error { _, _, err := parseODT(b); return err }},
	{"html-gbk", "guohan-2018-145.html", func(b []byte) error { _, err := parseHTML(b); return err }},
	{"txt-gbk", "../corpus/gbk/2013_hailaer_excerpt.txt", func(b []byte) error { _, err := decodeText(b); return err }},
}

// BenchmarkExtract measures the text extraction of each format alone; the
// MB/s are of source bytes.
func BenchmarkExtract(b *testing.B) {
	for _, f := range formatBenchFiles {
		data := readFormat(b, f.file)
		b.Run(f.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if err := f.extract(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkParseFormats measures Parse of each format: extraction, normalisation
// and metadata inference.
func BenchmarkParseFormats(b *testing.B) {
	g := testGazetteer(b)
	for _, f := range formatBenchFiles {
		data := readFormat(b, f.file)
		name := "x" + f.file[len(f.file)-5:]
		b.Run(f.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Parse(name, data, g); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
