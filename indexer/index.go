package indexer

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bolterrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the version of the index layout: field names and
// mappings, registered analyzer names and tokenizer behaviour. Open refuses
// an index built with another version (ErrSchemaMismatch).
const SchemaVersion = 9

// ErrSchemaMismatch means the index on disk was built by another schema
// version and must be rebuilt before it can be used.
var ErrSchemaMismatch = errors.New("index schema mismatch")

// ErrDictionaryMismatch means the index on disk was built with other
// dictionaries than DictVersion(). It still answers queries correctly for
// literal matches (they go character by character), but whole-word ranking
// follows the old segmentation: rebuild it (see Rebuild). Open returns the
// opened index together with this error.
var ErrDictionaryMismatch = errors.New("index dictionary mismatch")

// ErrNoIndex means the directory holds no index.
var ErrNoIndex = errors.New("no index")

// ErrIndexInUse means another process holds the index open for writing
// (a running serve or index command).
var ErrIndexInUse = errors.New("index in use by another process")

// lockTimeout is how long Open waits for another process's lock.
const lockTimeout = 3 * time.Second

// metaKey is the internal key under which Meta is stored.
var metaKey = []byte("policysearch:meta")

// Meta describes how an index was built. It is stored inside the index.
type Meta struct {
	// SchemaVersion is the SchemaVersion the index was built with.
	SchemaVersion int `json:"schema_version"`
	// Dict is the DictVersion() the index was built with.
	Dict string `json:"dict"`
}

// currentMeta is the Meta of indexes built by this code.
func currentMeta() Meta {
	return Meta{SchemaVersion: SchemaVersion, Dict: DictVersion()}
}

// Create makes a new, empty index in dir (which must not hold an index) and
// records the schema version. An empty dir means an in-memory index.
func Create(dir string) (bleve.Index, error) {
	var (
		idx bleve.Index
		err error
	)
	if dir == "" {
		// scorch in memory: bleve.NewMemOnly's upsidedown store indexes
		// many times slower.
		idx, err = bleve.NewUsing("", NewMapping(), scorch.Name, scorch.Name, scorchConfig())
	} else {
		idx, err = bleve.NewUsing(dir, NewMapping(), bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, scorchConfig())
	}
	if err != nil {
		return nil, fmt.Errorf("create index %s: %w", dir, err)
	}
	if err := writeMeta(idx); err != nil {
		return nil, fmt.Errorf("create index %s: %w", dir, errors.Join(err, idx.Close()))
	}
	return idx, nil
}

// writeMeta records currentMeta in idx.
func writeMeta(idx bleve.Index) error {
	b, err := json.Marshal(currentMeta())
	if err != nil {
		return fmt.Errorf("record schema: %w", err)
	}
	if err := idx.SetInternal(metaKey, b); err != nil {
		return fmt.Errorf("record schema: %w", err)
	}
	return nil
}

// Open opens the index in dir and checks that it was built with this
// SchemaVersion and DictVersion(). It returns ErrNoIndex when dir holds no
// index and ErrSchemaMismatch when it must be rebuilt. When only the
// dictionary differs it returns the open index and an error wrapping
// ErrDictionaryMismatch, so that a server can keep answering while it
// rebuilds.
//
// A Rebuild interrupted between moving the old index aside and moving the
// new one in leaves no dir but a dir + ".old"; Open moves it back first.
func Open(dir string) (bleve.Index, error) {
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		old := dir + ".old"
		if _, serr := os.Stat(old); serr != nil {
			return nil, fmt.Errorf("open index %s: %w", dir, ErrNoIndex)
		}
		if err := os.Rename(old, dir); err != nil {
			return nil, fmt.Errorf("open index %s: restore %s: %w", dir, old, err)
		}
	}
	cfg := scorchConfig()
	cfg["bolt_timeout"] = lockTimeout.String()
	idx, err := bleve.OpenUsing(dir, cfg)
	if errors.Is(err, bleve.ErrorIndexPathDoesNotExist) || errors.Is(err, bleve.ErrorIndexMetaMissing) {
		return nil, fmt.Errorf("open index %s: %w", dir, ErrNoIndex)
	}
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("open index %s: %w", dir, ErrIndexInUse)
	}
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	m, err := ReadMeta(idx)
	if err == nil && m.SchemaVersion != SchemaVersion {
		err = fmt.Errorf("built with schema %d; this binary has schema %d: %w", m.SchemaVersion, SchemaVersion, ErrSchemaMismatch)
	}
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", dir, errors.Join(err, idx.Close()))
	}
	if m.Dict != DictVersion() {
		return idx, fmt.Errorf("open index %s: built with dictionary %q, in force %q: %w", dir, m.Dict, DictVersion(), ErrDictionaryMismatch)
	}
	return idx, nil
}

// ReadMeta returns the Meta stored in idx.
func ReadMeta(idx bleve.Index) (Meta, error) {
	b, err := idx.GetInternal(metaKey)
	if err != nil {
		return Meta{}, fmt.Errorf("read index meta: %w", err)
	}
	if b == nil {
		return Meta{}, fmt.Errorf("index has no policysearch meta: %w", ErrSchemaMismatch)
	}
	var m Meta
	if err := json.Unmarshal(b, &m); err != nil {
		return Meta{}, fmt.Errorf("read index meta: %w", err)
	}
	return m, nil
}
