// Package cputime reads the process's CPU time for benchmarks. On a
// machine shared with other work, a benchmark's wall time includes the time
// it waits for a core; its CPU time (user + system) does not, so the
// benchmarks of this module report both.
package cputime

import (
	"testing"
	"time"
)

// Now returns the user + system CPU time the process has used so far and
// true, or 0 and false where the platform does not say.
func Now() (time.Duration, bool) { return now() }

// Timer measures the CPU time of a benchmark's timed loop.
type Timer struct {
	start time.Duration
	ok    bool
}

// Start resets b's timer and starts measuring CPU time.
func Start(b *testing.B) *Timer {
	b.ResetTimer()
	t := &Timer{}
	t.start, t.ok = Now()
	return t
}

// Report stops b's timer and reports the CPU time per operation divided by
// per (the work items of one operation: 1 for "cpu-ns/op", trials for
// "cpu-ns/trial") under unit. It reports nothing where CPU time is not
// available.
func (t *Timer) Report(b *testing.B, per int, unit string) {
	b.StopTimer()
	if end, ok := Now(); ok && t.ok {
		b.ReportMetric(float64(end-t.start)/float64(b.N*per), unit)
	}
}
