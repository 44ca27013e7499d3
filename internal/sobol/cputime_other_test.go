//go:build !unix

package sobol

// cpuNanos is unavailable here; benchmarks then report no CPU metric.
func cpuNanos() int64 { return 0 }
