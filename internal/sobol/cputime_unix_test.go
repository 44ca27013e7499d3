//go:build unix

package sobol

import "syscall"

// cpuNanos returns the CPU time (user + system) of the process so far. On a
// shared machine a benchmark's wall time includes time the process waits
// for a core; its CPU time does not.
func cpuNanos() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
