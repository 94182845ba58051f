package main

import (
	"strings"
	"testing"

	"policysearch/search"
)

func TestFromHTML(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, frag string
		color      bool
		want       string
	}{
		{"marks as brackets", "推动<mark>医养</mark>健康", false, "推动【医养】健康"},
		{"marks as colour", "推动<mark>医养</mark>健康", true, "推动" + ansiMatch + "医养" + ansiReset + "健康"},
		{"entities unescaped after marks", "&lt;mark&gt;不是标记&lt;/mark&gt; &amp; <mark>是</mark>", false, "<mark>不是标记</mark> & 【是】"},
		{"white space collapsed", "第一条\n\n　第二条\t", false, "第一条 第二条"},
		{"terminal escapes removed", "a\x1b[31mb\x07c", false, "a [31mb c"},
		{"unclosed mark", "x<mark>y", false, "x【y】"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := fromHTML(tt.frag, tt.color, ""); got != tt.want {
				t.Errorf("fromHTML(%q, %v) = %q, want %q", tt.frag, tt.color, got, tt.want)
			}
		})
	}
}

// TestPrintCopies checks that a collapsed hit says how many copies it
// stands for and where, and that the "shown" line counts hits, not
// documents.
func TestPrintCopies(t *testing.T) {
	t.Parallel()
	res := &search.Result{Total: 5, Groups: 3, Hits: []search.Hit{
		{ID: "a", Title: "莱芜市既有多层住宅增设电梯规定", Region: "莱芜市", Copies: 2, CopyRegions: []string{"济南市", "泰安市"}},
		{ID: "b", Title: "济南市钢结构建筑应用促进条例", Region: "济南市"},
	}}
	var b strings.Builder
	printResults(&b, "电梯", res, false)
	out := b.String()
	for _, want := range []string{"莱芜市 · a · +2 copies (济南市、泰安市)\n", "济南市 · b\n", "(2 of 3 shown;"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
