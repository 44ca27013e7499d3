package distributions

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mathext"
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

// betaSample returns a Beta(a, b) variate, X/(X+Y) for X ~ Gamma(a) and
// Y ~ Gamma(b), computed in log space when a shape is below 1 so that it
// does not become 0/0.
func betaSample(r *rand.Rand, a, b float64) float64 {
	if a >= 1 && b >= 1 {
		x := mtGamma(r, a)
		y := mtGamma(r, b)
		return x / (x + y)
	}
	lx := logGammaSample(r, a)
	ly := logGammaSample(r, b)
	return 1 / (1 + math.Exp(ly-lx))
}

// incBeta returns the regularized incomplete beta function I_x(a, b),
// clamping x to [0, 1].
func incBeta(a, b, x float64) float64 {
	if x <= 0 {
		return 0
	}
	if x >= 1 {
		return 1
	}
	return mathext.RegIncBeta(a, b, x)
}

// invIncBeta returns the x in [0, 1] with I_x(a, b) = p for p in [0, 1]
// (gonum mathext.InvRegIncBeta). Above 1 − 2⁻²⁰, where gonum's inversion
// can lose monotonicity (Beta(0.001, 0.5) at 1 − 2⁻⁵³), it inverts the
// complement instead: 1 − I⁻¹_(1−p)(b, a), 1 − p being exact there.
func invIncBeta(a, b, p float64) float64 {
	switch p {
	case 0:
		return 0
	case 1:
		return 1
	}
	if p > 1-0x1p-20 {
		return 1 - mathext.InvRegIncBeta(b, a, 1-p)
	}
	x := mathext.InvRegIncBeta(a, b, p)
	if p < 0x1p-20 {
		x = betaPolish(a, b, p, x)
	}
	return x
}

// betaPolish refines x0, gonum's inverse of I_x(a, b) = p in the lower
// tail, where for a large a it can be off by 1e-3 and not monotone in p
// (Beta(300, 2) below p = 1e-12), or plain wrong (1.1e-16 instead of 0.79
// for Beta(1000, 1) at p = 1e-100). It solves log I_x(a, b) = log p for
// y = log x by safeguarded Newton steps (d log I / dy = x·pdf(x)/I(x)) in a
// bracket, bisecting when a step leaves it, to |Δy| ≤ 1e-15: at most 64
// steps, usually 2 or 3, from the better of x0 and the small-x asymptote
// (p·a·B(a, b))^(1/a). gonum's RegIncBeta keeps its relative accuracy
// there. The result is kept only if I at it is within 1e-6 relative of p
// (not so where I_x underflows); otherwise x0 is returned.
func betaPolish(a, b, p, x0 float64) float64 {
	lbeta := mathext.Lbeta(a, b)
	lp := math.Log(p)
	miss := func(x float64) float64 { return math.Abs(math.Log(mathext.RegIncBeta(a, b, x)) - lp) }
	x := math.Min(math.Exp((lp+math.Log(a)+lbeta)/a), 0.5)
	if x0 > 0 && x0 < 1 && !(miss(x) < miss(x0)) {
		x = x0
	}
	lo, hi := math.Log(math.SmallestNonzeroFloat64), 0.0
	y := math.Log(x)
	for range 64 {
		x = math.Exp(y)
		in := mathext.RegIncBeta(a, b, x)
		g := math.Log(in) - lp
		switch {
		case g == 0:
			return x
		case g < 0:
			lo = y
		default:
			hi = y
		}
		next := y - g/(math.Exp(a*y+(b-1)*math.Log1p(-x)-lbeta)/in)
		if !(next > lo && next < hi) {
			next = lo/2 + hi/2
		}
		if math.Abs(next-y) <= 1e-15 {
			y = next
			break
		}
		y = next
	}
	x = math.Exp(y)
	if !(math.Abs(mathext.RegIncBeta(a, b, x)-p) <= 1e-6*p) {
		return x0
	}
	return x
}
