package indexer

import (
	_ "embed"
	"fmt"
	"sync"

	"github.com/klauspost/compress/s2"
)

// The index stores a document's body (FieldStoredBody) compressed with S2, a
// Snappy extension that decodes as fast, against a dictionary of the
// passages most common in policy documents (dict/body-v1.s2dict, built by
// internal/mkbodydict). bleve compresses each document's stored fields with
// Snappy, which on Chinese text halves it; the dictionary takes a third
// off that again, 5.6 MB on the shared corpus, measured on the half of it
// the dictionary was not trained on. The dictionary is part of the schema:
// a new one is a new file name and a SchemaVersion bump.

//go:generate go run ./internal/mkbodydict -corpus ../../shared/corpus -out dict/body-v1.s2dict

//go:embed dict/body-v1.s2dict
var bodyDictFile []byte

// bodyDict is the dictionary, read once.
var bodyDict = sync.OnceValue(func() *s2.Dict {
	d := s2.NewDict(bodyDictFile)
	if d == nil {
		// Embedded and checked by tests.
		panic("indexer: invalid body dictionary dict/body-v1.s2dict")
	}
	return d
})

// encodeBody returns the stored form of a document body.
func encodeBody(body []byte) []byte {
	return bodyDict().EncodeBetter(nil, body)
}

// DecodeBody returns a document body from its stored form, the stored
// value of FieldStoredBody as a stored-field visitor sees it; empty gives
// nil.
func DecodeBody(stored []byte) ([]byte, error) {
	if len(stored) == 0 {
		return nil, nil
	}
	b, err := bodyDict().Decode(nil, stored)
	if err != nil {
		return nil, fmt.Errorf("decode stored body: %w", err)
	}
	return b, nil
}

// StoredBody returns a document body from a hit's stored field value,
// Fields[FieldStoredBody]; absent (nil) gives "".
func StoredBody(v any) (string, error) {
	s, _ := v.(string) // absent: no body
	b, err := DecodeBody([]byte(s))
	return string(b), err
}
