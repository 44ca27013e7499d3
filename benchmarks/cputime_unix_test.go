//go:build unix

package benchmarks

import "syscall"

// processCPU returns the CPU time (user + system) the process has used, in
// nanoseconds, and true; with other work on the machine it measures the
// cost of a run independently of how many cores the run actually got.
func processCPU() (int64, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return ru.Utime.Nano() + ru.Stime.Nano(), true
}
