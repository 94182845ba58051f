package measure

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// manifestName is the corpus manifest (corpus.ManifestName); measure does
// not import corpus, so it names the file itself.
const manifestName = "manifest.jsonl"

// WriteScaled writes into dst (which must not exist) a corpus n times the
// size of src: copy k (0 ≤ k < n) of every file lies under "xKK/", linked
// to the original (so it costs no disk), which gives each copy its own
// document IDs (IDs derive from paths). The manifest is copied n times with
// the paths changed and, for k > 0, the years and dates moved k years back,
// so that date facets and sorting see distinct documents. Files are linked
// by absolute path, so src must stay in place while dst is used.
func WriteScaled(src, dst string, n int) error {
	if n < 1 {
		return fmt.Errorf("scale %d: want at least 1", n)
	}
	src, err := filepath.Abs(src)
	if err != nil {
		return fmt.Errorf("scale corpus: %w", err)
	}
	if err := os.Mkdir(dst, 0o755); err != nil {
		return fmt.Errorf("scale corpus: %w", err)
	}
	var files []string
	err = fs.WalkDir(os.DirFS(src), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && !(path.Dir(p) == "." && rootFile(d.Name())) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("scale corpus %s: %w", src, err)
	}
	for k := range n {
		prefix := copyDir(k)
		for _, p := range files {
			to := filepath.Join(dst, prefix, filepath.FromSlash(p))
			if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
				return fmt.Errorf("scale corpus: %w", err)
			}
			if err := os.Symlink(filepath.Join(src, filepath.FromSlash(p)), to); err != nil {
				return fmt.Errorf("scale corpus: %w", err)
			}
		}
	}
	return scaleManifest(filepath.Join(src, manifestName), filepath.Join(dst, manifestName), n)
}

// copyDir is the directory of copy k.
func copyDir(k int) string { return fmt.Sprintf("x%02d", k) }

// rootFile reports whether a file at the corpus root is not a document.
func rootFile(name string) bool {
	if name == manifestName {
		return true
	}
	u := strings.ToUpper(name)
	for _, p := range []string{"README", "LICENSE", "LICENCE", "COPYING", "NOTICE"} {
		if strings.HasPrefix(u, p) {
			return true
		}
	}
	return false
}

// leadingYear is the year at the start of a manifest date.
var leadingYear = regexp.MustCompile(`^\d{4}`)

// scaleManifest writes n altered copies of the manifest at from (if any)
// to to.
func scaleManifest(from, to string, n int) error {
	data, err := os.ReadFile(from)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("scale manifest: %w", err)
	}
	out, err := os.Create(to)
	if err != nil {
		return fmt.Errorf("scale manifest: %w", err)
	}
	w := bufio.NewWriter(out)
	for k := range n {
		for line := range strings.Lines(string(data)) {
			if strings.TrimSpace(line) == "" {
				continue
			}
			var e map[string]any
			if err := json.Unmarshal([]byte(line), &e); err != nil {
				continue // the loader ignores such lines too
			}
			p, _ := e["path"].(string) // a line without a path is ignored by the loader
			e["path"] = copyDir(k) + "/" + strings.TrimPrefix(p, "./")
			if k > 0 {
				if y, ok := e["year"].(float64); ok && y > 0 {
					e["year"] = y - float64(k)
				}
				if d, ok := e["date"].(string); ok && leadingYear.MatchString(d) {
					y, _ := strconv.Atoi(d[:4]) // four digits, matched above
					e["date"] = strconv.Itoa(y-k) + d[4:]
				}
			}
			b, err := json.Marshal(e)
			if err != nil {
				return fmt.Errorf("scale manifest: %w", err)
			}
			w.Write(b)
			w.WriteByte('\n')
		}
	}
	if err := w.Flush(); err != nil {
		out.Close()
		return fmt.Errorf("scale manifest: %w", err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("scale manifest: %w", err)
	}
	return nil
}
