package distributions

import (
	"errors"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mathext"
)

// Truncated is Dist conditioned on Min < X ≤ Max (for a continuous Dist the
// same as Min ≤ X ≤ Max): e.g. a growth rate believed normal but never below
// zero. It works for any Dist through its CDF and Quantile.
//
// Dist must be a valid, non-nil Dist; Min and Max must not be NaN, may be
// infinite (a one-sided truncation), and must satisfy Min < Max with
// Dist.CDF(Max) − Dist.CDF(Min) ≥ 1e-9·Dist.CDF(Max): the window must hold
// probability mass as computed in float64, enough of it that its
// quantiles are not coarse, so windows far in an upper tail (beyond about
// 6 standard deviations above the mean of a normal) are refused; in a
// lower tail, where small probabilities are represented accurately, any
// positive mass is enough. Its String
// form is "truncated(dist, min, max)", e.g. "truncated(normal(0.2, 0.1), 0,
// 1)", with infinite bounds spelled -Inf and +Inf.
//
// Each method evaluates Dist.CDF at Min and Max on every call (nothing is
// cached, so the struct literal is the whole value): a Truncated nested k
// levels deep costs 3^k evaluations of the innermost CDF.
type Truncated struct {
	Dist Dist    // distribution to truncate; valid, non-nil
	Min  float64 // lower bound (excluded for atoms); not NaN, may be −Inf
	Max  float64 // upper bound (included); not NaN, > Min, may be +Inf
}

var _ Dist = Truncated{}

// window returns Dist.CDF(Min) and Dist.CDF(Max) and whether the window has
// enough mass (at least minTruncatedMass·CDF(Max); false also when Dist is
// nil or invalid, its CDF being NaN).
func (t Truncated) window() (lo, hi float64, ok bool) {
	if t.Dist == nil || !(t.Min < t.Max) {
		return nan, nan, false
	}
	lo, hi = 0, 1
	if !math.IsInf(t.Min, -1) {
		lo = t.Dist.CDF(t.Min)
	}
	if !math.IsInf(t.Max, 1) {
		hi = t.Dist.CDF(t.Max)
	}
	return lo, hi, hi > lo && hi-lo >= minTruncatedMass*hi
}

func (t Truncated) clamp(x float64) float64 {
	if x < t.Min {
		return t.Min
	}
	if x > t.Max {
		return t.Max
	}
	return x
}

// Sample returns Dist.Quantile(u) for u uniform in (CDF(Min), CDF(Max)],
// from one r.Float64() (inverse-CDF sampling; Dist.Sample is not called).
// It costs two Dist.CDF and one Dist.Quantile evaluations: about 50 ns over a
// Normal, microseconds over Beta, Gamma or PERT (iterative quantiles). No
// allocation when Dist's methods allocate none.
func (t Truncated) Sample(r *rand.Rand) float64 {
	checkRand(r)
	lo, hi, ok := t.window()
	if !ok {
		return nan
	}
	return t.at(hi - r.Float64()*(hi-lo))
}

// at returns Dist.Quantile(u) clamped to [Min, Max] for u in (CDF(Min),
// CDF(Max)]. Where u rounds onto 0 or 1 (a window reaching into a tail
// that float64 probabilities cannot resolve) it uses the nearest
// probability strictly inside (0, 1), so that an unbounded Dist gives a
// finite value.
func (t Truncated) at(u float64) float64 {
	if u >= 1 {
		u = 1 - 0x1p-53
	} else if u <= 0 {
		u = math.SmallestNonzeroFloat64
	}
	return t.clamp(t.Dist.Quantile(u))
}

// Quantile returns Dist.Quantile(CDF(Min) + p·(CDF(Max) − CDF(Min)))
// clamped to [Min, Max] for p in (0, 1), NaN outside [0, 1]; two CDF and
// one Quantile evaluations of Dist. Quantile(0) is max(Min,
// Dist.Quantile(0)) and Quantile(1) is min(Max, Dist.Quantile(1)): the ends
// of the support when Dist's support is an interval (not so for an atom at
// Min, which the truncation excludes, or a gap in Dist's support next to a
// bound).
func (t Truncated) Quantile(p float64) float64 {
	if badProb(p) {
		return nan
	}
	lo, hi, ok := t.window()
	if !ok {
		return nan
	}
	switch p {
	case 0:
		return t.clamp(t.Dist.Quantile(0))
	case 1:
		return t.clamp(t.Dist.Quantile(1))
	}
	return t.at(math.Min(lo+p*(hi-lo), hi))
}

// CDF returns (Dist.CDF(x) − Dist.CDF(Min)) / (Dist.CDF(Max) − Dist.CDF(Min))
// for Min ≤ x < Max, 0 below Min and 1 from Max on; three CDF evaluations
// of Dist.
func (t Truncated) CDF(x float64) float64 {
	if math.IsNaN(x) {
		return nan
	}
	lo, hi, ok := t.window()
	if !ok {
		return nan
	}
	switch {
	case x < t.Min:
		return 0
	case x >= t.Max:
		return 1
	}
	return math.Max(0, math.Min(1, (t.Dist.CDF(x)-lo)/(hi-lo)))
}

// Mean returns the mean of the truncated distribution: in closed form when
// Dist is one of this package's types (O(1) for the parametric ones, O(n)
// in the data of Discrete and Empirical, recursive for Mixture and
// Truncated), otherwise by tanh-sinh quadrature of Dist.Quantile over the
// window (257 Quantile evaluations; relative error about 1e-12 for a
// smooth quantile function, about 1e-7 when it has a kink inside the
// window).
func (t Truncated) Mean() float64 {
	if _, _, ok := t.window(); !ok {
		return nan
	}
	pm, mass := partialMean(t.Dist, t.Min, t.Max)
	if !(mass > 0) {
		return nan
	}
	return t.clamp(pm / mass)
}

// Validate returns a *ParamError unless Dist is non-nil and valid, Min and
// Max are not NaN, Min < Max, and the window holds probability mass of at
// least 1e-9·Dist.CDF(Max). An
// invalid Dist is reported with its parameter prefixed by "dist.", e.g.
// "truncated: dist.sigma -1 must be > 0".
func (t Truncated) Validate() error {
	if t.Dist == nil {
		return paramErr("truncated", "dist", nan, "must not be nil")
	}
	if err := t.Dist.Validate(); err != nil {
		return nestErr("truncated", "dist", err)
	}
	if math.IsNaN(t.Min) {
		return paramErr("truncated", "min", t.Min, "must not be NaN")
	}
	if math.IsNaN(t.Max) {
		return paramErr("truncated", "max", t.Max, "must not be NaN")
	}
	if t.Min > t.Max {
		return paramErr("truncated", "min", t.Min, "> max "+fmtFloat(t.Max))
	}
	if !(t.Min < t.Max) {
		return paramErr("truncated", "min", t.Min, "must be < max "+fmtFloat(t.Max))
	}
	if lo, hi, ok := t.window(); !ok {
		if !(hi > lo) {
			return paramErr("truncated", "max", t.Max, "leaves no probability mass above min "+fmtFloat(t.Min)+" in "+t.Dist.String())
		}
		return paramErr("truncated", "max", t.Max, "leaves probability mass "+fmtFloat(hi-lo)+" above min "+fmtFloat(t.Min)+
			" in "+t.Dist.String()+": must be ≥ 1e-9·CDF(max)")
	}
	return nil
}

// String returns "truncated(dist, min, max)".
func (t Truncated) String() string {
	inner := "<nil>"
	if t.Dist != nil {
		inner = t.Dist.String()
	}
	return "truncated(" + inner + ", " + fmtFloat(t.Min) + ", " + fmtFloat(t.Max) + ")"
}

// nestErr reports the invalid component err of distribution dist, at
// parameter prefix (e.g. "dist" or "components[2]").
func nestErr(dist, prefix string, err error) error {
	var pe *ParamError
	if errors.As(err, &pe) {
		return &ParamError{Dist: dist, Param: prefix + "." + pe.Param, Value: pe.Value, Reason: pe.Reason}
	}
	return paramErr(dist, prefix, nan, "is invalid: "+err.Error())
}

// partialMean returns E[X; a < X ≤ b] and P(a < X ≤ b) for a valid d and
// a < b.
func partialMean(d Dist, a, b float64) (pm, mass float64) {
	cdf := func(x float64) float64 {
		switch {
		case math.IsInf(x, -1):
			return 0
		case math.IsInf(x, 1):
			return 1
		}
		return d.CDF(x)
	}
	switch d := d.(type) {
	case Constant:
		if a < d.Value && d.Value <= b {
			return d.Value, 1
		}
		return 0, 0
	case Bernoulli:
		if a < 0 && 0 <= b {
			mass += 1 - d.P
		}
		if a < 1 && 1 <= b {
			pm += d.P
			mass += d.P
		}
		return pm, mass
	case Uniform:
		lo, hi := math.Max(a, d.Min), math.Min(b, d.Max)
		if !(lo < hi) {
			return 0, 0
		}
		mass = (hi - lo) / (d.Max - d.Min)
		return mass * (lo/2 + hi/2), mass
	case Normal:
		return normalPartialMean(d, a, b)
	case LogNormal:
		return logNormalPartialMean(d, a, b)
	case Interval90:
		mu, sigma, isLog, _ := d.params()
		if isLog {
			return logNormalPartialMean(LogNormal{mu, sigma}, a, b)
		}
		return normalPartialMean(Normal{mu, sigma}, a, b)
	case Triangular:
		return triangularPartialMean(d, a, b)
	case Gamma:
		// E[X; a<X≤b] = (k/λ)·(P(k+1, λb) − P(k+1, λa)), since
		// x·pdf(x; k, λ) = (k/λ)·pdf(x; k+1, λ).
		up := func(x float64) float64 { // P(k+1, λx), beyond Gamma's Shape range
			switch {
			case x <= 0:
				return 0
			case math.IsInf(x, 1):
				return 1
			}
			return mathext.GammaIncReg(d.Shape+1, d.Rate*x)
		}
		return d.Mean() * (up(b) - up(a)), cdf(b) - cdf(a)
	case Beta:
		return betaPartialMean(d, a, b)
	case PERT:
		// X = Min + w·B with B ~ Beta(α, β).
		w := d.Max - d.Min
		al, be := d.shapes()
		bpm, bmass := betaPartialMean(Beta{al, be}, (a-d.Min)/w, (b-d.Min)/w)
		return d.Min*bmass + w*bpm, bmass
	case Discrete:
		total := d.literalTotal()
		for i, v := range d.Values {
			if a < v && v <= b {
				pm += v * d.Weights[i]
				mass += d.Weights[i]
			}
		}
		return pm / total, mass / total
	case Empirical:
		for _, v := range d.Data {
			if a < v && v <= b {
				pm += v
				mass++
			}
		}
		n := float64(len(d.Data))
		return pm / n, mass / n
	case Mixture:
		total := d.totalWeight()
		for i, c := range d.Components {
			w := d.weight(i)
			if w == 0 {
				continue
			}
			cpm, cmass := partialMean(c, a, b)
			pm += w / total * cpm
			mass += w / total * cmass
		}
		return pm, mass
	case Truncated:
		lo, hi, _ := d.window()
		a2, b2 := math.Max(a, d.Min), math.Min(b, d.Max)
		if !(a2 < b2) {
			return 0, 0
		}
		ipm, imass := partialMean(d.Dist, a2, b2)
		return ipm / (hi - lo), imass / (hi - lo)
	}
	lo, hi := cdf(a), cdf(b)
	mass = hi - lo
	if !(mass > 0) {
		return 0, 0
	}
	q := func(u float64) float64 { return math.Max(a, math.Min(b, d.Quantile(u))) }
	return tanhSinh(q, lo, hi), mass
}

// normalPartialMean returns E[X; a<X≤b] and P(a<X≤b) for a valid Normal:
// μ(Φ(β)−Φ(α)) + σ(φ(α)−φ(β)) with α, β the standardized bounds (Johnson,
// Kotz and Balakrishnan, Continuous Univariate Distributions, vol. 1,
// section 13.10.1).
func normalPartialMean(d Normal, a, b float64) (pm, mass float64) {
	mass = d.CDF(b) - d.CDF(a)
	return d.Mu*mass + d.Sigma*(stdNormPDF((a-d.Mu)/d.Sigma)-stdNormPDF((b-d.Mu)/d.Sigma)), mass
}

// logNormalPartialMean returns E[X; a<X≤b] and P(a<X≤b) for a valid
// LogNormal: e^(μ+σ²/2)·(Φ((ln b−μ−σ²)/σ) − Φ((ln a−μ−σ²)/σ)), since
// x·pdf(x; μ, σ) = e^(μ+σ²/2)·pdf(x; μ+σ², σ).
func logNormalPartialMean(d LogNormal, a, b float64) (pm, mass float64) {
	shifted := LogNormal{Mu: d.Mu + d.Sigma*d.Sigma, Sigma: d.Sigma}
	return d.Mean() * (shifted.CDF(b) - shifted.CDF(a)), d.CDF(b) - d.CDF(a)
}

// betaPartialMean returns E[X; a<X≤b] and P(a<X≤b) for a valid Beta:
// α/(α+β)·(I_b(α+1, β) − I_a(α+1, β)).
func betaPartialMean(d Beta, a, b float64) (pm, mass float64) {
	up := func(x float64) float64 { return incBeta(d.Alpha+1, d.Beta, x) } // beyond Beta's range
	return d.Mean() * (up(b) - up(a)), d.CDF(b) - d.CDF(a)
}

// triangularPartialMean returns E[X; a<X≤b] and P(a<X≤b) for a valid
// Triangular, integrating x·pdf(x) in closed form on each side of the mode
// in coordinates measured from the nearer end of the support.
func triangularPartialMean(d Triangular, a, b float64) (pm, mass float64) {
	w := d.Max - d.Min
	// Left side: y = x − Min in [0, c], pdf 2y/(w·c); ∫(Min+y)·pdf dy and
	// ∫pdf dy have antiderivatives (Min·y²/2 + y³/3)·2/(wc) and y²/(wc).
	if c := d.Mode - d.Min; c > 0 {
		y0 := math.Max(0, math.Min(c, a-d.Min))
		y1 := math.Max(0, math.Min(c, b-d.Min))
		if y1 > y0 {
			k := 2 / (w * c)
			pm += k * (d.Min*(y1*y1-y0*y0)/2 + (y1*y1*y1-y0*y0*y0)/3)
			mass += k * (y1*y1 - y0*y0) / 2
		}
	}
	// Right side: z = Max − x in [0, e], pdf 2z/(w·e), x = Max − z.
	if e := d.Max - d.Mode; e > 0 {
		z0 := math.Max(0, math.Min(e, d.Max-b))
		z1 := math.Max(0, math.Min(e, d.Max-a))
		if z1 > z0 {
			k := 2 / (w * e)
			pm += k * (d.Max*(z1*z1-z0*z0)/2 - (z1*z1*z1-z0*z0*z0)/3)
			mass += k * (z1*z1 - z0*z0) / 2
		}
	}
	return pm, mass
}

// stdNormPDF is the standard normal density (0 at ±Inf).
func stdNormPDF(z float64) float64 {
	return math.Exp(-z*z/2) / math.Sqrt(2*math.Pi)
}

// tanhSinh returns ∫_lo^hi f(u) du by tanh-sinh (double exponential)
// quadrature with step 1/32 on t ∈ [−4, 4] (Takahasi and Mori, 1974), which
// tolerates integrable singularities at the ends: u = lo + (hi−lo)·s(t),
// s(t) = 1/(1+exp(−π sinh t)). Points that round onto lo or hi are skipped.
func tanhSinh(f func(float64) float64, lo, hi float64) float64 {
	const h = 1.0 / 32
	const n = 128 // t = k·h for k in [−n, n]
	w := hi - lo
	var sum float64
	for k := -n; k <= n; k++ {
		t := float64(k) * h
		e := math.Exp(-math.Pi * math.Sinh(t))
		s := 1 / (1 + e)  // s(t)
		s1 := e / (1 + e) // 1 − s(t), accurate when s is near 1
		if math.IsInf(e, 1) {
			s, s1 = 0, 1
		}
		wt := math.Pi * math.Cosh(t) * s * s1 // ds/dt
		var u float64
		if s < 0.5 {
			u = lo + w*s
		} else {
			u = hi - w*s1
		}
		if !(u > lo && u < hi) || wt == 0 {
			continue
		}
		sum += wt * f(u)
	}
	return sum * h * w
}
