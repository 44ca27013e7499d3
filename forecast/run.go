package forecast

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/DataDog/sketches-go/ddsketch"
	"golang.org/x/sync/errgroup"
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
// stores a bounded sketch per output value per worker.
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

	// exact mode
	samples  [][]float64 // per output value, trial order
	inputs   [][]float64 // per input value, trial order (KeepInputs)
	blockMom []moments   // per block and output value (Run only), block-major

	// the sensitivity sample's trials that this store produces (sample.go)
	smp *sample

	// streaming mode
	sketches [][]*ddsketch.DDSketch // per worker, per output value
	seq      *sequencer
}

// newStore prepares the storage of a run and its workers: at most one per
// block of the run, since a worker without a block would only hold memory.
func newStore(p *plan, workers int) *store {
	workers = max(1, min(workers, p.blocks))
	st := &store{p: p, workers: make([]*worker, workers)}
	for i := range st.workers {
		st.workers[i] = p.newWorker()
	}
	if p.opts.Streaming {
		st.sketches = make([][]*ddsketch.DDSketch, workers)
		for i := range st.sketches {
			st.sketches[i] = make([]*ddsketch.DDSketch, p.m.nOut)
			for k := range st.sketches[i] {
				st.sketches[i][k] = newSketch()
			}
		}
		st.seq = newSequencer(p.m.nOut, 0, false, seqSlots(workers))
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
	if st.samples != nil && st.base == 0 {
		// Room for the moments of every block, which keep computes while
		// the block's values are in cache (exactMoments merges them).
		nOut := st.p.m.nOut
		if len(st.blockMom) < blocks*nOut {
			st.blockMom = append(st.blockMom, make([]moments, blocks*nOut-len(st.blockMom))...)
		}
	}
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
					if st.seq != nil {
						// Wake any worker waiting for the block this one will
						// not finish.
						st.seq.abort()
					}
				}
			}()
			err = st.work(gctx, w, wi, to, &next, done)
			returned = true
			return err
		})
	}
	werr := g.Wait()
	// The first error errgroup saw may be an echo of the real failure: a
	// worker woken by the abort (errAborted) or stopped by the group's
	// cancellation. Report the model's failure if there is one (a worker
	// that called runtime.Goexit returned no error to errgroup), then the
	// caller's cancellation, then whatever else failed.
	for _, e := range errs {
		var te *TrialError
		if errors.As(e, &te) {
			return e
		}
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
		if !st.keep(w, wi, b) {
			return errAborted
		}
		done.Add(int64(st.p.blockLen(b)))
	}
}

// errAborted is returned by a worker whose block cannot be merged because
// another worker failed; the other worker's error is the one Run reports.
var errAborted = errors.New("forecast: run aborted")

// keep stores the outputs (and inputs) of block b simulated by worker wi.
// It returns false when the run is stopping (streaming: another worker
// failed while this one waited to merge).
func (st *store) keep(w *worker, wi, b int) bool {
	p := st.p
	nb := p.blockLen(b)
	first := (b - st.base) * BlockSize
	st.smp.keep(w, p.m.nIn, b, nb)
	if !p.opts.Streaming {
		for k, dst := range st.samples {
			col := w.obuf[k*w.stride : k*w.stride+nb]
			copy(dst[first:first+nb], col)
			if st.blockMom != nil {
				st.blockMom[b*len(st.samples)+k] = blockMoments(col)
			}
		}
		nIn := p.m.nIn
		for d, dst := range st.inputs {
			dst = dst[first : first+nb]
			for i := range dst {
				dst[i] = w.in[i*nIn+d]
			}
		}
		return true
	}
	ms := st.seq.slot(b)
	if ms == nil {
		return false
	}
	for k, sk := range st.sketches[wi] {
		col := w.obuf[k*w.stride : k*w.stride+nb]
		ms[k] = blockMoments(col)
		for _, v := range col {
			if isFinite(v) {
				sketchAdd(sk, v)
			}
		}
	}
	st.seq.put(b)
	return true
}

// exactMoments merges the block moments of column k over blocks [0, blocks)
// in block order.
// Blocks simulated by this store had their moments computed by keep; a
// merged store (Merge) computes them from the values, with the same result.
func (st *store) exactMoments(k, blocks int) moments {
	acc := newMoments()
	if st.blockMom != nil {
		nOut := len(st.samples)
		for b := 0; b < blocks; b++ {
			acc.merge(st.blockMom[b*nOut+k])
		}
		return acc
	}
	col := st.samples[k]
	for b := 0; b < blocks; b++ {
		first := b * BlockSize
		acc.merge(blockMoments(col[first : first+st.p.blockLen(b)]))
	}
	return acc
}

// mergedSketch returns the merge of every worker's sketch of output value k.
func (st *store) mergedSketch(k int) *ddsketch.DDSketch {
	s := st.sketches[0][k].Copy()
	for _, w := range st.sketches[1:] {
		_ = s.MergeWith(w[k]) // same index mapping: cannot fail
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
	for k := 0; k < p.m.nOut; k++ {
		met := &Metric{}
		if p.opts.Streaming {
			met.mom = st.seq.acc[k]
			met.sketch = st.mergedSketch(k)
		} else {
			met.mom = st.exactMoments(k, blocks)
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
			if p.opts.Streaming {
				met.mom = st.seq.acc[k]
				met.sketch = st.mergedSketch(k)
			} else {
				met.mom = st.exactMoments(k, blocks)
				met.raw = st.samples[k][:n:n]
			}
			return met.checkMoments()
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}

	res.setSensitivityData(p.m, st, n)
	st.samples, st.inputs, st.sketches, st.blockMom, st.smp = nil, nil, nil, nil, nil
	return res, nil
}
