package distributions

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// Triangular is the triangular distribution on [Min, Max] with its peak at
// Mode.
//
// All three must be finite with Min < Max and Min ≤ Mode ≤ Max. Its String
// form is "triangular(min, mode, max)".
type Triangular struct {
	Min  float64 // lower end of the support; finite, < Max
	Mode float64 // most likely value; in [Min, Max]
	Max  float64 // upper end of the support; finite, > Min
}

var _ Dist = Triangular{}

func (t Triangular) ok() bool {
	return isFinite(t.Min) && isFinite(t.Max) && t.Min < t.Max &&
		t.Mode >= t.Min && t.Mode <= t.Max
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
func (t Triangular) quantile(p float64) float64 {
	w := t.Max - t.Min
	if p*w < t.Mode-t.Min {
		return min(t.Min+math.Sqrt(p*w*(t.Mode-t.Min)), t.Mode)
	}
	return max(t.Max-math.Sqrt((1-p)*w*(t.Max-t.Mode)), t.Mode)
}

// Quantile returns the inverse CDF at p in [0, 1], NaN otherwise; O(1).
func (t Triangular) Quantile(p float64) float64 {
	if badProb(p) || !t.ok() {
		return nan
	}
	return t.quantile(p)
}

// CDF returns P(X ≤ x); O(1), from gonum's distuv.Triangle.
func (t Triangular) CDF(x float64) float64 {
	if math.IsNaN(x) || !t.ok() {
		return nan
	}
	return t.gonum().CDF(x)
}

// Mean returns (Min+Mode+Max)/3; O(1).
func (t Triangular) Mean() float64 {
	if !t.ok() {
		return nan
	}
	return t.gonum().Mean()
}

// Validate returns a *ParamError unless Min, Mode and Max are finite,
// Min < Max and Min ≤ Mode ≤ Max.
func (t Triangular) Validate() error { return checkMode("triangular", t.Min, t.Mode, t.Max) }

// String returns "triangular(min, mode, max)".
func (t Triangular) String() string { return callString("triangular", t.Min, t.Mode, t.Max) }
