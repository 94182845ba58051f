package indexer

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/golang/snappy"

	"policysearch/corpus"
)

// TestStoredBodyRoundTrip checks, on every body of the embedded sample and
// on edge cases, that the stored form decodes to the body, and that it is
// smaller than Snappy alone makes it, which is what bleve did with it
// before: the dictionary must earn its place.
func TestStoredBodyRoundTrip(t *testing.T) {
	t.Parallel()
	bodies := []string{"", "短", "\xff\xfe不是 UTF-8", "发展" + string(make([]byte, 100))}
	for d, err := range corpus.Load(t.Context(), corpus.Sample(), corpus.Options{}) {
		if err != nil {
			continue // skipped files
		}
		bodies = append(bodies, d.Body)
	}
	var plain, stored int
	for i, body := range bodies {
		enc := encodeBody([]byte(body))
		got, err := StoredBody(string(enc))
		if err != nil || got != body {
			t.Fatalf("body %d (%.20q): decoded %.20q, %v", i, body, got, err)
		}
		plain += len(snappy.Encode(nil, []byte(body)))
		stored += len(enc)
	}
	if stored >= plain*9/10 {
		t.Errorf("stored bodies take %d bytes, Snappy alone %d: want at least 10%% less", stored, plain)
	}
	t.Logf("%d bodies: %d bytes stored, %d with Snappy alone", len(bodies), stored, plain)
	if got, err := StoredBody(nil); got != "" || err != nil {
		t.Errorf("StoredBody(nil) = %q, %v; want empty", got, err)
	}
	long := encodeBody([]byte(bodies[len(bodies)-1]))
	for _, bad := range [][]byte{
		[]byte("not a stored body"),
		{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, // length overflows
		long[:len(long)-1],                                           // last chunk cut
		append(long, 1, 0),                                           // a chunk past the length
		{5, 3, 2, 'a', 'b'},                                          // the chunk shorter than the length
	} {
		if _, err := DecodeBody(bad); !errors.Is(err, errBodyCorrupt) {
			t.Errorf("DecodeBody(%.40q) error = %v, want errBodyCorrupt", bad, err)
		}
	}
}

// TestBodyChunks checks the progressive decoding of stored bodies on the
// sample's longest ones: each start Text gives ends just after
// punctuation and has exactly the bigram tokens the whole body has
// there, chunks double, and a reused Body decodes the next body right.
func TestBodyChunks(t *testing.T) {
	t.Parallel()
	var docs []corpus.Document
	for d, err := range corpus.Load(t.Context(), corpus.Sample(), corpus.Options{}) {
		if err == nil {
			docs = append(docs, d)
		}
	}
	slices.SortFunc(docs, func(a, b corpus.Document) int { return len(b.Body) - len(a.Body) })
	if len(docs) < 5 || len(docs[4].Body) < 4*bodyChunkFirst {
		t.Fatalf("want 5 sample bodies of at least %d bytes", 4*bodyChunkFirst)
	}
	var b Body
	for _, d := range append(docs[:5], docs[len(docs)-1]) {
		whole := []byte(d.Body)
		b.Reset(encodeBody(whole))
		var starts []int
		for {
			if err := b.More(); err != nil {
				t.Fatal(err)
			}
			text := b.Text()
			if !bytes.HasPrefix(whole, text) {
				t.Fatalf("%s: decoded %d bytes, not a start of the body", d.ID, len(text))
			}
			starts = append(starts, len(text))
			if b.Complete() {
				break
			}
			if BigramRestart(text, len(text)) != len(text) {
				t.Errorf("%s: a chunk ends at %d, not after punctuation: %q", d.ID, len(text), text[max(0, len(text)-12):])
			}
			if got, want := scanTokens(text), scanTokens(whole)[:len(scanTokens(text))]; !slices.Equal(got, want) {
				t.Errorf("%s: the first %d bytes tokenize unlike the whole body there", d.ID, len(text))
			}
		}
		if len(starts) > 1 && starts[0] < bodyChunkFirst {
			t.Errorf("%s: first chunk %d bytes, want at least %d", d.ID, starts[0], bodyChunkFirst)
		}
		for i := 1; i < len(starts)-1; i++ {
			if n := starts[i] - starts[i-1]; n < bodyChunkFirst<<i {
				t.Errorf("%s: chunk %d holds %d bytes, want at least %d", d.ID, i, n, bodyChunkFirst<<i)
			}
		}
		if got, err := b.All(); err != nil || !bytes.Equal(got, whole) {
			t.Fatalf("%s: All = %d bytes, %v; want the body, %d bytes", d.ID, len(got), err, len(whole))
		}
		t.Logf("%s: %d bytes in %d chunks", d.ID, len(whole), len(starts))
	}
	b.Reset(nil)
	if b.Text() != nil || !b.Complete() || b.More() != nil {
		t.Errorf("absent body: Text %q, Complete %v", b.Text(), b.Complete())
	}
}

// scannedToken is a BigramToken with its term kept.
type scannedToken struct {
	term                 string
	start, end, position int
}

// scanTokens returns the bigram tokens of text as the scanner yields them.
func scanTokens(text []byte) []scannedToken {
	var sc BigramScanner
	sc.Reset(text, 0)
	var out []scannedToken
	for {
		tok, ok := sc.Next()
		if !ok {
			return out
		}
		out = append(out, scannedToken{string(tok.Term), tok.Start, tok.End, tok.Position})
	}
}
