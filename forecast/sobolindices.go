package forecast

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/internal/saltelli"
	"github.com/mcforecast/mcforecast/internal/sobol"
)

// SobolIndex is the variance-based (Sobol') sensitivity of one output to
// one input value or to a whole series or process input.
//
// First is the first-order index: the share of the output's variance that
// the input explains alone (the variance of E[Y | X] over Var Y). Total is
// the total index: the share that involves the input in any way, alone or
// through interactions (E[Var(Y | X~)] over Var Y, X~ every other input).
// Both lie in [0, 1] up to sampling error; Total ≥ First, and Total − First
// is the input's share in interactions. FirstStdErr and TotalStdErr are
// their asymptotic standard errors (see SobolIndices).
type SobolIndex struct {
	Input string // the input's name
	// Year is 0 for a scalar input and for a series or process input taken
	// as one group (all its years at once), and 1, 2, … for one year of a
	// series, or one year's driving shock of a process.
	Year                     int
	First, Total             float64
	FirstStdErr, TotalStdErr float64
}

// SobolIndices returns the first-order and total Sobol' indices of the
// scalar output named output with respect to every input of m, with their
// standard errors. For a series output use SobolIndicesYear.
//
// Design: Saltelli's (Saltelli et al. 2010) with Jansen's estimators, as in
// package internal/saltelli. N = opts.Trials base rows (0 means
// DefaultTrials; at least 2), k input values (every year of a series
// counts), points of a 2k-dimensional scrambled Sobol' sequence seeded by
// opts.Seed: base row j is point j, its first k coordinates the row of A,
// the next k the row of B, each uniform mapped through its input's quantile
// function. The model's Eval runs on A, B and, per factor, on A with the
// factor's columns taken from B.
//
// The result lists the inputs in declaration order. A scalar input has one
// SobolIndex (Year 0). A series input of n years has n+1: first its group
// (Year 0: all years as one factor, whose indices are those of the set —
// with an additive model the group's first-order index is the sum of its
// years'), then each year (Year 1…n).
//
// A process input (Model.Process) is a deterministic function of its
// independent standard normal driving scores, one per year, so its factors
// are those scores: A and B draw them N(0, 1) (Φ⁻¹ of the Sobol'
// coordinate), and every evaluated row maps them into the path by the
// process's exact transitions (processes.Process.Path), as a run does. Its
// rows are labelled like a series': the group (Year 0) is the share of the
// output's variance due to the process's path, all its yearly shocks
// together; Year j is the share due to the shock of year j — the
// innovation that moves the path from year j−1 to year j and, through the
// path, every later year — not to the path's value in year j (the values
// of a path are dependent, its shocks are not). For y = X_k + c·Z with X an
// OU process, the group's first-order index is Var X_k/(Var X_k + c²) and
// year j's is w_j²/(Var X_k + c²), with w_j = e^(−Reversion·(k−j))·σ₁
// for j ≤ k (0 for j > k) and σ₁² = Volatility²·(1 − e^(−2·Reversion))/
// (2·Reversion) the variance of one yearly step (Volatility² when
// Reversion = 0); first and total indices agree, as the path is linear in
// its shocks. A GBM's shocks interact through the exponential, so their
// total indices can exceed their first-order ones.
//
// Cost: N·(k+s+2) evaluations of Eval, s the number of series and process
// inputs of more than one year (one more factor each); k ≤ sobol.MaxDims/2
// (10 600) input values. With process inputs, each base row also maps A's
// and B's scores into paths (a copy of the row and one Path call per
// process each), and the row of a process's factor calls that process's
// Path once more. Blocks of BlockSize base rows run on opts.Workers
// goroutines (errgroup with a limit), each from its own points, and their
// sums are merged in block order: the result is bit-identical for any
// Workers. Memory: per worker at most 512 KiB of points (2k values per
// base row, a chunk of rows at a time), one Trial and up to three rows of
// k values, plus a ring of 4·Workers+5 accumulators of 16(k+s)+10
// compensated sums each — never an N×k matrix. Nothing is allocated per
// evaluation.
//
// Standard errors are asymptotic (delta method, assuming independent rows).
// Under scrambled Sobol' rows they are conservative, often by far: for the
// Ishigami function at N = 2¹⁵ the root-mean-square error of the indices
// over 20 seeds was 0.01 to 0.1 times the mean reported standard error.
// Read them as upper bounds; the spread over seeds gives honest intervals.
//
// Errors, all before any goroutine starts: invalid options or model, an
// unknown output, a series output (use SobolIndicesYear), Options.Precision
// > 0 (no stopping rule exists for indices: set Trials), too many input
// values, and any correlation or autocorrelation (Model.Correlate,
// Model.Autocorrelate, including those of a process's scores): Sobol'
// indices as computed here assume independent inputs — with dependence the
// variance shares are not defined by this design — so use the first-order
// indices from given data of an ordinary run (Metric.FirstOrder:
// correlation ratios, valid with dependence; there is no total order from
// given data) or the Spearman tornado (Metric.Sensitivity) instead.
// Options.Method, Streaming, KeepInputs, RepairCorrelations and Progress
// are ignored (the design always uses scrambled Sobol' points and keeps no
// draws).
//
// During the run: a panic in Eval (or its runtime.Goexit) ends it with a
// *TrialError whose Trial is the base row being evaluated (Trial.Index
// returns the base row j in all k+s+2 evaluations of row j); a cancelled ctx
// stops every worker before its next block and the error wraps ctx's cause;
// an output that is NaN or infinite on any evaluated row, or that does not
// vary, is an error. SobolIndices returns only after every goroutine it
// started has exited.
func SobolIndices(ctx context.Context, m *Model, output string, opts Options) ([]SobolIndex, error) {
	return sobolIndices(ctx, m, output, 0, opts)
}

// SobolIndicesYear is SobolIndices for year (1-based: 1 is the first year)
// of the series output named output. See SobolIndices for the design, the
// cost, the order of the result and the errors; a scalar output or a year
// outside [1, length] is an error.
func SobolIndicesYear(ctx context.Context, m *Model, output string, year int, opts Options) ([]SobolIndex, error) {
	if year < 1 {
		return nil, fmt.Errorf("forecast: SobolIndicesYear(%q): year %d, want 1 or more (years are 1-based)", output, year)
	}
	return sobolIndices(ctx, m, output, year, opts)
}

// sobolPlan is what a Sobol' run needs, prepared before any goroutine.
type sobolPlan struct {
	m           *Model
	out         int // offset of the output value in a trial's outputs
	k           int // input values
	rows        int // base rows N
	blocks      int
	seq         *sobol.Sequence
	inv         []*distributions.Inverter // per input value (shared by a series' years)
	procs       []procInput               // process inputs: their columns hold driving scores
	factorProc  []int                     // per factor, the index in procs of its process, or −1
	procN       int                       // the longest process input's length
	factors     [][]int                   // columns of each factor, in result order
	index       []SobolIndex              // names of each factor
	chunkValues int                       // sobolChunk (tests vary it)
}

func sobolIndices(ctx context.Context, m *Model, output string, year int, opts Options) ([]SobolIndex, error) {
	sp, err := newSobolPlan(m, output, year, opts)
	if err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	workers := max(1, min(opts.Workers, sp.blocks))
	return sp.run(ctx, workers)
}

func newSobolPlan(m *Model, output string, year int, opts Options) (*sobolPlan, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if opts.Precision > 0 {
		return nil, fmt.Errorf("forecast: SobolIndices: Options.Precision %v is not supported (no stopping rule for indices); set Options.Trials, the number of base rows", opts.Precision)
	}
	opts = opts.withDefaults()
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if len(m.corrs) > 0 {
		c := m.corrs[0]
		more := ""
		if len(m.corrs) > 1 {
			more = fmt.Sprintf(" (and %d more pairs)", len(m.corrs)-1)
		}
		what := fmt.Sprintf("correlates %q and %q", m.inputs[c.a].name, m.inputs[c.b].name)
		if c.a == c.b { // Autocorrelate
			what = fmt.Sprintf("autocorrelates the years of %q", m.inputs[c.a].name)
		}
		return nil, fmt.Errorf("forecast: SobolIndices: the model %s%s: Sobol' indices need independent inputs — with dependence the variance shares are not defined by Saltelli's design; use first-order indices from given data (Run, then Metric.FirstOrder: the correlation ratio of the output on each input, valid with dependence; no total order) or the Spearman tornado (Metric.Sensitivity) instead",
			what, more)
	}
	if m.nIn == 0 {
		return nil, errors.New("forecast: SobolIndices: the model has no inputs")
	}
	sp := &sobolPlan{m: m, out: -1, k: m.nIn, rows: opts.Trials, chunkValues: sobolChunk}
	for _, o := range m.outputs {
		if o.name != output {
			continue
		}
		switch {
		case year == 0 && o.n > 1:
			return nil, fmt.Errorf("forecast: SobolIndices: output %q is a series of %d years; use SobolIndicesYear with a year from 1 to %d", output, o.n, o.n)
		case year > 0 && o.n == 1:
			return nil, fmt.Errorf("forecast: SobolIndicesYear: output %q is scalar; use SobolIndices", output)
		case year > o.n:
			return nil, fmt.Errorf("forecast: SobolIndicesYear(%q): year %d, want 1 to %d (the series' length)", output, year, o.n)
		}
		sp.out = o.off + max(year-1, 0)
	}
	if sp.out < 0 {
		return nil, fmt.Errorf("forecast: SobolIndices: no output named %q (outputs: %q)", output, m.OutputNames())
	}
	if sp.rows < 2 {
		return nil, fmt.Errorf("forecast: SobolIndices: Options.Trials %d base rows, want at least 2", sp.rows)
	}
	if 2*sp.k > sobol.MaxDims {
		return nil, fmt.Errorf("forecast: SobolIndices: %d input values need a %d-dimensional Sobol' sequence, over its limit sobol.MaxDims = %d (at most %d input values)", sp.k, 2*sp.k, sobol.MaxDims, sobol.MaxDims/2)
	}
	seq, err := sobol.New(2*sp.k, opts.Seed)
	if err != nil {
		return nil, fmt.Errorf("forecast: SobolIndices: %w", err)
	}
	sp.seq = seq
	sp.blocks = numBlocks(sp.rows)
	var longest int
	sp.procs, longest = m.processInputs()
	sp.procN = longest
	sp.inv = make([]*distributions.Inverter, sp.k)
	for _, in := range m.inputs {
		inv := distributions.NewInverter(in.dist) // a process's: processScore
		proc := -1
		if in.proc != nil {
			proc = slices.IndexFunc(sp.procs, func(p procInput) bool { return p.off == in.off })
		}
		cols := make([]int, in.n)
		for y := range cols {
			cols[y] = in.off + y
			sp.inv[in.off+y] = inv
		}
		sp.factors = append(sp.factors, cols)
		sp.factorProc = append(sp.factorProc, proc)
		sp.index = append(sp.index, SobolIndex{Input: in.name})
		if in.n > 1 {
			for y, c := range cols {
				sp.factors = append(sp.factors, []int{c})
				sp.factorProc = append(sp.factorProc, proc)
				sp.index = append(sp.index, SobolIndex{Input: in.name, Year: y + 1})
			}
		}
	}
	d := saltelli.Design{K: sp.k, Factors: sp.factors}
	if err := d.Validate(); err != nil { // cannot fail: the factors are built above
		return nil, fmt.Errorf("forecast: SobolIndices: %w", err)
	}
	return sp, nil
}

// sobolWorker is one goroutine's state.
type sobolWorker struct {
	trial  *Trial
	u      []float64 // a chunk of base rows: 2k values each (A's row, then B's)
	row    []float64 // an AB row
	fab    []float64 // f(AB) per factor
	va, vb []float64 // with process inputs: A's and B's rows with paths for scores
	z      []float64 // with process inputs: an AB row's scores of one process
}

func (sp *sobolPlan) newWorker() *sobolWorker {
	w := &sobolWorker{
		trial: sp.m.newTrial(),
		u:     make([]float64, sp.chunkRows()*2*sp.k),
		row:   make([]float64, sp.k),
		fab:   make([]float64, len(sp.factors)),
	}
	if len(sp.procs) > 0 {
		w.va, w.vb = make([]float64, sp.k), make([]float64, sp.k)
		w.z = make([]float64, sp.procN)
	}
	return w
}

// blockLen returns the base rows of block b.
func (sp *sobolPlan) blockLen(b int) int { return min(BlockSize, sp.rows-b*BlockSize) }

// paths returns the input row x (a row of A or B, whose process columns
// hold driving scores) as the model sees it: x itself without process
// inputs, else dst, a copy of x with each process's scores mapped into its
// path as the engine does (applyProcesses).
func (sp *sobolPlan) paths(dst, x []float64) []float64 {
	if len(sp.procs) == 0 {
		return x
	}
	copy(dst, x)
	for _, p := range sp.procs {
		p.p.Path(x[p.off:p.off+p.n], dst[p.off:p.off+p.n])
	}
	return dst
}

// eval evaluates the model on input row x (values, paths for processes)
// and returns the output value.
func (sp *sobolPlan) eval(t *Trial, x []float64) float64 {
	t.in = x
	out := t.out
	for i := range out {
		out[i] = math.NaN()
	}
	sp.m.eval(t)
	return out[sp.out]
}

// sobolChunk bounds the uniforms a worker holds at once: 2k per base row,
// at most 2¹⁶ values (512 KiB) unless one row needs more.
const sobolChunk = 1 << 16

// chunkRows returns the base rows a worker maps and evaluates at a time.
// Rows are added to the block's accumulator in row order whatever the
// chunk, so it does not change the result.
func (sp *sobolPlan) chunkRows() int {
	return max(1, min(BlockSize, sp.rows, sp.chunkValues/(2*sp.k)))
}

// block evaluates the base rows of block b into acc (empty on entry), a
// chunk of rows at a time. A panic of the model is returned as a
// *TrialError naming the base row.
func (sp *sobolPlan) block(w *sobolWorker, b int, acc *saltelli.Accumulator) (err error) {
	t := w.trial
	defer func() {
		if v := recover(); v != nil {
			err = &TrialError{Trial: t.index, Value: v}
		}
	}()
	first, end := b*BlockSize, b*BlockSize+sp.blockLen(b)
	for c := first; c < end; c += len(w.u) / (2 * sp.k) {
		sp.chunk(w, c, min(len(w.u)/(2*sp.k), end-c), acc)
	}
	return nil
}

// chunk evaluates the n base rows from row first into acc.
func (sp *sobolPlan) chunk(w *sobolWorker, first, n int, acc *saltelli.Accumulator) {
	k := sp.k
	u := w.u[:n*2*k]
	sp.seq.Block(uint64(first), n, u, 2*k)
	for i := 0; i < n; i++ {
		r := u[i*2*k : (i+1)*2*k]
		for d, inv := range sp.inv {
			r[d] = inv.Quantile(r[d])
			r[k+d] = inv.Quantile(r[k+d])
		}
	}
	t, row, fab := w.trial, w.row, w.fab
	for i := 0; i < n; i++ {
		t.index = first + i
		a, bb := u[i*2*k:i*2*k+k], u[i*2*k+k:(i+1)*2*k]
		va, vb := sp.paths(w.va, a), sp.paths(w.vb, bb)
		fA := sp.eval(t, va)
		fB := sp.eval(t, vb)
		copy(row, va)
		for f, cols := range sp.factors {
			pi := sp.factorProc[f]
			if pi < 0 {
				for _, c := range cols {
					row[c] = vb[c]
				}
				fab[f] = sp.eval(t, row)
				for _, c := range cols {
					row[c] = va[c]
				}
				continue
			}
			// A process factor: A's scores with the factor's from B, mapped
			// into the path; every other input keeps A's row (and path).
			p := sp.procs[pi]
			z, path := w.z[:p.n], row[p.off:p.off+p.n]
			copy(z, a[p.off:p.off+p.n])
			for _, c := range cols {
				z[c-p.off] = bb[c]
			}
			p.p.Path(z, path)
			fab[f] = sp.eval(t, row)
			copy(path, va[p.off:p.off+p.n])
		}
		acc.Add(fA, fB, fab)
	}
}

// sobolMerger merges per-block accumulators in block order as blocks
// complete in any order, in a fixed ring of slots (as sequencer does for
// moments): memory is bounded, nothing is allocated per block, and the
// merged sums are bit-identical for any number of workers.
type sobolMerger struct {
	mu      sync.Mutex
	cond    sync.Cond
	next    int
	ring    []*saltelli.Accumulator
	ready   []bool
	aborted bool
	total   *saltelli.Accumulator
	err     error
}

func newSobolMerger(m, slots int) *sobolMerger {
	s := &sobolMerger{ring: make([]*saltelli.Accumulator, slots), ready: make([]bool, slots)}
	s.cond.L = &s.mu
	s.total, _ = saltelli.NewAccumulator(m) // m ≥ 1: every model has an input
	for i := range s.ring {
		s.ring[i], _ = saltelli.NewAccumulator(m)
	}
	return s
}

// slot returns block b's empty accumulator, waiting while b is a whole ring
// ahead of the oldest unmerged block; nil once abort was called.
func (s *sobolMerger) slot(b int) *saltelli.Accumulator {
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

// put marks block b as done and merges every block now in order.
func (s *sobolMerger) put(b int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ready[b%len(s.ring)] = true
	merged := false
	for i := s.next % len(s.ring); s.ready[i]; i = s.next % len(s.ring) {
		if err := s.total.Merge(s.ring[i]); err != nil && s.err == nil {
			s.err = err // cannot happen: every accumulator has the same factors
		}
		s.ring[i].Reset()
		s.ready[i] = false
		s.next++
		merged = true
	}
	if merged {
		s.cond.Broadcast()
	}
}

func (s *sobolMerger) abort() {
	s.mu.Lock()
	s.aborted = true
	s.mu.Unlock()
	s.cond.Broadcast()
}

func (sp *sobolPlan) run(ctx context.Context, workers int) ([]SobolIndex, error) {
	mg := newSobolMerger(len(sp.factors), 4*workers+4)
	ws := make([]*sobolWorker, workers)
	for i := range ws {
		ws[i] = sp.newWorker()
	}
	g, gctx := errgroup.WithContext(ctx)
	gctx, stop := context.WithCancel(gctx)
	defer stop()
	g.SetLimit(workers)
	var next, done atomic.Int64
	errs := make([]error, workers)
	for wi, w := range ws {
		g.Go(func() (err error) {
			returned := false
			defer func() {
				if !returned { // runtime.Goexit in Eval: block recovers panics
					err = &TrialError{Trial: w.trial.index, Goexit: true}
				}
				errs[wi] = err
				if err != nil {
					stop()
					mg.abort()
				}
			}()
			err = sp.work(gctx, w, mg, &next, &done)
			returned = true
			return err
		})
	}
	werr := g.Wait()
	if e := trialError(errs); e != nil {
		return nil, e
	}
	if werr != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("forecast: Sobol' indices stopped after %d of %d base rows: %w", done.Load(), sp.rows, context.Cause(ctx))
		}
		for _, e := range errs {
			if e != nil && !errors.Is(e, errAborted) && !errors.Is(e, context.Canceled) {
				return nil, e
			}
		}
		return nil, werr
	}
	if mg.err != nil {
		return nil, mg.err
	}
	first, total, firstSE, totalSE, err := mg.total.Indices()
	if err != nil {
		return nil, fmt.Errorf("forecast: Sobol' indices of output %q: %w", sp.outName(), err)
	}
	res := append([]SobolIndex(nil), sp.index...)
	for i := range res {
		res[i].First, res[i].Total = first[i], total[i]
		res[i].FirstStdErr, res[i].TotalStdErr = firstSE[i], totalSE[i]
	}
	return res, nil
}

// work is one worker's loop over the next blocks.
func (sp *sobolPlan) work(ctx context.Context, w *sobolWorker, mg *sobolMerger, next, done *atomic.Int64) error {
	for {
		b := int(next.Add(1) - 1)
		if b >= sp.blocks {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		acc := mg.slot(b)
		if acc == nil {
			return errAborted
		}
		if err := sp.block(w, b, acc); err != nil {
			return err
		}
		mg.put(b)
		done.Add(int64(sp.blockLen(b)))
	}
}

// outName names the output (and year) of the plan, for messages.
func (sp *sobolPlan) outName() string {
	for _, o := range sp.m.outputs {
		if sp.out >= o.off && sp.out < o.off+o.n {
			if o.n == 1 {
				return o.name
			}
			return fmt.Sprintf("%s, year %d", o.name, sp.out-o.off+1)
		}
	}
	return ""
}
