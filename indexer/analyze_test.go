package indexer

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"policysearch/corpus"
)

// TestAnalyzeDocSameAsAnalyzers checks, on every document of the embedded
// sample corpus (simplified, traditional and full-width text, Word
// conversions), that analysing a document once gives exactly what the
// registered analyzers give each field, which is what queries are analysed
// with, and exactly the entities and fingerprint Extract and NewFingerprint
// give.
func TestAnalyzeDocSameAsAnalyzers(t *testing.T) {
	t.Parallel()
	seg, err := segmenter()
	if err != nil {
		t.Fatal(err)
	}
	g, err := corpus.DefaultGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	m := NewMapping()
	analyzers := map[string]string{
		FieldTitle: AnalyzerZH, FieldBody: AnalyzerZH,
		FieldTitleBigrams: AnalyzerBigram, FieldBodyBigrams: AnalyzerBigram,
	}
	n := 0
	for d, err := range corpus.Load(t.Context(), corpus.Sample(), corpus.Options{}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		a := analyzeDoc(seg, g, d)
		for field, name := range analyzers {
			an := m.AnalyzerNamed(name)
			if an == nil {
				t.Fatalf("analyzer %s not registered", name)
			}
			text := d.Body
			if field == FieldTitle || field == FieldTitleBigrams {
				text = d.Title
			}
			want := render(an.Analyze([]byte(text)))
			if diff := cmp.Diff(want, render(a.streams[field])); diff != "" {
				t.Errorf("%s %s: stream mismatch (-analyzer +analyzeDoc):\n%s", d.ID, field, diff)
			}
		}
		if diff := cmp.Diff(Extract(g, d), a.ents); diff != "" {
			t.Errorf("%s: entities mismatch (-Extract +analyzeDoc):\n%s", d.ID, diff)
		}
		if want := NewFingerprint(d.Body); want != a.fp {
			t.Errorf("%s: fingerprint %s, want %s", d.ID, a.fp, want)
		}
	}
	if n < 50 {
		t.Errorf("sample corpus has %d documents, want the whole sample", n)
	}
}
