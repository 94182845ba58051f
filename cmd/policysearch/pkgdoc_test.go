package main

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestPackageDocs checks that every package of the module has a package
// comment, and that commands start theirs with "Command NAME".
func TestPackageDocs(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	dirs := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || strings.HasPrefix(d.Name(), "internal_scratch")) && path != root {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			dirs[filepath.Dir(path)] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) < 5 {
		t.Fatalf("found %d package directories, want the whole module", len(dirs))
	}
	for dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		name, doc := "", ""
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ParseComments|parser.PackageClauseOnly)
			if err != nil {
				t.Errorf("parse %s: %v", file, err)
				continue
			}
			name = f.Name.Name
			if f.Doc != nil {
				doc += f.Doc.Text()
			}
		}
		switch {
		case doc == "":
			t.Errorf("package %s in %s has no package comment", name, dir)
		case name == "main" && !strings.HasPrefix(doc, "Command "):
			t.Errorf("command in %s: package comment should start with \"Command \", got %.40q", dir, doc)
		case name != "main" && !strings.HasPrefix(doc, "Package "+name+" "):
			t.Errorf("package %s: comment should start with \"Package %s \", got %.40q", name, name, doc)
		}
	}
}
