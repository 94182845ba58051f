// Command mkcjkstats counts Chinese characters and character pairs in a
// corpus of policy documents and prints the table that package corpus uses
// to repair mojibake (corpus/cjkstats.txt). Run it from the corpus
// directory, or with go generate there:
//
//	go run ./internal/mkcjkstats -corpus ../../shared/corpus -out cjkstats.txt
//
// The table lists the most frequent characters (U+2000 and up) with their
// counts, then the character pairs that involve a "fragile" character, one
// whose UTF-8 form contains a byte that Windows-1252 leaves undefined
// (0x81, 0x8D, 0x8F, 0x90, 0x9D) or that converters drop as invisible
// (0xAD, the soft hyphen), so that it loses a byte when UTF-8 text is
// misread as Windows-1252.
package main

import (
	"bufio"
	"bytes"
	"cmp"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func main() {
	root := flag.String("corpus", "", "corpus directory to count")
	topChars := flag.Int("chars", 5000, "number of characters to keep")
	minPair := flag.Int("minpair", 20, "least count of a pair to keep")
	out := flag.String("out", "", "file to write (default standard output)")
	flag.Parse()
	if *root == "" {
		log.Fatal("mkcjkstats: -corpus is required")
	}
	chars := map[rune]int{}
	pairs := map[[2]rune]int{}
	total := 0
	err := filepath.WalkDir(*root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if !utf8.Valid(data) {
			if data, err = simplifiedchinese.GB18030.NewDecoder().Bytes(data); err != nil {
				return nil
			}
		}
		// Word XML and text that is itself mojibake would teach the wrong
		// statistics.
		if bytes.Contains(data, []byte("<w:t")) || bytes.Contains(data, []byte("æ")) {
			return nil
		}
		prev := rune(0)
		for _, r := range string(data) {
			if r < 0x2000 {
				prev = 0
				continue
			}
			chars[r]++
			total++
			if prev != 0 && (fragile(prev) || fragile(r)) {
				pairs[[2]rune{prev, r}]++
			}
			prev = r
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	type entry struct {
		key   string
		count int
	}
	var cs, ps []entry
	for r, n := range chars {
		cs = append(cs, entry{string(r), n})
	}
	for p, n := range pairs {
		if n >= *minPair {
			ps = append(ps, entry{string(p[:]), n})
		}
	}
	order := func(a, b entry) int {
		return cmp.Or(cmp.Compare(b.count, a.count), strings.Compare(a.key, b.key))
	}
	slices.SortFunc(cs, order)
	slices.SortFunc(ps, order)
	cs = cs[:min(len(cs), *topChars)]
	dst := os.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			log.Fatal(err)
		}
		dst = f
	}
	w := bufio.NewWriter(dst)
	fmt.Fprintln(w, "# Character statistics for repairing mojibake, made by corpus/internal/mkcjkstats")
	fmt.Fprintln(w, "# from the shared policy corpus. Lines: \"total N\", then CHAR TAB COUNT, then PAIR TAB COUNT.")
	fmt.Fprintf(w, "total\t%d\n", total)
	for _, e := range cs {
		fmt.Fprintf(w, "%s\t%d\n", e.key, e.count)
	}
	for _, e := range ps {
		fmt.Fprintf(w, "%s\t%d\n", e.key, e.count)
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	if *out != "" {
		if err := dst.Close(); err != nil {
			log.Fatal(err)
		}
	}
}

// fragile reports whether r's UTF-8 form has a byte that Windows-1252 does
// not define.
func fragile(r rune) bool {
	var buf [4]byte
	n := utf8.EncodeRune(buf[:], r)
	for _, b := range buf[1:n] {
		switch b {
		case 0x81, 0x8D, 0x8F, 0x90, 0x9D, 0xAD:
			return true
		}
	}
	return false
}
