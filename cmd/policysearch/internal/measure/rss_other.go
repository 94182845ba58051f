//go:build !linux

package measure

import (
	"os"
	"time"
)

// PeakRSS returns 0: only Linux's rusage is read.
func PeakRSS(ps *os.ProcessState) int64 { return 0 }

// CPUTime returns 0: only Linux's rusage is read.
func CPUTime() time.Duration { return 0 }
