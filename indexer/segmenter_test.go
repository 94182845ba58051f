package indexer

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"policysearch/corpus"
)

func TestParseUserDict(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
		wantErr        bool
	}{
		{name: "word only", in: "齐鲁门户\n", want: "齐鲁门户 20000 n\n"},
		{name: "freq and pos, comments, traditional", in: "# 注释\n醫養之都 500 nz\n\n", want: "医养之都 500 nz\n"},
		{name: "bad freq", in: "医养之都 many\n", wantErr: true},
		{name: "too many fields", in: "a 1 n x\n", wantErr: true},
		{name: "invalid utf-8", in: "\xff\n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseUserDict([]byte(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("parseUserDict(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("parseUserDict(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestUseDictionary runs in a child process, since the dictionary is fixed
// once a process has segmented anything.
func TestUseDictionary(t *testing.T) {
	t.Parallel()
	if os.Getenv("POLICYSEARCH_DICT_CHILD") == "1" {
		if err := UseDictionary("newsroom", []byte("齐鲁门户\n医养之都\n")); err != nil {
			t.Fatal(err)
		}
		if v := DictVersion(); !strings.HasPrefix(v, BaseDictVersion+"+newsroom@") {
			t.Errorf("DictVersion() = %q, want the base plus newsroom@hash", v)
		}
		tk := newTestTokenizer(t)
		var top []string
		end := 0
		for _, tok := range tk.Tokenize([]byte("打造“齐鲁门户、医养之都”")) {
			if tok.Start >= end {
				top = append(top, string(tok.Term))
				end = tok.End
			}
		}
		if got := strings.Join(top, "/"); got != "打造/齐鲁门户/医养之都" {
			t.Errorf("words = %s, want 打造/齐鲁门户/医养之都", got)
		}
		if err := UseDictionary("late", []byte("城市更新\n")); !errors.Is(err, ErrDictionaryInUse) {
			t.Errorf("UseDictionary after use: error = %v, want ErrDictionaryInUse", err)
		}
		return
	}
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestUseDictionary$", "-test.v")
	cmd.Env = append(os.Environ(), "POLICYSEARCH_DICT_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestUseDictionary") {
		t.Fatalf("child process: %v\n%s", err, out)
	}
}

// TestRebuild builds a fresh index beside an open one and moves it into
// place, while the open one keeps answering.
func TestRebuild(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "idx")
	old, err := Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	first := fstest.MapFS{"a.txt": {Data: realText(t, "seed-yiyang.txt")}}
	if _, err := Build(t.Context(), old, corpus.Load(t.Context(), first, corpus.Options{}), Options{}); err != nil {
		t.Fatal(err)
	}
	second := fstest.MapFS{
		"a.txt": {Data: realText(t, "seed-yiyang.txt")},
		"b.txt": {Data: realText(t, "shanghai-2026.txt")},
	}
	idx, rep, err := Rebuild(t.Context(), dir, corpus.Load(t.Context(), second, corpus.Options{}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	if rep.Added != 2 {
		t.Errorf("Rebuild added %d, want 2", rep.Added)
	}
	if n, err := old.DocCount(); err != nil || n != 1 {
		t.Errorf("old index DocCount = %d, %v; want 1 while still open", n, err)
	}
	if err := old.Close(); err != nil {
		t.Error(err)
	}
	if n, err := idx.DocCount(); err != nil || n != 2 {
		t.Errorf("rebuilt DocCount = %d, %v; want 2", n, err)
	}
	for _, leftover := range []string{dir + ".next", dir + ".old"} {
		if _, err := os.Stat(leftover); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left behind: %v", leftover, err)
		}
	}
}
