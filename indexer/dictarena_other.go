//go:build !unix

package indexer

// mapArena returns nil: without mmap the dictionary lives on the Go heap.
func mapArena(int) (*arena, error) {
	return nil, nil
}
