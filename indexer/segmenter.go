package indexer

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/go-ego/gse"
)

// BaseDictVersion names the built-in dictionaries: gse's embedded
// simplified-Chinese dictionary plus dict/policy-v1.txt. Changing either
// means a new version and a rebuilt index.
const BaseDictVersion = "gse-zh_s+policy-v1"

//go:embed dict/policy-v1.txt
var policyDict string

// userFreq is the frequency given to user dictionary words without one:
// high enough that gse keeps them whole.
const userFreq = 20000

// ErrDictionaryInUse means UseDictionary came after the segmenter loaded.
var ErrDictionaryInUse = errors.New("dictionary already in use")

// dict is the process's dictionary configuration: the built-in one unless
// UseDictionary ran before the first segmentation.
var dict struct {
	mu       sync.Mutex
	loaded   bool
	user     string // normalized "word freq pos" lines
	version  string // "" means BaseDictVersion
	cacheDir string // "" means no dictionary cache
	stats    DictionaryStats
}

// DictionaryStats tells how the process's dictionaries were loaded.
type DictionaryStats struct {
	// Took is the time the load took; zero before the dictionaries loaded.
	Took time.Duration
	// FromCache reports that they came from the dictionary cache.
	FromCache bool
	// CacheFile is the cache file read or written; "" without a cache.
	CacheFile string
	// CacheErr is why the cache could not be read or written, if it could
	// not; the dictionaries then loaded from text, which costs only time.
	CacheErr error
}

// UseDictionaryCache keeps a compact image of the loaded dictionaries in
// dir (created if absent), named by a hash of their content, so that
// the next process loads them in a fraction of the time parsing them
// takes; segmentation is the same either way. "" turns the cache off (the
// default). It takes effect on the first load: once the dictionaries are
// loaded it changes nothing, which is no error, since the cache only saves
// time.
func UseDictionaryCache(dir string) {
	dict.mu.Lock()
	defer dict.mu.Unlock()
	dict.cacheDir = dir
}

// LoadDictionary loads the process's dictionaries now, if they are not
// loaded yet, and tells how. Opening an index or segmenting loads them
// anyway; calling it first tells how much of the start-up they take, or
// lets a server load them while it opens its index.
func LoadDictionary() (DictionaryStats, error) {
	_, err := segmenter()
	dict.mu.Lock()
	defer dict.mu.Unlock()
	return dict.stats, err
}

// UseDictionary adds a newsroom's words (one a line: WORD [FREQ [POS]], '#'
// comments) to the built-in dictionaries for this process. name labels it
// in DictVersion. It must run before anything is segmented (at start-up,
// before opening or building an index); later it returns ErrDictionaryInUse.
// Indexes record the DictVersion they were built with.
func UseDictionary(name string, words []byte) error {
	lines, err := parseUserDict(words)
	if err != nil {
		return fmt.Errorf("dictionary %s: %w", name, err)
	}
	dict.mu.Lock()
	defer dict.mu.Unlock()
	if dict.loaded {
		return fmt.Errorf("dictionary %s: %w", name, ErrDictionaryInUse)
	}
	sum := sha256.Sum256([]byte(lines))
	dict.user = lines
	dict.version = BaseDictVersion + "+" + name + "@" + hex.EncodeToString(sum[:4])
	return nil
}

// DictVersion names the dictionaries in force: BaseDictVersion, plus the
// name and a hash of the words given to UseDictionary.
func DictVersion() string {
	dict.mu.Lock()
	defer dict.mu.Unlock()
	if dict.version == "" {
		return BaseDictVersion
	}
	return dict.version
}

// parseUserDict checks a user dictionary and returns it as normalized
// "word freq pos" lines for gse.
func parseUserDict(words []byte) (string, error) {
	if !utf8.Valid(words) {
		return "", errors.New("not valid UTF-8")
	}
	var b strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(words))
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) > 3 {
			return "", fmt.Errorf("line %d: want WORD [FREQ [POS]], got %q", n, line)
		}
		word := Normalize(f[0])
		freq := userFreq
		if len(f) > 1 {
			v, err := strconv.Atoi(f[1])
			if err != nil || v <= 0 {
				return "", fmt.Errorf("line %d: frequency %q is not a positive integer", n, f[1])
			}
			freq = v
		}
		pos := "n"
		if len(f) > 2 {
			pos = f[2]
		}
		fmt.Fprintf(&b, "%s %d %s\n", word, freq, pos)
	}
	return b.String(), sc.Err()
}

// segmenter is the process-wide gse segmenter, loaded once on first use and
// read-only afterwards, which makes it safe for concurrent use.
var segmenter = sync.OnceValues(func() (*gse.Segmenter, error) {
	dict.mu.Lock()
	dict.loaded = true
	user, dir := dict.user, dict.cacheDir
	dict.mu.Unlock()
	start := time.Now()
	seg, st, err := loadCached(user, dir)
	st.Took = time.Since(start)
	dict.mu.Lock()
	dict.stats = st
	dict.mu.Unlock()
	return seg, err
})

// loadCached loads the dictionaries from the cache in dir if it holds
// them, and from text otherwise, then writes the cache. Cache errors are
// reported in the stats, not returned: the cache only saves time.
func loadCached(user, dir string) (*gse.Segmenter, DictionaryStats, error) {
	var st DictionaryStats
	if dir == "" {
		seg, err := loadSegmenter(user)
		return seg, st, err
	}
	policy := stripComments(policyDict)
	st.CacheFile = filepath.Join(dir, dictCacheName(user, policy))
	seg := newSegmenter()
	err := readDictCache(st.CacheFile, seg)
	if err == nil {
		st.FromCache = true
		return seg, st, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		st.CacheErr = err
	}
	seg, err = loadSegmenter(user)
	if err != nil {
		return nil, st, err
	}
	data, err := encodeDict(seg)
	if err != nil {
		st.CacheErr = errors.Join(st.CacheErr, fmt.Errorf("encode dictionary cache: %w", err))
		return seg, st, nil
	}
	if err := writeDictCache(st.CacheFile, data); err != nil {
		st.CacheErr = errors.Join(st.CacheErr, err)
	}
	// Serve the image, as the next process will: outside the heap (see
	// arena), and the same dictionary either way.
	img := newSegmenter()
	if err := decodeDict(data, img, true); err != nil {
		st.CacheErr = errors.Join(st.CacheErr, err)
		return seg, st, nil
	}
	return img, st, nil
}

// newSegmenter returns an empty segmenter with the settings the tokenizer
// needs.
func newSegmenter() *gse.Segmenter {
	return &gse.Segmenter{
		// The tokenizer uses dictionary segmentation only: HMM guessing of
		// unknown words is super-linear on long runs of unknown text (raw
		// Word XML) and adds nothing once sub-words are indexed.
		NotLoadHMM: true,
		SkipLog:    true,
	}
}

// loadSegmenter loads the dictionaries from their text: the user's words,
// the policy dictionary and gse's zh_s.
func loadSegmenter(user string) (*gse.Segmenter, error) {
	seg := newSegmenter()
	// gse keeps the first entry of a word, so the user's words go first,
	// then the policy dictionary, to win over the general dictionary's
	// frequencies.
	if user != "" {
		if err := seg.LoadDictStr(user); err != nil {
			return nil, fmt.Errorf("load user dictionary: %w", err)
		}
	}
	if err := seg.LoadDictStr(stripComments(policyDict)); err != nil {
		return nil, fmt.Errorf("load policy dictionary: %w", err)
	}
	if err := seg.LoadDictEmbed("zh_s"); err != nil {
		return nil, fmt.Errorf("load gse dictionary zh_s: %w", err)
	}
	return seg, nil
}

// stripComments drops blank lines and lines starting with '#'.
func stripComments(s string) string {
	var b strings.Builder
	for line := range strings.Lines(s) {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		b.WriteString(t)
		b.WriteByte('\n')
	}
	return b.String()
}

// Segmenter returns the process-wide gse segmenter the tokenizers use,
// loading the dictionaries on first use. It is shared: callers must treat
// it as read-only (segmenting is safe for concurrent use; adding words is
// not, and when the dictionary was restored from the cache it lives outside
// the Go heap, where a word added by gse would leave heap pointers the
// garbage collector cannot see). It is exposed for measuring gse's own throughput against the
// tokenizer's.
func Segmenter() (*gse.Segmenter, error) {
	return segmenter()
}
