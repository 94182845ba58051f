package indexer

import (
	"testing"
	"unicode/utf8"
)

// TestNormalizeTables checks the per-character tables against the
// computation they cache, for every character of the Basic Multilingual
// Plane and a few beyond it.
func TestNormalizeTables(t *testing.T) {
	t.Parallel()
	t2s, err := t2sTable()
	if err != nil {
		t.Fatal(err)
	}
	check := func(r rune) {
		raw := utf8.AppendRune(nil, r)
		got, gotChanged := normalizeRune(r, raw, t2s, nil)
		want, wantChanged := normalizeRuneSlow(r, raw, t2s, nil)
		if string(got) != string(want) || gotChanged != wantChanged {
			t.Errorf("normalizeRune(%U) = %q, %v; want %q, %v", r, got, gotChanged, want, wantChanged)
		}
	}
	for r := rune(0); r < 0x10000; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue // surrogates are not characters
		}
		check(r)
	}
	for _, r := range []rune{0x20000, 0x2F800, 0x1D400, 0x1F600} {
		check(r)
	}
	// An invalid byte still becomes U+FFFD.
	if got := Normalize("a\xffb"); got != "a\uFFFDb" {
		t.Errorf("Normalize(invalid byte) = %q, want %q", got, "a\uFFFDb")
	}
}
