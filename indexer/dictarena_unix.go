//go:build unix

package indexer

import (
	"fmt"
	"syscall"
)

// mapArena returns size bytes of zeroed memory outside the Go heap, for a
// dictionary that lives as long as the process.
func mapArena(size int) (*arena, error) {
	if size == 0 {
		return nil, nil
	}
	b, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil, fmt.Errorf("map %d bytes for the dictionary: %w", size, err)
	}
	return &arena{buf: b}, nil
}
