package distributions

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

// Gamma is the gamma distribution with shape Shape and rate Rate (scale
// 1/Rate): density Rate^Shape x^(Shape−1) e^(−Rate·x) / Γ(Shape) on (0, +Inf).
// Shape 1 is the exponential distribution with rate Rate.
//
// Supported ranges: 1e-3 ≤ Shape ≤ 1e4 and 1e-250 ≤ Rate ≤ 1e250 (outside
// them gonum's incomplete gamma inversion is inaccurate or does not
// return). Its String form is "gamma(shape, rate)".
type Gamma struct {
	Shape float64 // shape k (often α); in [1e-3, 1e4], dimensionless
	Rate  float64 // rate β = 1/scale; in [1e-250, 1e250], in 1/(units of X)
}

var _ Dist = Gamma{}

func (g Gamma) ok() bool {
	return shapeOK(g.Shape) && g.Rate >= minRate && g.Rate <= maxRate
}

// Sample returns one draw by the Marsaglia–Tsang squeeze method (one
// r.NormFloat64 and one r.Float64 per try, accepted with probability ≥ 0.95;
// one more r.Float64 when Shape < 1); O(1) expected, no allocation. The
// number of values drawn from r varies.
func (g Gamma) Sample(r *rand.Rand) float64 {
	checkRand(r)
	if !g.ok() {
		return nan
	}
	return gammaSample(r, g.Shape) / g.Rate
}

// Quantile returns the inverse CDF at p in [0, 1] (0 at 0, +Inf at 1), NaN
// otherwise. It inverts the regularized incomplete gamma function
// iteratively (gonum mathext, refined in the lower tail): about a
// microsecond, no allocation.
func (g Gamma) Quantile(p float64) float64 {
	if badProb(p) || !g.ok() {
		return nan
	}
	switch p {
	case 0:
		return 0
	case 1:
		return math.Inf(1)
	}
	return gammaQuantile(g.Shape, p) / g.Rate
}

// gammaQuantile returns the x with P(a, x) = p (the regularized lower
// incomplete gamma function) for a > 0 and 0 < p < 1, without allocating.
// For p ≥ 0.25 it is gonum's mathext.GammaIncRegCompInv(a, 1−p), as in
// distuv.Gamma. Below, where 1−p loses digits (and where gonum's own
// GammaIncRegInv allocates), it refines a guess by safeguarded Halley steps
// on P(a, x) − p inside a bracket, to relative precision about 1e-15.
func gammaQuantile(a, p float64) float64 {
	if p >= 0.25 {
		return mathext.GammaIncRegCompInv(a, 1-p)
	}
	if mathext.GammaIncReg(a, math.SmallestNonzeroFloat64) >= p {
		return 0 // the quantile underflows
	}
	lo, hi := 0.0, mathext.GammaIncRegCompInv(a, 0.25) // P(a, hi) = 0.75 > p
	lga, _ := math.Lgamma(a)
	lga1, _ := math.Lgamma(a + 1)
	// P(a, x) ≈ x^a/Γ(a+1) for small x.
	x := math.Exp((math.Log(p) + lga1) / a)
	if !(x > lo && x < hi) {
		x = hi / 2
	}
	for range 200 {
		f := mathext.GammaIncReg(a, x) - p
		switch {
		case f == 0:
			return x
		case f < 0:
			lo = x
		default:
			hi = x
		}
		var next float64
		// f' = pdf(x) = x^(a−1)e^(−x)/Γ(a); f''/f' = (a−1)/x − 1.
		if d := math.Exp((a-1)*math.Log(x) - x - lga); d > 0 && !math.IsInf(d, 1) {
			step := f / d
			if den := 1 - 0.5*step*((a-1)/x-1); den > 0.5 {
				step /= den // Halley
			}
			next = x - step
		}
		if !(next > lo && next < hi) {
			if lo > 0 {
				next = math.Sqrt(lo) * math.Sqrt(hi) // bisect in log x
			} else {
				next = hi / 16
			}
		}
		if math.Abs(next-x) <= 1e-15*x || next == 0 {
			return next
		}
		x = next
	}
	return x
}

// CDF returns P(X ≤ x), the regularized incomplete gamma function
// (gonum distuv.Gamma); O(1) series or continued fraction.
func (g Gamma) CDF(x float64) float64 {
	if math.IsNaN(x) || !g.ok() {
		return nan
	}
	if x <= 0 {
		return 0
	}
	if math.IsInf(x, 1) {
		return 1
	}
	return distuv.Gamma{Alpha: g.Shape, Beta: g.Rate}.CDF(x)
}

// Mean returns Shape/Rate; O(1).
func (g Gamma) Mean() float64 {
	if !g.ok() {
		return nan
	}
	return g.Shape / g.Rate
}

// Validate returns a *ParamError unless Shape is in [1e-3, 1e4] and Rate
// in [1e-250, 1e250].
func (g Gamma) Validate() error {
	if err := checkRange("gamma", "shape", g.Shape, minShape, maxShape); err != nil {
		return err
	}
	return checkRange("gamma", "rate", g.Rate, minRate, maxRate)
}

// String returns "gamma(shape, rate)".
func (g Gamma) String() string { return callString("gamma", g.Shape, g.Rate) }

// mtTries caps the tries of mtGamma's rejection loops. A try is accepted
// with probability ≥ 0.95 (and v ≤ 0 has probability < 0.007), so the cap
// is reached with probability below 1e-80: it never changes a stream, and
// only bounds the loop should r be degenerate.
const mtTries = 64

// mtGamma returns a Gamma(a, 1) variate for a ≥ 1 by Marsaglia, G. and
// Tsang, W. W. (2000), "A simple method for generating gamma variables",
// ACM TOMS 26(3):363–372. After mtTries rejected tries it returns
// a − 1/3, close to the median.
func mtGamma(r *rand.Rand, a float64) float64 {
	d := a - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for range mtTries {
		var x, v float64
		for range mtTries {
			x = r.NormFloat64()
			v = 1 + c*x
			if v > 0 {
				break
			}
		}
		if !(v > 0) {
			continue
		}
		v = v * v * v
		u := r.Float64()
		x2 := x * x
		if u < 1-0.0331*x2*x2 {
			return d * v
		}
		if math.Log(u) < 0.5*x2+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
	return d
}

// gammaSample returns a Gamma(a, 1) variate for a > 0. For a < 1 it uses
// Gamma(a) = Gamma(a+1)·U^(1/a) (Marsaglia and Tsang, section 6), which
// underflows to 0 only where the exact variate is below the smallest float.
func gammaSample(r *rand.Rand, a float64) float64 {
	if a >= 1 {
		return mtGamma(r, a)
	}
	g := mtGamma(r, a+1)
	u := 1 - r.Float64() // in (0, 1]
	return g * math.Pow(u, 1/a)
}

// logGammaSample returns the log of a Gamma(a, 1) variate for a > 0, without
// underflow for small a.
func logGammaSample(r *rand.Rand, a float64) float64 {
	if a >= 1 {
		return math.Log(mtGamma(r, a))
	}
	g := mtGamma(r, a+1)
	u := 1 - r.Float64() // in (0, 1]
	return math.Log(g) + math.Log(u)/a
}
