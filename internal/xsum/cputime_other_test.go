//go:build !unix

package xsum

import "testing"

type cpuTimer struct{}

func startCPU(b *testing.B) *cpuTimer { b.ResetTimer(); return &cpuTimer{} }

func (c *cpuTimer) stop(b *testing.B) { b.StopTimer() }
