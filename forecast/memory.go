package forecast

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// memoryLimit returns half of the machine's physical memory (Linux), or
// 8 GiB where it cannot be read.
func memoryLimit() int64 {
	const fallback = 8 << 30
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return fallback
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "MemTotal:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err == nil && kb > 0 {
				return kb * 1024 / 2
			}
		}
	}
	return fallback
}

func (p *plan) checkMemory() error {
	if p.opts.Streaming {
		return nil
	}
	per := int64(p.m.nOut)
	if p.opts.KeepInputs {
		per += 2 * int64(p.m.nIn) // draws and their ranks
	}
	need := float64(p.trials) * float64(per) * 8
	if limit := memoryLimit(); need > float64(limit) {
		return fmt.Errorf("forecast: %d trials × %d stored values need %.3g GB, more than the %.3g GB limit (half of this machine's memory); set Options.Streaming to keep bounded-memory sketches instead", p.trials, per, need/1e9, float64(limit)/1e9)
	}
	return nil
}
