package distributions

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// extremeValues are parameter values at and beyond the edges of every
// supported range: signed zeros, subnormals, the ends of float64, and the
// ends of the shape and rate ranges.
var extremeValues = []float64{
	math.Inf(-1), -math.MaxFloat64, -1e300, -1e10, -1, -1e-300, -5e-324, 0,
	5e-324, 1e-320, 2e-308, 1e-300, 1e-10, 1e-3, 0.5, 1, 2, 1e5, 1e10, 1e300,
	math.MaxFloat64, math.Inf(1), math.NaN(),
}

// fewExtremes is a smaller set for the types with three parameters.
var fewExtremes = []float64{-math.MaxFloat64, -1e10, -1, 0, 5e-324, 1e-300, 1, 1e10, 1e300, math.MaxFloat64, math.NaN()}

// extremeDists returns distributions built from extreme parameters, valid
// or not.
func extremeDists() []Dist {
	var ds []Dist
	for _, a := range extremeValues {
		ds = append(ds, Constant{a}, Bernoulli{a})
		for _, b := range extremeValues {
			ds = append(ds, Uniform{a, b}, Normal{a, b}, LogNormal{a, b}, Beta{a, b}, Gamma{a, b}, CI90(a, b))
		}
	}
	for _, a := range fewExtremes {
		for _, b := range fewExtremes {
			for _, c := range fewExtremes {
				ds = append(ds, Triangular{a, b, c}, PERT{a, b, c})
			}
		}
	}
	for _, x := range [][]float64{
		{math.MaxFloat64, math.MaxFloat64}, {-math.MaxFloat64, math.MaxFloat64}, {5e-324, 0, -5e-324},
		{1, 1, 1}, {1e308, -1e308, 1e308}, {math.MaxFloat64},
	} {
		e, _ := NewEmpirical(x)
		ds = append(ds, e, Empirical{Data: x})
		for _, w := range [][]float64{{1e308, 1e308, 1e308}, {5e-324, 1, 1e-300}, {1e-300, 1e-300, 1e-300}, {0, 0, 1}} {
			w = w[:len(x)]
			d, _ := NewDiscrete(x, w)
			ds = append(ds, d, Discrete{Values: x, Weights: w})
			ds = append(ds, Mixture{Components: []Dist{Normal{0, 1}, Gamma{2, 1}, Beta{2, 5}}[:len(x)], Weights: w})
		}
	}
	inner := []Dist{Normal{0, 1}, Gamma{minShape, 1}, Gamma{maxShape, 1}, Beta{minShape, minShape}, Beta{maxShape, 1},
		LogNormal{0, 20}, Uniform{-math.MaxFloat64, math.MaxFloat64}, Empirical{Data: []float64{1, 2, 2, 3}}}
	for _, d := range inner {
		for _, lo := range []float64{math.Inf(-1), -1e300, -40, -5, 0, 5e-324, 1e-300, 1, 6, 8, 1e300} {
			for _, hi := range []float64{-38, 0, 1e-300, 1, 5.9, 6.1, 8.1, 40, 1e300, math.Inf(1)} {
				ds = append(ds, Truncated{d, lo, hi})
			}
		}
		ds = append(ds, Mixture{Components: []Dist{d, Normal{1e300, 1e300}}, Weights: []float64{1e-300, 1}})
	}
	return ds
}

// extremePs are probabilities from the smallest to the largest below 1.
var extremePs = []float64{5e-324, 1e-300, 1e-100, 1e-17, 1e-12, 1e-6, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1 - 1e-6, 1 - 1e-12, 1 - 0x1p-53}

// TestExtremeParameters sweeps extreme parameter sets. For the ones
// Validate accepts, Quantile, CDF, Mean and Sample must be finite where
// they promise to be and monotone, and return; for the others, every
// method must return NaN. Each distribution must finish within a bound
// (no method may loop without end).
func TestExtremeParameters(t *testing.T) {
	valid := 0
	for _, d := range extremeDists() {
		done := make(chan struct{})
		var fail []string
		go func() {
			defer close(done)
			fail = checkExtreme(d)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			require.FailNowf(t, "hang", "%v: a method did not return within 10 s", d)
		}
		if len(fail) > 0 {
			assert.Failf(t, "extreme parameters", "%v: %d broken promises, first: %s", d, len(fail), fail[0])
		}
		if d.Validate() == nil {
			valid++
		}
	}
	assert.Greater(t, valid, 300, "the sweep covers valid values")
}

// checkExtreme returns the broken promises of d.
func checkExtreme(d Dist) (fail []string) {
	add := func(msg string, args ...any) {
		fail = append(fail, sprintf(msg, args...))
	}
	if err := d.Validate(); err != nil {
		if !isParamError(err) {
			add("Validate error %v is not a *ParamError", err)
		}
		r := newRand(1)
		if x := d.Sample(r); !math.IsNaN(x) {
			add("Sample of invalid value = %v", x)
		}
		for _, p := range []float64{0, 0.5, 1} {
			if x := d.Quantile(p); !math.IsNaN(x) {
				add("Quantile(%v) of invalid value = %v", p, x)
			}
		}
		if x := d.CDF(1); !math.IsNaN(x) {
			add("CDF of invalid value = %v", x)
		}
		if x := d.Mean(); !math.IsNaN(x) {
			add("Mean of invalid value = %v", x)
		}
		return fail
	}
	lo, hi := d.Quantile(0), d.Quantile(1)
	if !(lo <= hi) {
		add("Quantile(0) %v > Quantile(1) %v", lo, hi)
	}
	prev, prevC := lo, 0.0
	for _, p := range extremePs {
		x := d.Quantile(p)
		if !isFinite(x) {
			add("Quantile(%v) = %v", p, x)
			continue
		}
		if x < prev || x > hi {
			add("Quantile(%v) = %v not in [%v, Quantile(1) %v]", p, x, prev, hi)
		}
		c := d.CDF(x)
		if !(c >= prevC && c <= 1) {
			add("CDF(Quantile(%v) = %v) = %v, previous %v", p, x, c, prevC)
		}
		prev, prevC = x, c
	}
	if m := d.Mean(); !isFinite(m) || m < lo || m > hi {
		add("Mean = %v outside [%v, %v]", m, lo, hi)
	}
	r := newRand(2)
	for range 200 {
		if x := d.Sample(r); !isFinite(x) || x < lo || x > hi {
			add("Sample = %v outside [%v, %v]", x, lo, hi)
			break
		}
	}
	return fail
}
