package distributions

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// Uniform is the continuous uniform distribution on [Min, Max].
//
// Min and Max must be finite with Min < Max (use Constant for a certain
// value) and Max − Min finite. Its String form is "uniform(min, max)".
type Uniform struct {
	Min float64 // lower end of the support; finite, < Max
	Max float64 // upper end of the support; finite, > Min
}

var (
	_ Dist   = Uniform{}
	_ Filler = Uniform{}
)

func (u Uniform) ok() bool {
	return isFinite(u.Min) && isFinite(u.Max) && u.Min < u.Max && isFinite(u.Max-u.Min)
}

// Sample returns one draw: Min + (Max−Min)·U from one r.Float64(); O(1),
// no allocation.
func (u Uniform) Sample(r *rand.Rand) float64 {
	checkRand(r)
	if !u.ok() {
		return nan
	}
	return u.Min + (u.Max-u.Min)*r.Float64()
}

// Quantile returns Min + p·(Max−Min) for p in [0, 1], NaN otherwise; O(1).
func (u Uniform) Quantile(p float64) float64 {
	if badProb(p) || !u.ok() {
		return nan
	}
	return distuv.Uniform{Min: u.Min, Max: u.Max}.Quantile(p)
}

// CDF returns P(X ≤ x); O(1).
func (u Uniform) CDF(x float64) float64 {
	if math.IsNaN(x) || !u.ok() {
		return nan
	}
	return distuv.Uniform{Min: u.Min, Max: u.Max}.CDF(x)
}

// Mean returns (Min+Max)/2; O(1).
func (u Uniform) Mean() float64 {
	if !u.ok() {
		return nan
	}
	return u.Min/2 + u.Max/2
}

// Validate returns a *ParamError unless Min and Max are finite, Min < Max
// and Max − Min is finite.
func (u Uniform) Validate() error { return checkInterval("uniform", u.Min, u.Max) }

// String returns "uniform(min, max)".
func (u Uniform) String() string { return callString("uniform", u.Min, u.Max) }

// Fill implements Filler: one r.Float64 per value.
func (u Uniform) Fill(r *rand.Rand, dst []float64, n, stride int) {
	checkFill(r, dst, n, stride)
	if !u.ok() {
		fillNaN(dst, n, stride)
		return
	}
	lo, w := u.Min, u.Max-u.Min
	for i := 0; i < n; i++ {
		dst[i*stride] = lo + w*r.Float64()
	}
}
