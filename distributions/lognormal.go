package distributions

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// LogNormal is the distribution of exp(Y) where Y is normal with mean Mu and
// standard deviation Sigma: Mu and Sigma are the parameters of the log, not
// the mean and standard deviation of the variable. Its median is exp(Mu).
//
// Supported range: Sigma > 0, |Mu| + 15·Sigma ≤ 709 and Mu + Sigma²/2 ≤
// 709, so that samples, the quantiles at probabilities from Φ(−15) ≈ 4e-51
// to 1 − 2⁻⁵³ and the mean are positive and finite (e^709 ≈ 8e307). The
// support is (0, +Inf). Its String form is "lognormal(mu, sigma)". CI90 builds one from a 90 %
// interval.
type LogNormal struct {
	Mu    float64 // mean of the log; |Mu| + 15·Sigma ≤ 709
	Sigma float64 // standard deviation of the log; > 0, Mu + Sigma²/2 ≤ 709
}

var (
	_ Dist   = LogNormal{}
	_ Filler = LogNormal{}
)

func (l LogNormal) ok() bool {
	return logNormalOK(l.Mu, l.Sigma)
}

// Sample returns exp(Mu + Sigma·Z) with Z from r.NormFloat64 (the ziggurat);
// O(1), no allocation.
func (l LogNormal) Sample(r *rand.Rand) float64 {
	checkRand(r)
	if !l.ok() {
		return nan
	}
	return math.Exp(l.Mu + l.Sigma*r.NormFloat64())
}

// Quantile returns the inverse CDF at p in [0, 1] (0 at 0, +Inf at 1), NaN
// otherwise; O(1), from gonum's distuv.LogNormal.
func (l LogNormal) Quantile(p float64) float64 {
	if badProb(p) || !l.ok() {
		return nan
	}
	return distuv.LogNormal{Mu: l.Mu, Sigma: l.Sigma}.Quantile(p)
}

// CDF returns P(X ≤ x), 0 for x ≤ 0; O(1), from gonum's distuv.LogNormal.
func (l LogNormal) CDF(x float64) float64 {
	if math.IsNaN(x) || !l.ok() {
		return nan
	}
	if x <= 0 {
		return 0
	}
	return distuv.LogNormal{Mu: l.Mu, Sigma: l.Sigma}.CDF(x)
}

// Mean returns exp(Mu + Sigma²/2); O(1).
func (l LogNormal) Mean() float64 {
	if !l.ok() {
		return nan
	}
	return distuv.LogNormal{Mu: l.Mu, Sigma: l.Sigma}.Mean()
}

// Validate returns a *ParamError unless Sigma > 0, |Mu| + 15·Sigma ≤ 709
// and Mu + Sigma²/2 ≤ 709.
func (l LogNormal) Validate() error {
	return checkLogNormal("lognormal", "mu", "sigma", l.Mu, l.Sigma)
}

// String returns "lognormal(mu, sigma)".
func (l LogNormal) String() string { return callString("lognormal", l.Mu, l.Sigma) }

// Fill implements Filler: one r.NormFloat64 (ziggurat) per value.
func (l LogNormal) Fill(r *rand.Rand, dst []float64, n, stride int) {
	checkFill(r, dst, n, stride)
	if !l.ok() {
		fillNaN(dst, n, stride)
		return
	}
	mu, sigma := l.Mu, l.Sigma
	for i := 0; i < n; i++ {
		dst[i*stride] = math.Exp(mu + sigma*r.NormFloat64())
	}
}
