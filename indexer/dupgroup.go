package indexer

import (
	"context"
	"fmt"
	"slices"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
)

// Near-duplicate groups. Build puts every document in a group, stored in
// FieldDupGroup: a document joins the group of its most similar
// near-duplicate among the documents indexed before it (in the index or
// earlier in the same build), or else founds a group of its own. A group's
// ID is "g" and the first 16 hex digits of its founder's content hash, so
//
//   - it does not change when documents join or leave the group, nor when the
//     founder is deleted (the others keep the ID);
//   - a founder whose text changes gets a new content hash, and so a new
//     group unless it still is a near-duplicate of its old group's members;
//   - a full rebuild of the same corpus, read in the same order, gives the
//     same groups.
//
// Groups are never merged: a document similar to members of two groups
// joins the closer one. A rebuild recomputes every group.

// dupEntry is one indexed document in a dupTable.
type dupEntry struct {
	fp    Fingerprint
	group string
}

// dupTable holds the fingerprints and groups of the indexed documents with
// an LSH band table for finding candidates. It is not safe for concurrent
// use.
type dupTable struct {
	docs  map[string]dupEntry
	bands map[uint64][]string
}

func newDupTable() *dupTable {
	return &dupTable{docs: map[string]dupEntry{}, bands: map[uint64][]string{}}
}

// add records the document id with its fingerprint and group.
func (t *dupTable) add(id string, fp Fingerprint, group string) {
	t.remove(id)
	t.docs[id] = dupEntry{fp: fp, group: group}
	for _, b := range fp.bands() {
		t.bands[b] = append(t.bands[b], id)
	}
}

// remove forgets the document id.
func (t *dupTable) remove(id string) {
	e, ok := t.docs[id]
	if !ok {
		return
	}
	delete(t.docs, id)
	for _, b := range e.fp.bands() {
		ids := slices.DeleteFunc(t.bands[b], func(s string) bool { return s == id })
		if len(ids) == 0 {
			delete(t.bands, b)
		} else {
			t.bands[b] = ids
		}
	}
}

// assign returns the group of the document id with fingerprint fp and
// content hash hash, and records it: the group of its most similar
// near-duplicate in t (ties to the smaller ID), or a new group named after
// hash.
func (t *dupTable) assign(id string, fp Fingerprint, hash string) string {
	t.remove(id)
	var (
		best    string
		bestSim float64
		seen    = map[string]bool{}
	)
	for _, b := range fp.bands() {
		for _, other := range t.bands[b] {
			if seen[other] {
				continue
			}
			seen[other] = true
			near, sim := fp.NearDuplicate(t.docs[other].fp)
			if near && (sim > bestSim || sim == bestSim && other < best) {
				best, bestSim = other, sim
			}
		}
	}
	group := groupID(hash, id)
	if best != "" {
		group = t.docs[best].group
	}
	t.add(id, fp, group)
	return group
}

// groupID names the group a document founds, from its content hash (or
// its ID when the hash is unknown).
func groupID(hash, id string) string {
	if len(hash) >= 16 {
		return "g" + hash[:16]
	}
	return "g" + id
}

// indexed is what Build needs to know of a document already in the index.
type indexed struct {
	hash  string
	fp    Fingerprint
	group string
}

// indexedDocs returns the content hash, fingerprint and group of every
// document in idx, by ID.
func indexedDocs(ctx context.Context, idx bleve.Index) (map[string]indexed, error) {
	fields := []string{FieldHash, FieldFingerprint, FieldDupGroup}
	return mapIndexed(ctx, idx, fields, func(h *search.DocumentMatch) (indexed, error) {
		str := func(f string) string {
			s, _ := h.Fields[f].(string) // absent: re-indexed or regrouped
			return s
		}
		fp, err := ParseFingerprint(str(FieldFingerprint))
		if err != nil {
			return indexed{}, fmt.Errorf("document %s: %w", h.ID, err)
		}
		return indexed{hash: str(FieldHash), fp: fp, group: str(FieldDupGroup)}, nil
	})
}
