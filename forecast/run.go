package forecast

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/mcforecast/mcforecast/internal/sketch"
	"github.com/mcforecast/mcforecast/internal/xsum"
)

// Run simulates opts.Trials trials of m and returns their statistics.
//
// Run validates the model and the options before it starts any goroutine,
// and returns an error naming the input, output or option at fault. It then
// simulates blocks of BlockSize trials on opts.Workers goroutines (an
// errgroup with a limit): each worker takes the next block, draws it from the
// block's own stream and writes into the block's own slots. Run blocks until
// the run ends and returns only after every goroutine it started has exited.
// The first error wins: a panic in the model's Eval becomes a *TrialError
// naming the trial; a cancelled ctx stops every worker before its next block
// and Run returns an error wrapping ctx.Err().
//
// Memory: exact mode stores 8 bytes per trial per output value (a 5-year
// series output counts 5); Run refuses a run whose storage would exceed half
// of the machine's memory, and suggests Options.Streaming. Streaming mode
// stores a bounded sketch per output value per worker. Both modes keep an
// exact accumulator (xsum.Moments, about 3.3 KB) per output value per
// worker, fed while each block is in cache; their merge, in any order,
// gives the means and variances.
func Run(ctx context.Context, m *Model, opts Options) (*Result, error) {
	p, err := prepare(m, opts)
	if err != nil {
		return nil, err
	}
	opts = p.opts
	start := time.Now()
	st := newStore(p, opts.Workers)
	st.smp = newSample(p, 0, p.trials)

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var done atomic.Int64
	prog := p.startProgress(&done, cancel)

	ran, err := st.runCheckpoints(ctx, &done)
	if perr := prog.finish(); perr != nil {
		var te *TrialError
		if !errors.As(err, &te) { // a model's failure is the better report
			err = perr
		}
	}
	if err != nil {
		return nil, err
	}
	res, err := st.finalize(ran)
	if err != nil {
		return nil, err
	}
	res.elapsed = time.Since(start)
	return p.m.decided(res) // decisions (decision_result.go)
}

// runCheckpoints runs the blocks of each checkpoint in turn until the last
// or, with Precision, until the outputs are precise enough, and returns the
// number of blocks run.
func (st *store) runCheckpoints(ctx context.Context, done *atomic.Int64) (int, error) {
	p := st.p
	ran := 0
	for _, end := range p.checkpoints() {
		st.grow(end)
		if err := st.runBlocks(ctx, ran, end, done); err != nil {
			return 0, err
		}
		ran = end
		if p.opts.Precision > 0 && end < p.blocks && st.precise(ran) {
			break
		}
	}
	return ran, nil
}

// Check reports, without running anything, every error that Run(ctx, m,
// opts) would return before starting its workers: invalid options, an
// invalid model, correlations that are not jointly consistent (unless
// opts.RepairCorrelations), exact-mode storage beyond the memory limit. A
// command line uses it to tell a bad input file (its fault) from a failure
// during the run. Cost: one Cholesky factorisation of the correlation matrix.
func Check(m *Model, opts Options) error {
	_, err := prepare(m, opts)
	return err
}

// prepare validates everything and returns the plan of a run.
func prepare(m *Model, opts Options) (*plan, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	if err := m.Validate(); err != nil {
		return nil, err
	}
	m = m.forRun() // decisions: the model with every choice (decision.go)
	if err := checkMemory(m, opts); err != nil {
		return nil, err
	}
	return newPlan(m, opts)
}

// checkpoints returns the block counts after which a run may stop: the
// whole run, or with Precision a geometric series from 16 blocks growing by
// half each time. They depend on the options alone, never on timing.
func (p *plan) checkpoints() []int {
	if p.opts.Precision <= 0 || p.blocks <= 16 {
		return []int{p.blocks}
	}
	var c []int
	for n := 16; n < p.blocks; n = n + (n+1)/2 {
		c = append(c, n)
	}
	return append(c, p.blocks)
}

// store holds what the blocks of a run produce.
type store struct {
	p       *plan
	workers []*worker
	blocks  int // blocks whose storage exists (exact) or were run
	base    int // first block stored (SimulateBlocks of a range), else 0

	// both modes: the exact sums of the blocks each worker stored
	acc [][]xsum.Moments // per worker, per output value

	// exact mode
	samples [][]float64 // per output value, trial order
	inputs  [][]float64 // per input value, trial order (KeepInputs)

	// the sensitivity sample's trials that this store produces (sample.go)
	smp *sample

	// streaming mode
	sketches [][]*sketch.Sketch // per worker, per output value
}

// newStore prepares the storage of a run and its workers: at most one per
// block of the run, since a worker without a block would only hold memory.
func newStore(p *plan, workers int) *store {
	workers = max(1, min(workers, p.blocks))
	st := &store{p: p, workers: make([]*worker, workers)}
	st.acc = make([][]xsum.Moments, workers)
	for i := range st.workers {
		st.workers[i] = p.newWorker()
		st.acc[i] = make([]xsum.Moments, p.m.nOut)
	}
	if p.opts.Streaming {
		st.sketches = make([][]*sketch.Sketch, workers)
		for i := range st.sketches {
			st.sketches[i] = make([]*sketch.Sketch, p.m.nOut)
			for k := range st.sketches[i] {
				st.sketches[i][k] = sketch.New()
			}
		}
	} else {
		st.samples = make([][]float64, p.m.nOut)
		if p.opts.KeepInputs {
			st.inputs = make([][]float64, p.m.nIn)
		}
	}
	return st
}

// grow makes room for the trials of blocks [0, blocks).
func (st *store) grow(blocks int) {
	n := blocks * BlockSize
	if n > st.p.trials {
		n = st.p.trials
	}
	n -= st.base * BlockSize
	g := func(cols [][]float64) {
		for k, c := range cols {
			if len(c) < n {
				nc := make([]float64, n)
				adviseHuge(nc)
				copy(nc, c)
				cols[k] = nc
			}
		}
	}
	g(st.samples)
	g(st.inputs)
	st.blocks = blocks
}

// runBlocks simulates blocks [from, to) on every worker.
func (st *store) runBlocks(ctx context.Context, from, to int, done *atomic.Int64) error {
	g, gctx := errgroup.WithContext(ctx)
	// stop ends the run when a worker exits through runtime.Goexit, which
	// errgroup does not see as an error.
	gctx, stop := context.WithCancel(gctx)
	defer stop()
	g.SetLimit(len(st.workers))
	var next atomic.Int64
	next.Store(int64(from))
	errs := make([]error, len(st.workers))
	for wi, w := range st.workers {
		g.Go(func() (err error) {
			returned := false
			defer func() {
				if !returned {
					// Only runtime.Goexit in the model unwinds through here:
					// simulate recovers the model's panics.
					err = &TrialError{Trial: w.trial.index, Goexit: true}
				}
				errs[wi] = err
				if err != nil {
					stop()
				}
			}()
			err = st.work(gctx, w, wi, to, &next, done)
			returned = true
			return err
		})
	}
	werr := g.Wait()
	// The first error errgroup saw may be an echo of the real failure: a
	// worker stopped by the group's cancellation. Report the model's
	// failure if there is one (a worker that called runtime.Goexit returned
	// no error to errgroup), then the caller's cancellation, then whatever
	// else failed.
	if e := trialError(errs); e != nil {
		return e
	}
	if werr == nil {
		return nil
	}
	if ctx.Err() != nil {
		return fmt.Errorf("forecast: run stopped after %d of %d trials: %w", done.Load(), st.p.trials, context.Cause(ctx))
	}
	for _, e := range errs {
		if e != nil && !errors.Is(e, errAborted) && !errors.Is(e, context.Canceled) {
			return e
		}
	}
	return errAborted // cannot happen: some worker failed for a reason
}

// work is one worker's loop: it takes the next block until none is left
// below to, simulates it and stores it.
func (st *store) work(ctx context.Context, w *worker, wi, to int, next, done *atomic.Int64) error {
	for {
		b := int(next.Add(1) - 1)
		if b >= to {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := st.p.simulate(w, b); err != nil {
			return err
		}
		st.keep(w, wi, b)
		done.Add(int64(st.p.blockLen(b)))
	}
}

// errAborted is what runBlocks reports should a worker fail without an
// error of its own to report (it cannot happen).
var errAborted = errors.New("forecast: run aborted")

// keep stores the outputs (and inputs) of block b simulated by worker wi,
// and adds each output column to the worker's exact accumulators (and, in
// streaming mode, its sketches) while the block is in cache. Workers never
// wait for each other: the sums are exact, so their order does not matter.
func (st *store) keep(w *worker, wi, b int) {
	p := st.p
	nb := p.blockLen(b)
	st.smp.keep(w, p.m.nIn, b, nb)
	acc := st.acc[wi]
	if p.opts.Streaming {
		for k, sk := range st.sketches[wi] {
			col := w.obuf[k*w.stride : k*w.stride+nb]
			acc[k].AddBlock(col)
			sk.AddBlock(col)
		}
		return
	}
	first := (b - st.base) * BlockSize
	for k, dst := range st.samples {
		col := w.obuf[k*w.stride : k*w.stride+nb]
		copy(dst[first:first+nb], col)
		acc[k].AddBlock(col)
	}
	nIn := p.m.nIn
	for d, dst := range st.inputs {
		dst = dst[first : first+nb]
		for i := range dst {
			dst[i] = w.in[i*nIn+d]
		}
	}
}

// moments returns the summary of output value k over every block stored
// so far: the merge of the workers' accumulators.
func (st *store) moments(k int) moments {
	return summarize(mergeMoments(st.acc, k))
}

// mergedSketch returns the merge of every worker's sketch of output value k.
func (st *store) mergedSketch(k int) *sketch.Sketch {
	s := sketch.New()
	for _, w := range st.sketches {
		s.Merge(w[k])
	}
	return s
}

// precise reports whether, after blocks [0, blocks), every output value
// meets the Precision criterion.
func (st *store) precise(blocks int) bool {
	p := st.p
	n := blocks * BlockSize
	if n > p.trials {
		n = p.trials
	}
	for k := 0; k < p.m.userOut(); k++ { // not decisions' derived values (decision_stream.go)
		met := &Metric{mom: st.moments(k)}
		if p.opts.Streaming {
			met.sketch = st.mergedSketch(k)
		} else {
			met.raw = st.samples[k][:n]
		}
		if met.Count() < 2 {
			continue
		}
		tol := p.opts.Precision * met.StdDev()
		// The six order statistics of the three intervals in one selection.
		qs := [...]float64{0.05, 0.5, 0.95}
		ranks := make([]int, 0, 2*len(qs))
		for _, q := range qs {
			lo, hi := ciRanks(q, 0.95, met.Count())
			ranks = append(ranks, lo, hi)
		}
		v := met.orderStats(ranks)
		for i := range qs {
			lo, hi := met.widen(v[2*i], v[2*i+1])
			if !((hi-lo)/2 <= tol) {
				return false
			}
		}
	}
	return true
}

// finalize builds the Result of the first blocks blocks.
//
// It fails when an output's finite values are so large that their variance
// overflows float64 (see Metric.StdDev).
func (st *store) finalize(blocks int) (*Result, error) {
	p := st.p
	n := blocks * BlockSize
	if n > p.trials {
		n = p.trials
	}
	res := &Result{
		opts:    p.opts,
		trials:  n,
		outputs: p.m.OutputNames(),
		scalar:  map[string]*Metric{},
		series:  map[string][]*Metric{},
	}
	if p.cop != nil {
		res.corr = p.cop.used
	}
	metrics := make([]*Metric, p.m.nOut)
	for _, o := range p.m.outputs {
		for y := 0; y < o.n; y++ {
			met := &Metric{name: o.name, res: res}
			if o.n > 1 {
				met.year = y + 1
			}
			metrics[o.off+y] = met
		}
		if o.n == 1 {
			res.scalar[o.name] = metrics[o.off]
		} else {
			res.series[o.name] = metrics[o.off : o.off+o.n]
		}
	}
	res.all = metrics

	var g errgroup.Group
	g.SetLimit(len(st.workers))
	for k, met := range metrics {
		g.Go(func() error {
			met.mom = st.moments(k)
			if p.opts.Streaming {
				met.sketch = st.mergedSketch(k)
			} else {
				met.raw = st.samples[k][:n:n]
			}
			return met.checkMoments()
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}

	res.setSensitivityData(p.m, st, n)
	st.samples, st.inputs, st.sketches, st.acc, st.smp = nil, nil, nil, nil, nil
	return res, nil
}

// trialError returns the first of a run's per-worker errors that is a
// model's failure (wraps a *TrialError), or nil: the better report when
// other workers stopped only because the group was cancelled.
func trialError(errs []error) error {
	for _, e := range errs {
		var te *TrialError
		if errors.As(e, &te) {
			return e
		}
	}
	return nil
}
