package main

import "testing"

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
