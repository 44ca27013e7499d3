package processes

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// OU is the Ornstein–Uhlenbeck process, dX = k·(μ − X) dt + σ dW with
// k = Reversion, μ = LongRunMean and σ = Volatility: a quantity pulled back
// towards a long-run level, such as an energy price. (The field is
// LongRunMean because Mean is the method E[X(t)]; the String form calls it
// "mean".) Its yearly step is exact:
//
//	X(t+1) = μ + (X(t) − μ)·e^(−k) + σ·√((1 − e^(−2k))/(2k))·z,
//
// so X(t) is normal with E[X(t)] = μ + (Start − μ)·e^(−k·t) and
// Var[X(t)] = σ²·(1 − e^(−2k·t))/(2k). A deviation from μ halves every
// ln 2/k years; the long-run standard deviation is σ/√(2k). Reversion = 0
// is Brownian motion from Start (LongRunMean is then unused and
// Var[X(t)] = σ²·t), computed exactly as the limit. X can become negative:
// the process is normal.
//
// Start and LongRunMean must be finite, Reversion and Volatility ≥ 0 and
// finite. Its String form is "ou(start=80, mean=75, reversion=0.5,
// volatility=15)".
type OU struct {
	Start       float64 // value at year 0, in the variable's units; finite
	LongRunMean float64 // long-run level, in the variable's units; finite (the "mean" of the String form)
	Reversion   float64 // speed of reversion k, per year; ≥ 0 and finite
	Volatility  float64 // instantaneous standard deviation, the variable's units per √year; ≥ 0 and finite
}

var _ Process = OU{}
var _ Quantiler = OU{}

var ouKeys = []string{"start", "mean", "reversion", "volatility"}

func (o OU) ok() bool { return o.Validate() == nil }

// Validate returns a *ParamError unless Start and LongRunMean are finite and
// Reversion and Volatility are ≥ 0 and finite.
func (o OU) Validate() error {
	if err := checkFinite("ou", "start", o.Start); err != nil {
		return err
	}
	if err := checkFinite("ou", "mean", o.LongRunMean); err != nil {
		return err
	}
	if err := checkNonNegative("ou", "reversion", o.Reversion); err != nil {
		return err
	}
	return checkNonNegative("ou", "volatility", o.Volatility)
}

// String returns "ou(start=…, mean=…, reversion=…, volatility=…)".
func (o OU) String() string {
	return namedString("ou", ouKeys, o.Start, o.LongRunMean, o.Reversion, o.Volatility)
}

// varianceFactor returns (1 − e^(−2k·t))/(2k), the variance of X(t) per
// unit Volatility², and its limit t at k = 0. It uses expm1 so that it is
// accurate for small k·t, and returns 1/(2k) at t = +Inf.
func varianceFactor(k, t float64) float64 {
	if k == 0 {
		return t
	}
	return -math.Expm1(-2*k*t) / (2 * k)
}

// Path sets dst[i] to the value in year i+1 by the exact yearly step above;
// O(len(z)), no allocation (the two constants of the step are computed
// once per call). It panics if len(dst) != len(z) and writes NaN for
// invalid parameters.
func (o OU) Path(z, dst []float64) {
	checkPath(z, dst)
	if !o.ok() {
		fillNaN(dst)
		return
	}
	decay := math.Exp(-o.Reversion)
	sd := o.Volatility * math.Sqrt(varianceFactor(o.Reversion, 1))
	x := o.Start
	for i, zi := range z {
		x = o.LongRunMean + (x-o.LongRunMean)*decay + sd*zi
		dst[i] = x
	}
}

// Mean returns E[X(t)] = LongRunMean + (Start − LongRunMean)·e^(−Reversion·t)
// (Start when Reversion = 0); O(1).
func (o OU) Mean(t float64) float64 {
	if badTime(t) || !o.ok() {
		return math.NaN()
	}
	if o.Reversion == 0 {
		return o.Start
	}
	return o.LongRunMean + (o.Start-o.LongRunMean)*math.Exp(-o.Reversion*t)
}

// Variance returns Var[X(t)] = Volatility²·(1 − e^(−2·Reversion·t))/(2·Reversion),
// and Volatility²·t when Reversion = 0; O(1).
func (o OU) Variance(t float64) float64 {
	if badTime(t) || !o.ok() {
		return math.NaN()
	}
	if o.Volatility == 0 {
		return 0 // avoids 0·Inf when Reversion = 0 and t = +Inf
	}
	return o.Volatility * o.Volatility * varianceFactor(o.Reversion, t)
}

// Quantile returns the p quantile of X(t), Mean(t) + √Variance(t)·Φ⁻¹(p),
// for t ≥ 0 and p in [0, 1] (±Inf at p = 0 and 1 when Variance(t) > 0);
// NaN otherwise. O(1).
func (o OU) Quantile(t, p float64) float64 {
	if badTime(t) || badProb(p) || !o.ok() {
		return math.NaN()
	}
	m, v := o.Mean(t), o.Variance(t)
	if v == 0 {
		return m
	}
	return m + math.Sqrt(v)*distuv.UnitNormal.Quantile(p)
}
