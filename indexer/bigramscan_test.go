package indexer

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"policysearch/corpus"
)

// scannerTexts are the sample's titles and bodies, the token fixtures
// copied from the shared corpus, and texts made to hit every rule of the
// bigram tokenizer and of normalization.
func scannerTexts(t *testing.T) []string {
	t.Helper()
	var texts []string
	for d, err := range corpus.Load(t.Context(), corpus.Sample(), corpus.Options{}) {
		if err != nil {
			continue // skipped files
		}
		texts = append(texts, d.Title, d.Body)
	}
	files, err := filepath.Glob(filepath.Join("testdata", "tokens", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	if len(texts) < 100 {
		t.Fatalf("only %d texts: the sample did not load", len(texts))
	}
	return append(texts,
		"", "医", "5G基站建设，5G基金", "a5G基站", "通过第5次", "2035年远景目标", "基6", "5基6", "5基站6",
		"城市\n更新，城 市更新", "醫養結合；ＰＭ２．５和ｐｍ10", "二〇二三年和一二三四五年及二〇二三", "㍻元年㈠项㊀",
		"前\xff后\xe4\xb8文本", "COVID-19疫情", "2974亿元", "Ⅻ期ⅰ", "ﷺ长扩展", "兩千", "　全角　空格　",
		"英文word中文mixed123数字", "!!!", "。医养。", "a-b-c", "中\u200b间",
	)
}

// scanAll returns the scanner's tokens of text from byte offset from.
func scanAll(text []byte, from int) []BigramToken {
	var s BigramScanner
	s.Reset(text, from)
	var out []BigramToken
	for {
		tok, ok := s.Next()
		if !ok {
			return out
		}
		tok.Term = bytes.Clone(tok.Term)
		out = append(out, tok)
	}
}

// sameTokens reports the first difference between the tokenizer's tokens
// want and the scanner's got, positions compared relative to the first.
func sameTokens(want, got []BigramToken) error {
	if len(want) != len(got) {
		return fmt.Errorf("%d tokens, want %d", len(got), len(want))
	}
	for i := range want {
		w, g := want[i], got[i]
		if !bytes.Equal(w.Term, g.Term) || w.Start != g.Start || w.End != g.End || w.Position-want[0].Position != g.Position-got[0].Position {
			return fmt.Errorf("token %d = %q [%d,%d) @%d, want %q [%d,%d) @%d", i, g.Term, g.Start, g.End, g.Position-got[0].Position, w.Term, w.Start, w.End, w.Position-want[0].Position)
		}
	}
	return nil
}

// TestBigramScannerSameAsTokenizer checks that the scanner yields exactly
// BigramTokenizer's tokens (terms, source offsets, positions), scanning
// from the start and from restart points all through each text.
func TestBigramScannerSameAsTokenizer(t *testing.T) {
	t.Parallel()
	restarts := 0
	for i, text := range scannerTexts(t) {
		src := []byte(text)
		var want []BigramToken
		for _, tok := range (BigramTokenizer{}).Tokenize(src) {
			want = append(want, BigramToken{Term: tok.Term, Start: tok.Start, End: tok.End, Position: tok.Position})
		}
		if err := sameTokens(want, scanAll(src, 0)); err != nil {
			t.Errorf("text %d (%.40q): %v", i, text, err)
			continue
		}
		step := max(1, len(src)/40)
		for off := 0; off <= len(src); off += step {
			at := off
			for at < len(src) && at > 0 && !utf8.RuneStart(src[at]) {
				at--
			}
			from := BigramRestart(src, at)
			if from > at || (from < len(src) && !utf8.RuneStart(src[from])) {
				t.Fatalf("text %d: restart %d for offset %d", i, from, at)
			}
			var rest []BigramToken
			for _, tok := range want {
				if tok.Start >= from {
					rest = append(rest, tok)
				}
			}
			if err := sameTokens(rest, scanAll(src, from)); err != nil {
				t.Errorf("text %d (%.40q) from %d (for %d): %v", i, text, from, at, err)
				break
			}
			restarts++
		}
	}
	if restarts < 1000 {
		t.Fatalf("only %d restarts checked", restarts)
	}
}

// TestBigramScannerAllocs checks that a scan allocates nothing per token
// once the scanner has been used.
func TestBigramScannerAllocs(t *testing.T) {
	text := []byte("关于推进医养结合发展的通知，ＰＭ２．５和5G基站、二〇二三年城市\n更新。醫養")
	var s BigramScanner
	n := testing.AllocsPerRun(20, func() {
		s.Reset(text, 0)
		for {
			if _, ok := s.Next(); !ok {
				break
			}
		}
	})
	if n > 0 {
		t.Errorf("%.1f allocations per scan, want 0", n)
	}
}

// TestSourceFormsComplete checks that the characters SourceForms knows of
// are all that Normalize changes, and some forms that must be there.
func TestSourceFormsComplete(t *testing.T) {
	t.Parallel()
	t2s, err := t2sTable()
	if err != nil {
		t.Fatal(err)
	}
	known := func(r rune) bool {
		if r < 0x10000 {
			return true
		}
		if _, ok := t2s[r]; ok {
			return true
		}
		for _, rg := range supplementaryNormalized {
			if r >= rg[0] && r <= rg[1] {
				return true
			}
		}
		return false
	}
	var buf [64]byte
	for r := rune(0x10000); r <= unicode.MaxRune; r++ {
		if known(r) {
			continue
		}
		raw := []byte(string(r))
		if n, changed := normalizeRune(r, raw, t2s, buf[:0]); changed {
			t.Errorf("%U normalizes to %q but is in no range of supplementaryNormalized", r, n)
		}
	}
	for _, c := range []struct {
		r    rune
		want []string
	}{
		{'医', []string{"医", "醫"}}, {'g', []string{"g", "G", "ｇ", "Ｇ"}}, {'2', []string{"2", "２", "二", "两"}},
		{'5', []string{"五", "⑤"}}, {'养', []string{"養"}}, {'成', []string{"㍻"}},
	} {
		got := SourceForms(c.r)
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("SourceForms(%q) = %q, want it to hold %q", c.r, got, w)
			}
		}
		for _, f := range got {
			if !strings.ContainsRune(Normalize(f), c.r) && !(c.r >= '0' && c.r <= '9') {
				t.Errorf("SourceForms(%q) holds %q, which normalizes to %q", c.r, f, Normalize(f))
			}
		}
	}
}
