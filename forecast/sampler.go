package forecast

import (
	"math"
	"math/rand/v2"
	"reflect"
	"sync"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/internal/normq"
)

// sampler is a sampling method: it fills the input rows of a block. Each
// Method has one, built by its methods-table entry from the run's plan,
// in a file of its own (sampler_mc.go, sampler_lhs.go, sampler_qmc.go).
//
// fill writes block b's nb input rows into w.in (row-major, nIn values a
// row): the value of every independent input value, and a standard normal
// score for every value the copula draws (plan.corrDim), which simulate
// then mixes by the copula's factor and maps through the input's Inverter.
// What fill writes must depend on (Seed, b, nb) alone — never on the
// worker or on blocks simulated before — so that results are bit-identical
// for any number of workers and through SimulateBlocks and Merge. It must
// not allocate.
//
// newScratch returns the per-worker scratch fill may use (as w.scr), for
// blocks of at most rows trials, or nil.
type sampler interface {
	newScratch(rows int) any
	fill(w *worker, b, nb int)
}

// unitUniform returns a uniform variate in the open interval (0, 1), so that
// quantile functions never see 0 or 1.
func unitUniform(r *rand.Rand) float64 {
	return (float64(r.Uint64()>>11) + 0.5) * (1.0 / (1 << 53))
}

// fromUniforms maps the uniforms u in (0, 1) of input value d (one a
// trial, contiguous; fromUniforms may overwrite them) to what fill writes,
// at col[i*stride] for u[i]: a normal score Φ⁻¹(u) for a copula value,
// μ + σ·Φ⁻¹(u) (or its exponential) for Normal, LogNormal and Interval90
// inputs (Inverter.Normal), else the value Inverter.Quantile(u) (for
// Uniform and Triangular, their own Quantile, which it is). Φ⁻¹ is
// package normq's table, within 4e-15 relative of gonum's
// mathext.NormalQuantile (that d.Quantile uses) at about half its cost.
// The loops read u contiguously and write col once, so a column of the
// block is passed over once whatever the method (fill generates u into
// scratch that stays in the L1 cache).
func (p *plan) fromUniforms(d int, u, col []float64, stride int) {
	inv := p.inv[d]
	col = col[:(len(u)-1)*stride+1]
	if p.corrDim[d] {
		normq.Quantiles(u)
		for i, z := range u {
			col[i*stride] = z
		}
		return
	}
	if mu, sigma, isLog, ok := inv.Normal(); ok {
		normq.Quantiles(u)
		if isLog {
			for i, z := range u {
				col[i*stride] = math.Exp(mu + sigma*z)
			}
			return
		}
		for i, z := range u {
			col[i*stride] = mu + sigma*z
		}
		return
	}
	// Uniform and Triangular: Inverter.Quantile is their Quantile; called
	// on the concrete type it costs no interface call.
	switch dist := p.dists[d].(type) {
	case distributions.Uniform:
		for i, x := range u {
			col[i*stride] = dist.Quantile(x)
		}
		return
	case distributions.Triangular:
		for i, x := range u {
			col[i*stride] = dist.Quantile(x)
		}
		return
	}
	for i, x := range u {
		col[i*stride] = inv.Quantile(x)
	}
}

// inverterCache keeps the Inverters of recent runs by distribution value,
// since building one costs up to about 100 ms (see distributions.Inverter)
// and a command or a sweep runs the same distributions again and again.
// Only values of the distributions package's own types that are
// comparable (no slices inside; for Truncated and Mixture-like wrappers,
// also what they hold) are cached: their quantile depends on their value
// alone. The cache holds at most inverterCacheSize entries (about 3 KB
// each) and is emptied when full.
var inverterCache struct {
	sync.Mutex
	m map[distributions.Dist]*distributions.Inverter
}

const inverterCacheSize = 256

// distributionsPkg is the import path of package distributions.
var distributionsPkg = reflect.TypeOf(distributions.Normal{}).PkgPath()

// inverterOf returns the Inverter of d, from the cache when d was seen
// before.
func inverterOf(d distributions.Dist) *distributions.Inverter {
	if d == nil {
		return distributions.NewInverter(d)
	}
	v := reflect.ValueOf(d)
	if v.Type().PkgPath() != distributionsPkg || !v.Comparable() || !cacheable(v) {
		return distributions.NewInverter(d)
	}
	c := &inverterCache
	c.Lock()
	inv, ok := c.m[d]
	c.Unlock()
	if ok {
		return inv
	}
	inv = distributions.NewInverter(d) // outside the lock: it may take 100 ms
	c.Lock()
	if c.m == nil || len(c.m) >= inverterCacheSize {
		c.m = make(map[distributions.Dist]*distributions.Inverter)
	}
	c.m[d] = inv
	c.Unlock()
	return inv
}

// cacheable reports whether every value inside v (a comparable value)
// that an interface holds is itself of a type of package distributions,
// so that the value alone determines the quantile.
func cacheable(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			return true
		}
		e := v.Elem()
		return e.Type().PkgPath() == distributionsPkg && cacheable(e)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if !cacheable(v.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if !cacheable(v.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Pointer, reflect.UnsafePointer, reflect.Chan:
		return false
	}
	return true
}
