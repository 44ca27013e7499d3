package distributions

import (
	"math"
	"math/rand/v2"
)

// Constant is the degenerate distribution that always takes Value: a number
// that is known with certainty.
//
// Value must be finite. Its String form is the bare number, e.g. "125".
type Constant struct {
	Value float64 // the only value taken; finite
}

var (
	_ Dist   = Constant{}
	_ Filler = Constant{}
)

// Sample returns Value (NaN if it is not finite). It draws nothing from r
// (but panics if r is nil, as every Sample does); O(1).
func (c Constant) Sample(r *rand.Rand) float64 {
	checkRand(r)
	if !isFinite(c.Value) {
		return nan
	}
	return c.Value
}

// Quantile returns Value for every p in [0, 1], NaN otherwise; O(1).
func (c Constant) Quantile(p float64) float64 {
	if badProb(p) || !isFinite(c.Value) {
		return nan
	}
	return c.Value
}

// CDF returns 0 for x < Value and 1 for x ≥ Value; O(1).
func (c Constant) CDF(x float64) float64 {
	if math.IsNaN(x) || !isFinite(c.Value) {
		return nan
	}
	if x < c.Value {
		return 0
	}
	return 1
}

// Mean returns Value (NaN if it is not finite); O(1).
func (c Constant) Mean() float64 {
	if !isFinite(c.Value) {
		return nan
	}
	return c.Value
}

// Validate returns a *ParamError when Value is NaN or ±Inf.
func (c Constant) Validate() error { return checkFinite("constant", "value", c.Value) }

// String returns Value as a bare number with strconv's shortest exact 'g'
// formatting, e.g. "125"; Parse reads it back as a Constant.
func (c Constant) String() string { return fmtFloat(c.Value) }

// Fill implements Filler; it draws nothing from r.
func (c Constant) Fill(r *rand.Rand, dst []float64, n, stride int) {
	checkFill(r, dst, n, stride)
	v := c.Value
	if !isFinite(v) {
		v = nan
	}
	for i := 0; i < n; i++ {
		dst[i*stride] = v
	}
}
