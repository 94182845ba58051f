package indexer

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unsafe"

	"github.com/go-ego/gse"
	"github.com/google/go-cmp/cmp"

	"policysearch/corpus"
)

// cachedCopy returns the process's segmenter, which loaded from text, and
// one decoded from its cache image outside the heap, as the cache loads it.
func cachedCopy(t testing.TB) (orig, cached *gse.Segmenter) {
	t.Helper()
	if !cacheLayoutOK {
		t.Fatal("the mirror types no longer match gse's and cedar's layout: update dictcache.go for the new versions")
	}
	orig, err := segmenter()
	if err != nil {
		t.Fatal(err)
	}
	cached, err = offHeapCopy()
	if err != nil {
		t.Fatal(err)
	}
	return orig, cached
}

// offHeapCopy decodes the process's segmenter's cache image once per test
// process: an arena is never freed.
var offHeapCopy = sync.OnceValues(func() (*gse.Segmenter, error) {
	orig, err := segmenter()
	if err != nil {
		return nil, err
	}
	data, err := encodeDict(orig)
	if err != nil {
		return nil, fmt.Errorf("encodeDict: %w", err)
	}
	cached := newSegmenter()
	if err := decodeDict(data, cached, true); err != nil {
		return nil, fmt.Errorf("decodeDict: %w", err)
	}
	return cached, nil
})

// TestDictCacheSame checks that the dictionary decoded from the cache is
// the one gse built from text, token by token, segment by segment and in
// its trie.
func TestDictCacheSame(t *testing.T) {
	t.Parallel()
	orig, cached := cachedCopy(t)
	a, b := orig.Dict, cached.Dict
	if a.NumTokens() != b.NumTokens() || a.MaxTokenLen() != b.MaxTokenLen() || a.TotalFreq() != b.TotalFreq() {
		t.Fatalf("cached dictionary: %d tokens, max %d, total %v; want %d, %d, %v",
			b.NumTokens(), b.MaxTokenLen(), b.TotalFreq(), a.NumTokens(), a.MaxTokenLen(), a.TotalFreq())
	}
	index := func(d *gse.Dictionary, tok *gse.Token) int {
		off := uintptr(unsafe.Pointer(tok)) - uintptr(unsafe.Pointer(&d.Tokens[0]))
		if n := off / unsafe.Sizeof(*tok); off%unsafe.Sizeof(*tok) == 0 && n < uintptr(len(d.Tokens)) {
			return int(n)
		}
		return -1
	}
	bad := 0
	for i := range a.Tokens {
		ta, tb := &a.Tokens[i], &b.Tokens[i]
		ma, mb := (*mirrorToken)(unsafe.Pointer(ta)), (*mirrorToken)(unsafe.Pointer(tb))
		same := sameToken(ma, mb) && len(ma.segments) == len(mb.segments)
		for j := 0; same && j < len(ma.segments); j++ {
			sa, sb := ma.segments[j], mb.segments[j]
			ia, ib := index(a, sa.Token()), index(b, sb.Token())
			same = sa.Start() == sb.Start() && sa.End() == sb.End() && sa.Position == sb.Position && ia == ib &&
				(ia >= 0 || sameToken((*mirrorToken)(unsafe.Pointer(sa.Token())), (*mirrorToken)(unsafe.Pointer(sb.Token()))) &&
					sa.Token().Segments() == nil && sb.Token().Segments() == nil)
		}
		if !same {
			t.Errorf("token %d %q differs after the cache", i, ta.Text())
			if bad++; bad > 10 {
				t.FailNow()
			}
		}
		word := []byte(ta.Text())
		va, _, erra := a.Value(word)
		vb, _, errb := b.Value(word)
		if va != vb || (erra == nil) != (errb == nil) {
			t.Errorf("trie value of %q = %d, %v; want %d, %v", word, vb, errb, va, erra)
		}
	}
}

// sameToken reports whether a and b have the same text, frequency, part of
// speech and distance.
func sameToken(a, b *mirrorToken) bool {
	if len(a.text) != len(b.text) || a.freq != b.freq || a.pos != b.pos || a.distance != b.distance {
		return false
	}
	for k := range a.text {
		if !bytes.Equal(a.text[k], b.text[k]) {
			return false
		}
	}
	return true
}

// TestDictCacheTokenize checks that the tokenizer over the cached
// dictionary gives the same token streams on trie documents.
func TestDictCacheTokenize(t *testing.T) {
	t.Parallel()
	orig, cached := cachedCopy(t)
	ta, tb := &Tokenizer{seg: orig}, &Tokenizer{seg: cached}
	n := 0
	for d, err := range corpus.Load(t.Context(), corpus.Sample(), corpus.Options{}) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n > 20 && testing.Short() {
			break
		}
		src := []byte(d.Title + "\n" + d.Body)
		if diff := cmp.Diff(render(ta.Tokenize(src)), render(tb.Tokenize(src))); diff != "" {
			t.Fatalf("Tokenize(%s) with the cached dictionary mismatch (-text +cache):\n%s", d.ID, diff)
		}
	}
}

// TestDictCacheFile writes the cache file, loads from it, and falls back
// to the text dictionaries when the file is damaged.
func TestDictCacheFile(t *testing.T) {
	t.Parallel()
	orig, err := segmenter()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, dictCacheName("", stripComments(policyDict)))
	data, err := encodeDict(orig)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeDictCache(path, data); err != nil {
		t.Fatal(err)
	}
	seg, st, err := loadCached("", dir)
	if err != nil || !st.FromCache || st.CacheErr != nil || st.CacheFile != path {
		t.Fatalf("loadCached = %+v, %v; want from cache %s", st, err, path)
	}
	const text = "推进医养结合，发展城市更新"
	want := gse.ToString(orig.Segment([]byte(text)), true)
	if got := gse.ToString(seg.Segment([]byte(text)), true); got != want {
		t.Errorf("Segment(%q) from the cache = %q, want %q", text, got, want)
	}

	for name, damaged := range map[string][]byte{
		"flipped byte": func() []byte { d := []byte(strings.Clone(string(data))); d[len(d)/2] ^= 0xff; return d }(),
		"truncated":    data[:len(data)/3],
		"empty":        nil,
	} {
		if err := decodeDict(damaged, newSegmenter(), false); !errors.Is(err, errCacheCorrupt) {
			t.Errorf("decodeDict(%s) = %v, want errCacheCorrupt", name, err)
		}
	}
	if testing.Short() {
		return // the fallback loads the text dictionaries again, 2 s
	}
	if err := os.WriteFile(path, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	seg, st, err = loadCached("", dir)
	if err != nil || st.FromCache || !errors.Is(st.CacheErr, errCacheCorrupt) {
		t.Fatalf("loadCached on a damaged file = %+v, %v; want a text load reporting errCacheCorrupt", st, err)
	}
	if got := gse.ToString(seg.Segment([]byte(text)), true); got != want {
		t.Errorf("Segment(%q) after the fallback = %q, want %q", text, got, want)
	}
	// The fallback rewrote the file.
	if _, st, err = loadCached("", dir); err != nil || !st.FromCache {
		t.Errorf("loadCached after the rewrite = %+v, %v; want from cache", st, err)
	}
}

// BenchmarkDictLoad compares loading the dictionaries from their text, as
// gse does, with restoring them from the cache image (decoding only;
// reading the file adds a copy from the page cache). Both on the heap:
// arenas outside it are never freed.
func BenchmarkDictLoad(b *testing.B) {
	orig, err := segmenter()
	if err != nil {
		b.Fatal(err)
	}
	data, err := encodeDict(orig)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("text", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := loadSegmenter(""); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cache", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := decodeDict(data, newSegmenter(), false); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestTrieInBounds checks the trie check that keeps a wrong but
// well-checksummed cache file from crashing segmentation.
func TestTrieInBounds(t *testing.T) {
	t.Parallel()
	orig, err := segmenter()
	if err != nil {
		t.Fatal(err)
	}
	d := (*mirrorDictionary)(unsafe.Pointer(orig.Dict))
	trie := *(*mirrorCedar)(unsafe.Pointer(d.trie))
	n := len(d.Tokens)
	if !trieInBounds(&trie, n) {
		t.Fatal("trieInBounds(gse's own trie) = false, want true")
	}
	used := -1
	for i, nd := range trie.array {
		if i > 0 && nd.check >= 0 && nd.baseV >= 0 {
			used = i
			break
		}
	}
	for name, set := range map[string]mirrorNode{
		"value beyond the tokens": {baseV: n, check: trie.array[used].check},
		"base beyond the array":   {baseV: -len(trie.array) - 7, check: trie.array[used].check},
	} {
		c := trie
		c.array = slices.Clone(trie.array)
		c.array[used] = set
		if trieInBounds(&c, n) {
			t.Errorf("trieInBounds with a %s = true, want false", name)
		}
	}
}
