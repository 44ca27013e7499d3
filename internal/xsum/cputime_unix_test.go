//go:build unix

package xsum

import (
	"syscall"
	"testing"
	"time"
)

// cpuTimer reports, beside ns/op, the process's user+system CPU time per
// operation ("cpu-ns/op"): on a machine shared with other jobs, wall time
// includes the time the benchmark waits for a core, CPU time does not.
type cpuTimer struct{ start time.Duration }

func cpuNow() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startCPU(b *testing.B) *cpuTimer {
	b.ResetTimer()
	return &cpuTimer{cpuNow()}
}

func (c *cpuTimer) stop(b *testing.B) {
	b.StopTimer()
	b.ReportMetric(float64(cpuNow()-c.start)/float64(b.N), "cpu-ns/op")
}
