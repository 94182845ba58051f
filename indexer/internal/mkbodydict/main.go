// Command mkbodydict builds the dictionary against which the index stores
// document bodies compressed (indexer/dict/body-v1.s2dict, see
// indexer/storedbody.go): 64 KB of the passages most common in a corpus of
// policy documents, as an S2 dictionary. Run it from the indexer
// directory, or with go generate there:
//
//	go run ./internal/mkbodydict -corpus ../../shared/corpus -out dict/body-v1.s2dict
//
// It trains on every other document (by ID), so that the other half
// measures the gain on texts the dictionary has not seen; it prints both.
package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"slices"

	"github.com/golang/snappy"
	"github.com/klauspost/compress/dict"
	"github.com/klauspost/compress/s2"
	"github.com/klauspost/compress/zstd"

	"policysearch/corpus"
)

func main() {
	root := flag.String("corpus", "", "corpus directory to train on")
	out := flag.String("out", "", "dictionary file to write")
	flag.Parse()
	if *root == "" || *out == "" {
		log.Fatal("mkbodydict: -corpus and -out are required")
	}
	var docs []corpus.Document
	for d, err := range corpus.Load(context.Background(), os.DirFS(*root), corpus.Options{}) {
		if err != nil {
			// A file the loader cannot read is left out, as the
			// indexer leaves it out.
			log.Printf("mkbodydict: %v", err)
			continue
		}
		docs = append(docs, d)
	}
	slices.SortFunc(docs, func(a, b corpus.Document) int { return cmp.Compare(a.ID, b.ID) })
	var train, test [][]byte
	for i, d := range docs {
		if i%2 == 0 {
			train = append(train, []byte(d.Body))
		} else {
			test = append(test, []byte(d.Body))
		}
	}
	zd, err := dict.BuildZstdDict(train, dict.Options{MaxDictSize: s2.MaxDictSize, HashBytes: 6, ZstdDictID: 1})
	if err != nil {
		log.Fatalf("mkbodydict: build dictionary: %v", err)
	}
	info, err := zstd.InspectDictionary(zd)
	if err != nil {
		log.Fatalf("mkbodydict: read dictionary: %v", err)
	}
	d := s2.MakeDict(info.Content(), nil)
	if d == nil {
		log.Fatal("mkbodydict: dictionary too small")
	}
	if err := os.WriteFile(*out, d.Bytes(), 0o644); err != nil {
		log.Fatalf("mkbodydict: %v", err)
	}
	for _, set := range []struct {
		name string
		docs [][]byte
	}{{"trained on", train}, {"held out", test}} {
		var raw, sn, s2d int
		for _, b := range set.docs {
			raw += len(b)
			sn += len(snappy.Encode(nil, b))
			s2d += len(d.EncodeBetter(nil, b))
		}
		fmt.Printf("%s: %d documents, %.2f MB; snappy %.2f MB, s2 with the dictionary %.2f MB\n",
			set.name, len(set.docs), float64(raw)/1e6, float64(sn)/1e6, float64(s2d)/1e6)
	}
}
