// Package meminfo reads the memory figures of Linux's /proc/meminfo, for
// the memory guard of package forecast and the default memory budget of
// the mcforecast command.
package meminfo

import (
	"bufio"
	"io"
	"os"
	"strconv"
	"strings"
)

// Field returns the value of the named field of /proc/meminfo, such as
// "MemTotal" or "MemAvailable", in kB (KiB, as the kernel writes it), and
// whether it could be read: ok is false where the file cannot be opened
// (not Linux), lacks the field or holds no positive integer there. It reads
// the file once, a few KB.
func Field(name string) (kb int64, ok bool) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	return field(f, name)
}

// field returns the first positive value of a line "name: value kB" of r.
func field(r io.Reader, name string) (int64, bool) {
	s := bufio.NewScanner(r)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), name+":"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err == nil && kb > 0 {
				return kb, true
			}
		}
	}
	return 0, false
}
