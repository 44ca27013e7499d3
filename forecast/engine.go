package forecast

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/internal/stream"
)

// plan is what a run needs of a validated model, prepared once before any
// goroutine starts and read-only afterwards.
type plan struct {
	m       *Model
	opts    Options
	dists   []distributions.Dist   // distribution of every value of an input row
	fillers []distributions.Filler // batch sampler of value d, or nil
	corrDim []bool                 // value d is drawn through the copula
	fromZ   []normalMap            // per copula value: how a normal score maps to it
	cop     *copula
	trials  int // trials of the whole run (the cap with Precision)
	blocks  int // blocks of the whole run
}

// newPlan validates m and opts (already defaulted) and prepares the run.
func newPlan(m *Model, opts Options) (*plan, error) {
	if err := m.Validate(); err != nil {
		return nil, err
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
		cop:     cop,
		trials:  opts.Trials,
		blocks:  numBlocks(opts.Trials),
	}
	p.fillers = make([]distributions.Filler, m.nIn)
	for d, dist := range p.dists {
		p.fillers[d], _ = dist.(distributions.Filler)
	}
	if cop != nil {
		p.fromZ = make([]normalMap, len(cop.dims))
		for j, d := range cop.dims {
			p.corrDim[d] = true
			p.fromZ[j] = newNormalMap(p.dists[d])
		}
	}
	return p, nil
}

// normalMap maps a standard normal score z to a distribution's value,
// Quantile(Φ(z)). For normal and log-normal distributions (and CI90, which
// is one of them) that is μ + σz or exp(μ + σz): exact, cheaper and more
// accurate in the tails than going through Φ and back.
type normalMap struct {
	kind      normalKind
	mu, sigma float64
	dist      distributions.Dist
}

// normalKind says how a normalMap maps a normal score.
type normalKind int

const (
	viaQuantile  normalKind = iota // Quantile(Φ(z))
	viaNormal                      // μ + σz
	viaLogNormal                   // exp(μ + σz)
)

func newNormalMap(d distributions.Dist) normalMap {
	if c, ok := d.(distributions.Interval90); ok {
		d = c.Dist()
	}
	switch v := d.(type) {
	case distributions.Normal:
		return normalMap{kind: viaNormal, mu: v.Mu, sigma: v.Sigma}
	case distributions.LogNormal:
		return normalMap{kind: viaLogNormal, mu: v.Mu, sigma: v.Sigma}
	}
	return normalMap{kind: viaQuantile, dist: d}
}

func (f *normalMap) value(z float64) float64 {
	switch f.kind {
	case viaNormal:
		return f.mu + f.sigma*z
	case viaLogNormal:
		return math.Exp(f.mu + f.sigma*z)
	}
	return f.dist.Quantile(distuv.UnitNormal.CDF(z))
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
	perm   []int32   // Latin hypercube permutation scratch
	z      []float64 // copula scratch
	zc     []float64 // copula scratch
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
	if p.opts.Method == LatinHypercube {
		w.perm = make([]int32, BlockSize)
	}
	if p.cop != nil {
		w.z = make([]float64, len(p.cop.dims))
		w.zc = make([]float64, len(p.cop.dims))
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

// unitUniform returns a uniform variate in the open interval (0, 1), so that
// quantile functions never see 0 or 1.
func unitUniform(r *rand.Rand) float64 {
	return (float64(r.Uint64()>>11) + 0.5) * (1.0 / (1 << 53))
}

// stratified fills the strided column col[i*stride] (i < n) with one value
// per equal-probability stratum of (0, 1), in random order.
func stratified(r *rand.Rand, perm []int32, n int, f func(u float64) float64, col []float64, stride int) {
	perm = perm[:n]
	for i := range perm {
		perm[i] = int32(i)
	}
	for i := n - 1; i > 0; i-- { // Fisher–Yates
		j := r.IntN(i + 1)
		perm[i], perm[j] = perm[j], perm[i]
	}
	inv := 1 / float64(n)
	for i := 0; i < n; i++ {
		u := (float64(perm[i]) + unitUniform(r)) * inv
		col[i*stride] = f(u)
	}
}

// simulate evaluates block b into w.obuf (column k of output values at
// w.obuf[k*w.stride:]) and w.in (the input rows). The draws depend on
// (Seed, b) and the block's length alone. A panic of the model is returned
// as a *TrialError.
func (p *plan) simulate(w *worker, b int) (err error) {
	nb := p.blockLen(b)
	nIn := p.m.nIn
	stream.Reset(&w.src, p.opts.Seed, uint64(b))
	r := w.rng
	in := w.in[:nb*nIn]
	lhs := p.opts.Method == LatinHypercube
	for d := 0; d < nIn; d++ {
		col := in[d:]
		dist := p.dists[d]
		switch {
		case p.corrDim[d] && lhs:
			stratified(r, w.perm, nb, distuv.UnitNormal.Quantile, col, nIn)
		case p.corrDim[d]:
			for i := 0; i < nb; i++ {
				col[i*nIn] = r.NormFloat64()
			}
		case lhs:
			stratified(r, w.perm, nb, dist.Quantile, col, nIn)
		case p.fillers[d] != nil:
			p.fillers[d].Fill(r, col, nb, nIn)
		default:
			for i := 0; i < nb; i++ {
				col[i*nIn] = dist.Sample(r)
			}
		}
	}
	if c := p.cop; c != nil {
		k := len(c.dims)
		for i := 0; i < nb; i++ {
			row := in[i*nIn : (i+1)*nIn]
			for j, d := range c.dims {
				w.z[j] = row[d]
			}
			for j := 0; j < k; j++ {
				a := c.factor[j*k : (j+1)*k]
				hi := k
				if c.lower {
					hi = j + 1
				}
				s := 0.0
				for l := 0; l < hi; l++ {
					s += a[l] * w.z[l]
				}
				w.zc[j] = s
			}
			for j, d := range c.dims {
				row[d] = p.fromZ[j].value(w.zc[j])
			}
		}
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
