package distributions

import (
	"math"
	"math/rand/v2"
)

// z95 is the 95th percentile of the standard normal distribution,
// Φ⁻¹(0.95) = 1.64485362695147271486... (mpmath at 40 digits, see
// testdata/reference.py; checked against gonum mathext.NormalQuantile).
const z95 = 1.6448536269514727148638489

// Interval90 is a belief stated as "Lo to Hi" with 90 % confidence: a
// log-normal whose 5th and 95th percentiles are Lo and Hi when 0 < Lo < Hi,
// and otherwise a normal with those percentiles (Squiggle's "to",
// decisionSupport's 90 % intervals).
//
// Lo and Hi must be finite with Lo < Hi. Its String form is "lo to hi",
// e.g. "115 to 135". Every method costs O(1). CI90 builds one with the
// log-normal or normal parameters computed once; a struct literal works
// the same but derives them on each call (two more logarithms per Sample
// for the log-normal, about 40 ns). Both forms give the same results.
//
// An Interval90 is a plain comparable value (CI90(115, 135) ==
// CI90(115, 135)); the parameters CI90 caches are held inline, with the Lo
// and Hi they were derived from, so a modified copy never uses stale ones.
// A literal and a CI90 value of the same Lo and Hi differ under == by that
// cache only.
type Interval90 struct {
	Lo float64 // 5th percentile; finite, < Hi
	Hi float64 // 95th percentile; finite, > Lo

	c ci90Params // set by CI90 for valid Lo, Hi; used while they match
}

// ci90Params caches the parameters derived from lo and hi (ok false: none).
type ci90Params struct {
	lo, hi, mu, sigma float64
	isLog, ok         bool
}

var (
	_ Dist   = Interval90{}
	_ Filler = Interval90{}
)

// CI90 returns the distribution whose 5th and 95th percentiles are lo and
// hi: log-normal when 0 < lo < hi (lognormal(μ, σ) with μ = (ln lo + ln
// hi)/2, σ = (ln hi − ln lo)/(2·1.6449)), normal otherwise (μ = (lo+hi)/2,
// σ = (hi−lo)/(2·1.6449)). It returns an Interval90, whose String is
// "lo to hi". CI90 does not fail: when lo ≥ hi or either is not finite the
// returned value's Validate method reports a *ParamError naming "lo" or
// "hi", and its other methods return NaN.
//
// CI90 costs two logarithms and one allocation (the interface value).
func CI90(lo, hi float64) Dist {
	c := Interval90{Lo: lo, Hi: hi}
	if mu, sigma, isLog, ok := c.params(); ok {
		c.c = ci90Params{lo: lo, hi: hi, mu: mu, sigma: sigma, isLog: isLog, ok: true}
	}
	return c
}

// params returns the parameters of the underlying normal (of the log when
// isLog) and whether they describe a valid distribution.
func (c Interval90) params() (mu, sigma float64, isLog, ok bool) {
	if p := &c.c; p.ok && p.lo == c.Lo && p.hi == c.Hi {
		return p.mu, p.sigma, p.isLog, true
	}
	if !(isFinite(c.Lo) && isFinite(c.Hi) && c.Lo < c.Hi) {
		return nan, nan, false, false
	}
	lo, hi := c.Lo, c.Hi
	if lo > 0 {
		lo, hi, isLog = math.Log(lo), math.Log(hi), true
	}
	mu = lo/2 + hi/2
	sigma = (hi/2 - lo/2) / z95
	if isLog {
		return mu, sigma, true, logNormalOK(mu, sigma)
	}
	return mu, sigma, false, normalOK(mu, sigma)
}

// Sample returns one draw from the underlying log-normal or normal using one
// r.NormFloat64 (the ziggurat); O(1), no allocation.
func (c Interval90) Sample(r *rand.Rand) float64 {
	checkRand(r)
	mu, sigma, isLog, ok := c.params()
	if !ok {
		return nan
	}
	x := mu + sigma*r.NormFloat64()
	if isLog {
		return math.Exp(x)
	}
	return x
}

// Quantile returns the inverse CDF at p in [0, 1], NaN otherwise; O(1).
// Quantile(0.05) is Lo and Quantile(0.95) is Hi up to rounding.
func (c Interval90) Quantile(p float64) float64 {
	mu, sigma, isLog, ok := c.params()
	if !ok {
		return nan
	}
	if isLog {
		return LogNormal{mu, sigma}.Quantile(p)
	}
	return Normal{mu, sigma}.Quantile(p)
}

// CDF returns P(X ≤ x); O(1).
func (c Interval90) CDF(x float64) float64 {
	mu, sigma, isLog, ok := c.params()
	if !ok {
		return nan
	}
	if isLog {
		return LogNormal{mu, sigma}.CDF(x)
	}
	return Normal{mu, sigma}.CDF(x)
}

// Mean returns the mean: exp(μ + σ²/2) for the log-normal, (Lo+Hi)/2 for
// the normal; O(1).
func (c Interval90) Mean() float64 {
	mu, sigma, isLog, ok := c.params()
	if !ok {
		return nan
	}
	if isLog {
		return LogNormal{mu, sigma}.Mean()
	}
	return mu
}

// Dist returns the underlying LogNormal or Normal (whose String is its own
// form, not "lo to hi"), or c itself when c is invalid.
func (c Interval90) Dist() Dist {
	mu, sigma, isLog, ok := c.params()
	switch {
	case !ok:
		return c
	case isLog:
		return LogNormal{mu, sigma}
	}
	return Normal{mu, sigma}
}

// Validate returns a *ParamError naming "lo" or "hi" unless both are finite
// and Lo < Hi, and the derived log-normal or normal is in its supported
// range (for the log-normal, Hi/Lo below about e^93 and Lo·Hi within
// e^±1418; for the normal, σ > 0 and |μ| + 40σ finite).
func (c Interval90) Validate() error {
	if err := checkOrdered("ci90", "lo", "hi", c.Lo, c.Hi); err != nil {
		return err
	}
	if mu, sigma, isLog, ok := c.params(); !ok {
		var err error
		if isLog || c.Lo > 0 {
			err = checkLogNormal("lognormal", "mu", "sigma", mu, sigma)
		} else {
			err = checkNormal("normal", "mu", "sigma", mu, sigma)
		}
		reason := "too close to lo " + fmtFloat(c.Lo)
		if err != nil {
			reason = "with lo " + fmtFloat(c.Lo) + " gives " + err.Error()
		}
		return paramErr("ci90", "hi", c.Hi, reason)
	}
	return nil
}

// String returns "lo to hi", e.g. "115 to 135" or "-0.1 to 0.3".
func (c Interval90) String() string { return fmtFloat(c.Lo) + " to " + fmtFloat(c.Hi) }

// Fill implements Filler, deriving the log-normal or normal parameters once
// per call instead of once per draw.
func (c Interval90) Fill(r *rand.Rand, dst []float64, n, stride int) {
	checkFill(r, dst, n, stride)
	mu, sigma, isLog, ok := c.params()
	switch {
	case !ok:
		fillNaN(dst, n, stride)
	case isLog:
		for i := 0; i < n; i++ {
			dst[i*stride] = math.Exp(mu + sigma*r.NormFloat64())
		}
	default:
		for i := 0; i < n; i++ {
			dst[i*stride] = mu + sigma*r.NormFloat64()
		}
	}
}
