package meminfo

import (
	"os"
	"runtime"
	"strings"
	"testing"
)

const sample = `MemTotal:        8039504 kB
MemFree:          211368 kB
MemAvailable:    5177932 kB
Buffers:          145208 kB
HugePages_Total:       0
Hugepagesize:       2048 kB
`

func TestField(t *testing.T) {
	for _, c := range []struct {
		text, name string
		want       int64
		ok         bool
	}{
		{sample, "MemTotal", 8039504, true},
		{sample, "MemAvailable", 5177932, true},
		{sample, "Hugepagesize", 2048, true},
		{sample, "HugePages_Total", 0, false}, // zero is not a reading
		{sample, "Mem", 0, false},             // a prefix of a name is not the name
		{sample, "SwapTotal", 0, false},
		{"MemTotal: lots kB\nMemTotal: 12 kB\n", "MemTotal", 12, true}, // the first good line
		{"MemTotal: -5 kB\n", "MemTotal", 0, false},
		{"MemTotal:99999999999999999999 kB\n", "MemTotal", 0, false},
		{"MemTotal:\t42\n", "MemTotal", 42, true},
		{"", "MemTotal", 0, false},
	} {
		got, ok := field(strings.NewReader(c.text), c.name)
		if got != c.want || ok != c.ok {
			t.Errorf("field(%q) = %d, %v, want %d, %v", c.name, got, ok, c.want, c.ok)
		}
	}
}

// TestFieldLinux reads the machine's own file where there is one.
func TestFieldLinux(t *testing.T) {
	if _, err := os.Stat("/proc/meminfo"); err != nil {
		if runtime.GOOS == "linux" {
			t.Skip("no /proc/meminfo (a sandbox without /proc)")
		}
		if _, ok := Field("MemTotal"); ok {
			t.Fatal("Field read a MemTotal without /proc/meminfo")
		}
		return
	}
	total, ok := Field("MemTotal")
	if !ok || total <= 0 {
		t.Fatalf("Field(MemTotal) = %d, %v", total, ok)
	}
	if avail, ok := Field("MemAvailable"); ok && avail > total {
		t.Errorf("MemAvailable %d kB > MemTotal %d kB", avail, total)
	}
}
