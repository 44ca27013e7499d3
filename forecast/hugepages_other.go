//go:build !linux

package forecast

// adviseHuge is a no-op outside Linux.
func adviseHuge([]float64) {}
