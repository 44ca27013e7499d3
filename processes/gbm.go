package processes

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// GBM is geometric Brownian motion, dS = Drift·S dt + Volatility·S dW, for
// a quantity that grows in proportion to its level and stays positive (a
// price, a market size). Its yearly step is exact:
//
//	S(t+1) = S(t)·exp(Drift − Volatility²/2 + Volatility·z),
//
// so E[S(t)] = Start·e^(Drift·t) and S(t) is log-normal. Volatility = 0 is
// deterministic growth at the continuously compounded rate Drift.
//
// Start must be > 0 and finite, Drift finite, Volatility ≥ 0 and finite.
// Its String form is "gbm(start=100, drift=0.05, volatility=0.2)".
type GBM struct {
	Start      float64 // value at year 0, in the variable's units; > 0 and finite
	Drift      float64 // expected growth rate, a fraction per year (continuous compounding); finite
	Volatility float64 // standard deviation of the yearly log-return, a fraction per √year; ≥ 0 and finite
}

var _ Process = GBM{}
var _ Quantiler = GBM{}

var gbmKeys = []string{"start", "drift", "volatility"}

func (g GBM) ok() bool { return g.Validate() == nil }

// Validate returns a *ParamError unless Start is > 0 and finite, Drift is
// finite and Volatility is ≥ 0 and finite.
func (g GBM) Validate() error {
	if !(g.Start > 0) {
		return &ParamError{"gbm", "start", g.Start, "must be > 0"}
	}
	if err := checkFinite("gbm", "start", g.Start); err != nil {
		return err
	}
	if err := checkFinite("gbm", "drift", g.Drift); err != nil {
		return err
	}
	return checkNonNegative("gbm", "volatility", g.Volatility)
}

// String returns "gbm(start=…, drift=…, volatility=…)".
func (g GBM) String() string {
	return namedString("gbm", gbmKeys, g.Start, g.Drift, g.Volatility)
}

// Path sets dst[i] = Start·exp(Σ_{j≤i} (Drift − Volatility²/2 +
// Volatility·z[j])), the value in year i+1. It accumulates the log, so
// rounding does not compound; O(len(z)), one exp per year, no allocation.
// It panics if len(dst) != len(z) and writes NaN for invalid parameters.
func (g GBM) Path(z, dst []float64) {
	checkPath(z, dst)
	if !g.ok() {
		fillNaN(dst)
		return
	}
	m := g.Drift - g.Volatility*g.Volatility/2
	var x float64
	for i, zi := range z {
		x += m + g.Volatility*zi
		dst[i] = g.Start * math.Exp(x)
	}
}

// Mean returns E[S(t)] = Start·e^(Drift·t); O(1).
func (g GBM) Mean(t float64) float64 {
	if badTime(t) || !g.ok() {
		return math.NaN()
	}
	return g.Start * math.Exp(g.Drift*t)
}

// Variance returns Var[S(t)] = Start²·e^(2·Drift·t)·(e^(Volatility²·t) − 1);
// O(1), accurate for small Volatility²·t (expm1).
func (g GBM) Variance(t float64) float64 {
	if badTime(t) || !g.ok() {
		return math.NaN()
	}
	m := g.Mean(t)
	if g.Volatility == 0 || t == 0 {
		return 0 // avoids Inf·0 when t = +Inf
	}
	return m * m * math.Expm1(g.Volatility*g.Volatility*t)
}

// Quantile returns the p quantile of S(t), Start·exp((Drift −
// Volatility²/2)·t + Volatility·√t·Φ⁻¹(p)), for t ≥ 0 and p in [0, 1]
// (0 at p = 0 and +Inf at p = 1 when Volatility·t > 0); NaN otherwise. O(1).
func (g GBM) Quantile(t, p float64) float64 {
	if badTime(t) || badProb(p) || !g.ok() {
		return math.NaN()
	}
	m := g.Drift - g.Volatility*g.Volatility/2
	if g.Volatility == 0 || t == 0 {
		return g.Start * math.Exp(g.Drift*t)
	}
	return g.Start * math.Exp(m*t+g.Volatility*math.Sqrt(t)*distuv.UnitNormal.Quantile(p))
}
