package search

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"policysearch/corpus"
	"policysearch/indexer"
)

// TestParagraphs checks the paragraphs of every sample document: numbered
// from 1, one per non-blank line, offsets in runes that cut out the trimmed
// line, hashes of its text.
func TestParagraphs(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	for _, d := range f.docs {
		ps := Paragraphs(d.Body)
		runes := []rune(d.Body)
		var lines []string
		for l := range strings.Lines(d.Body) {
			if s := strings.TrimSpace(l); s != "" {
				lines = append(lines, s)
			}
		}
		if len(ps) != len(lines) {
			t.Errorf("%s: %d paragraphs, want %d non-blank lines", d.Path, len(ps), len(lines))
			continue
		}
		for i, p := range ps {
			if p.N != i+1 || p.Start < 0 || p.End > len(runes) || p.Start >= p.End {
				t.Fatalf("%s: paragraph %d = %+v, want N %d and 0 ≤ start < end ≤ %d", d.Path, i, p, i+1, len(runes))
			}
			if got := string(runes[p.Start:p.End]); got != lines[i] {
				t.Fatalf("%s: paragraph %d text %.40q, want %.40q", d.Path, p.N, got, lines[i])
			}
			if p.Hash != ParagraphHash(lines[i]) || len(p.Hash) != 8 {
				t.Fatalf("%s: paragraph %d hash %q, want %q", d.Path, p.N, p.Hash, ParagraphHash(lines[i]))
			}
		}
	}
}

// TestParagraphHash checks that the hash is of the normalized text without
// spaces, so a re-conversion does not change it, and that other text has
// another hash.
func TestParagraphHash(t *testing.T) {
	t.Parallel()
	const text = "第一条　为了规范个人所得税征收管理，根据2018年修正的《中华人民共和国个人所得税法》，制定本条例。"
	sum := sha256.Sum256([]byte(strings.ReplaceAll(indexer.Normalize(text), " ", "")))
	if got, want := ParagraphHash(text), hex.EncodeToString(sum[:4]); got != want {
		t.Errorf("ParagraphHash = %s, want %s (SHA-256 of the normalized text)", got, want)
	}
	same := []string{
		"第一条 为了规范个人所得税征收管理，根据２０１８年修正的《中華人民共和國个人所得税法》，制定本条例。",
		"  第一条为了规范个人所得税征收管理，根据2018年修正的《中华人民共和国个人所得税法》，制定本条例。 ",
	}
	for _, s := range same {
		if ParagraphHash(s) != ParagraphHash(text) {
			t.Errorf("ParagraphHash(%q) differs from the original's", s)
		}
	}
	if ParagraphHash(strings.Replace(text, "2018", "2019", 1)) == ParagraphHash(text) {
		t.Errorf("a changed year keeps the hash")
	}
}

func TestParsePassageRef(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want PassageRef
		ok   bool
	}{
		{"p12-3f2a9c1b", PassageRef{12, "3f2a9c1b"}, true},
		{"#p1-00000000", PassageRef{1, "00000000"}, true},
		{"p0-3f2a9c1b", PassageRef{}, false},
		{"p-1-3f2a9c1b", PassageRef{}, false},
		{"p+1-3f2a9c1b", PassageRef{}, false},
		{"p12-3F2A9C1B", PassageRef{}, false},
		{"p12-3f2a9c1", PassageRef{}, false},
		{"p12-3f2a9c1g", PassageRef{}, false},
		{"p12", PassageRef{}, false},
		{"12-3f2a9c1b", PassageRef{}, false},
		{"p99999999999999999999-3f2a9c1b", PassageRef{}, false},
		{"", PassageRef{}, false},
	}
	for _, tt := range tests {
		got, err := ParsePassageRef(tt.in)
		var verr *ValidationError
		if tt.ok && (err != nil || got != tt.want) {
			t.Errorf("ParsePassageRef(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
		if !tt.ok && !errors.As(err, &verr) {
			t.Errorf("ParsePassageRef(%q) error = %v, want a *ValidationError", tt.in, err)
		}
	}
}

// TestResolvePassage indexes a real document, takes passage links to two
// of its paragraphs, re-indexes it with a paragraph added at the top and
// one of the two edited, and resolves the links: the unchanged one is
// found under its new number, the edited one is reported changed.
func TestResolvePassage(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	var d corpus.Document
	for _, x := range f.docs {
		if strings.Contains(x.Path, "5351177") {
			d = x
		}
	}
	idx, err := indexer.Create("")
	if err != nil {
		t.Fatal(err)
	}
	svc, err := New(idx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := indexer.Build(t.Context(), idx, docsSeq([]corpus.Document{d}), indexer.Options{}); err != nil {
		t.Fatal(err)
	}
	before := Paragraphs(d.Body)
	kept, edited := before[5], before[8]
	runes := []rune(d.Body)
	for _, p := range []Paragraph{kept, edited} {
		got, err := svc.ResolvePassage(t.Context(), d.ID, PassageRef{p.N, p.Hash})
		if err != nil || got.Status != PassageExact || got.Paragraph != p || got.Text != string(runes[p.Start:p.End]) {
			t.Fatalf("before re-indexing: ResolvePassage(%s) = %+v, %v; want exact %+v", p.Ref(), got, err, p)
		}
	}

	editedText := string(runes[edited.Start:edited.End])
	d.Body = "（此件公开发布）\n" + strings.Replace(d.Body, editedText, editedText+"（已修订）", 1)
	d.Hash = "changed"
	if _, err := indexer.Build(t.Context(), idx, docsSeq([]corpus.Document{d}), indexer.Options{}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		ref    PassageRef
		status string
		n      int
	}{
		{"unchanged paragraph moved down", PassageRef{kept.N, kept.Hash}, PassageMoved, kept.N + 1},
		{"edited paragraph", PassageRef{edited.N, edited.Hash}, PassageChanged, edited.N},
	}
	for _, tt := range tests {
		got, err := svc.ResolvePassage(t.Context(), d.ID, tt.ref)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got.Status != tt.status || got.N != tt.n {
			t.Errorf("%s: status %s, paragraph %d; want %s, %d", tt.name, got.Status, got.N, tt.status, tt.n)
		}
	}
	if got, err := svc.ResolvePassage(t.Context(), d.ID, PassageRef{kept.N, kept.Hash}); err == nil && got.Text != string(runes[kept.Start:kept.End]) {
		t.Errorf("moved paragraph text %.40q, want %.40q", got.Text, string(runes[kept.Start:kept.End]))
	}
	if _, err := svc.ResolvePassage(t.Context(), d.ID, PassageRef{100000, "00000000"}); !errors.Is(err, ErrPassageNotFound) {
		t.Errorf("unknown passage: error %v, want ErrPassageNotFound", err)
	}
	if _, err := svc.ResolvePassage(t.Context(), "nope", PassageRef{1, "00000000"}); !errors.Is(err, ErrNotFound) || errors.Is(err, ErrPassageNotFound) {
		t.Errorf("unknown document: error %v, want ErrNotFound", err)
	}
}

// TestCitation checks the citation text of a real document with a 文号
// and one without.
func TestCitation(t *testing.T) {
	t.Parallel()
	f := fixture(t)
	for _, d := range f.docs {
		doc, err := f.svc.Document(t.Context(), d.ID)
		if err != nil {
			t.Fatal(err)
		}
		link := "https://policy.example.org/documents/" + d.ID
		c := doc.Citation(link)
		if !strings.HasPrefix(c, strings.TrimSpace(d.Title)+"，") || !strings.HasSuffix(c, "，"+link) {
			t.Errorf("%s: citation %q does not start with the title and end with the link", d.Path, c)
		}
		for _, want := range []string{d.Issuer, d.DocNumber, d.Date} {
			if want != "" && !strings.Contains(c, "，"+want+"，") {
				t.Errorf("%s: citation %q lacks %q", d.Path, c, want)
			}
		}
		if !utf8.ValidString(c) || strings.Contains(c, "，，") {
			t.Errorf("%s: citation %q has an empty part", d.Path, c)
		}
	}
}
