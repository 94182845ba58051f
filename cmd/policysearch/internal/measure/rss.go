//go:build linux

package measure

import (
	"os"
	"syscall"
)

// PeakRSS returns the peak resident set size in bytes of a child process
// that has exited, from its rusage, or 0 where the platform does not say.
func PeakRSS(ps *os.ProcessState) int64 {
	if ps == nil {
		return 0
	}
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	// Linux reports ru_maxrss in kilobytes.
	return ru.Maxrss * 1024
}
