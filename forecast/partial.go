package forecast

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync/atomic"
	"time"

	"github.com/DataDog/sketches-go/ddsketch"
)

// Partial is the outcome of a contiguous range of blocks of a run, simulated
// by SimulateBlocks anywhere (another goroutine, process or machine) and
// combined by Merge into the Result a local Run would return. It is what a
// distributed runner (package beam of this module) ships between workers;
// MarshalBinary and UnmarshalBinary encode it.
type Partial struct {
	// FirstBlock and Blocks give the range [FirstBlock, FirstBlock+Blocks).
	FirstBlock, Blocks int
	// Values holds, in exact mode, the values of every output value
	// (Result.Metrics order) for the range's trials, in trial order.
	Values [][]float64
	// Inputs holds, with KeepInputs, every input value's draws for the
	// range's trials, in trial order.
	Inputs [][]float64
	// Moments holds, in streaming mode, the summary of each block and output
	// value: block-major, 6 numbers each (count, invalid, mean, M2, min,
	// max), so that Merge combines them in block order exactly as Run does.
	Moments []float64
	// Sketches holds, in streaming mode, each output value's encoded
	// DDSketch over the range.
	Sketches [][]byte

	// Sample holds the range's trials that belong to the sensitivity
	// sample (the run's first SensitivitySample trials; see
	// Metric.Sensitivity), in trial order: one column per input value, then
	// in streaming mode one per output value. Empty for a range beyond the
	// sample, and with KeepInputs (Inputs holds every draw).
	Sample [][]float64

	// What identifies the run, set by SimulateBlocks: Merge refuses a
	// partial whose run differs from the one it merges (another seed,
	// number of trials, method, mode or model).
	Seed       uint64
	Trials     int
	Method     Method
	Streaming  bool
	KeepInputs bool
	// Model is the model's fingerprint (Model.Fingerprint).
	Model string
}

// NumBlocks returns the number of blocks of a run with these options:
// ⌈Trials/BlockSize⌉ (Trials defaulted).
func NumBlocks(opts Options) int {
	return numBlocks(opts.withDefaults().Trials)
}

// SimulateBlocks simulates blocks [first, first+count) of the run that
// Run(ctx, m, opts) would perform, on opts.Workers goroutines, and returns
// their Partial. The draws are exactly those of the local run. Precision is
// not supported (it needs a global stopping decision): it is an error.
func SimulateBlocks(ctx context.Context, m *Model, opts Options, first, count int) (*Partial, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if opts.Precision > 0 {
		return nil, errors.New("forecast: SimulateBlocks: Options.Precision needs a global stopping decision; use Run")
	}
	opts = opts.withDefaults()
	if blocks := numBlocks(opts.Trials); first < 0 || count < 1 || first > blocks || count > blocks-first {
		return nil, fmt.Errorf("forecast: SimulateBlocks: first block %d and count %d, want 0 ≤ first and 1 ≤ count ≤ %d − first (the run has %d blocks)", first, count, blocks, blocks)
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	m = m.forRun() // decisions: the model with every choice (decision.go)
	// The memory of this range alone.
	rangeOpts := opts
	rangeOpts.Trials = min(opts.Trials-first*BlockSize, count*BlockSize)
	if err := checkMemory(m, rangeOpts); err != nil {
		return nil, err
	}
	p, err := newPlan(m, opts)
	if err != nil {
		return nil, err
	}
	st := newStore(p, min(opts.Workers, count))
	if opts.Streaming {
		st.seq = newSequencer(p.m.nOut, first, true, seqSlots(len(st.workers)))
	} else {
		// Store only this range: shift the run so that block first starts
		// at index 0 of the storage.
		st.base = first
		st.grow(first + count)
	}
	st.smp = newSample(p, first*BlockSize, (first+count)*BlockSize)
	var done atomic.Int64
	if err := st.runBlocks(ctx, first, first+count, &done); err != nil {
		return nil, err
	}
	part := &Partial{FirstBlock: first, Blocks: count, Seed: opts.Seed, Trials: opts.Trials,
		Method: opts.Method, Streaming: opts.Streaming, KeepInputs: opts.KeepInputs, Model: m.Fingerprint()}
	part.Sample = st.smp.columns()
	if opts.Streaming {
		part.Moments = make([]float64, 0, 6*count*p.m.nOut)
		for b := first; b < first+count; b++ {
			for _, mo := range st.seq.blocks[b-first] {
				part.Moments = append(part.Moments, float64(mo.N), float64(mo.Invalid), mo.Mean, mo.M2, mo.Min, mo.Max)
			}
		}
		part.Sketches = make([][]byte, p.m.nOut)
		for k := range part.Sketches {
			var buf []byte
			st.mergedSketch(k).Encode(&buf, false)
			part.Sketches[k] = buf
		}
		return part, nil
	}
	part.Values = st.samples
	part.Inputs = st.inputs
	return part, nil
}

// Merge combines partials that together cover every block of the run of
// (m, opts) exactly once, in any order, into the Result that Run would
// return: the same samples, percentiles, counts and sensitivities, and the
// same means and variances to the last bit, since per-block summaries are
// merged in block order. Result.Elapsed is the time Merge took.
//
// Merge checks everything it reads: each partial must come from this run
// (its Seed, Trials, Method, Streaming, KeepInputs and Model fingerprint
// match m and opts), the ranges must tile the run, and the contents must be
// consistent (column counts and lengths, block counts that add up to the
// block's trials, finite moments, sketches holding as many values as the
// moments count). The error names the partial's blocks and the field.
func Merge(m *Model, opts Options, parts []*Partial) (*Result, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	start := time.Now()
	if err := m.Validate(); err != nil {
		return nil, err
	}
	m = m.forRun() // decisions: the model with every choice (decision.go)
	if err := checkMemory(m, opts); err != nil {
		return nil, err
	}
	p, err := newPlan(m, opts)
	if err != nil {
		return nil, err
	}
	fp := m.Fingerprint()
	for i, pt := range parts {
		if err := pt.checkRun(i, len(parts), opts, fp, p.blocks); err != nil {
			return nil, err
		}
	}
	parts = slices.Clone(parts)
	sort.Slice(parts, func(i, j int) bool { return parts[i].FirstBlock < parts[j].FirstBlock })
	next := 0
	for _, pt := range parts {
		if pt.FirstBlock != next {
			return nil, fmt.Errorf("forecast: Merge: partials do not tile the run's %d blocks: block %d missing or covered twice", p.blocks, next)
		}
		next += pt.Blocks // ≤ p.blocks by checkRun: no overflow
	}
	if next != p.blocks {
		return nil, fmt.Errorf("forecast: Merge: partials cover %d of the run's %d blocks", next, p.blocks)
	}
	st := &store{p: p, workers: make([]*worker, max(1, min(opts.Workers, p.blocks)))}
	st.smp = newSample(p, 0, p.trials)
	for _, pt := range parts {
		if err := st.smp.fill(pt); err != nil {
			return nil, fmt.Errorf("forecast: Merge: partial of blocks [%d, %d): %w", pt.FirstBlock, pt.FirstBlock+pt.Blocks, err)
		}
	}
	if opts.Streaming {
		if err := st.mergeStreaming(parts); err != nil {
			return nil, err
		}
	} else if err := st.mergeExact(parts); err != nil {
		return nil, err
	}
	res, err := st.finalize(p.blocks)
	if err != nil {
		return nil, err
	}
	res.elapsed = time.Since(start)
	return m.decided(res) // decisions (decision_result.go)
}

// checkRun reports a partial (number i of n) that is nil, belongs to
// another run or has a range outside the run's blocks.
func (pt *Partial) checkRun(i, n int, opts Options, fingerprint string, blocks int) error {
	if pt == nil {
		return fmt.Errorf("forecast: Merge: partial %d of %d is nil", i, n)
	}
	if pt.FirstBlock < 0 || pt.Blocks < 1 || pt.FirstBlock > blocks || pt.Blocks > blocks-pt.FirstBlock {
		return fmt.Errorf("forecast: Merge: partial %d of %d: blocks [%d, +%d) outside the run's [0, %d)", i, n, pt.FirstBlock, pt.Blocks, blocks)
	}
	bad := func(field string, got, want any) error {
		return fmt.Errorf("forecast: Merge: partial of blocks [%d, %d) is from another run: %s %v, this run's is %v", pt.FirstBlock, pt.FirstBlock+pt.Blocks, field, got, want)
	}
	switch {
	case pt.Seed != opts.Seed:
		return bad("Seed", pt.Seed, opts.Seed)
	case pt.Trials != opts.Trials:
		return bad("Trials", pt.Trials, opts.Trials)
	case pt.Method != opts.Method:
		return bad("Method", pt.Method, opts.Method)
	case pt.Streaming != opts.Streaming:
		return bad("Streaming", pt.Streaming, opts.Streaming)
	case pt.KeepInputs != opts.KeepInputs:
		return bad("KeepInputs", pt.KeepInputs, opts.KeepInputs)
	case pt.Model != fingerprint:
		return bad("Model fingerprint", fmt.Sprintf("%q", pt.Model), fmt.Sprintf("%q", fingerprint))
	}
	return nil
}

// mergeStreaming merges the moments and sketches of parts (sorted, tiling
// the run) into st.
func (st *store) mergeStreaming(parts []*Partial) error {
	p := st.p
	nOut := p.m.nOut
	st.seq = newSequencer(nOut, 0, false, 1)
	sk := make([]*ddsketch.DDSketch, nOut)
	for k := range sk {
		sk[k] = newSketch()
	}
	for _, pt := range parts {
		where := fmt.Sprintf("forecast: Merge: streaming partial of blocks [%d, %d)", pt.FirstBlock, pt.FirstBlock+pt.Blocks)
		if len(pt.Sketches) != nOut || len(pt.Moments) != 6*pt.Blocks*nOut {
			return fmt.Errorf("%s: %d sketches and %d moments, want %d and %d for this model", where, len(pt.Sketches), len(pt.Moments), nOut, 6*pt.Blocks*nOut)
		}
		counts := make([]float64, nOut) // finite values per output value
		mv := pt.Moments
		for b := 0; b < pt.Blocks; b++ { // in block order: never waits
			block := pt.FirstBlock + b
			ms := st.seq.slot(block)
			for k := range ms {
				mo, err := decodeMoments(mv[(b*nOut+k)*6:][:6], p.blockLen(block))
				if err != nil {
					return fmt.Errorf("%s: block %d, output value %d: %w", where, block, k, err)
				}
				ms[k] = mo
				counts[k] += float64(mo.N)
			}
			st.seq.put(block)
		}
		for k, enc := range pt.Sketches {
			s := newSketch()
			if err := s.DecodeAndMergeWith(enc); err != nil {
				return fmt.Errorf("%s: Sketches[%d]: %w", where, k, err)
			}
			if err := checkSketch(s, counts[k]); err != nil {
				return fmt.Errorf("%s: Sketches[%d]: %w", where, k, err)
			}
			if err := sk[k].MergeWith(s); err != nil {
				return fmt.Errorf("%s: Sketches[%d]: %w", where, k, err)
			}
		}
	}
	st.sketches = [][]*ddsketch.DDSketch{sk}
	return nil
}

// decodeMoments reads the 6 numbers of a block's moments (count, invalid,
// mean, M2, min, max) of a block of n trials and checks them.
func decodeMoments(x []float64, n int) (moments, error) {
	c, inv := x[0], x[1]
	if !(c >= 0 && inv >= 0 && c == math.Trunc(c) && inv == math.Trunc(inv) && c+inv == float64(n)) {
		return moments{}, fmt.Errorf("counts %v and %v, want whole numbers ≥ 0 adding up to the block's %d trials", c, inv, n)
	}
	mo := moments{N: int(c), Invalid: int(inv), Mean: x[2], M2: x[3], Min: x[4], Max: x[5]}
	if mo.N == 0 {
		if mo.Mean != 0 || mo.M2 != 0 || !math.IsInf(mo.Min, 1) || !math.IsInf(mo.Max, -1) {
			return moments{}, fmt.Errorf("no finite values but mean %v, M2 %v, min %v, max %v (want 0, 0, +Inf, −Inf)", mo.Mean, mo.M2, mo.Min, mo.Max)
		}
		return mo, nil
	}
	// The mean of finite values lies within their range, up to rounding.
	tol := 1e-9 * math.Max(math.Abs(mo.Min), math.Abs(mo.Max))
	if !(isFinite(mo.Min) && isFinite(mo.Max) && mo.Min <= mo.Max && mo.M2 >= 0 && !math.IsNaN(mo.M2) &&
		isFinite(mo.Mean) && mo.Mean >= mo.Min-tol && mo.Mean <= mo.Max+tol) {
		return moments{}, fmt.Errorf("mean %v, M2 %v, min %v, max %v: want finite min ≤ mean ≤ max and M2 ≥ 0", mo.Mean, mo.M2, mo.Min, mo.Max)
	}
	return mo, nil
}

// checkSketch reports a decoded sketch whose buckets hold other than
// positive whole counts, or whose total differs from want.
func checkSketch(s *ddsketch.DDSketch, want float64) error {
	var bad error
	s.ForEach(func(v, c float64) bool {
		if !(c > 0 && c == math.Trunc(c) && c <= MaxTrials) || math.IsNaN(v) {
			bad = fmt.Errorf("bucket at %v holds %v values, want a positive whole number", v, c)
			return true
		}
		return false
	})
	if bad != nil {
		return bad
	}
	if got := s.GetCount(); got != want {
		return fmt.Errorf("holds %v values, the moments count %v", got, want)
	}
	return nil
}

// mergeExact copies the values (and inputs) of parts into st.
func (st *store) mergeExact(parts []*Partial) error {
	p := st.p
	st.samples = make([][]float64, p.m.nOut)
	if p.opts.KeepInputs {
		st.inputs = make([][]float64, p.m.nIn)
	}
	st.grow(p.blocks)
	st.blockMom = nil // computed from the merged values
	for _, pt := range parts {
		first := pt.FirstBlock * BlockSize
		n := min(p.trials, (pt.FirstBlock+pt.Blocks)*BlockSize) - first
		if err := fill(st.samples, pt.Values, first, n, "Values"); err != nil {
			return fmt.Errorf("forecast: Merge: partial of blocks [%d, %d): %w", pt.FirstBlock, pt.FirstBlock+pt.Blocks, err)
		}
		if p.opts.KeepInputs {
			if err := fill(st.inputs, pt.Inputs, first, n, "Inputs"); err != nil {
				return fmt.Errorf("forecast: Merge: partial of blocks [%d, %d): %w", pt.FirstBlock, pt.FirstBlock+pt.Blocks, err)
			}
		}
	}
	return nil
}

func fill(dst, src [][]float64, first, n int, what string) error {
	if len(src) != len(dst) {
		return fmt.Errorf("%s has %d columns, want %d", what, len(src), len(dst))
	}
	for k := range dst {
		if len(src[k]) != n {
			return fmt.Errorf("%s[%d] has %d values, want %d", what, k, len(src[k]), n)
		}
		copy(dst[k][first:first+n], src[k])
	}
	return nil
}

// MarshalBinary encodes the partial (encoding/gob, which keeps NaN and ±Inf).
func (pt *Partial) MarshalBinary() ([]byte, error) {
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode((*partialWire)(pt)); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// UnmarshalBinary decodes a partial written by MarshalBinary.
func (pt *Partial) UnmarshalBinary(data []byte) error {
	return gob.NewDecoder(bytes.NewReader(data)).Decode((*partialWire)(pt))
}

// partialWire has Partial's fields without its methods, so that gob does not
// call MarshalBinary recursively.
type partialWire Partial
