package forecast

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
)

// SensitivitySample is the number of trials, counted from the first, whose
// input draws (and, in streaming mode, output values) every run keeps for
// its sensitivities, whatever its mode: the sensitivity sample. A run of
// fewer trials keeps them all. The first trials are the same for any number
// of workers, on any machine, and in every partial of SimulateBlocks, so
// sensitivities computed from them are as reproducible as the rest of a
// Result.
//
// Cost: min(Trials, SensitivitySample) × 8 bytes per input value (a 10-year
// series counts 10), plus as much per output value in streaming mode (exact
// mode stores every output value anyway): 22 MB for 43 input values, 58 MB
// with 68 output values streamed, independent of Trials. Copying a block's
// rows into it costs about 1 ns per value, in the first blocks only.
//
// At 2¹⁶ trials the standard error of a Spearman coefficient is at most
// √(1/(2¹⁶ − 3)) ≈ 0.004 (Sensitivity.StdErr gives it exactly): enough to
// rank the drivers of an output, and cheap to rank (a few ms per input
// value).
const SensitivitySample = 1 << 16

// sampleLen returns the number of trials of the sensitivity sample of a run
// of trials trials.
func sampleLen(trials int) int { return min(trials, SensitivitySample) }

// sample holds the sensitivity sample's trials [lo, hi) that a store
// produces or merges, column-wise, trial order: the input values unless
// KeepInputs stores them all, the output values in streaming mode only (exact
// mode stores them all).
type sample struct {
	lo, hi int
	in     [][]float64 // per input value, hi − lo trials; nil with KeepInputs
	out    [][]float64 // per output value, hi − lo trials; nil in exact mode
}

// newSample returns the part of the sensitivity sample that the trials
// [from, to) of p's run overlap, nil when they overlap none of it or the
// run keeps every input draw anyway.
func newSample(p *plan, from, to int) *sample {
	lo, hi := from, min(to, sampleLen(p.trials))
	if hi <= lo || p.opts.KeepInputs {
		return nil
	}
	s := &sample{lo: lo, hi: hi}
	s.in = newColumns(p.m.nIn, hi-lo)
	if p.opts.Streaming {
		s.out = newColumns(p.m.nOut, hi-lo)
	}
	return s
}

func newColumns(k, n int) [][]float64 {
	cols := make([][]float64, k)
	buf := make([]float64, k*n)
	for i := range cols {
		cols[i] = buf[i*n : (i+1)*n : (i+1)*n]
	}
	return cols
}

// keep copies the rows of block b (nb trials) that fall in the sample from
// the worker's buffers: the input rows w.in, the output columns w.obuf. It
// allocates nothing; blocks beyond the sample return at once.
func (s *sample) keep(w *worker, nIn, b, nb int) {
	first := b * BlockSize
	if s == nil || first >= s.hi || first+nb <= s.lo {
		return
	}
	i0, i1 := max(first, s.lo), min(first+nb, s.hi)
	for d, col := range s.in {
		col = col[i0-s.lo : i1-s.lo]
		row := w.in[(i0-first)*nIn+d:]
		for i := range col {
			col[i] = row[i*nIn]
		}
	}
	for k, col := range s.out {
		copy(col[i0-s.lo:i1-s.lo], w.obuf[k*w.stride+i0-first:])
	}
}

// columns returns the sample's columns as Partial.Sample carries them: the
// input values, then (streaming) the output values. Nil for a nil sample.
func (s *sample) columns() [][]float64 {
	if s == nil {
		return nil
	}
	return append(append([][]float64(nil), s.in...), s.out...)
}

// rangeSampleTrials returns how many trials of blocks r of a run of trials
// trials belong to the sensitivity sample.
func rangeSampleTrials(r BlockRange, trials int) int {
	hi := min(r.End*BlockSize, sampleLen(trials))
	return max(0, hi-r.First*BlockSize)
}

// sampleTrials returns how many trials of partial pt's blocks belong to the
// sensitivity sample (0 with KeepInputs, which keeps every draw instead).
func sampleTrials(pt *Partial) int {
	if pt.KeepInputs {
		return 0
	}
	n := 0
	for _, r := range pt.Ranges {
		n += rangeSampleTrials(r, pt.Trials)
	}
	return n
}

// DropSample removes the sensitivity sample's rows from the partial (Sample:
// 8 bytes per trial of the sample per input value, and per output value in
// streaming mode; 55 MB for the first SensitivitySample trials of the
// built-in scenario, streaming) and sets SampleDropped, so that the partial
// travels without them. Merge simulates those rows again from the seed: the
// same draws, so the same Result, for the cost of simulating the run's first
// min(Trials, SensitivitySample) trials once. MergePartials keeps the mark
// (and drops the other partial's rows too). A partial that holds no trial of
// the sample, or comes from a KeepInputs run, is left as it is.
func (pt *Partial) DropSample() {
	if sampleTrials(pt) > 0 {
		pt.Sample, pt.SampleDropped = nil, true
	}
}

// checkDropped reports a partial marked SampleDropped that is not what
// DropSample leaves.
func (pt *Partial) checkDropped() error {
	switch {
	case sampleTrials(pt) == 0:
		return errors.New("SampleDropped, but its blocks hold no trial of the sensitivity sample (or KeepInputs keeps every draw)")
	case len(pt.Sample) != 0:
		return fmt.Errorf("SampleDropped, but Sample has %d columns, want none", len(pt.Sample))
	}
	return nil
}

// simulateSample simulates the sensitivity sample of p's run again, for
// Merge of partials whose rows were dropped: blocks
// [0, ⌈min(trials, SensitivitySample)/BlockSize⌉) on opts.Workers
// goroutines, keeping only the sample (nil when the run keeps every input
// draw, KeepInputs). A block's draws depend only on the seed and the block,
// so these are the rows SimulateBlocks kept.
func simulateSample(p *plan) (*sample, error) {
	n := sampleLen(p.trials)
	smp := newSample(p, 0, n)
	if smp == nil {
		return nil, nil
	}
	blocks := numBlocks(n)
	st := newStore(p, min(p.opts.Workers, blocks))
	if !p.opts.Streaming {
		st.grow(blocks) // exact mode stores the blocks' outputs
	}
	st.smp = smp
	var done atomic.Int64
	if err := st.runBlocks(context.Background(), 0, blocks, &done); err != nil {
		return nil, err
	}
	return smp, nil
}

// fill copies a partial's Sample into the merged sample s (trials [0, hi)),
// checking that it holds what the partial's blocks overlap of the sample:
// the right number of columns, each of the right length, its ranges' trials
// in order. A partial with SampleDropped is only checked: Merge simulates
// its rows again.
func (s *sample) fill(pt *Partial) error {
	if pt.SampleDropped {
		return pt.checkDropped()
	}
	n := sampleTrials(pt)
	if s == nil || n == 0 {
		if len(pt.Sample) != 0 {
			return fmt.Errorf("Sample has %d columns, want none: the blocks hold no trial of the sensitivity sample", len(pt.Sample))
		}
		return nil
	}
	cols := len(s.in) + len(s.out)
	if len(pt.Sample) != cols {
		return fmt.Errorf("Sample has %d columns, want %d (the input values, then in streaming mode the output values)", len(pt.Sample), cols)
	}
	for j, src := range pt.Sample {
		if len(src) != n {
			return fmt.Errorf("its Sample[%d] has %d values, want %d (the partial's trials of the sensitivity sample)", j, len(src), n)
		}
	}
	off := 0
	for _, r := range pt.Ranges {
		k := rangeSampleTrials(r, pt.Trials)
		if k == 0 {
			continue
		}
		lo := r.First * BlockSize
		for j, src := range pt.Sample {
			dst := s.in
			jj := j
			if jj >= len(s.in) {
				dst, jj = s.out, jj-len(s.in)
			}
			copy(dst[jj][lo:lo+k], src[off:off+k])
		}
		off += k
	}
	return nil
}
