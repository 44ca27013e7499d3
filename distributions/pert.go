package distributions

import (
	"math"
	"math/rand/v2"
)

// PERT is the beta-PERT distribution on [Min, Max] with most likely value
// Mode (λ = 4): Min + (Max−Min)·B where B is Beta(α, β) with
//
//	α = 1 + 4(Mode−Min)/(Max−Min),  β = 1 + 4(Max−Mode)/(Max−Min),
//
// so that its mean is (Min + 4·Mode + Max)/6. It is the usual smooth
// alternative to Triangular for three-point estimates.
//
// All three must be finite with Min < Max, Min ≤ Mode ≤ Max and Max − Min
// finite. Its String form is "pert(min, mode, max)".
type PERT struct {
	Min  float64 // lower end of the support; finite, < Max
	Mode float64 // most likely value; in [Min, Max]
	Max  float64 // upper end of the support; finite, > Min
}

var _ Dist = PERT{}

func (d PERT) ok() bool {
	return modeOK(d.Min, d.Mode, d.Max)
}

// shapes returns the α and β of the underlying Beta. Where 4·(Mode−Min)
// overflows (widths near MaxFloat64) it divides first; elsewhere it keeps
// the order of operations that fixes PERT's streams.
func (d PERT) shapes() (a, b float64) {
	w := d.Max - d.Min
	a, b = 1+4*(d.Mode-d.Min)/w, 1+4*(d.Max-d.Mode)/w
	if math.IsInf(a, 0) || math.IsInf(b, 0) {
		a, b = 1+4*((d.Mode-d.Min)/w), 1+4*((d.Max-d.Mode)/w)
	}
	return a, b
}

// Sample returns Min + (Max−Min)·B with B drawn as in Beta.Sample (two
// Marsaglia–Tsang gamma variates); O(1) expected, no allocation. The number
// of values drawn from r varies.
func (d PERT) Sample(r *rand.Rand) float64 {
	checkRand(r)
	if !d.ok() {
		return nan
	}
	a, b := d.shapes()
	return d.Min + (d.Max-d.Min)*betaSample(r, a, b)
}

// Quantile returns the inverse CDF at p in [0, 1], NaN otherwise, by
// iterative inversion of the incomplete beta function (gonum
// mathext.InvRegIncBeta): about a microsecond.
func (d PERT) Quantile(p float64) float64 {
	if badProb(p) || !d.ok() {
		return nan
	}
	a, b := d.shapes()
	return math.Min(d.Max, d.Min+(d.Max-d.Min)*invIncBeta(a, b, p))
}

// CDF returns P(X ≤ x), I_((x−Min)/(Max−Min))(α, β); O(1).
func (d PERT) CDF(x float64) float64 {
	if math.IsNaN(x) || !d.ok() {
		return nan
	}
	a, b := d.shapes()
	return incBeta(a, b, (x-d.Min)/(d.Max-d.Min))
}

// Mean returns (Min + 4·Mode + Max)/6; O(1).
func (d PERT) Mean() float64 {
	if !d.ok() {
		return nan
	}
	if m := (d.Min + 4*d.Mode + d.Max) / 6; isFinite(m) {
		return m
	}
	return d.Min/6 + d.Mode/1.5 + d.Max/6 // the sum overflowed
}

// Validate returns a *ParamError unless Min, Mode and Max are finite,
// Min < Max, Min ≤ Mode ≤ Max and Max − Min is finite.
func (d PERT) Validate() error { return checkMode("pert", d.Min, d.Mode, d.Max) }

// String returns "pert(min, mode, max)".
func (d PERT) String() string { return callString("pert", d.Min, d.Mode, d.Max) }
