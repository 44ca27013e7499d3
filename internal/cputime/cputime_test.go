package cputime

import (
	"runtime"
	"testing"
)

// Work takes CPU time, and Now sees it grow (where the platform reports it).
func TestNowGrows(t *testing.T) {
	a, ok := Now()
	if !ok {
		if runtime.GOOS == "linux" {
			t.Fatal("no CPU time on Linux")
		}
		t.Skip("no CPU time on " + runtime.GOOS)
	}
	x := 0.0
	for i := 0; i < 50_000_000; i++ {
		x += float64(i)
	}
	b, _ := Now()
	if b <= a || x == 0 {
		t.Errorf("CPU time %v then %v after work", a, b)
	}
}
