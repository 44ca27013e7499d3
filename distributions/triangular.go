package distributions

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// Triangular is the triangular distribution on [Min, Max] with its peak at
// Mode.
//
// All three must be finite with Min < Max, Min ≤ Mode ≤ Max and Max − Min
// finite. Its String form is "triangular(min, mode, max)".
type Triangular struct {
	Min  float64 // lower end of the support; finite, < Max
	Mode float64 // most likely value; in [Min, Max]
	Max  float64 // upper end of the support; finite, > Min
}

var (
	_ Dist   = Triangular{}
	_ Filler = Triangular{}
)

func (t Triangular) ok() bool {
	return modeOK(t.Min, t.Mode, t.Max)
}

// gonum returns the equivalent gonum distribution; t must be valid.
func (t Triangular) gonum() distuv.Triangle { return distuv.NewTriangle(t.Min, t.Max, t.Mode, nil) }

// Sample returns one draw by the closed-form inverse CDF of one
// r.Float64(); O(1), no allocation.
func (t Triangular) Sample(r *rand.Rand) float64 {
	checkRand(r)
	if !t.ok() {
		return nan
	}
	return t.quantile(r.Float64())
}

// quantile is the closed-form inverse CDF; t must be valid and p in [0, 1].
// The products under the square roots overflow or underflow only for widths
// above about 1e154 or below about 1e-135, which take the form
// sqrt(a)·sqrt(b).
func (t Triangular) quantile(p float64) float64 {
	w := t.Max - t.Min
	if p*w < t.Mode-t.Min {
		s := p * w * (t.Mode - t.Min)
		if outOfScale(s) {
			return min(t.Min+math.Sqrt(p*w)*math.Sqrt(t.Mode-t.Min), t.Mode)
		}
		return min(t.Min+math.Sqrt(s), t.Mode)
	}
	s := (1 - p) * w * (t.Max - t.Mode)
	if outOfScale(s) {
		return max(t.Max-math.Sqrt((1-p)*w)*math.Sqrt(t.Max-t.Mode), t.Mode)
	}
	return max(t.Max-math.Sqrt(s), t.Mode)
}

// outOfScale reports whether a product of two lengths may have overflowed
// or lost its digits to underflow (below 2⁻⁹⁰⁰, which a width of at least
// 1e-135 never reaches with p ≥ 2⁻⁵³ and leaves the usual path, and so
// the streams, unchanged).
func outOfScale(s float64) bool { return math.IsInf(s, 1) || s < 0x1p-900 }

// Quantile returns the inverse CDF at p in [0, 1], NaN otherwise; O(1).
func (t Triangular) Quantile(p float64) float64 {
	if badProb(p) || !t.ok() {
		return nan
	}
	return t.quantile(p)
}

// CDF returns P(X ≤ x); O(1), from gonum's distuv.Triangle (whose
// products overflow or underflow for widths above 1e150 or below 1e-150:
// those take a rescaled form).
func (t Triangular) CDF(x float64) float64 {
	if math.IsNaN(x) || !t.ok() {
		return nan
	}
	w := t.Max - t.Min
	if w < 1e150 && w > 1e-150 {
		return t.gonum().CDF(x)
	}
	switch {
	case x <= t.Min:
		return 0
	case x <= t.Mode:
		return (x - t.Min) / w * ((x - t.Min) / (t.Mode - t.Min))
	case x < t.Max:
		return 1 - (t.Max-x)/w*((t.Max-x)/(t.Max-t.Mode))
	}
	return 1
}

// Mean returns (Min+Mode+Max)/3; O(1).
func (t Triangular) Mean() float64 {
	if !t.ok() {
		return nan
	}
	if m := t.gonum().Mean(); isFinite(m) {
		return m
	}
	return t.Min/3 + t.Mode/3 + t.Max/3
}

// Validate returns a *ParamError unless Min, Mode and Max are finite,
// Min < Max, Min ≤ Mode ≤ Max and Max − Min is finite.
func (t Triangular) Validate() error { return checkMode("triangular", t.Min, t.Mode, t.Max) }

// String returns "triangular(min, mode, max)".
func (t Triangular) String() string { return callString("triangular", t.Min, t.Mode, t.Max) }

// Fill implements Filler: one r.Float64 per value, through the closed-form
// quantile.
func (t Triangular) Fill(r *rand.Rand, dst []float64, n, stride int) {
	checkFill(r, dst, n, stride)
	if !t.ok() {
		fillNaN(dst, n, stride)
		return
	}
	for i := 0; i < n; i++ {
		dst[i*stride] = t.quantile(r.Float64())
	}
}
