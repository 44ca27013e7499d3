package forecast

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/mcforecast/mcforecast/distributions"
)

// plan is what a run needs of a validated model, prepared once before any
// goroutine starts and read-only afterwards.
type plan struct {
	m       *Model
	opts    Options
	dists   []distributions.Dist // distribution of every value of an input row
	corrDim []bool               // value d is drawn through the copula
	// inv[d] maps uniforms or normal scores to value d, built only where
	// the method or the copula needs it (one per input: a series shares
	// its Inverter across its years).
	inv    []*distributions.Inverter
	cop    *copula
	samp   sampler     // the sampling method's
	procs  []procInput // Process inputs (process.go)
	procN  int         // the longest one's length
	trials int         // trials of the whole run (the cap with Precision)
	blocks int         // blocks of the whole run
}

// newPlan validates m and opts (already defaulted) and prepares the run.
func newPlan(m *Model, opts Options) (*plan, error) {
	m = m.withDerived(opts) // decisions in streaming mode (decision_stream.go)
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if !opts.Method.valid() {
		return nil, opts.Validate()
	}
	cop, err := m.buildCopula(opts.RepairCorrelations)
	if err != nil {
		return nil, err
	}
	p := &plan{
		m:       m,
		opts:    opts,
		dists:   m.dimDists(),
		corrDim: make([]bool, m.nIn),
		inv:     make([]*distributions.Inverter, m.nIn),
		cop:     cop,
		trials:  opts.Trials,
		blocks:  numBlocks(opts.Trials),
	}
	if cop != nil {
		for _, d := range cop.dims {
			p.corrDim[d] = true
			p.needInverter(d)
		}
	}
	p.procs, p.procN = m.processInputs()
	if p.samp, err = methods[opts.Method].newSampler(p); err != nil {
		return nil, err
	}
	return p, nil
}

// needInverter builds the Inverter of input value d, and of the other
// values of its series, unless it exists.
func (p *plan) needInverter(d int) {
	if p.inv[d] != nil {
		return
	}
	for _, in := range p.m.inputs {
		if d >= in.off && d < in.off+in.n {
			v := inverterOf(in.dist)
			for k := 0; k < in.n; k++ {
				p.inv[in.off+k] = v
			}
			return
		}
	}
}

// blockLen returns the number of trials in block b.
func (p *plan) blockLen(b int) int {
	n := p.trials - b*BlockSize
	if n > BlockSize {
		n = BlockSize
	}
	return n
}

// worker is the state of one goroutine. Each worker is its own heap object,
// padded on both sides so that the fields written in the hot loop (the PCG
// state above all) never share a cache line (or an adjacent-line prefetch
// pair) with another worker's.
type worker struct {
	_     [128]byte
	src   rand.PCG
	rng   *rand.Rand
	trial *Trial
	in    []float64 // rows × nIn input rows, row-major
	obuf  []float64 // nOut output columns of stride values each
	// stride separates the output columns in obuf: the rows of a block,
	// padded by a cache line when that is a multiple of 4 KiB, so that the
	// nOut writes of a trial do not all map onto the same cache sets.
	stride int
	scr    any       // the sampler's scratch (sampler.newScratch)
	z      []float64 // copula scratch
	zc     []float64 // copula scratch
	pz     []float64 // process scratch (process.go)
	tw     []float64 // Student t copula scratch (studentcopula.go)
	tperm  []int32
	_      [128]byte
}

// rows returns the trials of the largest block: BlockSize, or Trials when
// the run is shorter, so that a short run of a long series allocates little.
func (p *plan) rows() int { return min(BlockSize, p.trials) }

// outStride returns the distance between two output columns of a worker's
// output buffer for blocks of rows trials (see worker.stride).
func outStride(rows int) int {
	if rows%512 == 0 { // a multiple of 4 KiB of float64
		return rows + 8
	}
	return rows
}

func (p *plan) newWorker() *worker {
	rows := p.rows()
	w := &worker{
		trial:  p.m.newTrial(),
		in:     make([]float64, rows*p.m.nIn),
		stride: outStride(rows),
	}
	w.obuf = make([]float64, w.stride*p.m.nOut)
	w.rng = rand.New(&w.src)
	w.scr = p.samp.newScratch(rows)
	w.pz = make([]float64, p.procN)
	if p.cop != nil {
		w.z = make([]float64, len(p.cop.dims))
		w.zc = make([]float64, len(p.cop.dims))
		if p.cop.nu > 0 {
			w.tw, w.tperm = make([]float64, rows), make([]int32, rows)
		}
	}
	return w
}

// TrialError reports a panic of the model's Eval function, or its call of
// runtime.Goexit (which testing's t.Fatal and t.FailNow make): either ends
// the run with this error naming the trial.
type TrialError struct {
	Trial  int  // index of the trial whose evaluation failed
	Value  any  // the value passed to panic (nil for Goexit)
	Goexit bool // Eval called runtime.Goexit instead of returning
}

// Error implements the error interface.
func (e *TrialError) Error() string {
	if e.Goexit {
		return fmt.Sprintf("forecast: model called runtime.Goexit at trial %d (t.Fatal or t.FailNow inside Eval?)", e.Trial)
	}
	return fmt.Sprintf("forecast: model panicked at trial %d: %v", e.Trial, e.Value)
}

// simulate evaluates block b into w.obuf (column k of output values at
// w.obuf[k*w.stride:]) and w.in (the input rows): the method's sampler
// fills the input rows (normal scores in the copula's values), the copula
// mixes those scores by its factor and maps them through each input's
// Inverter, and the model evaluates every row. The draws depend on
// (Seed, b) and the block's length alone. A panic of the model is returned
// as a *TrialError.
func (p *plan) simulate(w *worker, b int) (err error) {
	nb := p.blockLen(b)
	nIn := p.m.nIn
	in := w.in[:nb*nIn]
	p.samp.fill(w, b, nb)
	if c := p.cop; c != nil && c.nu > 0 {
		p.studentMix(w, b, in, nb) // Student t copula (studentcopula.go)
	} else if c != nil {
		for i := 0; i < nb; i++ {
			row := in[i*nIn : (i+1)*nIn]
			c.mix(w.zc, w.z, row)
			for j, d := range c.dims {
				row[d] = p.inv[d].FromNormal(w.zc[j])
			}
		}
	}
	if p.procs != nil {
		p.applyProcesses(in, w.pz, nb)
	}

	t := w.trial
	defer func() {
		if v := recover(); v != nil {
			err = &TrialError{Trial: t.index, Value: v}
		}
	}()
	eval := p.m.eval
	out := t.out
	obuf := w.obuf
	stride := w.stride
	nan := math.NaN()
	first := b * BlockSize
	for i := 0; i < nb; i++ {
		t.in = in[i*nIn : (i+1)*nIn]
		t.index = first + i
		for k := range out {
			out[k] = nan
		}
		eval(t)
		for k, v := range out {
			obuf[k*stride+i] = v
		}
	}
	return nil
}
