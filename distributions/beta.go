package distributions

import (
	"math"
	"math/rand/v2"
)

// Beta is the beta distribution on [0, 1] with shape parameters Alpha and
// Beta: density x^(Alpha−1) (1−x)^(Beta−1) / B(Alpha, Beta). Use it for
// fractions and probabilities; PERT is a rescaled Beta.
//
// Supported ranges: 1e-3 ≤ Alpha, Beta ≤ 1e4 (outside them gonum's
// incomplete beta function and its inverse are inaccurate). Its String
// form is "beta(alpha, beta)".
type Beta struct {
	Alpha float64 // first shape parameter; in [1e-3, 1e4]
	Beta  float64 // second shape parameter; in [1e-3, 1e4]
}

var _ Dist = Beta{}

func (b Beta) ok() bool {
	return shapeOK(b.Alpha) && shapeOK(b.Beta)
}

// Sample returns X/(X+Y) for independent X ~ Gamma(Alpha, 1) and
// Y ~ Gamma(Beta, 1), each by Marsaglia–Tsang (see Gamma.Sample; computed in
// log space when a shape is < 1); O(1) expected, no allocation. The number
// of values drawn from r varies.
func (b Beta) Sample(r *rand.Rand) float64 {
	checkRand(r)
	if !b.ok() {
		return nan
	}
	return betaSample(r, b.Alpha, b.Beta)
}

// Quantile returns the inverse CDF at p in [0, 1], NaN otherwise. It inverts
// the regularized incomplete beta function iteratively (gonum
// mathext.InvRegIncBeta): about a microsecond.
func (b Beta) Quantile(p float64) float64 {
	if badProb(p) || !b.ok() {
		return nan
	}
	return invIncBeta(b.Alpha, b.Beta, p)
}

// CDF returns P(X ≤ x), the regularized incomplete beta function
// I_x(Alpha, Beta) (gonum mathext.RegIncBeta); O(1) continued fraction.
func (b Beta) CDF(x float64) float64 {
	if math.IsNaN(x) || !b.ok() {
		return nan
	}
	return incBeta(b.Alpha, b.Beta, x)
}

// Mean returns Alpha/(Alpha+Beta); O(1).
func (b Beta) Mean() float64 {
	if !b.ok() {
		return nan
	}
	return b.Alpha / (b.Alpha + b.Beta)
}

// Validate returns a *ParamError unless Alpha and Beta are in [1e-3, 1e4].
func (b Beta) Validate() error {
	if err := checkRange("beta", "alpha", b.Alpha, minShape, maxShape); err != nil {
		return err
	}
	return checkRange("beta", "beta", b.Beta, minShape, maxShape)
}

// String returns "beta(alpha, beta)".
func (b Beta) String() string { return callString("beta", b.Alpha, b.Beta) }
