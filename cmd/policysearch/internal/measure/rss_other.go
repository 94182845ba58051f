//go:build !linux

package measure

import "os"

// PeakRSS returns 0: only Linux's rusage is read.
func PeakRSS(ps *os.ProcessState) int64 { return 0 }
