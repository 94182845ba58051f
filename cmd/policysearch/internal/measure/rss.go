//go:build linux

package measure

import (
	"os"
	"syscall"
	"time"
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

// CPUTime returns the user plus system CPU time this process has used.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0 // Linux always answers for RUSAGE_SELF
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
