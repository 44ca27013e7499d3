package distributions

import (
	"math"
	"math/rand/v2"
)

// Bernoulli takes the value 1 with probability P and 0 otherwise: a one-off
// event (an acquisition that happens or not) to multiply a cost by.
//
// P must be in [0, 1]. Its String form is "bernoulli(p)".
type Bernoulli struct {
	P float64 // probability of 1; in [0, 1]
}

var _ Dist = Bernoulli{}

// Sample returns 1 if r.Float64() < P, else 0: one value from r; O(1).
func (b Bernoulli) Sample(r *rand.Rand) float64 {
	checkRand(r)
	if badProb(b.P) {
		return nan
	}
	if r.Float64() < b.P {
		return 1
	}
	return 0
}

// Quantile returns 0 for p ≤ 1−P (when P < 1) and 1 otherwise, for p in
// [0, 1]; NaN otherwise; O(1). Quantile(1) is 1 whenever P > 0 (the upper
// end of the support, even where 1−P rounds to 1).
func (b Bernoulli) Quantile(p float64) float64 {
	if badProb(p) || badProb(b.P) {
		return nan
	}
	if b.P < 1 && p <= 1-b.P && !(p == 1 && b.P > 0) {
		return 0
	}
	return 1
}

// CDF returns 0 for x < 0, 1−P for 0 ≤ x < 1 and 1 for x ≥ 1; O(1).
func (b Bernoulli) CDF(x float64) float64 {
	if math.IsNaN(x) || badProb(b.P) {
		return nan
	}
	switch {
	case x < 0:
		return 0
	case x < 1:
		return 1 - b.P
	}
	return 1
}

// Mean returns P; O(1).
func (b Bernoulli) Mean() float64 {
	if badProb(b.P) {
		return nan
	}
	return b.P
}

// Validate returns a *ParamError unless P is in [0, 1].
func (b Bernoulli) Validate() error {
	if badProb(b.P) {
		return paramErr("bernoulli", "p", b.P, "must be in [0, 1]")
	}
	return nil
}

// String returns "bernoulli(p)".
func (b Bernoulli) String() string { return callString("bernoulli", b.P) }
