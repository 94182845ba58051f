package indexer

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/debug"
	"unsafe"

	"github.com/go-ego/gse"
	"github.com/vcaesar/cedar"
)

// The dictionary cache holds gse's dictionary exactly as loading the text
// dictionaries leaves it in memory: the token table (words, frequencies,
// parts of speech, path distances and the sub-word segments CalcToken
// computes by segmenting every word again) and the cedar double-array trie.
// Loading it is a copy of arrays instead of parsing 350k lines, inserting
// them into the trie one by one and segmenting every word, which is what
// makes gse's load take seconds.
//
// gse keeps these fields unexported and offers no way to save or restore
// them, so the cache writes and reads them through mirror types of the same
// memory layout. cacheLayoutOK checks, with reflection, that the mirrors
// still match the gse and cedar types compiled in (field names, offsets,
// sizes); if they do not, for example after a gse upgrade, the cache is not
// used and the dictionaries load from text as before. A cache file is
// named by a hash of everything its content depends on (the dictionaries'
// text, the gse and cedar versions, the architecture and the format), and
// carries a checksum; a file that does not match is ignored and rewritten.

// dictCacheFormat versions the file format.
const dictCacheFormat = "policysearch-dict-cache-1"

// dictCacheMagic starts every cache file.
var dictCacheMagic = []byte("PSDICT1\n")

// Mirrors of gse v0.80.3's and cedar v0.20.2's unexported layouts.
type (
	mirrorToken struct {
		text     []gse.Text
		freq     float64
		pos      string
		distance float32
		segments []*gse.Segment
	}
	mirrorSegment struct {
		start, end, Position int
		token                *gse.Token
	}
	mirrorDictionary struct {
		trie        *cedar.Cedar
		maxTokenLen int
		Tokens      []gse.Token
		totalFreq   float64
	}
	mirrorNode  struct{ baseV, check int }
	mirrorNInfo struct{ sibling, child byte }
	mirrorBlock struct {
		prev, next, num, reject, trial, eHead int
	}
	mirrorCedar struct {
		Reduced bool

		array  []mirrorNode
		nInfos []mirrorNInfo
		blocks []mirrorBlock
		reject [257]int

		blocksHeadFull   int
		blocksHeadClosed int
		blocksHeadOpen   int

		capacity int
		size     int
		ordered  bool
		maxTrial int
	}
)

// cacheLayoutOK reports whether the mirror types match the gse and cedar
// types compiled into this program.
var cacheLayoutOK = func() bool {
	pairs := [][2]reflect.Type{
		{reflect.TypeFor[gse.Token](), reflect.TypeFor[mirrorToken]()},
		{reflect.TypeFor[gse.Segment](), reflect.TypeFor[mirrorSegment]()},
		{reflect.TypeFor[gse.Dictionary](), reflect.TypeFor[mirrorDictionary]()},
		{reflect.TypeFor[cedar.Cedar](), reflect.TypeFor[mirrorCedar]()},
	}
	for _, p := range pairs {
		if !sameLayout(p[0], p[1], 0) {
			return false
		}
	}
	return true
}()

// sameLayout reports whether a and b have the same memory layout, field by
// field and name by name, down to depth 4.
func sameLayout(a, b reflect.Type, depth int) bool {
	if a == b {
		return true
	}
	if a.Kind() != b.Kind() || a.Size() != b.Size() || a.Align() != b.Align() || depth > 4 {
		return false
	}
	switch a.Kind() {
	case reflect.Struct:
		if a.NumField() != b.NumField() {
			return false
		}
		for i := range a.NumField() {
			fa, fb := a.Field(i), b.Field(i)
			if fa.Name != fb.Name || fa.Offset != fb.Offset || !sameLayout(fa.Type, fb.Type, depth+1) {
				return false
			}
		}
		return true
	case reflect.Slice, reflect.Array, reflect.Pointer:
		if a.Kind() == reflect.Array && a.Len() != b.Len() {
			return false
		}
		return sameLayout(a.Elem(), b.Elem(), depth+1)
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.String:
		return true
	}
	return false
}

// dictCacheName returns the file name of the cache for the dictionaries
// given as text (user words and the policy dictionary; zh_s is fixed by the
// gse version).
func dictCacheName(user, policy string) string {
	h := sha256.New()
	for _, s := range []string{dictCacheFormat, runtime.GOARCH, moduleVersion("github.com/go-ego/gse"),
		moduleVersion("github.com/vcaesar/cedar"), BaseDictVersion, user, policy} {
		fmt.Fprintf(h, "%d:%s\n", len(s), s)
	}
	return "dict-" + hex.EncodeToString(h.Sum(nil)[:12]) + ".bin"
}

// moduleVersion returns the version of module path compiled in, or gse's
// own version string when the build information is not available.
func moduleVersion(path string) string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == path {
				if d.Replace != nil {
					return d.Replace.Path + "@" + d.Replace.Version
				}
				return d.Version
			}
		}
	}
	return gse.Version
}

// errCacheShape means the loaded dictionary holds something the cache
// format does not describe; the cache is then not written.
var errCacheShape = errors.New("dictionary shape not cacheable")

// encodeDict serializes seg's dictionary.
func encodeDict(seg *gse.Segmenter) ([]byte, error) {
	if !cacheLayoutOK {
		return nil, errCacheShape
	}
	d := (*mirrorDictionary)(unsafe.Pointer(seg.Dict))
	cd := (*mirrorCedar)(unsafe.Pointer(d.trie))
	toks := d.Tokens
	var (
		rec    cacheWriter // the token records
		blob   []byte
		posIdx = map[string]int{}
		poss   []string
		nParts int
		nSegs  int
		nFake  int
	)
	tokSize := unsafe.Sizeof(gse.Token{})
	var base uintptr
	if len(toks) > 0 {
		base = uintptr(unsafe.Pointer(&toks[0]))
	}
	for i := range toks {
		t := (*mirrorToken)(unsafe.Pointer(&toks[i]))
		rec.uv(uint64(len(t.text)))
		nParts += len(t.text)
		for _, part := range t.text {
			rec.uv(uint64(len(part)))
			blob = append(blob, part...)
		}
		rec.u64(math.Float64bits(t.freq))
		rec.u32(math.Float32bits(t.distance))
		k, ok := posIdx[t.pos]
		if !ok {
			k = len(poss)
			posIdx[t.pos] = k
			poss = append(poss, t.pos)
		}
		rec.uv(uint64(k))
		if t.segments == nil {
			return nil, fmt.Errorf("token %d has no segments: %w", i, errCacheShape)
		}
		rec.uv(uint64(len(t.segments)))
		nSegs += len(t.segments)
		for _, sp := range t.segments {
			s := (*mirrorSegment)(unsafe.Pointer(sp))
			if s.Position != 0 || s.start < 0 || s.end < s.start {
				return nil, fmt.Errorf("token %d: segment %d-%d at %d: %w", i, s.start, s.end, s.Position, errCacheShape)
			}
			p := uintptr(unsafe.Pointer(s.token))
			if off := p - base; p >= base && off/tokSize < uintptr(len(toks)) && off%tokSize == 0 {
				rec.uv(uint64(off/tokSize) + 1)
				rec.uv(uint64(s.start))
				rec.uv(uint64(s.end))
				continue
			}
			// A character gse does not know: a pseudo token made from the
			// word's own character.
			pt := (*mirrorToken)(unsafe.Pointer(s.token))
			part := partAt(t.text, s.start)
			if part < 0 || len(pt.text) != 1 || !bytes.Equal(pt.text[0], t.text[part]) || pt.freq != 1 ||
				pt.distance != 32 || pt.pos != "x" || pt.segments != nil || s.end-s.start != len(pt.text[0]) {
				return nil, fmt.Errorf("token %d: segment at %d: %w", i, s.start, errCacheShape)
			}
			nFake++
			rec.uv(0)
			rec.uv(uint64(s.start))
			rec.uv(uint64(part))
		}
	}
	var w cacheWriter
	w.u64(math.Float64bits(d.totalFreq))
	w.uv(uint64(d.maxTokenLen))
	for _, n := range []int{len(toks), nParts, nSegs, nFake, len(poss)} {
		w.uv(uint64(n))
	}
	for _, p := range poss {
		w.bytes([]byte(p))
	}
	w.bytes(blob)
	w.buf = append(w.buf, rec.buf...)

	// The trie, every field.
	w.bool(cd.Reduced)
	w.uv(uint64(len(cd.array)))
	for _, n := range cd.array {
		if n.baseV != int(int32(n.baseV)) || n.check != int(int32(n.check)) {
			return nil, fmt.Errorf("trie node out of range: %w", errCacheShape)
		}
		w.u32(uint32(int32(n.baseV)))
		w.u32(uint32(int32(n.check)))
	}
	w.uv(uint64(len(cd.nInfos)))
	for _, n := range cd.nInfos {
		w.buf = append(w.buf, n.sibling, n.child)
	}
	w.uv(uint64(len(cd.blocks)))
	for _, b := range cd.blocks {
		for _, v := range [...]int{b.prev, b.next, b.num, b.reject, b.trial, b.eHead} {
			w.iv(int64(v))
		}
	}
	for _, v := range cd.reject {
		w.iv(int64(v))
	}
	for _, v := range [...]int{cd.blocksHeadFull, cd.blocksHeadClosed, cd.blocksHeadOpen, cd.capacity, cd.size, cd.maxTrial} {
		w.iv(int64(v))
	}
	w.bool(cd.ordered)

	out := append([]byte(nil), dictCacheMagic...)
	out = binary.LittleEndian.AppendUint32(out, crc32.Checksum(w.buf, crcTable))
	return append(out, w.buf...), nil
}

// partAt returns the index of the part of text starting at byte offset
// start, or -1.
func partAt(text []gse.Text, start int) int {
	off := 0
	for k, p := range text {
		if off == start {
			return k
		}
		off += len(p)
	}
	return -1
}

// crcTable is the Castagnoli table, computed in hardware on most machines.
var crcTable = crc32.MakeTable(crc32.Castagnoli)

// errCacheCorrupt means a cache file is truncated or fails its checksum.
var errCacheCorrupt = errors.New("dictionary cache corrupt")

// decodeDict builds a segmenter from a cache file's content, with the
// settings seg has (NotLoadHMM, SkipLog). With offHeap, the dictionary
// lives in arenas outside the Go heap, for the life of the process (see
// arena); otherwise on the heap.
func decodeDict(data []byte, seg *gse.Segmenter, offHeap bool) (err error) {
	if !cacheLayoutOK {
		return errCacheShape
	}
	if !bytes.HasPrefix(data, dictCacheMagic) || len(data) < len(dictCacheMagic)+4 {
		return errCacheCorrupt
	}
	sum := binary.LittleEndian.Uint32(data[len(dictCacheMagic):])
	body := data[len(dictCacheMagic)+4:]
	if crc32.Checksum(body, crcTable) != sum {
		return errCacheCorrupt
	}
	r := cacheReader{buf: body}
	totalFreq := math.Float64frombits(r.u64())
	maxTokenLen := r.int()
	n, nParts, nSegs, nFake, nPos := r.int(), r.int(), r.int(), r.int(), r.int()
	if r.err != nil || n > len(body) || nParts > len(body) || nSegs > len(body) || nFake > nSegs || nPos > len(body) {
		return errCacheCorrupt
	}
	rawPos := make([][]byte, nPos)
	posBytes := 0
	for i := range rawPos {
		rawPos[i] = r.bytes()
		posBytes += len(rawPos[i])
	}
	rawBlob := r.bytes()
	if r.err != nil {
		return errCacheCorrupt
	}
	var a *arena
	if offHeap {
		size := arenaSize[gse.Token](n+nFake) + arenaSize[gse.Text](nParts+nFake) +
			arenaSize[gse.Segment](nSegs) + arenaSize[*gse.Segment](nSegs) + len(rawBlob) + posBytes
		if a, err = mapArena(size); err != nil {
			return err
		}
	}
	poss := make([]string, nPos)
	for i, p := range rawPos {
		poss[i] = allocString(a, p)
	}
	blob := alloc[byte](a, len(rawBlob))
	copy(blob, rawBlob)
	// Every token's parts, segments and pseudo tokens come from one
	// allocation each: a few large objects instead of millions of small
	// ones.
	toks := alloc[gse.Token](a, n)
	texts := alloc[gse.Text](a, nParts)
	segSlab := alloc[gse.Segment](a, nSegs)
	ptrSlab := alloc[*gse.Segment](a, nSegs)
	fakeSlab := alloc[gse.Token](a, nFake)
	fakeText := alloc[gse.Text](a, nFake)
	nParts, nSegs, nFake = 0, 0, 0
	off := 0
	for i := range toks {
		t := (*mirrorToken)(unsafe.Pointer(&toks[i]))
		np := r.int()
		if np > len(texts)-nParts {
			return errCacheCorrupt
		}
		t.text = texts[nParts : nParts+np : nParts+np]
		nParts += np
		for k := range t.text {
			l := r.int()
			if off+l > len(blob) {
				return errCacheCorrupt
			}
			t.text[k] = blob[off : off+l : off+l]
			off += l
		}
		t.freq = math.Float64frombits(r.u64())
		t.distance = math.Float32frombits(r.u32())
		if p := r.int(); p < len(poss) {
			t.pos = poss[p]
		} else {
			return errCacheCorrupt
		}
		size := textSliceLen(t.text)
		ns := r.int()
		if ns > len(ptrSlab)-nSegs {
			return errCacheCorrupt
		}
		t.segments = ptrSlab[nSegs : nSegs+ns : nSegs+ns]
		for j := range t.segments {
			s := (*mirrorSegment)(unsafe.Pointer(&segSlab[nSegs]))
			t.segments[j] = &segSlab[nSegs]
			nSegs++
			id, start, x := r.int(), r.int(), r.int()
			s.start = start
			switch {
			case id > n:
				return errCacheCorrupt
			case id > 0:
				s.token, s.end = &toks[id-1], x
			default:
				if x >= len(t.text) || nFake >= len(fakeSlab) {
					return errCacheCorrupt
				}
				fakeText[nFake] = t.text[x]
				pt := (*mirrorToken)(unsafe.Pointer(&fakeSlab[nFake]))
				pt.text = fakeText[nFake : nFake+1 : nFake+1]
				pt.freq, pt.distance, pt.pos = 1, 32, "x"
				s.token, s.end = &fakeSlab[nFake], start+len(t.text[x])
				nFake++
			}
			if s.end < s.start || s.end > size {
				return errCacheCorrupt
			}
		}
		if r.err != nil {
			return errCacheCorrupt
		}
	}

	cd := cedar.New()
	mc := (*mirrorCedar)(unsafe.Pointer(cd))
	mc.Reduced = r.bool()
	na := r.int()
	if r.err != nil || na > len(body)/8 {
		return errCacheCorrupt
	}
	raw := r.take(8 * na)
	ni := r.int()
	if r.err != nil || ni > len(body)/2 {
		return errCacheCorrupt
	}
	rawInfos := r.take(2 * ni)
	if r.err != nil {
		return errCacheCorrupt
	}
	var ca *arena
	if offHeap {
		if ca, err = mapArena(arenaSize[mirrorNode](na) + arenaSize[mirrorNInfo](ni)); err != nil {
			return err
		}
	}
	mc.array = alloc[mirrorNode](ca, na)
	for i := range mc.array {
		mc.array[i] = mirrorNode{
			baseV: int(int32(binary.LittleEndian.Uint32(raw[8*i:]))),
			check: int(int32(binary.LittleEndian.Uint32(raw[8*i+4:]))),
		}
	}
	mc.nInfos = alloc[mirrorNInfo](ca, ni)
	for i := range mc.nInfos {
		mc.nInfos[i] = mirrorNInfo{sibling: rawInfos[2*i], child: rawInfos[2*i+1]}
	}
	nb := r.int()
	if r.err != nil || nb > len(body) {
		return errCacheCorrupt
	}
	mc.blocks = make([]mirrorBlock, nb)
	for i := range mc.blocks {
		b := &mc.blocks[i]
		b.prev, b.next, b.num, b.reject, b.trial, b.eHead = r.iv(), r.iv(), r.iv(), r.iv(), r.iv(), r.iv()
	}
	for i := range mc.reject {
		mc.reject[i] = r.iv()
	}
	mc.blocksHeadFull, mc.blocksHeadClosed, mc.blocksHeadOpen = r.iv(), r.iv(), r.iv()
	mc.capacity, mc.size, mc.maxTrial = r.iv(), r.iv(), r.iv()
	mc.ordered = r.bool()
	if r.err != nil || len(r.buf) != 0 || !trieInBounds(mc, n) {
		return errCacheCorrupt
	}

	dict := gse.NewDict()
	md := (*mirrorDictionary)(unsafe.Pointer(dict))
	md.trie, md.maxTokenLen, md.Tokens, md.totalFreq = cd, maxTokenLen, toks, totalFreq
	seg.Dict = dict
	// As gse's own loading does: Init sets the default frequency settings.
	seg.Init()
	return nil
}

// textSliceLen returns the bytes of a token's text.
func textSliceLen(text []gse.Text) int {
	n := 0
	for _, p := range text {
		n += len(p)
	}
	return n
}

// trieInBounds reports whether every lookup in the trie stays inside its
// array: the root and each node in use (check ≥ 0) that has children
// (baseV < 0 in cedar's reduced form) point at a base inside the array,
// whose length is a power of two, so base XOR label is inside it too; and
// every value (baseV ≥ 0 in a node in use) is the index of one of the
// tokens.
// The checksum catches damage; this keeps a file that passes it yet is
// wrong from crashing segmentation with an index out of range.
func trieInBounds(mc *mirrorCedar, tokens int) bool {
	n := len(mc.array)
	if !mc.Reduced || n < 256 || n&(n-1) != 0 {
		return false
	}
	for i, nd := range mc.array {
		if (i == 0 || nd.check >= 0) && nd.baseV < 0 && -(nd.baseV+1) >= n {
			return false
		}
		if nd.check >= 0 && nd.baseV >= tokens {
			return false
		}
	}
	return true
}

// readDictCache loads seg's dictionary from the cache file path.
func readDictCache(path string, seg *gse.Segmenter) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := decodeDict(data, seg, true); err != nil {
		return fmt.Errorf("read dictionary cache %s: %w", path, err)
	}
	return nil
}

// writeDictCache writes a dictionary's image (from encodeDict) to the cache
// file path, through a temporary file renamed into place so that a reader
// never sees half of it.
func writeDictCache(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("write dictionary cache: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".dict-*.tmp")
	if err != nil {
		return fmt.Errorf("write dictionary cache: %w", err)
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		return errors.Join(fmt.Errorf("write dictionary cache %s: %w", f.Name(), err), os.Remove(f.Name()))
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return errors.Join(fmt.Errorf("write dictionary cache: %w", err), os.Remove(f.Name()))
	}
	return nil
}

// cacheWriter appends the cache's primitive values.
type cacheWriter struct{ buf []byte }

func (w *cacheWriter) uv(v uint64)  { w.buf = binary.AppendUvarint(w.buf, v) }
func (w *cacheWriter) iv(v int64)   { w.buf = binary.AppendVarint(w.buf, v) }
func (w *cacheWriter) u64(v uint64) { w.buf = binary.LittleEndian.AppendUint64(w.buf, v) }
func (w *cacheWriter) u32(v uint32) { w.buf = binary.LittleEndian.AppendUint32(w.buf, v) }
func (w *cacheWriter) bytes(b []byte) {
	w.uv(uint64(len(b)))
	w.buf = append(w.buf, b...)
}
func (w *cacheWriter) bool(b bool) {
	if b {
		w.buf = append(w.buf, 1)
	} else {
		w.buf = append(w.buf, 0)
	}
}

// cacheReader reads what cacheWriter wrote; the first error sticks and
// later reads return zero values.
type cacheReader struct {
	buf []byte
	err error
}

func (r *cacheReader) take(n int) []byte {
	if r.err != nil || n < 0 || n > len(r.buf) {
		r.err = errCacheCorrupt
		return nil
	}
	b := r.buf[:n:n]
	r.buf = r.buf[n:]
	return b
}

func (r *cacheReader) int() int {
	if r.err != nil {
		return 0
	}
	v, k := binary.Uvarint(r.buf)
	if k <= 0 || v > math.MaxInt32*64 {
		r.err = errCacheCorrupt
		return 0
	}
	r.buf = r.buf[k:]
	return int(v)
}

func (r *cacheReader) iv() int {
	if r.err != nil {
		return 0
	}
	v, k := binary.Varint(r.buf)
	if k <= 0 {
		r.err = errCacheCorrupt
		return 0
	}
	r.buf = r.buf[k:]
	return int(v)
}

func (r *cacheReader) u64() uint64 {
	b := r.take(8)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(b)
}

func (r *cacheReader) u32() uint32 {
	b := r.take(4)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(b)
}

func (r *cacheReader) bytes() []byte { return r.take(r.int()) }

func (r *cacheReader) bool() bool {
	b := r.take(1)
	return b != nil && b[0] == 1
}
