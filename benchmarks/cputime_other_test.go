//go:build !unix

package benchmarks

// processCPU is not available on this system.
func processCPU() (int64, bool) { return 0, false }
