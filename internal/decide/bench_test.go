package decide

import (
	"context"
	"fmt"
	"math"
	"syscall"
	"testing"
	"time"
)

// cpuTime returns the CPU time (user + system) the process has used so far.
// The benchmarks report it per operation as cpu-ns/op next to the wall
// time: on a shared machine the wall time counts other processes' turns.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// loop runs f b.N times and reports the CPU time per run.
func loop(b *testing.B, f func()) {
	b.Helper()
	start := cpuTime()
	for b.Loop() {
		f()
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

// threeChoices returns 3 choices × n trials that share the input x, as a
// decision run produces them, and x.
func threeChoices(n int) ([][]float64, []float64) {
	x, e := normals(20, n), normals(21, n)
	v := [][]float64{make([]float64, n), make([]float64, n), make([]float64, n)}
	for i := range x {
		v[0][i] = x[i] + e[i]
		v[1][i] = 0.5*x[i] + 0.1 + e[i]
		v[2][i] = 0.2 - 0.5*x[i]
	}
	return v, x
}

// TestAllocs checks that the functions allocate a fixed number of times,
// whatever the number of trials: nothing per trial.
func TestAllocs(t *testing.T) {
	count := func(n int) [3]float64 {
		v, x := threeChoices(n)
		return [3]float64{
			testing.AllocsPerRun(5, func() { ProbBest(v) }),
			testing.AllocsPerRun(5, func() { EVPI(v) }),
			testing.AllocsPerRun(5, func() { EVPPI(x, v, EVPPIOptions{Bins: 10}) }),
		}
	}
	small, large := count(1000), count(100000)
	f := func(x float64) (float64, error) { return math.Cos(x) - x, nil }
	ctx := context.Background()
	if a := testing.AllocsPerRun(5, func() { Brent(ctx, f, 0, 1, 0, 0, 0) }); a != 0 {
		t.Errorf("Brent allocates %v times, want 0", a)
	}
	if small != large {
		t.Errorf("allocations (ProbBest, EVPI, EVPPI) at 1e3 trials %v, at 1e5 %v: want the same", small, large)
	}
	t.Logf("allocations (ProbBest, EVPI, EVPPI): %v", large)
}

func BenchmarkDecide(b *testing.B) {
	for _, n := range []int{1e4, 1e6} {
		v, x := threeChoices(n)
		b.Run(fmt.Sprintf("ProbBest/n=%d", n), func(b *testing.B) {
			loop(b, func() { ProbBest(v) })
		})
		b.Run(fmt.Sprintf("EVPI/n=%d", n), func(b *testing.B) {
			loop(b, func() { EVPI(v) })
		})
		b.Run(fmt.Sprintf("EVPPI/n=%d", n), func(b *testing.B) {
			loop(b, func() { EVPPI(x, v, EVPPIOptions{}) })
		})
		// A reference pass: the sum of all n·3 values, the least any of
		// the above can cost.
		b.Run(fmt.Sprintf("sum/n=%d", n), func(b *testing.B) {
			var s float64
			loop(b, func() {
				for _, c := range v {
					for _, y := range c {
						s += y
					}
				}
			})
			_ = s
		})
	}
}
