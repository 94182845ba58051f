package search

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	t.Parallel()
	w := func(s string, off int) *Term { return &Term{Text: s, Offset: off} }
	tests := []struct {
		name string
		in   string
		want Node
	}{
		{"empty", "", &Match{}},
		{"blank", "  \u3000 ", &Match{}},
		{"two-character word", "医养", w("医养", 0)},
		{"implicit and", "医养 城市更新", &And{Parts: []Node{w("医养", 0), w("城市更新", 7)}}},
		{"phrase", `"城市更新 行动"`, &Term{Text: "城市更新 行动", Quoted: true}},
		{"full-width quotes", "“城市更新”", &Term{Text: "城市更新", Quoted: true}},
		{"exclude", "养老 -医保", &And{Parts: []Node{w("养老", 0), &Not{X: w("医保", 8)}}}},
		{"exclude alone", "-医保", &And{Parts: []Node{&Match{}, &Not{X: w("医保", 1)}}}},
		{"lone minus ignored", "养老 - 医保", &And{Parts: []Node{w("养老", 0), w("医保", 9)}}},
		{"hyphen inside word", "COVID-19", w("COVID-19", 0)},
		{"or", "医养 OR 康养", &Or{Parts: []Node{w("医养", 0), w("康养", 10)}}},
		{"lowercase or is a word", "医养 or 康养", &And{Parts: []Node{w("医养", 0), w("or", 7), w("康养", 10)}}},
		{"parentheses", "(医养 OR 康养) 济南", &And{Parts: []Node{&Or{Parts: []Node{w("医养", 1), w("康养", 11)}}, w("济南", 19)}}},
		{"full-width parentheses", "（医养 OR 康养）", &Or{Parts: []Node{w("医养", 3), w("康养", 13)}}},
		{"field", "title:医养", &Term{Field: "title", Text: "医养"}},
		{"field full-width colon", "region：槐荫区", &Term{Field: "region", Text: "槐荫区"}},
		{"year range", "year:2019..2023", &Term{Field: "year", Text: "2019..2023"}},
		{"field phrase", `title:"城市 更新"`, &Term{Field: "title", Text: "城市 更新", Quoted: true}},
		{"unknown field is a word", "foo:bar", w("foo:bar", 0)},
		{"mixed", "5G基站 PM2.5 2974亿元", &And{Parts: []Node{w("5G基站", 0), w("PM2.5", 9), w("2974亿元", 15)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		offset int
	}{
		{`"unclosed`, 0},
		{`医养 "城市`, 7},
		{"(医养", 0},
		{"医养)", 6},
		{"医养 OR", 7},
		{"OR 医养", 0},
		{"()", 0},
		{`""`, 0},
		{"title:", 0},
		{"-)", 0},
		{"\xff医养", 0},
		{string(make([]byte, MaxQueryBytes+1)), MaxQueryBytes},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) error = %v, want *SyntaxError", tt.in, err)
			continue
		}
		if se.Offset != tt.offset {
			t.Errorf("Parse(%q) offset = %d, want %d (%v)", tt.in, se.Offset, tt.offset, se)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"医养", `"城市 更新" -棚户区`, "(a OR b) title:c year:2019..2023", "“”（）：－", "\xff", "-", "a OR", "((("} {
		f.Add(s)
	}
	// Load the lexicon and the segmenter before fuzzing: their first use
	// takes seconds, and the fuzzer takes an input that runs 10 s for a hang.
	lex, err := DefaultLexicon()
	if err != nil {
		f.Fatal(err)
	}
	warm, err := Parse("医养")
	if err != nil {
		f.Fatal(err)
	}
	if _, err := (&translator{q: "医养", lex: lex}).translate(warm, false); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, q string) {
		n, err := Parse(q)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) error %T, want *SyntaxError", q, err)
			}
			if se.Offset < 0 || se.Offset > len(q) {
				t.Fatalf("Parse(%q) offset %d out of range", q, se.Offset)
			}
			return
		}
		if n == nil {
			t.Fatalf("Parse(%q) = nil, nil", q)
		}
		tr := &translator{q: q, lex: lex}
		if _, err := tr.translate(n, false); err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("translate(%q) error %T, want *SyntaxError", q, err)
			}
		}
	})
}
