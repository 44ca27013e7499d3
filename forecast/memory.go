package forecast

import (
	"fmt"
	"math"

	"github.com/mcforecast/mcforecast/internal/meminfo"
)

// memoryLimit returns half of the machine's physical memory (Linux
// MemTotal), or 8 GiB where it cannot be read.
func memoryLimit() int64 {
	if kb, ok := meminfo.Field("MemTotal"); ok {
		return kb * 1024 / 2
	}
	return 8 << 30
}

// memoryBudget returns the limit of the memory guard: memoryLimit, capped
// at what one address space can hold (math.MaxInt bytes: 2 GiB on 32-bit
// platforms).
func memoryBudget() int64 {
	return min(memoryLimit(), int64(math.MaxInt))
}

// sketchBytes bounds the memory of one streaming sketch: sketchBins
// float64 counts for each sign, plus the structure.
const sketchBytes = 2*sketchBins*8 + 1024

// memoryEstimate is what a run of a model allocates, in bytes (float64, so
// that no product overflows).
type memoryEstimate struct {
	perTrial float64 // bytes per trial (exact storage, KeepInputs, ranking)
	fixed    float64 // bytes independent of Trials: workers' buffers, sketches
	trials   int
	values   float64 // values stored per trial
	workers  int
}

func (e memoryEstimate) total() float64 { return e.perTrial*float64(e.trials) + e.fixed }

// estimateMemory returns the peak memory of a run of m with opts (already
// validated and defaulted). It reads the model's declarations only.
func estimateMemory(m *Model, opts Options) memoryEstimate {
	m = m.forRun().withDerived(opts) // decisions: every choice, derived values (decision*.go)
	var nIn, nOut, nCop float64
	inCorr := map[int]bool{}
	for _, c := range m.corrs {
		inCorr[c.a], inCorr[c.b] = true, true
	}
	for i, in := range m.inputs {
		nIn += float64(in.n)
		if inCorr[i] {
			nCop += float64(in.n)
		}
	}
	for _, o := range m.outputs {
		nOut += float64(o.n)
	}
	blocks := numBlocks(opts.Trials)
	workers := min(opts.Workers, blocks)
	rows := min(BlockSize, opts.Trials)
	e := memoryEstimate{trials: opts.Trials, workers: workers}

	// Per worker: the block's input rows and output columns, the Latin
	// hypercube permutation, the copula's scratch, the Trial.
	perWorker := 8*float64(rows)*nIn + 8*float64(outStride(rows))*nOut +
		4*BlockSize + 16*nCop + 8*nOut + 32*float64(len(m.inputs)+len(m.outputs)) + 512
	e.fixed = float64(workers) * perWorker
	if !opts.KeepInputs {
		// The sensitivity sample (sample.go): the first SensitivitySample
		// trials' input values, and output values when streaming; the
		// ranks Sensitivity caches of its inputs; one column's ranking
		// temporaries (32 bytes a value) per worker.
		s, cols := float64(sampleLen(opts.Trials)), nIn
		if opts.Streaming {
			cols += nOut
		}
		e.fixed += 8*s*cols + 8*s*nIn + 32*s*float64(workers)
	}
	// An exact accumulator per worker and output value, and their merge.
	e.fixed += float64(workers+1) * nOut * float64(momentsBytes)
	if opts.Streaming {
		// A sketch per worker and output value, and their merge.
		e.fixed += float64(workers+1) * nOut * sketchBytes
		return e
	}
	// Exact: 8 bytes per trial per output value; with Precision the
	// storage grows by half at each checkpoint, and the previous columns
	// live until copied; percentile selection copies up to 1/16 of a
	// column, plus its counts.
	e.values = nOut
	e.perTrial = 8 * nOut
	if opts.Precision > 0 {
		e.perTrial += 8 * nOut * 2 / 3
	}
	e.perTrial += 8.0 / 16 // selection
	e.fixed += 2 * histBuckets * 8
	if opts.KeepInputs {
		// Draws and their ranks (the rank cache) per input value, and the
		// ranking's temporaries: 24 bytes per trial per column being
		// ranked (one per worker), plus the output's own ranking (48).
		e.values += nIn
		e.perTrial += 16*nIn + 24*math.Min(float64(workers), nIn) + 48
	}
	return e
}

// EstimateMemory returns the peak number of bytes a Run of m with opts
// allocates, without running anything; a command can use it to choose
// Options.Streaming when exact storage would not fit its memory budget.
// It validates the options and the model's declarations first.
//
// The estimate counts, in exact mode, 8 bytes per trial per output value
// (a 5-year series output counts 5; ×5/3 with Precision, whose storage
// grows in steps) plus half a byte per trial for percentile selection;
// with KeepInputs, 16 bytes per trial per input value (the draws and the
// ranks that Sensitivity caches) plus 24 bytes per trial per worker for
// the ranking itself. Without KeepInputs, the sensitivity sample costs a
// fixed 16 bytes per input value (draws and ranks) and, streaming, 8 per
// output value, for min(Trials, SensitivitySample) trials. Whatever the mode, each worker (at most one per
// block) holds 8 × min(Trials, BlockSize) bytes per input and output
// value plus a 3.3 KB exact accumulator per output value, and streaming
// mode keeps up to 544 KiB of sketch per output value per worker (usually
// a few KiB per binade the values span), independent of Trials.
//
// Run refuses (as does Check) a run whose estimate exceeds half of the
// machine's physical memory, with an error that gives both figures.
func EstimateMemory(m *Model, opts Options) (bytes int64, err error) {
	if err := opts.Validate(); err != nil {
		return 0, err
	}
	if err := m.Validate(); err != nil {
		return 0, err
	}
	t := estimateMemory(m, opts.withDefaults()).total()
	if t >= math.MaxInt64 {
		return math.MaxInt64, nil
	}
	return int64(t), nil
}

// checkMemory refuses a run whose estimated peak memory exceeds the budget.
func checkMemory(m *Model, opts Options) error {
	e := estimateMemory(m, opts)
	need, limit := e.total(), float64(memoryBudget())
	if need <= limit {
		return nil
	}
	hint := "set Options.Streaming to keep bounded-memory sketches instead"
	if opts.Streaming || e.perTrial*float64(e.trials) < e.fixed {
		hint = "fewer Workers or shorter series need less"
	}
	return fmt.Errorf("forecast: this run needs about %.3g GB (%d trials × %.0f bytes for %.0f stored values per trial, plus %.3g GB for %d workers' buffers), more than the %.3g GB limit (half of this machine's memory, at most what the address space holds); %s",
		need/1e9, e.trials, e.perTrial, e.values, e.fixed/1e9, e.workers, limit/1e9, hint)
}
