package forecast

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/mcforecast/mcforecast/internal/sketch"
	"github.com/mcforecast/mcforecast/internal/xsum"
)

// BlockRange is the half-open range of blocks [First, End) of a run.
type BlockRange struct {
	First, End int
}

// Partial is the outcome of some blocks of a run, simulated by
// SimulateBlocks anywhere (another goroutine, process or machine), combined
// with others by MergePartials in any order and grouping, and turned by
// Merge into the Result a local Run would return, bit for bit. It is what a
// distributed runner (package beam of this module) ships between workers;
// MarshalBinary and UnmarshalBinary encode it.
//
// Per output value (Result.Metrics order) a partial carries one exact
// accumulator (the count, extremes, and exact sums of the values and of
// their squares: package internal/xsum) and, in streaming mode, one
// quantile sketch with integer counts (package internal/sketch). Both merge
// exactly, so the merge of partials depends only on the set of blocks they
// cover, and a streaming partial's size depends on the number of output
// values, not on the number of trials: about 60 bytes per output value for
// the moments, and for each sketch a gap and a count (varints, a few
// bytes) per non-empty bucket, which grows only as the tails fill in and
// is capped by the buckets the values span (512 per binade; at most
// sketch.MaxBuckets per sign). TestPartialSize measures, encoded, for the
// built-in scenario (scenario.Meta2026, 68 output values): 269 KB at 10⁵
// trials, 401 KB at 10⁶ and 554 KB at 10⁷ (the moments 4 KB of it), under
// 10 KB per output value. A partial of any of the run's first
// SensitivitySample trials also carries their rows (Sample: 55 MB for the
// built-in scenario streamed) unless DropSample removed them, which a
// runner that ships partials should do. An exact-mode partial also
// carries every value of its trials (8 bytes per trial per output value):
// exact mode is bounded by the memory of the one machine that merges; use
// Streaming beyond it.
type Partial struct {
	// Ranges lists the blocks covered: ascending, disjoint and never
	// adjacent (adjacent ranges are joined), so that equal coverage has one
	// representation.
	Ranges []BlockRange
	// Values holds, in exact mode, the value of every output value for the
	// covered trials, in trial order (the ranges' trials one after the
	// other).
	Values [][]float64
	// Inputs holds, in exact mode with KeepInputs, every input value's
	// draws for the covered trials, in trial order.
	Inputs [][]float64
	// Moments holds each output value's accumulator over the covered
	// trials, encoded by xsum.Moments.MarshalBinary (canonical: equal sums
	// encode to equal bytes).
	Moments [][]byte
	// Sketches holds, in streaming mode, each output value's sketch over
	// the covered trials, encoded by sketch.Sketch.MarshalBinary
	// (canonical).
	Sketches [][]byte

	// Sample holds the partial's trials that belong to the sensitivity
	// sample (the run's first SensitivitySample trials; see
	// Metric.Sensitivity), in trial order over its Ranges: one column per
	// input value, then in streaming mode one per output value. Empty for
	// blocks beyond the sample, with KeepInputs (Inputs holds every draw),
	// and when SampleDropped.
	Sample [][]float64
	// SampleDropped says that DropSample removed Sample from a partial of
	// sample trials (or that one merged into it was): Merge simulates those
	// rows again from the seed.
	SampleDropped bool

	// What identifies the run, set by SimulateBlocks: MergePartials and
	// Merge refuse a partial whose run differs (another seed, number of
	// trials, method, mode or model).
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
	if !opts.Streaming {
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
	part := &Partial{Ranges: []BlockRange{{first, first + count}}, Seed: opts.Seed, Trials: opts.Trials,
		Method: opts.Method, Streaming: opts.Streaming, KeepInputs: opts.KeepInputs, Model: m.Fingerprint()}
	part.Sample = st.smp.columns()
	part.Moments = make([][]byte, p.m.nOut)
	for k := range part.Moments {
		part.Moments[k], _ = mergeMoments(st.acc, k).MarshalBinary() // cannot fail
	}
	if opts.Streaming {
		part.Sketches = make([][]byte, p.m.nOut)
		for k := range part.Sketches {
			part.Sketches[k], _ = st.mergedSketch(k).MarshalBinary() // cannot fail
		}
		return part, nil
	}
	part.Values = st.samples
	part.Inputs = st.inputs
	return part, nil
}

// MergePartials returns the partial of the blocks covered by a or b, which
// must belong to the same run and cover no block twice; their ranges need
// not be adjacent. Neither a nor b is changed, and the result shares no
// memory with them.
//
// MergePartials is associative and commutative: the result depends only on
// the set of blocks covered (moments and sketches merge exactly and encode
// canonically, values are laid out in trial order), so any merge tree over
// the same partials gives the same partial, and Merge the same Result, as
// one local Run. A runner can therefore combine partials on each worker
// before a shuffle (a Beam CombineFn) and hold one partial per merge step.
//
// It validates what it reads: the run identity (Seed, Trials, Method,
// Streaming, KeepInputs, Model), the ranges, the encodings (by their
// UnmarshalBinary), and counts that add up to the covered trials. When
// either partial has SampleDropped (see DropSample), so has the result,
// without sample rows: Merge gives the same Result either way. Cost:
// decoding, merging and re-encoding one accumulator (and one sketch) per
// output value; in exact mode also a copy of the values.
func MergePartials(a, b *Partial) (*Partial, error) {
	if a == nil || b == nil {
		return nil, errors.New("forecast: MergePartials: nil partial")
	}
	if err := a.checkSameRun(b); err != nil {
		return nil, err
	}
	if !(a.Trials >= 1 && a.Trials <= MaxTrials) {
		return nil, fmt.Errorf("forecast: MergePartials: Trials %d, want 1 to MaxTrials", a.Trials)
	}
	blocks := numBlocks(a.Trials)
	ca, err := a.decode(blocks, "MergePartials")
	if err != nil {
		return nil, err
	}
	cb, err := b.decode(blocks, "MergePartials")
	if err != nil {
		return nil, err
	}
	if len(ca.moments) != len(cb.moments) || len(a.Inputs) != len(b.Inputs) {
		return nil, fmt.Errorf("forecast: MergePartials: partials of blocks %s and %s have %d and %d output values, %d and %d input columns",
			a.rangeString(), b.rangeString(), len(ca.moments), len(cb.moments), len(a.Inputs), len(b.Inputs))
	}
	// The ranges in order, each tagged with its partial and its offset in
	// that partial's values.
	type seg struct {
		r   BlockRange
		src *Partial
		off int
	}
	var segs []seg
	for _, pt := range []*Partial{a, b} {
		off := 0
		for _, r := range pt.Ranges {
			segs = append(segs, seg{r, pt, off})
			off += rangeTrials(r, pt.Trials)
		}
	}
	slices.SortFunc(segs, func(x, y seg) int { return x.r.First - y.r.First })
	out := &Partial{Seed: a.Seed, Trials: a.Trials, Method: a.Method, Streaming: a.Streaming,
		KeepInputs: a.KeepInputs, Model: a.Model}
	for i, s := range segs {
		if i > 0 && s.r.First < segs[i-1].r.End {
			return nil, fmt.Errorf("forecast: MergePartials: partials of blocks %s and %s both cover block %d", a.rangeString(), b.rangeString(), s.r.First)
		}
		if n := len(out.Ranges); n > 0 && out.Ranges[n-1].End == s.r.First {
			out.Ranges[n-1].End = s.r.End
		} else {
			out.Ranges = append(out.Ranges, s.r)
		}
	}
	dropped := a.SampleDropped || b.SampleDropped
	if !dropped && len(a.Sample) != len(b.Sample) && sampleTrials(a) > 0 && sampleTrials(b) > 0 {
		return nil, fmt.Errorf("forecast: MergePartials: partials of blocks %s and %s have %d and %d sensitivity-sample columns",
			a.rangeString(), b.rangeString(), len(a.Sample), len(b.Sample))
	}
	for _, pt := range []*Partial{a, b} {
		if pt.SampleDropped {
			if err := pt.checkDropped(); err != nil {
				return nil, fmt.Errorf("forecast: MergePartials: partial of blocks %s: %w", pt.rangeString(), err)
			}
		} else if n := sampleTrials(pt); n > 0 {
			for j, c := range pt.Sample {
				if len(c) != n {
					return nil, fmt.Errorf("forecast: MergePartials: partial of blocks %s: Sample[%d] has %d values, want %d", pt.rangeString(), j, len(c), n)
				}
			}
		} else if len(pt.Sample) != 0 {
			return nil, fmt.Errorf("forecast: MergePartials: partial of blocks %s: Sample has %d columns, want none (no trial of the sensitivity sample)", pt.rangeString(), len(pt.Sample))
		}
	}
	// A dropped sample stays dropped: Merge simulates all of it again, so
	// the other partial's rows need not travel either.
	out.SampleDropped = dropped
	if ncol := max(len(a.Sample), len(b.Sample)); ncol > 0 && !dropped {
		out.Sample = make([][]float64, ncol)
		offs := map[*Partial]int{}
		for _, sg := range segs {
			n := rangeSampleTrials(sg.r, a.Trials)
			if n == 0 || a.KeepInputs {
				continue
			}
			for j := range out.Sample {
				out.Sample[j] = append(out.Sample[j], sg.src.Sample[j][offs[sg.src]:offs[sg.src]+n]...)
			}
			offs[sg.src] += n
		}
	}
	out.Moments = make([][]byte, len(ca.moments))
	for k := range ca.moments {
		ca.moments[k].Merge(&cb.moments[k])
		out.Moments[k], _ = ca.moments[k].MarshalBinary() // cannot fail
	}
	if a.Streaming {
		out.Sketches = make([][]byte, len(ca.sketches))
		for k, s := range ca.sketches {
			s.Merge(cb.sketches[k])
			out.Sketches[k], _ = s.MarshalBinary() // cannot fail
		}
		return out, nil
	}
	total := 0
	for _, r := range out.Ranges {
		total += rangeTrials(r, a.Trials)
	}
	interleave := func(col func(*Partial) [][]float64, n int) [][]float64 {
		cols := make([][]float64, n)
		for k := range cols {
			c := make([]float64, 0, total)
			for _, s := range segs {
				c = append(c, col(s.src)[k][s.off:s.off+rangeTrials(s.r, a.Trials)]...)
			}
			cols[k] = c
		}
		return cols
	}
	out.Values = interleave(func(p *Partial) [][]float64 { return p.Values }, len(a.Values))
	if a.Inputs != nil || b.Inputs != nil {
		out.Inputs = interleave(func(p *Partial) [][]float64 { return p.Inputs }, len(a.Inputs))
	}
	return out, nil
}

// checkSameRun reports partials of different runs.
func (pt *Partial) checkSameRun(o *Partial) error {
	if field, x, y := runMismatch(pt, o); field != "" {
		return fmt.Errorf("forecast: MergePartials: partials of blocks %s and %s are from different runs: %s %v and %v", pt.rangeString(), o.rangeString(), field, x, y)
	}
	return nil
}

// runMismatch returns the first of the fields that identify a run (Seed,
// Trials, Method, Streaming, KeepInputs, the Model fingerprint, quoted) in
// which a and b differ, with a's and b's values; field is "" when they are
// of the same run.
func runMismatch(a, b *Partial) (field string, x, y any) {
	switch {
	case a.Seed != b.Seed:
		return "Seed", a.Seed, b.Seed
	case a.Trials != b.Trials:
		return "Trials", a.Trials, b.Trials
	case a.Method != b.Method:
		return "Method", a.Method, b.Method
	case a.Streaming != b.Streaming:
		return "Streaming", a.Streaming, b.Streaming
	case a.KeepInputs != b.KeepInputs:
		return "KeepInputs", a.KeepInputs, b.KeepInputs
	case a.Model != b.Model:
		return "Model fingerprint", fmt.Sprintf("%q", a.Model), fmt.Sprintf("%q", b.Model)
	}
	return "", nil, nil
}

// rangeTrials returns the number of trials of blocks r in a run of trials
// trials.
func rangeTrials(r BlockRange, trials int) int {
	return min(trials, r.End*BlockSize) - r.First*BlockSize
}

// rangeString formats the partial's ranges for an error message.
func (pt *Partial) rangeString() string {
	var b []byte
	for i, r := range pt.Ranges {
		if i > 0 {
			b = append(b, ' ')
		}
		b = fmt.Appendf(b, "[%d, %d)", r.First, r.End)
	}
	if b == nil {
		return "(none)"
	}
	return string(b)
}

// checkRanges reports ranges that are not ascending, disjoint,
// non-adjacent and non-empty within a run of blocks blocks.
func (pt *Partial) checkRanges(blocks int, op string) error {
	if len(pt.Ranges) == 0 {
		return fmt.Errorf("forecast: %s: partial covers no blocks", op)
	}
	for i, r := range pt.Ranges {
		if r.First < 0 || r.End <= r.First || r.End > blocks || i > 0 && r.First <= pt.Ranges[i-1].End {
			return fmt.Errorf("forecast: %s: partial of blocks %s: Ranges[%d] = [%d, %d), want ascending, disjoint, non-adjacent, non-empty ranges within the run's blocks [0, %d)",
				op, pt.rangeString(), i, r.First, r.End, blocks)
		}
	}
	return nil
}

// contents is a partial's decoded accumulators and sketches.
type contents struct {
	moments  []xsum.Moments
	sketches []*sketch.Sketch
	trials   int // covered trials
}

// decode checks the partial's ranges (within a run of blocks blocks) and
// the shape of its contents, and decodes its moments and sketches.
func (pt *Partial) decode(blocks int, op string) (*contents, error) {
	where := "forecast: " + op + ": partial of blocks " + pt.rangeString()
	if err := pt.checkRanges(blocks, op); err != nil {
		return nil, err
	}
	c := &contents{}
	for _, r := range pt.Ranges {
		c.trials += rangeTrials(r, pt.Trials)
	}
	c.moments = make([]xsum.Moments, len(pt.Moments))
	for k, enc := range pt.Moments {
		m := &c.moments[k]
		if err := m.UnmarshalBinary(enc); err != nil {
			return nil, fmt.Errorf("%s: Moments[%d]: %w", where, k, err)
		}
		if m.Count()+m.Invalid() != uint64(c.trials) {
			return nil, fmt.Errorf("%s: Moments[%d] counts %d finite and %d invalid values, want %d trials", where, k, m.Count(), m.Invalid(), c.trials)
		}
	}
	if !pt.Streaming {
		if pt.Sketches != nil {
			return nil, fmt.Errorf("%s: exact-mode partial has Sketches", where)
		}
		if err := checkColumns(pt.Values, len(pt.Moments), c.trials, "Values"); err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		if pt.KeepInputs || pt.Inputs != nil {
			if err := checkColumns(pt.Inputs, len(pt.Inputs), c.trials, "Inputs"); err != nil {
				return nil, fmt.Errorf("%s: %w", where, err)
			}
		}
		return c, nil
	}
	if pt.Values != nil || pt.Inputs != nil || len(pt.Sketches) != len(pt.Moments) {
		return nil, fmt.Errorf("%s: streaming partial with %d Values, %d Inputs columns, %d Sketches for %d Moments, want none, none, and one sketch per moments", where, len(pt.Values), len(pt.Inputs), len(pt.Sketches), len(pt.Moments))
	}
	c.sketches = make([]*sketch.Sketch, len(pt.Sketches))
	for k, enc := range pt.Sketches {
		s := sketch.New()
		if err := s.UnmarshalBinary(enc); err != nil {
			return nil, fmt.Errorf("%s: Sketches[%d]: %w", where, k, err)
		}
		m := &c.moments[k]
		if s.Count() != m.Count() || s.Invalid() != m.Invalid() || s.Count() > 0 && (s.Min() != m.Min() || s.Max() != m.Max()) {
			return nil, fmt.Errorf("%s: Sketches[%d] holds %d values (%d invalid) from %g to %g, its moments %d (%d invalid) from %g to %g",
				where, k, s.Count(), s.Invalid(), s.Min(), s.Max(), m.Count(), m.Invalid(), m.Min(), m.Max())
		}
		c.sketches[k] = s
	}
	return c, nil
}

// checkColumns reports cols unless it has n columns of trials values each.
func checkColumns(cols [][]float64, n, trials int, what string) error {
	if len(cols) != n {
		return fmt.Errorf("%s has %d columns, want %d", what, len(cols), n)
	}
	for k, c := range cols {
		if len(c) != trials {
			return fmt.Errorf("%s[%d] has %d values, want %d", what, k, len(c), trials)
		}
	}
	return nil
}

// Merge combines partials that together cover every block of the run of
// (m, opts) exactly once — as SimulateBlocks returned them, or combined by
// MergePartials in any order and grouping — into the Result that Run would
// return: the same samples, percentiles, counts and sensitivities, and the
// same means and variances to the last bit, since they are rounded once
// from exact sums. Result.Elapsed is the time Merge took.
//
// Merge checks everything it reads: each partial must come from this run
// (its Seed, Trials, Method, Streaming, KeepInputs and Model fingerprint
// match m and opts), together the ranges must cover [0, NumBlocks(opts))
// with no block twice, and the contents must be consistent (column counts
// and lengths, encodings, counts that add up to the covered trials,
// sketches that agree with the moments and, in exact mode, moments that
// match the values). The error names the partial's blocks and the field.
//
// When a partial has SampleDropped (see Partial.DropSample), Merge
// simulates the sensitivity sample again, the run's first
// min(Trials, SensitivitySample) trials on opts.Workers goroutines: the
// same draws, so the same Result, for that much extra work.
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
	var ranges []BlockRange
	for i, pt := range parts {
		if err := pt.checkRun(i, len(parts), opts, fp); err != nil {
			return nil, err
		}
		if err := pt.checkRanges(p.blocks, "Merge"); err != nil {
			return nil, err
		}
		ranges = append(ranges, pt.Ranges...)
	}
	slices.SortFunc(ranges, func(x, y BlockRange) int { return x.First - y.First })
	next := 0
	for _, r := range ranges {
		if r.First < next {
			return nil, fmt.Errorf("forecast: Merge: block %d is covered by two partials", r.First)
		}
		if r.First > next {
			return nil, fmt.Errorf("forecast: Merge: partials do not cover blocks [%d, %d) of the run's %d", next, min(r.First, p.blocks), p.blocks)
		}
		next = r.End
	}
	if next != p.blocks {
		return nil, fmt.Errorf("forecast: Merge: partials do not cover blocks [%d, %d) of the run's %d", next, p.blocks, p.blocks)
	}
	st := &store{p: p, workers: make([]*worker, max(1, min(opts.Workers, p.blocks)))}
	st.smp = newSample(p, 0, p.trials)
	dropped := false
	for _, pt := range parts {
		if err := st.smp.fill(pt); err != nil {
			return nil, fmt.Errorf("forecast: Merge: partial of blocks %s: %w", pt.rangeString(), err)
		}
		dropped = dropped || pt.SampleDropped
	}
	if dropped {
		if st.smp, err = simulateSample(p); err != nil {
			return nil, fmt.Errorf("forecast: Merge: simulating the sensitivity sample again (partials with SampleDropped): %w", err)
		}
	}
	st.acc = [][]xsum.Moments{make([]xsum.Moments, p.m.nOut)}
	if opts.Streaming {
		st.sketches = [][]*sketch.Sketch{make([]*sketch.Sketch, p.m.nOut)}
		for k := range st.sketches[0] {
			st.sketches[0][k] = sketch.New()
		}
	} else {
		st.samples = make([][]float64, p.m.nOut)
		if opts.KeepInputs {
			st.inputs = make([][]float64, p.m.nIn)
		}
		st.grow(p.blocks)
	}
	for _, pt := range parts {
		if err := st.mergePartial(pt); err != nil {
			return nil, err
		}
	}
	res, err := st.finalize(p.blocks)
	if err != nil {
		return nil, err
	}
	res.elapsed = time.Since(start)
	return m.decided(res) // decisions (decision_result.go)
}

// checkRun reports a partial (number i of n) that is nil or belongs to
// another run.
func (pt *Partial) checkRun(i, n int, opts Options, fingerprint string) error {
	if pt == nil {
		return fmt.Errorf("forecast: Merge: partial %d of %d is nil", i, n)
	}
	run := &Partial{Seed: opts.Seed, Trials: opts.Trials, Method: opts.Method, Streaming: opts.Streaming, KeepInputs: opts.KeepInputs, Model: fingerprint}
	if field, got, want := runMismatch(pt, run); field != "" {
		return fmt.Errorf("forecast: Merge: partial of blocks %s is from another run: %s %v, this run's is %v", pt.rangeString(), field, got, want)
	}
	return nil
}

// mergePartial checks pt's contents against the run and adds them to st
// (Merge's store: one accumulator and sketch per output value).
func (st *store) mergePartial(pt *Partial) error {
	p := st.p
	c, err := pt.decode(p.blocks, "Merge")
	if err != nil {
		return err
	}
	where := "forecast: Merge: partial of blocks " + pt.rangeString()
	if len(c.moments) != p.m.nOut || pt.KeepInputs && !pt.Streaming && len(pt.Inputs) != p.m.nIn {
		return fmt.Errorf("%s: %d output values and %d input columns, this model has %d and %d", where, len(c.moments), len(pt.Inputs), p.m.nOut, p.m.nIn)
	}
	acc := st.acc[0]
	if p.opts.Streaming {
		for k := range acc {
			acc[k].Merge(&c.moments[k])
			st.sketches[0][k].Merge(c.sketches[k])
		}
		return nil
	}
	// Exact mode: the values are the truth; the moments must be theirs.
	var g errgroup.Group
	g.SetLimit(len(st.workers))
	for k := range acc {
		g.Go(func() error {
			var x xsum.Moments
			x.AddBlock(pt.Values[k])
			if enc, _ := x.MarshalBinary(); !bytes.Equal(enc, pt.Moments[k]) {
				return fmt.Errorf("%s: Moments[%d] are not those of Values[%d]", where, k, k)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for k := range acc {
		acc[k].Merge(&c.moments[k])
	}
	off := 0
	for _, r := range pt.Ranges {
		first, n := r.First*BlockSize, rangeTrials(r, p.trials)
		for k, dst := range st.samples {
			copy(dst[first:first+n], pt.Values[k][off:off+n])
		}
		for d, dst := range st.inputs {
			copy(dst[first:first+n], pt.Inputs[d][off:off+n])
		}
		off += n
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

// UnmarshalBinary decodes a partial written by MarshalBinary. Merge and
// MergePartials validate its contents.
func (pt *Partial) UnmarshalBinary(data []byte) error {
	return gob.NewDecoder(bytes.NewReader(data)).Decode((*partialWire)(pt))
}

// partialWire has Partial's fields without its methods, so that gob does not
// call MarshalBinary recursively.
type partialWire Partial
