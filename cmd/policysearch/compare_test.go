package main

import (
	"strings"
	"testing"

	"policysearch/search"
)

func TestPrintComparison(t *testing.T) {
	t.Parallel()
	res := &search.Comparison{Query: "医养", By: []string{search.ByRegion}, Groups: []search.Group{
		{Label: "槐荫区", Region: "山东省济南市槐荫区", Docs: 1, MatchingDocs: 1, Occurrences: 5, Chars: 3379, Rate: 14.797, FirstYear: 2023, LatestYear: 2023},
		{Label: "易县", Region: "河北省保定市易县", Docs: 7, MatchingDocs: 2, Occurrences: 2, Chars: 75174, Rate: 0.266, FirstYear: 2020, LatestYear: 2025},
		{Label: "火星\x1b[31m市", Region: "火星市"},
	}}
	var b strings.Builder
	printComparison(&b, res)
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	if len(lines) != 6 {
		t.Fatalf("printComparison printed %d lines, want a title, a blank line, a header and 3 rows:\n%s", len(lines), b.String())
	}
	table := lines[2:]
	// The numeric columns end in the same terminal column on every row:
	// here the rate column, the last one.
	end := func(line, cell string) int {
		i := strings.Index(line, cell)
		if i < 0 {
			t.Fatalf("%q not in %q", cell, line)
		}
		return displayWidth(line[:i+len(cell)])
	}
	want := end(table[0], "rate")
	for i, rate := range []string{"14.80", "0.27", "0.00"} {
		if got := end(table[i+1], rate); got != want {
			t.Errorf("row %d: rate ends at column %d, header at %d:\n%s", i+1, got, want, strings.Join(table, "\n"))
		}
	}
	if strings.Contains(b.String(), "\x1b") {
		t.Errorf("a control character from the data reached the terminal: %q", b.String())
	}
	if !strings.Contains(table[1], "2023") || strings.Contains(table[1], "2023–") || !strings.Contains(table[2], "2020–2025") {
		t.Errorf("year spans wrong:\n%s", strings.Join(table, "\n"))
	}
}
