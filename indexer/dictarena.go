package indexer

import "unsafe"

// An arena is memory outside the Go heap holding the dictionary the cache
// restores (on Unix; elsewhere the dictionary lives on the heap). The
// dictionary is about 120 MB of small structures full of pointers: on the
// heap the garbage collector walks all of it in every cycle and counts it
// in the live heap, which doubles into the heap goal, so a server
// answering searches would peak a couple of hundred megabytes higher than
// its searches need. Outside the heap it costs its size and nothing else.
//
// The rule that makes this safe: memory in an arena holds pointers only
// into the same arena or to static data (string literals), never into the
// Go heap, which the collector would not see from here. The dictionary is
// read-only once loaded (see Segmenter), so nothing stores a heap pointer
// into it later. An arena is never freed: it holds the process-wide
// dictionary.
type arena struct {
	buf []byte
	off int
}

// alloc returns a zeroed slice of n Ts from a, or from the Go heap when a
// is nil. It panics when a is too small: the caller sized it wrong.
func alloc[T any](a *arena, n int) []T {
	if a == nil || n == 0 {
		return make([]T, n)
	}
	var z T
	align := int(unsafe.Alignof(z))
	a.off = (a.off + align - 1) &^ (align - 1)
	size := int(unsafe.Sizeof(z)) * n
	if a.off+size > len(a.buf) {
		panic("indexer: dictionary arena too small")
	}
	p := unsafe.Pointer(&a.buf[a.off])
	a.off += size
	return unsafe.Slice((*T)(p), n)
}

// arenaSize returns the bytes an arena needs for n Ts, with room for
// alignment.
func arenaSize[T any](n int) int {
	var z T
	return int(unsafe.Sizeof(z))*n + int(unsafe.Alignof(z))
}

// allocString returns a copy of b in a (on the heap when a is nil).
func allocString(a *arena, b []byte) string {
	if a == nil || len(b) == 0 {
		return string(b)
	}
	c := alloc[byte](a, len(b))
	copy(c, b)
	return unsafe.String(&c[0], len(c))
}
