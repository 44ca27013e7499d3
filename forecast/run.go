package forecast

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
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

	var done atomic.Int64
	stopProgress := p.startProgress(&done)
	defer stopProgress()

	checkpoints := p.checkpoints()
	ran := 0
	for _, end := range checkpoints {
		st.grow(end)
		if err := st.runBlocks(ctx, ran, end, &done); err != nil {
			return nil, err
		}
		ran = end
		if opts.Precision > 0 && end < p.blocks && st.precise(ran) {
			break
		}
	}
	res := st.finalize(ran)
	res.elapsed = time.Since(start)
	return res, nil
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
	p, err := newPlan(m, opts.withDefaults())
	if err != nil {
		return nil, err
	}
	if err := p.checkMemory(); err != nil {
		return nil, err
	}
	return p, nil
}

// startProgress starts the goroutine that reports progress and returns the
// function that stops it and makes the final report.
func (p *plan) startProgress(done *atomic.Int64) func() {
	f := p.opts.Progress
	if f == nil {
		return func() {}
	}
	stop, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				f(int(done.Load()), p.trials)
			case <-stop:
				return
			}
		}
	}()
	return func() {
		close(stop)
		<-exited
		f(int(done.Load()), p.trials)
	}
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

// store holds what the blocks of a run produce.
type store struct {
	p       *plan
	workers []*worker
	blocks  int // blocks whose storage exists (exact) or were run
	base    int // first block stored (SimulateBlocks of a range), else 0

	// exact mode
	samples [][]float64 // per output value, trial order
	inputs  [][]float64 // per input value, trial order (KeepInputs)

	// streaming mode
	sketches [][]*ddsketch.DDSketch // per worker, per output value
	seq      *sequencer
}

func newStore(p *plan, workers int) *store {
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
	st.blocks = blocks
}

// runBlocks simulates blocks [from, to) on every worker.
func (st *store) runBlocks(ctx context.Context, from, to int, done *atomic.Int64) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(len(st.workers))
	var next atomic.Int64
	next.Store(int64(from))
	errs := make([]error, len(st.workers))
	for wi, w := range st.workers {
		g.Go(func() (err error) {
			defer func() {
				errs[wi] = err
				if err != nil && st.seq != nil {
					// Wake any worker waiting for the block this one will
					// not finish.
					st.seq.abort()
				}
			}()
			for {
				b := int(next.Add(1) - 1)
				if b >= to {
					return nil
				}
				if err := gctx.Err(); err != nil {
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
		})
	}
	if err := g.Wait(); err == nil {
		return nil
	}
	// The first error errgroup saw may be an echo of the real failure: a
	// worker woken by the abort (errAborted) or stopped by the group's
	// cancellation. Report the model's panic if there is one, then the
	// caller's cancellation, then whatever else failed.
	for _, e := range errs {
		var te *TrialError
		if errors.As(e, &te) {
			return e
		}
	}
	if ctx.Err() != nil {
		return fmt.Errorf("forecast: run stopped after %d of %d trials: %w", done.Load(), st.p.trials, ctx.Err())
	}
	for _, e := range errs {
		if e != nil && !errors.Is(e, errAborted) && !errors.Is(e, context.Canceled) {
			return e
		}
	}
	return errAborted // cannot happen: some worker failed for a reason
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
	if !p.opts.Streaming {
		for k, dst := range st.samples {
			copy(dst[first:first+nb], w.obuf[k*BlockSize:k*BlockSize+nb])
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
		col := w.obuf[k*BlockSize : k*BlockSize+nb]
		ms[k] = blockMoments(col)
		for _, v := range col {
			if isFinite(v) {
				_ = sk.Add(v) // finite values only: Add cannot fail
			}
		}
	}
	st.seq.put(b)
	return true
}

// seqSlots is the number of blocks a streaming run lets wait for an older
// block: a few per worker.
func seqSlots(workers int) int { return 4*workers + 4 }

// sequencer merges per-block moments in block order as blocks complete, in
// any order, so that streaming means and variances are bit-identical for any
// number of workers. Blocks wait in a fixed ring of slots, allocated once:
// a worker whose block is a whole ring ahead of the oldest unfinished block
// waits for it (blocks are handed out in increasing order, so the oldest is
// always being simulated by a worker that does not wait). Memory is bounded
// and no allocation is made per block, however the workers are scheduled.
type sequencer struct {
	mu      sync.Mutex
	cond    sync.Cond
	next    int         // oldest block not yet merged
	ring    [][]moments // slot b % len(ring) holds block b while it waits
	ready   []bool
	aborted bool
	acc     []moments
	record  bool        // keep each block's moments (SimulateBlocks)
	blocks  [][]moments // recorded moments, from the first block on
}

// newSequencer merges n output values' moments from block first on, with
// room for slots blocks in flight.
func newSequencer(n, first int, record bool, slots int) *sequencer {
	s := &sequencer{acc: make([]moments, n), next: first, record: record,
		ring: make([][]moments, slots), ready: make([]bool, slots)}
	s.cond.L = &s.mu
	for k := range s.acc {
		s.acc[k] = newMoments()
	}
	for i := range s.ring {
		s.ring[i] = make([]moments, n)
	}
	return s
}

// slot returns the moments slot of block b, waiting while b is a whole ring
// ahead of the oldest unfinished block; nil once abort was called.
func (s *sequencer) slot(b int) []moments {
	s.mu.Lock()
	defer s.mu.Unlock()
	for b >= s.next+len(s.ring) && !s.aborted {
		s.cond.Wait()
	}
	if s.aborted {
		return nil
	}
	return s.ring[b%len(s.ring)]
}

// put marks block b's slot as filled and merges every block that is now in
// order.
func (s *sequencer) put(b int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ready[b%len(s.ring)] = true
	merged := false
	for i := s.next % len(s.ring); s.ready[i]; i = s.next % len(s.ring) {
		m := s.ring[i]
		for k := range s.acc {
			s.acc[k].merge(m[k])
		}
		if s.record {
			s.blocks = append(s.blocks, append([]moments(nil), m...))
		}
		s.ready[i] = false
		s.next++
		merged = true
	}
	if merged {
		s.cond.Broadcast()
	}
}

// abort wakes every waiting worker for good: a run that stops early (an
// error, a cancelled context) must not leave a worker waiting for a block
// that will never be merged.
func (s *sequencer) abort() {
	s.mu.Lock()
	s.aborted = true
	s.mu.Unlock()
	s.cond.Broadcast()
}

// exactMoments merges the block moments of column k over blocks [0, blocks)
// in block order.
func (st *store) exactMoments(k, blocks int) moments {
	acc := newMoments()
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
		for _, q := range []float64{0.05, 0.5, 0.95} {
			lo, hi := met.PercentileCI(q, 0.95)
			if !((hi-lo)/2 <= tol) {
				return false
			}
		}
	}
	return true
}

// finalize builds the Result of the first blocks blocks.
func (st *store) finalize(blocks int) *Result {
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

	var wg sync.WaitGroup
	sem := make(chan struct{}, len(st.workers))
	for k, met := range metrics {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if p.opts.Streaming {
				met.mom = st.seq.acc[k]
				met.sketch = st.mergedSketch(k)
				return
			}
			met.mom = st.exactMoments(k, blocks)
			met.raw = st.samples[k][:n:n]
		}()
	}
	wg.Wait()

	if p.opts.KeepInputs {
		res.inputs = make([][]float64, p.m.nIn)
		res.inputName = make([]string, p.m.nIn)
		res.inputYear = make([]int, p.m.nIn)
		for d := range res.inputs {
			res.inputs[d] = st.inputs[d][:n]
			res.inputName[d], res.inputYear[d] = p.m.dimName(d)
		}
	}
	st.samples, st.inputs, st.sketches = nil, nil, nil
	return res
}
