package distributions

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// Normal is the normal (Gaussian) distribution with mean Mu and standard
// deviation Sigma.
//
// Mu must be finite and Sigma > 0 with |Mu| + 40·Sigma finite (so that
// every quantile at a probability in (0, 1) is finite). Its String form is
// "normal(mu, sigma)".
type Normal struct {
	Mu    float64 // mean; finite, in the units of the variable
	Sigma float64 // standard deviation; > 0, |Mu| + 40·Sigma finite, same units as Mu
}

var (
	_ Dist   = Normal{}
	_ Filler = Normal{}
)

func (d Normal) ok() bool {
	return normalOK(d.Mu, d.Sigma)
}

// Sample returns Mu + Sigma·Z with Z from r.NormFloat64 (the ziggurat
// method); O(1), no allocation. The ziggurat occasionally draws more than
// one value from r.
func (d Normal) Sample(r *rand.Rand) float64 {
	checkRand(r)
	if !d.ok() {
		return nan
	}
	return d.Mu + d.Sigma*r.NormFloat64()
}

// Quantile returns the inverse CDF at p in [0, 1] (−Inf at 0, +Inf at 1),
// NaN otherwise; O(1), from gonum's distuv.Normal.
func (d Normal) Quantile(p float64) float64 {
	if badProb(p) || !d.ok() {
		return nan
	}
	return distuv.Normal{Mu: d.Mu, Sigma: d.Sigma}.Quantile(p)
}

// CDF returns P(X ≤ x); O(1), from gonum's distuv.Normal.
func (d Normal) CDF(x float64) float64 {
	if math.IsNaN(x) || !d.ok() {
		return nan
	}
	return distuv.Normal{Mu: d.Mu, Sigma: d.Sigma}.CDF(x)
}

// Mean returns Mu; O(1).
func (d Normal) Mean() float64 {
	if !d.ok() {
		return nan
	}
	return d.Mu
}

// Validate returns a *ParamError unless Mu is finite, Sigma > 0 and
// |Mu| + 40·Sigma is finite.
func (d Normal) Validate() error { return checkNormal("normal", "mu", "sigma", d.Mu, d.Sigma) }

// String returns "normal(mu, sigma)".
func (d Normal) String() string { return callString("normal", d.Mu, d.Sigma) }

// Fill implements Filler: one r.NormFloat64 (ziggurat) per value.
func (d Normal) Fill(r *rand.Rand, dst []float64, n, stride int) {
	checkFill(r, dst, n, stride)
	if !d.ok() {
		fillNaN(dst, n, stride)
		return
	}
	mu, sigma := d.Mu, d.Sigma
	for i := 0; i < n; i++ {
		dst[i*stride] = mu + sigma*r.NormFloat64()
	}
}
