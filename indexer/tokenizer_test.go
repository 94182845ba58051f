package indexer

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

func newTestTokenizer(t testing.TB) *Tokenizer {
	t.Helper()
	tk, err := NewTokenizer()
	if err != nil {
		t.Fatalf("NewTokenizer: %v", err)
	}
	return tk
}

// render writes a token stream one token a line: term, position, offsets.
func render(stream analysis.TokenStream) string {
	var b strings.Builder
	for _, t := range stream {
		fmt.Fprintf(&b, "%s\t%d\t%d:%d\n", t.Term, t.Position, t.Start, t.End)
	}
	return b.String()
}

// TestTokenizeGolden pins the token streams of real policy paragraphs
// (indexer/testdata/tokens/*.txt, copied from ../shared/corpus).
func TestTokenizeGolden(t *testing.T) {
	t.Parallel()
	tk := newTestTokenizer(t)
	inputs, err := filepath.Glob(filepath.Join("testdata", "tokens", "*.txt"))
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no token inputs: %v", err)
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".txt")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			got := render(tk.Tokenize(src))
			golden := strings.TrimSuffix(in, ".txt") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./indexer -run Golden -update)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("Tokenize mismatch (-want +got):\n%s", diff)
			}
			checkContract(t, src, tk.Tokenize(src))
		})
	}
}

// checkContract asserts the token contract of a tokenizer on one input:
// offsets within the input and on boundaries of its characters (an invalid
// byte counts as one character), positions non-decreasing, terms valid.
func checkContract(t *testing.T, src []byte, stream analysis.TokenStream) {
	t.Helper()
	boundary := map[int]bool{len(src): true}
	for i := 0; i < len(src); {
		boundary[i] = true
		_, size := utf8.DecodeRune(src[i:])
		i += size
	}
	last := 1
	for i, tok := range stream {
		if tok.Start < 0 || tok.Start > tok.End || tok.End > len(src) {
			t.Fatalf("token %d %q: offsets %d:%d outside 0..%d", i, tok.Term, tok.Start, tok.End, len(src))
		}
		if !boundary[tok.Start] || !boundary[tok.End] {
			t.Fatalf("token %d %q: offsets %d:%d not on character boundaries", i, tok.Term, tok.Start, tok.End)
		}
		if tok.Position < last {
			t.Fatalf("token %d %q: position %d after %d", i, tok.Term, tok.Position, last)
		}
		last = tok.Position
		if len(tok.Term) == 0 || !utf8.Valid(tok.Term) {
			t.Fatalf("token %d: term %q empty or invalid UTF-8", i, tok.Term)
		}
	}
}

func TestTokenize(t *testing.T) {
	t.Parallel()
	tk := newTestTokenizer(t)
	type tok struct {
		Term       string
		Pos        int
		Start, End int
	}
	tests := []struct {
		name string
		in   string
		want []tok
	}{
		{
			// The public gse-bleve adapter gives list-index positions and
			// finds offsets by searching backwards; here a repeated word
			// keeps its own offsets.
			name: "repeated word keeps true offsets",
			in:   "医养，医养",
			want: []tok{{"医养", 1, 0, 6}, {"医养", 4, 9, 15}},
		},
		{
			// gse's search mode returns nothing for a one-word input; the
			// tokenizer still emits the word and its sub-words, which sit
			// on the positions of their characters.
			name: "single dictionary word",
			in:   "城市更新",
			want: []tok{{"城市更新", 1, 0, 12}, {"城市", 1, 0, 6}, {"更新", 3, 6, 12}},
		},
		{
			name: "single character",
			in:   "县",
			want: []tok{{"县", 1, 0, 3}},
		},
		{
			name: "traditional to simplified with source offsets",
			in:   "醫養",
			want: []tok{{"医养", 1, 0, 6}},
		},
		{
			name: "full-width digits and letters",
			in:   "５Ｇ基站",
			want: []tok{{"5g基站", 1, 0, 12}, {"5g", 1, 0, 6}, {"基站", 2, 6, 12}},
		},
		{
			name: "punctuation leaves a gap, space does not",
			in:   "香港、澳门 城市",
			want: []tok{{"香港", 1, 0, 6}, {"澳门", 4, 9, 15}, {"城市", 6, 16, 22}},
		},
		{
			// Amounts stay whole as well as split (issue: 2974 / 亿元).
			name: "amount kept whole",
			in:   "总投资2974亿元",
			want: []tok{{"总", 1, 0, 3}, {"投资", 2, 3, 9}, {"2974", 4, 9, 13}, {"2974亿元", 4, 9, 19}, {"亿元", 5, 13, 19}},
		},
		{
			name: "empty",
			in:   "",
			want: nil,
		},
		{
			name: "only punctuation",
			in:   "，。！“”",
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []tok
			for _, x := range tk.Tokenize([]byte(tt.in)) {
				got = append(got, tok{string(x.Term), x.Position, x.Start, x.End})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Tokenize(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"济南市槐荫区推进医养健康产业", "總投資2974億元", "ＰＭ２.５", "5G基站", "\xff\xfe医", "", "①②③", "ｱｲｳ"} {
		f.Add([]byte(s))
	}
	tk := newTestTokenizer(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		checkContract(t, in, tk.Tokenize(in))
	})
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"醫養結合", "医养结合"},
		{"ＰＭ２．５", "pm2.5"},
		{"5G基站", "5g基站"},
		{"⾏政", "行政"}, // Kangxi radical from a Word conversion
		{"城市更新", "城市更新"},
		{"二〇二三年一月", "2023年一月"},
		{"一九九六年", "1996年"},
		{"十四五", "十四五"},
		{"一二三四", "一二三四"},
		{"三个一年", "三个一年"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestBigramTokenize(t *testing.T) {
	t.Parallel()
	type tok struct {
		Term       string
		Pos        int
		Start, End int
	}
	tests := []struct {
		name string
		in   string
		want []tok
	}{
		{"run of four", "城市更新", []tok{{"城市", 1, 0, 6}, {"市更", 2, 3, 9}, {"更新", 3, 6, 12}}},
		{"single character", "县", []tok{{"县", 1, 0, 3}}},
		{"punctuation leaves a gap of two", "香港、澳门", []tok{{"香港", 1, 0, 6}, {"澳门", 4, 9, 15}}},
		{"pairs two positions apart are of one run", "城市、更新", []tok{{"城市", 1, 0, 6}, {"更新", 4, 9, 15}}},
		{"line break inside a word", "城市\n更新", []tok{{"城市", 1, 0, 6}, {"市更", 2, 3, 10}, {"更新", 3, 7, 13}}},
		{"mixed with digits and letters", "新建５Ｇ基站50座", []tok{{"新建", 1, 0, 6}, {"建", 1, 3, 6}, {"5g", 2, 6, 12}, {"基站", 4, 12, 18}, {"基", 4, 12, 15}, {"站", 4, 15, 18}, {"50", 5, 18, 20}, {"座", 7, 20, 23}}},
		{"letters between runs leave a gap after them", "城市5更新", []tok{{"城市", 1, 0, 6}, {"市", 1, 3, 6}, {"5", 2, 6, 7}, {"更新", 4, 7, 13}, {"更", 4, 7, 10}}},
		{"letters then punctuation", "5g，更新", []tok{{"5g", 1, 0, 2}, {"更新", 4, 5, 11}}},
		{"edge characters next to digits", "2035年远景", []tok{{"2035", 1, 0, 4}, {"年远", 3, 4, 10}, {"年", 3, 4, 7}, {"远景", 4, 7, 13}}},
		{"traditional", "醫養", []tok{{"医养", 1, 0, 6}}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []tok
			for _, x := range (BigramTokenizer{}).Tokenize([]byte(tt.in)) {
				got = append(got, tok{string(x.Term), x.Position, x.Start, x.End})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Tokenize(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func FuzzBigramTokenize(f *testing.F) {
	for _, s := range []string{"济南市槐荫区推进医养健康产业", "總投資2974億元", "城市\n更新", "\xff\xfe医", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		checkContract(t, in, (BigramTokenizer{}).Tokenize(in))
	})
}
