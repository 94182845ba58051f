package indexer

import (
	"errors"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"testing"

	"policysearch/corpus"
)

// BenchmarkTokenize tokenizes a full real document: the 2026 Shandong
// provincial government work report (testdata/bench, 54 KB).
func BenchmarkTokenize(b *testing.B) {
	src := benchDocument(b)
	tk := newTestTokenizer(b)
	for b.Loop() {
		tk.Tokenize(src)
	}
}

// BenchmarkSegmentOnly is gse's dictionary segmentation of the same
// document without normalization or sub-words: the floor under Tokenize.
func BenchmarkSegmentOnly(b *testing.B) {
	src := benchDocument(b)
	seg, err := segmenter()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		seg.Segment(src)
	}
}

// BenchmarkNormalize normalizes the same document.
func BenchmarkNormalize(b *testing.B) {
	src := benchDocument(b)
	for b.Loop() {
		normalize(src)
	}
}

// BenchmarkFingerprint computes the near-duplicate fingerprint of the same
// document: the cost near-duplicate detection adds per document at index
// time (grouping is a table lookup).
func BenchmarkFingerprint(b *testing.B) {
	src := benchDocument(b)
	text := string(src)
	for b.Loop() {
		NewFingerprint(text)
	}
}

// BenchmarkNormalizeText is Normalize, without the offset map, on the same
// document: what search does to count occurrences.
func BenchmarkNormalizeText(b *testing.B) {
	src := benchDocument(b)
	s := string(src)
	for b.Loop() {
		Normalize(s)
	}
}

// BenchmarkBigramTokenize splits the same document into bigrams.
func BenchmarkBigramTokenize(b *testing.B) {
	src := benchDocument(b)
	for b.Loop() {
		BigramTokenizer{}.Tokenize(src)
	}
}

// BenchmarkExtract extracts the entities (places, organisations, people,
// amounts, quoted terms, topics) of the same document.
func BenchmarkExtract(b *testing.B) {
	src := benchDocument(b)
	g, err := corpus.DefaultGazetteer()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := segmenter(); err != nil {
		b.Fatal(err)
	}
	d := corpus.Document{ID: "bench", Title: "2026年山东省政府工作报告", Body: string(src), Region: "山东省", Province: "山东省", Level: corpus.LevelProvince}
	for b.Loop() {
		Extract(g, d)
	}
}

// BenchmarkAnalyzeDoc analyses the same document once for every field and
// extractor, as Build does: normalization, one gse segmentation, word and
// bigram streams of title and body, entities and the fingerprint. Compare it
// with BenchmarkTokenize + BenchmarkBigramTokenize + BenchmarkExtract +
// BenchmarkFingerprint, which is what analysing the fields apart costs.
func BenchmarkAnalyzeDoc(b *testing.B) {
	src := benchDocument(b)
	g, err := corpus.DefaultGazetteer()
	if err != nil {
		b.Fatal(err)
	}
	seg, err := segmenter()
	if err != nil {
		b.Fatal(err)
	}
	d := corpus.Document{ID: "bench", Title: "2026年山东省政府工作报告", Body: string(src), Region: "山东省", Province: "山东省", Level: corpus.LevelProvince}
	for b.Loop() {
		analyzeDoc(seg, g, d)
	}
}

// BenchmarkBuildSample builds an in-memory index of the embedded sample
// corpus (61 documents, 1.9 MB) with every field and entities.
func BenchmarkBuildSample(b *testing.B) {
	docs := benchCorpus(b, corpus.Sample())
	b.ReportAllocs()
	for b.Loop() {
		idx, err := Create("")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Build(b.Context(), idx, documentSeq(docs), Options{}); err != nil {
			b.Fatal(err)
		}
		if err := idx.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// benchCorpus loads the documents of fsys (skipping those the loader skips)
// and the segmenter, and makes b report the documents' total size as the
// bytes per operation.
func benchCorpus(b *testing.B, fsys fs.FS) []corpus.Document {
	b.Helper()
	var docs []corpus.Document
	var size int64
	for d, err := range corpus.Load(b.Context(), fsys, corpus.Options{}) {
		var skip *corpus.SkipError
		if errors.As(err, &skip) {
			continue
		}
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, d)
		size += int64(d.Size)
	}
	if _, err := segmenter(); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	return docs
}

// documentSeq yields docs as the loader does, without errors.
func documentSeq(docs []corpus.Document) iter.Seq2[corpus.Document, error] {
	return func(yield func(corpus.Document, error) bool) {
		for _, d := range docs {
			if !yield(d, nil) {
				return
			}
		}
	}
}

// benchDocument returns the benchmark document (readBenchText) and makes b
// report its size as the bytes per operation, and allocations.
func benchDocument(b *testing.B) []byte {
	b.Helper()
	src := []byte(readBenchText(b))
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	return src
}

// BenchmarkBuildCorpus builds an on-disk index of the corpus in
// $POLICYSEARCH_BENCH_CORPUS as the index command does (Prune and
// Compact), with the documents loaded beforehand: the build alone, for
// profiles of where its CPU goes. It takes a minute or more a build of
// ../shared/corpus, so it runs only when that variable is set:
//
//	POLICYSEARCH_BENCH_CORPUS=../shared/corpus go test ./indexer -run '^$' -bench BuildCorpus -benchtime 1x -cpuprofile cpu.out
func BenchmarkBuildCorpus(b *testing.B) {
	src := os.Getenv("POLICYSEARCH_BENCH_CORPUS")
	if src == "" {
		b.Skip("set POLICYSEARCH_BENCH_CORPUS to a corpus directory to run this benchmark")
	}
	docs := benchCorpus(b, os.DirFS(src))
	for b.Loop() {
		idx, err := Create(filepath.Join(b.TempDir(), "idx"))
		if err != nil {
			b.Fatal(err)
		}
		rep, err := Build(b.Context(), idx, documentSeq(docs), Options{Prune: true, Compact: true})
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Failed) > 0 {
			b.Fatalf("%d documents failed, the first: %+v", len(rep.Failed), rep.Failed[0])
		}
		if err := idx.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
