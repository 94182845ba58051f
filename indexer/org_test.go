package indexer

import (
	"testing"
	"unicode"
)

// TestIsHanNoSeparator checks the shortcuts hasSeparator and isWordish
// take: every character isHan accepts is a letter, none is punctuation,
// space or a symbol, so skipping the lookups changes no clause and no
// token.
func TestIsHanNoSeparator(t *testing.T) {
	t.Parallel()
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !isHan(r) {
			continue
		}
		if unicode.IsPunct(r) || unicode.IsSpace(r) || unicode.IsSymbol(r) {
			t.Errorf("isHan(%U) but it separates clauses", r)
		}
		if !unicode.IsLetter(r) {
			t.Errorf("isHan(%U) but it is no letter (isWordish)", r)
		}
	}
}

// TestOrgSuffixOf checks the last-character shortcut of orgSuffixOf
// against comparing with every suffix, on every suffix, on the suffixes
// with a name before them and on words that share a last character with
// one but are none (分行 ends like 银行).
func TestOrgSuffixOf(t *testing.T) {
	t.Parallel()
	words := []string{"", "城市", "分行", "工作", "社会", "学", "山东大学", "九阳集团", "济南市人民政府", "财政部", "养老服务中心"}
	for _, s := range orgSuffixes {
		words = append(words, s, "济南"+s, s[:len(s)-3])
	}
	for _, w := range words {
		want := ""
		for _, s := range orgSuffixes {
			if len(w) >= len(s) && w[len(w)-len(s):] == s {
				want = s
				break
			}
		}
		if got := orgSuffixOf(w); got != want {
			t.Errorf("orgSuffixOf(%q) = %q, want %q", w, got, want)
		}
	}
}
