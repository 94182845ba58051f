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

// AnonSampler samples nothing: only Linux's /proc is read.
type AnonSampler struct{}

// SampleAnon returns a sampler that reports 0.
func SampleAnon(pid int, interval time.Duration) *AnonSampler { return &AnonSampler{} }

// Stop returns 0.
func (s *AnonSampler) Stop() int64 { return 0 }
