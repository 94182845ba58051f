package indexer

import (
	"errors"
	"testing"

	"github.com/golang/snappy"
	"github.com/klauspost/compress/s2"

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
	if _, err := DecodeBody([]byte("not a stored body")); !errors.Is(err, s2.ErrCorrupt) {
		t.Errorf("DecodeBody(garbage) error = %v, want s2.ErrCorrupt", err)
	}
}
