package main

import (
	"fmt"

	"github.com/mcforecast/mcforecast/forecast"
	"github.com/mcforecast/mcforecast/internal/meminfo"
)

// helpNotes close -help: memory, cost and exit statuses.
const helpNotes = `
Memory: exact mode stores every output value of every trial, 8 bytes each:
the built-in scenario has 68 output values, 544 bytes a trial, 544 MB at
1 000 000 trials. When that estimate exceeds -memory (default 256 MB, so
up to about 490 000 trials of the built-in scenario; 0 means half the
available memory) the command streams instead and says so on stderr:
bounded-memory sketches, about 140 MB for the built-in scenario whatever
-trials is. -exact forces exact storage, -streaming streaming.
The sensitivities (the table's drivers, -sensitivities, the tornado) come
from the first 65 536 trials in either mode, each with its standard error:
their 47 input values (and when streaming their 68 output values) cost a
fixed 25 MB (60 MB), ranked once. By default a series input (revenue
growth by year) is one driver; -sensitivity-years lists each year.
Plans (-plans, or plans: in a file) evaluate every trial once per plan:
about 3.3 times the time of a single run for three plans in exact mode (2.2
times streaming, at 1 000 000 trials), and exact storage of every plan's
outputs, plus 8 bytes per input value and trial for the draws EVPPI reads
when they fit -memory (else EVPPI reads the first 65 536 trials). Streaming
compares the plans too: the differences, P(best) and EVPI are computed per
trial during the run (12 streamed values per compared output for three
plans); -plans at the default 1 000 000 trials streams in about 300 MB.
A correlated input, or any input under -method lhs or qmc, goes through a
precomputed inverse CDF (distributions.Inverter): 20-130 ns a value for
PERT, Beta or Gamma, built once per run.

Output: -format csv writes the statistics as one table; -sensitivities FILE
writes the sensitivities as a second CSV file.

Exit status: 0 success; 1 the run or writing its output failed; 2 bad flags
or a bad scenario file; 130 interrupted (Ctrl-C or SIGTERM: nothing more is
written, stderr says so).
`

// estimateMemory returns the peak bytes a run of m with opts needs
// (forecast.EstimateMemory: stored values, per-worker buffers, rank caches).
func estimateMemory(m *forecast.Model, opts forecast.Options) (int64, error) {
	return forecast.EstimateMemory(m, opts)
}

// defaultBudget is half of the memory available now (Linux MemAvailable),
// or 4 GiB where it cannot be read.
func defaultBudget() int64 {
	if kb, ok := meminfo.Field("MemAvailable"); ok {
		return kb * 1024 / 2
	}
	return 4 << 30
}

// mb formats bytes as MB.
func mb(b int64) string { return fmt.Sprintf("%d MB", (b+(1<<20)-1)>>20) }
