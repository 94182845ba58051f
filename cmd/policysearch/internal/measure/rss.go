//go:build linux

package measure

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"sync"
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

// AnonSampler samples a running process's anonymous resident memory
// (RssAnon in /proc/PID/status): the memory it allocated, without the
// pages of mapped files (a bleve index) that ru_maxrss also counts and the
// kernel can drop at will.
type AnonSampler struct {
	once sync.Once
	stop chan struct{}
	done chan int64
	peak int64
}

// SampleAnon starts sampling process pid every interval until Stop.
func SampleAnon(pid int, interval time.Duration) *AnonSampler {
	s := &AnonSampler{stop: make(chan struct{}), done: make(chan int64, 1)}
	path := "/proc/" + strconv.Itoa(pid) + "/status"
	go func() {
		var peak int64
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			if v := rssAnon(path); v > peak {
				peak = v
			}
			select {
			case <-s.stop:
				s.done <- peak
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// Stop ends the sampling and returns the highest value seen, in bytes (0
// when the process could not be read). Later calls return the same.
func (s *AnonSampler) Stop() int64 {
	s.once.Do(func() {
		close(s.stop)
		s.peak = <-s.done
	})
	return s.peak
}

// rssAnon reads the RssAnon line of a /proc status file, in bytes, or 0.
func rssAnon(path string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0 // the process has gone: the peak so far stands
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		rest, ok := bytes.CutPrefix(sc.Bytes(), []byte("RssAnon:"))
		if !ok {
			continue
		}
		f := bytes.Fields(rest)
		if len(f) == 0 {
			return 0
		}
		kb, err := strconv.ParseInt(string(f[0]), 10, 64)
		if err != nil {
			return 0
		}
		return kb * 1024
	}
	return 0
}
