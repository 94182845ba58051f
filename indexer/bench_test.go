package indexer

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkTokenize tokenizes a full real document: the 2026 Shandong
// provincial government work report (testdata/bench, 54 KB).
func BenchmarkTokenize(b *testing.B) {
	src, err := os.ReadFile(filepath.Join("testdata", "bench", "shandong-2026.txt"))
	if err != nil {
		b.Fatal(err)
	}
	tk := newTestTokenizer(b)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		tk.Tokenize(src)
	}
}

// BenchmarkSegmentOnly is gse's dictionary segmentation of the same
// document without normalization or sub-words: the floor under Tokenize.
func BenchmarkSegmentOnly(b *testing.B) {
	src, err := os.ReadFile(filepath.Join("testdata", "bench", "shandong-2026.txt"))
	if err != nil {
		b.Fatal(err)
	}
	seg, err := segmenter()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		seg.Segment(src)
	}
}

// BenchmarkNormalize normalizes the same document.
func BenchmarkNormalize(b *testing.B) {
	src, err := os.ReadFile(filepath.Join("testdata", "bench", "shandong-2026.txt"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		normalize(src)
	}
}

// BenchmarkFingerprint computes the near-duplicate fingerprint of the same
// document: the cost near-duplicate detection adds per document at index
// time (grouping is a table lookup).
func BenchmarkFingerprint(b *testing.B) {
	src, err := os.ReadFile(filepath.Join("testdata", "bench", "shandong-2026.txt"))
	if err != nil {
		b.Fatal(err)
	}
	text := string(src)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		NewFingerprint(text)
	}
}

// BenchmarkNormalizeText is Normalize, without the offset map, on the same
// document: what search does to count occurrences.
func BenchmarkNormalizeText(b *testing.B) {
	src, err := os.ReadFile(filepath.Join("testdata", "bench", "shandong-2026.txt"))
	if err != nil {
		b.Fatal(err)
	}
	s := string(src)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		Normalize(s)
	}
}
