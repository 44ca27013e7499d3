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

var _ Dist = Normal{}

func (n Normal) ok() bool {
	return normalOK(n.Mu, n.Sigma)
}

// Sample returns Mu + Sigma·Z with Z from r.NormFloat64 (the ziggurat
// method); O(1), no allocation. The ziggurat occasionally draws more than
// one value from r.
func (n Normal) Sample(r *rand.Rand) float64 {
	checkRand(r)
	if !n.ok() {
		return nan
	}
	return n.Mu + n.Sigma*r.NormFloat64()
}

// Quantile returns the inverse CDF at p in [0, 1] (−Inf at 0, +Inf at 1),
// NaN otherwise; O(1), from gonum's distuv.Normal.
func (n Normal) Quantile(p float64) float64 {
	if badProb(p) || !n.ok() {
		return nan
	}
	return distuv.Normal{Mu: n.Mu, Sigma: n.Sigma}.Quantile(p)
}

// CDF returns P(X ≤ x); O(1), from gonum's distuv.Normal.
func (n Normal) CDF(x float64) float64 {
	if math.IsNaN(x) || !n.ok() {
		return nan
	}
	return distuv.Normal{Mu: n.Mu, Sigma: n.Sigma}.CDF(x)
}

// Mean returns Mu; O(1).
func (n Normal) Mean() float64 {
	if !n.ok() {
		return nan
	}
	return n.Mu
}

// Validate returns a *ParamError unless Mu is finite, Sigma > 0 and
// |Mu| + 40·Sigma is finite.
func (n Normal) Validate() error { return checkNormal("normal", "mu", "sigma", n.Mu, n.Sigma) }

// String returns "normal(mu, sigma)".
func (n Normal) String() string { return callString("normal", n.Mu, n.Sigma) }
