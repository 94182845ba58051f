package corpus

import (
	"embed"
	"io/fs"
)

// sampleFiles is the demo corpus; see sample/README.md.
//
//go:embed sample
var sampleFiles embed.FS

// Sample returns a small corpus of real policy documents shipped in the
// binary, for demos and tests: national, provincial, city and county
// documents in every supported format, with a manifest.jsonl. Load it with
// Load like any other corpus. The returned file system is read-only and
// safe for concurrent use.
func Sample() fs.FS {
	sub, err := fs.Sub(sampleFiles, "sample")
	if err != nil {
		// fs.Sub fails only for an invalid directory name, and "sample" is
		// a constant.
		panic(err)
	}
	return sub
}
