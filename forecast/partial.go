package forecast

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
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
	var done atomic.Int64
	if err := st.runBlocks(ctx, first, first+count, &done); err != nil {
		return nil, err
	}
	part := &Partial{FirstBlock: first, Blocks: count}
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
func Merge(m *Model, opts Options, parts []*Partial) (*Result, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	start := time.Now()
	p, err := newPlan(m, opts)
	if err != nil {
		return nil, err
	}
	for i, pt := range parts {
		if pt == nil {
			return nil, fmt.Errorf("forecast: Merge: partial %d of %d is nil", i, len(parts))
		}
	}
	parts = slices.Clone(parts)
	sort.Slice(parts, func(i, j int) bool { return parts[i].FirstBlock < parts[j].FirstBlock })
	next := 0
	for _, pt := range parts {
		if pt == nil || pt.FirstBlock != next || pt.Blocks < 1 {
			return nil, fmt.Errorf("forecast: Merge: partials do not tile the run's %d blocks: block %d missing or covered twice", p.blocks, next)
		}
		next += pt.Blocks
	}
	if next != p.blocks {
		return nil, fmt.Errorf("forecast: Merge: partials cover %d of the run's %d blocks", next, p.blocks)
	}
	st := &store{p: p, workers: make([]*worker, opts.Workers)}
	if opts.Streaming {
		st.seq = newSequencer(p.m.nOut, 0, false, 1)
		sk := make([]*ddsketch.DDSketch, p.m.nOut)
		for k := range sk {
			sk[k] = newSketch()
		}
		for _, pt := range parts {
			if len(pt.Sketches) != p.m.nOut || len(pt.Moments) != 6*pt.Blocks*p.m.nOut {
				return nil, fmt.Errorf("forecast: Merge: streaming partial of blocks [%d, %d) has the wrong shape for this model", pt.FirstBlock, pt.FirstBlock+pt.Blocks)
			}
			for k, enc := range pt.Sketches {
				if err := sk[k].DecodeAndMergeWith(enc); err != nil {
					return nil, fmt.Errorf("forecast: Merge: sketch %d of blocks [%d, %d): %w", k, pt.FirstBlock, pt.FirstBlock+pt.Blocks, err)
				}
			}
			mv := pt.Moments
			for b := 0; b < pt.Blocks; b++ { // in block order: never waits
				ms := st.seq.slot(pt.FirstBlock + b)
				for k := range ms {
					x := mv[(b*p.m.nOut+k)*6:]
					ms[k] = moments{N: int(x[0]), Invalid: int(x[1]), Mean: x[2], M2: x[3], Min: x[4], Max: x[5]}
				}
				st.seq.put(pt.FirstBlock + b)
			}
		}
		st.sketches = [][]*ddsketch.DDSketch{sk}
	} else {
		st.samples = make([][]float64, p.m.nOut)
		if opts.KeepInputs {
			st.inputs = make([][]float64, p.m.nIn)
		}
		st.grow(p.blocks)
		for _, pt := range parts {
			first := pt.FirstBlock * BlockSize
			n := 0
			for b := pt.FirstBlock; b < pt.FirstBlock+pt.Blocks; b++ {
				n += p.blockLen(b)
			}
			if err := fill(st.samples, pt.Values, first, n, "Values"); err != nil {
				return nil, fmt.Errorf("forecast: Merge: partial of blocks [%d, %d): %w", pt.FirstBlock, pt.FirstBlock+pt.Blocks, err)
			}
			if opts.KeepInputs {
				if err := fill(st.inputs, pt.Inputs, first, n, "Inputs"); err != nil {
					return nil, fmt.Errorf("forecast: Merge: partial of blocks [%d, %d): %w", pt.FirstBlock, pt.FirstBlock+pt.Blocks, err)
				}
			}
		}
	}
	res, err := st.finalize(p.blocks)
	if err != nil {
		return nil, err
	}
	res.elapsed = time.Since(start)
	return res, nil
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
