package indexer

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"unicode"
)

// Near-duplicate detection: every document gets a MinHash fingerprint of
// the set of its character shingles, so that two documents whose texts are
// mostly the same (a central notice reposted under a local header, one
// report in two transcriptions) can be found without comparing texts.
const (
	// ShingleSize is the length of a shingle in characters (runes) of the
	// normalized text with spaces and punctuation removed.
	ShingleSize = 5
	// FingerprintSize is the number of MinHash values in a Fingerprint.
	FingerprintSize = 128
	// minShingles is the fewest shingles a text needs for a fingerprint:
	// shorter texts (a title page, an empty notice) are never grouped.
	minShingles = 50
)

// Two documents are near-duplicates (see NearDuplicate) when the estimated
// Jaccard similarity of their shingle sets is at least DupSimilarity, or
// when it is at least DupMinSimilarity and the smaller one is contained in
// the other to at least DupContainment (a text reposted under a longer
// header, or with a preamble added). The values come from all pairs of
// ../shared/corpus (see the README): one regulation from two sources
// scores 0.95–1.0, or a containment of 0.97–1.0 when one source adds a
// preamble; the model "制定地方性法规条例" of different cities score up to
// 0.88 with a containment of 0.91–0.95 and stay apart; different years'
// reports of one district score below 0.2.
const (
	DupSimilarity    = 0.9
	DupMinSimilarity = 0.5
	DupContainment   = 0.96
)

// NearDuplicate reports whether f and g are near-duplicates, and their
// estimated Jaccard similarity.
func (f Fingerprint) NearDuplicate(g Fingerprint) (bool, float64) {
	j := f.Similarity(g)
	switch {
	case j >= DupSimilarity:
		return true, j
	case j >= DupMinSimilarity:
		return f.Containment(g) >= DupContainment, j
	}
	return false, j
}

// Fingerprint is a one-permutation MinHash of a document's shingles: the
// shingle hashes fall into FingerprintSize bins by their low bits, and each
// bin keeps its smallest value. Empty bins borrow from the next non-empty
// bin (densification), so two fingerprints always compare bin by bin. The
// zero value means "no fingerprint" (text too short) and is similar to
// nothing.
type Fingerprint struct {
	vals [FingerprintSize]uint32
	// size is the number of distinct shingles; 0 means no fingerprint.
	size uint32
}

// NewFingerprint returns the fingerprint of text: normalized as the index
// normalizes it (see Normalize), with everything but letters and digits
// removed, cut into overlapping shingles of ShingleSize characters.
func NewFingerprint(text string) Fingerprint {
	return fingerprintOf(normalizeText([]byte(text), false).text)
}

// fingerprintOf is NewFingerprint of a text already normalized.
func fingerprintOf(text []byte) Fingerprint {
	var runes []rune
	for _, r := range string(text) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			runes = append(runes, r)
		}
	}
	n := len(runes) - ShingleSize + 1
	if n < minShingles {
		return Fingerprint{}
	}
	var (
		fp     Fingerprint
		full   [FingerprintSize]bool
		count  int
		hashes = make([]uint64, n)
	)
	for i := range n {
		// FNV-1a over the shingle's runes, then a finalizer so that the
		// low bits (the bin) and the high bits (the value) are independent.
		h := uint64(14695981039346656037)
		for _, r := range runes[i : i+ShingleSize] {
			h ^= uint64(r)
			h *= 1099511628211
		}
		h = mix64(h)
		hashes[i] = h
		bin := h % FingerprintSize
		v := uint32(h >> 32)
		if !full[bin] || v < fp.vals[bin] {
			if !full[bin] {
				count++
			}
			full[bin], fp.vals[bin] = true, v
		}
	}
	// Densify: an empty bin takes the value of the next full one to its
	// right, marked with the distance so that borrowed values only match
	// values borrowed the same way.
	for b := range FingerprintSize {
		if full[b] {
			continue
		}
		for d := 1; d < FingerprintSize; d++ {
			if j := (b + d) % FingerprintSize; full[j] {
				fp.vals[b] = uint32(mix64(uint64(fp.vals[j]) + uint64(d)<<32))
				break
			}
		}
	}
	if count > 0 {
		fp.size = uint32(countDistinct(hashes))
	}
	return fp
}

// countDistinct returns how many different values hashes holds. The values are
// mixed hashes, so their low bits index an open-addressing table directly:
// five times quicker than sorting them (a tenth of the fingerprint's time).
func countDistinct(hashes []uint64) int {
	size := 1
	for size < 2*len(hashes) {
		size <<= 1
	}
	table := make([]uint64, size) // 0 marks a free slot
	mask := uint64(size - 1)
	n := 0
	zero := false
	for _, h := range hashes {
		if h == 0 {
			if !zero {
				zero = true
				n++
			}
			continue
		}
		for i := h & mask; ; i = (i + 1) & mask {
			if table[i] == h {
				break
			}
			if table[i] == 0 {
				table[i] = h
				n++
				break
			}
		}
	}
	return n
}

// mix64 is the splitmix64 finalizer.
func mix64(h uint64) uint64 {
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	return h
}

// Valid reports whether f is a real fingerprint (the text was long enough).
func (f Fingerprint) Valid() bool { return f.size > 0 }

// Similarity estimates the Jaccard similarity of the two documents' shingle
// sets: the share of bins with equal values, in [0, 1]. It is 0 when either
// fingerprint is not Valid. The standard error is about
// √(J(1−J)/FingerprintSize), 0.044 at J = 0.5.
func (f Fingerprint) Similarity(g Fingerprint) float64 {
	if !f.Valid() || !g.Valid() {
		return 0
	}
	same := 0
	for i := range f.vals {
		if f.vals[i] == g.vals[i] {
			same++
		}
	}
	return float64(same) / FingerprintSize
}

// Containment estimates the share of the smaller document's shingles that
// the other document contains too, in [0, 1], from Similarity and the two
// set sizes: |A∩B| = J·(|A|+|B|)/(1+J). A notice reposted under a new header
// contains nearly all of the original, whatever the header's length.
func (f Fingerprint) Containment(g Fingerprint) float64 {
	j := f.Similarity(g)
	if j == 0 {
		return 0
	}
	inter := j * float64(f.size+g.size) / (1 + j)
	return min(1, inter/float64(min(f.size, g.size)))
}

// String encodes f as base64 (the stored form, FieldFingerprint); "" when f
// is not Valid.
func (f Fingerprint) String() string {
	if !f.Valid() {
		return ""
	}
	b := make([]byte, 4*FingerprintSize+4)
	for i, v := range f.vals {
		binary.BigEndian.PutUint32(b[4*i:], v)
	}
	binary.BigEndian.PutUint32(b[4*FingerprintSize:], f.size)
	return base64.RawStdEncoding.EncodeToString(b)
}

// ParseFingerprint decodes the String form; "" gives the zero Fingerprint.
func ParseFingerprint(s string) (Fingerprint, error) {
	if s == "" {
		return Fingerprint{}, nil
	}
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil || len(b) != 4*FingerprintSize+4 {
		return Fingerprint{}, fmt.Errorf("parse fingerprint: want %d base64 bytes", 4*FingerprintSize+4)
	}
	var f Fingerprint
	for i := range f.vals {
		f.vals[i] = binary.BigEndian.Uint32(b[4*i:])
	}
	f.size = binary.BigEndian.Uint32(b[4*FingerprintSize:])
	if f.size == 0 {
		return Fingerprint{}, fmt.Errorf("parse fingerprint: no shingles")
	}
	return f, nil
}

// bands splits f into LSH bands of bandRows values each, as keys of a
// candidate table: two documents with Jaccard similarity J share at least
// one band with probability 1−(1−J^bandRows)^(FingerprintSize/bandRows):
// 0.996 at J = 0.5, 0.04 at J = 0.1 with 3 rows.
func (f Fingerprint) bands() []uint64 {
	if !f.Valid() {
		return nil
	}
	out := make([]uint64, 0, FingerprintSize/bandRows)
	for b := 0; b+bandRows <= FingerprintSize; b += bandRows {
		h := uint64(b)
		for _, v := range f.vals[b : b+bandRows] {
			h = mix64(h ^ uint64(v))
		}
		out = append(out, h)
	}
	return out
}

// bandRows is the number of fingerprint values per LSH band.
const bandRows = 3
