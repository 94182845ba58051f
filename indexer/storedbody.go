package indexer

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/klauspost/compress/s2"
)

// The index stores a document's body (FieldStoredBody) compressed with S2, a
// Snappy extension, against a dictionary of the passages most common in
// policy documents (dict/body-v1.s2dict, built by internal/mkbodydict).
// bleve compresses each document's stored fields with Snappy, which on
// Chinese text halves it; the dictionary takes a third off that again, 5.6
// MB on the shared corpus, measured on the half of it the dictionary was
// not trained on. The dictionary is part of the schema: a new one is a new
// file name and a SchemaVersion bump.
//
// The body is compressed in chunks, so that a reader can decode only its
// start: a page's highlights usually need the first few kilobytes of each
// body, and decoding whole bodies was a fifth of the CPU of a search. The
// first chunk holds about bodyChunkFirst bytes of text and each next one
// twice as many as the last, so a reader that decodes chunk after chunk
// until it has what it needs decodes at most about twice that, and a long
// body is still a few chunks (the dictionary keeps small chunks
// compressing well: 16.2 MB against 15.5 MB in one piece, shared corpus).
// Each chunk but the last ends just after a character that normalizes to
// punctuation (BigramRestart), so the bigram tokens of a decoded start are
// exactly those of the whole body that lie in it.
//
// The stored form is the body's length (uvarint), then each chunk as its
// compressed length (uvarint) and its S2 block. An empty body is stored
// empty.

//go:generate go run ./internal/mkbodydict -corpus ../../shared/corpus -out dict/body-v1.s2dict

//go:embed dict/body-v1.s2dict
var bodyDictFile []byte

// bodyChunkFirst is the least length in bytes of a stored body's first
// chunk of text, unless the body is shorter.
const bodyChunkFirst = 4096

// bodyDict is the dictionary, read once.
var bodyDict = sync.OnceValue(func() *s2.Dict {
	d := s2.NewDict(bodyDictFile)
	if d == nil {
		// Embedded and checked by tests.
		panic("indexer: invalid body dictionary dict/body-v1.s2dict")
	}
	return d
})

// maxStoredBody bounds the length a stored body may claim, so that a
// corrupt one cannot make a reader allocate without limit.
const maxStoredBody = 1 << 30

// errBodyCorrupt is the error of a stored body that does not decode.
var errBodyCorrupt = errors.New("corrupt stored body")

// encodeBody returns the stored form of a document body.
func encodeBody(body []byte) []byte {
	if len(body) == 0 {
		return nil
	}
	out := binary.AppendUvarint(make([]byte, 0, len(body)/2), uint64(len(body)))
	var enc []byte
	for i, size := 0, bodyChunkFirst; i < len(body); size *= 2 {
		end := len(body)
		if len(body)-i > size {
			end = nextRestart(body, i+size)
		}
		enc = bodyDict().EncodeBetter(enc[:cap(enc)], body[i:end])
		out = binary.AppendUvarint(out, uint64(len(enc)))
		out = append(out, enc...)
		i = end
	}
	return out
}

// Body is a stored document body (the value of FieldStoredBody) decoded on
// demand, from its start, chunk by chunk. The zero Body is an absent one,
// empty and complete. A Body keeps its buffer across Reset; it is not safe
// for concurrent use.
type Body struct {
	rest []byte // the chunks not decoded yet
	text []byte
	size int // the whole body's length
	err  error
}

// Reset makes b the body stored as stored (empty or nil: an absent or
// empty body), nothing decoded yet. b keeps stored until the next Reset:
// the caller must not change it.
func (b *Body) Reset(stored []byte) {
	b.rest, b.text, b.size, b.err = nil, b.text[:0], 0, nil
	if len(stored) == 0 {
		return
	}
	size, n := binary.Uvarint(stored)
	if n <= 0 || size > maxStoredBody {
		b.err = fmt.Errorf("decode stored body: %w: bad length", errBodyCorrupt)
		return
	}
	b.rest, b.size = stored[n:], int(size)
}

// Text returns the body decoded so far: a start of it that ends just after
// punctuation, or all of it once Complete. It is valid until the next call
// to More, All or Reset.
func (b *Body) Text() []byte {
	if b.size == 0 {
		return nil // absent or empty, as DecodeBody gives it
	}
	return b.text
}

// Complete reports whether Text holds the whole body (or decoding
// failed: More says how).
func (b *Body) Complete() bool {
	return len(b.rest) == 0 || b.err != nil
}

// More decodes the next chunk, if any.
func (b *Body) More() error {
	if b.err != nil || len(b.rest) == 0 {
		return b.err
	}
	n, k := binary.Uvarint(b.rest)
	if k <= 0 || n > uint64(len(b.rest)-k) {
		b.err = fmt.Errorf("decode stored body: %w: bad chunk length", errBodyCorrupt)
		return b.err
	}
	chunk := b.rest[k : k+int(n)]
	b.rest = b.rest[k+int(n):]
	dlen, err := s2.DecodedLen(chunk)
	if err == nil && (len(b.text)+dlen > b.size || dlen == 0) {
		err = errors.New("longer than stored length")
	}
	if err == nil {
		b.text = slices.Grow(b.text, dlen) // not to the whole size: most readers stop early
		at := len(b.text)
		_, err = bodyDict().Decode(b.text[at:at+dlen], chunk)
		b.text = b.text[:at+dlen]
	}
	if err == nil && len(b.rest) == 0 && len(b.text) != b.size {
		err = errors.New("shorter than stored length")
	}
	if err != nil {
		b.err = fmt.Errorf("decode stored body: %w: %w", errBodyCorrupt, err)
	}
	return b.err
}

// All decodes the rest of the body and returns all of it (nil when empty
// or absent), valid until the next call to Reset.
func (b *Body) All() ([]byte, error) {
	b.text = slices.Grow(b.text, b.size-len(b.text))
	for !b.Complete() {
		if err := b.More(); err != nil {
			return nil, err
		}
	}
	if b.err != nil {
		return nil, b.err
	}
	return b.Text(), nil
}

// DecodeBody returns a document body from its stored form, the stored
// value of FieldStoredBody as a stored-field visitor sees it, in a new
// slice; empty gives nil.
func DecodeBody(stored []byte) ([]byte, error) {
	var b Body
	b.Reset(stored)
	return b.All()
}

// StoredBody returns a document body from a hit's stored field value,
// Fields[FieldStoredBody]; absent (nil) gives "".
func StoredBody(v any) (string, error) {
	s, _ := v.(string) // absent: no body
	b, err := DecodeBody([]byte(s))
	return string(b), err
}
