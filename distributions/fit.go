package distributions

import (
	"errors"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat"
)

// FitResult is one distribution fitted to data and how well it fits.
type FitResult struct {
	Dist Dist // the fitted distribution; its String is the Parse form to paste into a scenario

	// LogLikelihood is Σ ln f(x_i), the log-density of the data at the
	// fitted parameters (natural log).
	LogLikelihood float64
	// AIC is Akaike's information criterion 2k − 2·LogLikelihood, with k the
	// number of fitted parameters (2 for normal, lognormal, gamma, beta and
	// uniform; 3 for triangular and pert). Lower is better; differences
	// below about 2 do not single out one family.
	AIC float64
	// KS is the Kolmogorov–Smirnov statistic sup |F_n(x) − F(x)| of the
	// data's empirical CDF F_n against the fitted CDF F, in [0, 1]. With
	// parameters fitted to the same data it is smaller than for a fixed
	// distribution, so 1.36/√n (the 5 % critical value for a fixed one)
	// is conservative.
	KS float64
}

// ErrFit is wrapped by every error of Fit and FitBest: data that cannot
// be fitted (too few points, NaN or ±Inf, values outside a family's
// support, no spread), an unknown family, or an optimisation that did not
// converge. Test for it with errors.Is; errors.As gives the *FitError.
var ErrFit = errors.New("cannot fit distribution to data")

// FitError reports why data could not be fitted, for example
// "fit gamma: data[5] = -0.2 is outside the support (0, +Inf)" or
// "fit pert: 2 data points; need at least 3".
type FitError struct {
	Family string  // family as Fit spells it, e.g. "gamma"; "" for a problem of the data alone
	Index  int     // index into the data of the offending value; -1 when not one value
	Value  float64 // the offending value; NaN when Index is -1
	Reason string  // what is wrong and what was expected
}

// Error implements the error interface.
func (e *FitError) Error() string {
	s := "fit"
	if e.Family != "" {
		s += " " + e.Family
	}
	s += ": "
	if e.Index >= 0 {
		s += "data[" + strconv.Itoa(e.Index) + "] = " + fmtFloat(e.Value) + " "
	}
	return s + e.Reason
}

// Unwrap returns ErrFit.
func (e *FitError) Unwrap() error { return ErrFit }

// family describes one family that Fit knows.
type family struct {
	name   string
	params int     // number of fitted parameters, k of the AIC
	lo, hi float64 // open support (lo, hi) required of the data; ±Inf when unbounded
	// fit returns the maximum-likelihood distribution for sorted data,
	// which has at least params points, at least two distinct values and
	// lies in the support.
	fit func(sorted []float64) (Dist, error)
}

// fitFamilies lists the families in the order of FitBest's default and of
// error messages.
var fitFamilies = []family{
	{"normal", 2, math.Inf(-1), math.Inf(1), fitNormal},
	{"lognormal", 2, 0, math.Inf(1), fitLogNormal},
	{"gamma", 2, 0, math.Inf(1), fitGamma},
	{"beta", 2, 0, 1, fitBeta},
	{"uniform", 2, math.Inf(-1), math.Inf(1), fitUniform},
	{"triangular", 3, math.Inf(-1), math.Inf(1), fitTriangular},
	{"pert", 3, math.Inf(-1), math.Inf(1), fitPERT},
}

func knownFamilies() string {
	names := make([]string, len(fitFamilies))
	for i, f := range fitFamilies {
		names[i] = f.name
	}
	return strings.Join(names, ", ")
}

func lookupFamily(name string) (*family, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	for i := range fitFamilies {
		if fitFamilies[i].name == n {
			return &fitFamilies[i], nil
		}
	}
	return nil, &FitError{Family: name, Index: -1, Value: nan,
		Reason: "unknown family (want one of " + knownFamilies() + ")"}
}

// Fit returns the maximum-likelihood fit of the named family to data:
//
//	normal      Normal{Mu, Sigma}: the mean and the standard deviation with divisor n (closed form)
//	lognormal   LogNormal{Mu, Sigma}: the same of ln x (closed form); data > 0
//	gamma       Gamma{Shape, Rate}: Newton's method on the shape (Minka 2002), Rate = Shape/mean; data > 0
//	beta        Beta{Alpha, Beta} on [0, 1]: Newton's method on α, β; data in (0, 1)
//	uniform     Uniform{Min, Max}: the extremes widened by range/(n−1) each (closed form; see below)
//	triangular  Triangular{Min, Mode, Max}: Nelder–Mead on the ends, the mode profiled over the data
//	pert        PERT{Min, Mode, Max}: Nelder–Mead on the ends, the mode profiled out (a 1-D root)
//
// Family names are case-insensitive. Data are in any order and are not
// modified. The estimates are maximum likelihood, which for small samples
// is biased towards less spread (σ uses the divisor n, not n − 1), with one
// exception: the uniform's maximum-likelihood ends would be the sample's
// extremes, which lie inside the true ends by about (Max − Min)/(n + 1)
// each and give any value outside the sample zero density (and an
// over-optimistic AIC), so Fit returns the unbiased ends x(1) − r/(n−1)
// and x(n) + r/(n−1), r = x(n) − x(1). Triangular and pert ends lie
// outside the data, where their densities vanish. To fit a beta on
// another range [lo, hi], fit (x − lo)/(hi − lo); PERT is a rescaled beta
// with a mode.
//
// Errors wrap ErrFit as a *FitError: an unknown family (the message lists
// the known ones); fewer points than the family needs (2, or 3 for
// triangular and pert; the message says how many); a NaN or ±Inf value or
// one outside the family's support (naming its index); data whose values
// are all equal; an optimisation that did not converge; data so extreme
// that the estimate's parameters overflow or its CDF cannot be evaluated.
//
// Cost: O(n log n) to sort a copy of the data, O(n) for the closed forms
// and the gamma and beta fits, O(n) per likelihood evaluation (a few
// hundred) for triangular and pert, and n CDF evaluations to check the
// fit. For 10⁴ points, measured: a few ms of CPU for the closed forms,
// gamma and beta (mostly the sort and the CDFs), about 50 ms for
// triangular or pert.
func Fit(family string, data []float64) (Dist, error) {
	f, err := lookupFamily(family)
	if err != nil {
		return nil, err
	}
	if err := checkData(data); err != nil {
		return nil, err
	}
	sorted := slices.Clone(data)
	slices.Sort(sorted)
	r, err := f.result(data, sorted)
	if err != nil {
		return nil, err
	}
	return r.Dist, nil
}

// FitBest fits each of the named families (all that apply to the data
// when none is named) and returns the fits sorted by AIC, lowest (best)
// first; ties keep the order of the families.
//
// With no families named, FitBest tries normal, lognormal, gamma, beta,
// uniform, triangular and pert and skips those that cannot be fitted:
// those whose support does not contain the data (lognormal and gamma need
// positive data, beta data in (0, 1)), that need more points, or whose fit
// fails; it returns the first family's error only when none can be fitted.
// A named family that cannot be fitted is an error, as in Fit. Each result
// carries its log-likelihood, AIC and Kolmogorov–Smirnov statistic.
//
// Errors and cost are those of Fit for each family, plus O(n) CDF
// evaluations per family for the KS statistic.
func FitBest(data []float64, families ...string) ([]FitResult, error) {
	if err := checkData(data); err != nil {
		return nil, err
	}
	var fams []*family
	all := len(families) == 0
	if all {
		for i := range fitFamilies {
			fams = append(fams, &fitFamilies[i])
		}
	} else {
		for _, name := range families {
			f, err := lookupFamily(name)
			if err != nil {
				return nil, err
			}
			fams = append(fams, f)
		}
	}
	sorted := slices.Clone(data)
	slices.Sort(sorted)
	var res []FitResult
	var firstErr error
	for _, f := range fams {
		r, err := f.result(data, sorted)
		if err != nil {
			if !all {
				return nil, err
			}
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		res = append(res, r)
	}
	if len(res) == 0 {
		return nil, firstErr
	}
	sort.SliceStable(res, func(i, j int) bool { return res[i].AIC < res[j].AIC })
	return res, nil
}

// checkData returns a *FitError for empty data or a NaN or ±Inf value.
func checkData(data []float64) error {
	if len(data) == 0 {
		return &FitError{Index: -1, Value: nan, Reason: "no data"}
	}
	for i, x := range data {
		if !isFinite(x) {
			return &FitError{Index: i, Value: x, Reason: "is not finite; want finite values"}
		}
	}
	return nil
}

// result fits f to the data (finite; sorted is a sorted copy) and scores
// the fit. It returns a *FitError when the data do not suit f, the fit
// fails, or the fitted distribution cannot be evaluated at the data (its
// log-likelihood is not finite or its CDF not in [0, 1]: parameters at
// the edge of floating point).
func (f *family) result(data, sorted []float64) (FitResult, error) {
	if err := f.applies(data, sorted); err != nil {
		return FitResult{}, err
	}
	d, err := f.fit(sorted)
	if err != nil {
		return FitResult{}, err
	}
	ll := logLikelihood(d, sorted)
	ks := ksSorted(sorted, d.CDF)
	if !isFinite(ll) || !(ks >= 0 && ks <= 1) {
		return FitResult{}, &FitError{Family: f.name, Index: -1, Value: nan,
			Reason: "the estimate " + d.String() + " cannot be evaluated at the data (log-likelihood " +
				fmtFloat(ll) + ", KS " + fmtFloat(ks) + "): the data are too extreme for this family"}
	}
	return FitResult{Dist: d, LogLikelihood: ll, AIC: 2*float64(f.params) - 2*ll, KS: ks}, nil
}

// applies returns a *FitError unless the data (finite; sorted is a sorted
// copy) has enough points, lies in f's support and has two distinct values.
func (f *family) applies(data, sorted []float64) error {
	n := len(sorted)
	if n < f.params {
		return &FitError{Family: f.name, Index: -1, Value: nan,
			Reason: strconv.Itoa(n) + " data points; need at least " + strconv.Itoa(f.params)}
	}
	if !(sorted[0] > f.lo && sorted[n-1] < f.hi) {
		for i, x := range data {
			if !(x > f.lo && x < f.hi) {
				return &FitError{Family: f.name, Index: i, Value: x,
					Reason: "is outside the support (" + fmtFloat(f.lo) + ", " + fmtFloat(f.hi) + ")"}
			}
		}
	}
	if !(sorted[0] < sorted[n-1]) {
		return &FitError{Family: f.name, Index: -1, Value: nan,
			Reason: "all " + strconv.Itoa(n) + " data points equal " + fmtFloat(sorted[0]) + "; need at least 2 distinct values"}
	}
	return nil
}

// validFit returns d, or a *FitError when the estimate is not a valid
// distribution: data too close together for the family's parameters to
// resolve (σ underflows) or so large that they overflow.
func validFit(name string, d Dist) (Dist, error) {
	if err := d.Validate(); err != nil {
		return nil, &FitError{Family: name, Index: -1, Value: nan,
			Reason: "the estimate " + d.String() + " is invalid (" + err.Error() +
				"): the data are too close together or too large for this family"}
	}
	return d, nil
}

// logLikelihood returns Σ ln f(x) for the fitted distributions of this
// file; O(n).
func logLikelihood(d Dist, x []float64) float64 {
	switch d := d.(type) {
	case Normal:
		return normalLL(x, d.Mu, d.Sigma)
	case LogNormal:
		var ll, s float64
		for _, v := range x {
			l := math.Log(v)
			s += l
			z := (l - d.Mu) / d.Sigma
			ll -= z * z / 2
		}
		n := float64(len(x))
		return ll - s - n*math.Log(d.Sigma) - n*lnSqrt2Pi
	case Gamma:
		var sl, sx float64
		for _, v := range x {
			sl += math.Log(v)
			sx += v
		}
		n := float64(len(x))
		lg, _ := math.Lgamma(d.Shape)
		return n*(d.Shape*math.Log(d.Rate)-lg) + (d.Shape-1)*sl - d.Rate*sx
	case Beta:
		m1, m2 := meanLogs(x)
		return float64(len(x)) * betaLLPerPoint(d.Alpha, d.Beta, m1, m2)
	case Uniform:
		return -float64(len(x)) * math.Log(d.Max-d.Min)
	case Triangular:
		return triangularLL(x, d.Min, d.Mode, d.Max)
	case PERT:
		return pertLL(x, d.Min, d.Mode, d.Max)
	}
	panic("distributions: logLikelihood of " + d.String())
}

var lnSqrt2Pi = 0.5 * math.Log(2*math.Pi)

func normalLL(x []float64, mu, sigma float64) float64 {
	var ll float64
	for _, v := range x {
		z := (v - mu) / sigma
		ll -= z * z / 2
	}
	n := float64(len(x))
	return ll - n*math.Log(sigma) - n*lnSqrt2Pi
}

func fitNormal(x []float64) (Dist, error) {
	mu, v := stat.PopMeanVariance(x, nil)
	return validFit("normal", Normal{Mu: mu, Sigma: math.Sqrt(v)})
}

func fitLogNormal(x []float64) (Dist, error) {
	logs := make([]float64, len(x))
	for i, v := range x {
		logs[i] = math.Log(v)
	}
	mu, v := stat.PopMeanVariance(logs, nil)
	return validFit("lognormal", LogNormal{Mu: mu, Sigma: math.Sqrt(v)})
}

// trigamma returns ψ'(x) = ζ(2, x), the Hurwitz zeta function of gonum
// mathext; x > 0.
func trigamma(x float64) float64 { return mathext.Zeta(2, x) }

// fitGamma solves the likelihood equation ln k − ψ(k) = ln(mean) −
// mean(ln x) for the shape k by Newton's method from Minka's closed-form
// start ("Estimating a Gamma distribution", 2002), which converges to
// machine precision in a few steps because ln k − ψ(k) is convex and
// decreasing; the rate is k/mean.
func fitGamma(x []float64) (Dist, error) {
	mean := stat.Mean(x, nil)
	var ml float64
	for _, v := range x {
		ml += math.Log(v)
	}
	ml /= float64(len(x))
	s := math.Log(mean) - ml
	if !(s > 0) || !isFinite(s) {
		return nil, &FitError{Family: "gamma", Index: -1, Value: nan,
			Reason: "ln(mean) − mean(ln x) = " + fmtFloat(s) + ", want > 0: the data are too close together or too large"}
	}
	k := (3 - s + math.Sqrt((s-3)*(s-3)+24*s)) / (12 * s)
	for range 100 {
		f := math.Log(k) - mathext.Digamma(k) - s
		df := 1/k - trigamma(k)
		next := k - f/df
		if !(next > 0) {
			next = k / 2 // stay in the domain; f is decreasing, so the root is below
		}
		done := math.Abs(next-k) <= 1e-14*k
		k = next
		if done {
			break
		}
	}
	return validFit("gamma", Gamma{Shape: k, Rate: k / mean})
}

// meanLogs returns the mean of ln x and of ln(1 − x).
func meanLogs(x []float64) (m1, m2 float64) {
	for _, v := range x {
		m1 += math.Log(v)
		m2 += math.Log1p(-v)
	}
	n := float64(len(x))
	return m1 / n, m2 / n
}

// betaLLPerPoint is the beta log-likelihood divided by n, from the mean
// logs m1 = mean ln x and m2 = mean ln(1 − x) (sufficient statistics).
func betaLLPerPoint(a, b, m1, m2 float64) float64 {
	return (a-1)*m1 + (b-1)*m2 - mathext.Lbeta(a, b)
}

// fitBeta maximises the beta likelihood, a function of the sufficient
// statistics mean ln x and mean ln(1 − x) only, by Newton's method on
// (α, β) from the method-of-moments estimate. The log-likelihood is
// strictly concave in (α, β) (an exponential family in α − 1, β − 1), so
// Newton with step halving, which keeps the parameters positive and the
// likelihood from decreasing, converges to the unique maximum; the
// gradient uses ψ and the Hessian ψ' (gonum mathext).
func fitBeta(x []float64) (Dist, error) {
	m1, m2 := meanLogs(x)
	mean, v := stat.PopMeanVariance(x, nil)
	a, b := 1.0, 1.0
	if c := mean*(1-mean)/v - 1; c > 0 && isFinite(c) {
		a, b = mean*c, (1-mean)*c
	}
	ll := betaLLPerPoint(a, b, m1, m2)
	converged := false
	for range 200 {
		dab, tab := mathext.Digamma(a+b), trigamma(a+b)
		ga, gb := m1-mathext.Digamma(a)+dab, m2-mathext.Digamma(b)+dab
		haa, hbb, hab := tab-trigamma(a), tab-trigamma(b), tab
		det := haa*hbb - hab*hab
		da, db := -(hbb*ga-hab*gb)/det, -(haa*gb-hab*ga)/det
		// The Newton decrement g·d/2 is the predicted gain in ln L/n; once it
		// is below what ln L can resolve, comparing likelihoods is noise:
		// take the full step and stop.
		if dec := (ga*da + gb*db) / 2; math.Abs(dec) <= 1e-15*(1+math.Abs(ll)) {
			if na, nb := a+da, b+db; na > 0 && nb > 0 {
				a, b = na, nb
			}
			converged = true
			break
		}
		moved := false
		for step := 1.0; step > 1e-12; step /= 2 {
			na, nb := a+step*da, b+step*db
			if na > 0 && nb > 0 {
				if l := betaLLPerPoint(na, nb, m1, m2); l >= ll {
					a, b, ll, moved = na, nb, l, true
					break
				}
			}
		}
		if !moved {
			break
		}
	}
	if !converged {
		return nil, &FitError{Family: "beta", Index: -1, Value: nan,
			Reason: "the likelihood maximisation did not converge"}
	}
	return validFit("beta", Beta{Alpha: a, Beta: b})
}

// fitUniform returns the ends x(1) − r/(n−1) and x(n) + r/(n−1), r the
// sample range: the unbiased estimates (E[x(1)] = Min + w/(n+1) and
// E[r] = w·(n−1)/(n+1) for width w). The maximum-likelihood ends, x(1) and
// x(n), lie inside the true ends and give every value outside the sample
// density zero, which makes their likelihood (and AIC) over-optimistic.
func fitUniform(x []float64) (Dist, error) {
	n := len(x)
	pad := (x[n-1] - x[0]) / float64(n-1)
	return validFit("uniform", Uniform{Min: x[0] - pad, Max: x[n-1] + pad})
}

// negLL returns −ll for the minimisers, +Inf for NaN (the ends pushed
// onto the data or to overflow by the simplex), which it then avoids.
func negLL(ll float64) float64 {
	if math.IsNaN(ll) {
		return math.Inf(1)
	}
	return -ll
}

// endGaps maps the unconstrained u0, u1 to ends a < x[0] and b > x[n−1]:
// a = x[0] − s·e^u0, b = x[n−1] + s·e^u1 with s the data's range.
func endGaps(x []float64, u0, u1 float64) (a, b float64) {
	s := x[len(x)-1] - x[0]
	return x[0] - s*math.Exp(u0), x[len(x)-1] + s*math.Exp(u1)
}

// fitEnds maximises over the ends a < x(1) and b > x(n) of sorted x, by
// Nelder–Mead on endGaps' unconstrained gaps from about range/√n outside
// the data, the log-likelihood profile(a, b) returns with the shape
// parameter profiled out, and returns the ends and that parameter.
func fitEnds(name string, x []float64, profile func(a, b float64) (shape, ll float64)) (a, b, shape float64, err error) {
	u0 := -0.5 * math.Log(float64(len(x)))
	u, err := nelderMead(name, []float64{u0, u0}, func(u []float64) float64 {
		_, ll := profile(endGaps(x, u[0], u[1]))
		return negLL(ll)
	})
	if err != nil {
		return 0, 0, 0, err
	}
	a, b = endGaps(x, u[0], u[1])
	shape, _ = profile(a, b)
	return a, b, shape, nil
}

// fitTriangular maximises the triangular likelihood over the ends a < x(1)
// and b > x(n) by Nelder–Mead; for given ends the best mode is one of the
// order statistics or an end (Oliver 1972, "A maximum likelihood oddity"),
// found in O(n) from prefix sums of ln(x − a) and suffix sums of ln(b − x).
func fitTriangular(x []float64) (Dist, error) {
	n := len(x)
	la, lb := make([]float64, n), make([]float64, n)
	left, right := make([]float64, n+1), make([]float64, n+1)
	profile := func(a, b float64) (mode, ll float64) {
		// la[i] = ln(x_i − a), lb[i] = ln(b − x_i); left[i] = Σ_{j<i} la[j],
		// right[i] = Σ_{j≥i} lb[j].
		for i, v := range x {
			la[i], lb[i] = math.Log(v-a), math.Log(b-v)
			left[i+1] = left[i] + la[i]
		}
		right[n] = 0
		for i := n - 1; i >= 0; i-- {
			right[i] = right[i+1] + lb[i]
		}
		// Mode at a: every point on the falling side, density 2(b−x)/(b−a)²;
		// mode at b: every point on the rising side.
		mode, ll = a, right[0]-float64(n)*math.Log(b-a)
		if l := left[n] - float64(n)*math.Log(b-a); l > ll {
			mode, ll = b, l
		}
		for r, c := range x {
			// Mode c = x_r: the r points below it on the rising side, the
			// n−1−r above on the falling side, and x_r itself at density
			// 2/(b−a), which either side gives.
			l := left[r] + right[r+1]
			if r > 0 {
				l -= float64(r) * la[r]
			}
			if m := n - 1 - r; m > 0 {
				l -= float64(m) * lb[r]
			}
			if l > ll {
				mode, ll = c, l
			}
		}
		return mode, ll + float64(n)*(math.Ln2-math.Log(b-a))
	}
	a, b, c, err := fitEnds("triangular", x, profile)
	if err != nil {
		return nil, err
	}
	return validFit("triangular", Triangular{Min: a, Mode: c, Max: b})
}

// triangularLL returns the triangular log-likelihood; O(n).
func triangularLL(x []float64, a, c, b float64) float64 {
	var ll float64
	for _, v := range x {
		switch {
		case v < c:
			ll += math.Log(2 * (v - a) / ((b - a) * (c - a)))
		case v > c:
			ll += math.Log(2 * (b - v) / ((b - a) * (b - c)))
		default:
			ll += math.Log(2 / (b - a))
		}
	}
	return ll
}

// pertLL returns the PERT log-likelihood, that of Beta(α, β) on [a, b];
// O(n) with two logarithms per point.
func pertLL(x []float64, a, m, b float64) float64 {
	w := b - a
	al, be := 1+4*(m-a)/w, 1+4*(b-m)/w
	var s1, s2 float64
	for _, v := range x {
		s1 += math.Log(v - a)
		s2 += math.Log(b - v)
	}
	n := float64(len(x))
	return (al-1)*s1 + (be-1)*s2 - n*(mathext.Lbeta(al, be)+(al+be-1)*math.Log(w))
}

// fitPERT maximises the PERT likelihood over the ends a < x(1) and
// b > x(n) by Nelder–Mead (as in fitTriangular), with the mode profiled
// out: for given ends the log-likelihood depends on the data only through
// S1 = Σ ln(x − a) and S2 = Σ ln(b − x), and is strictly concave in
// α = 1 + 4(mode − a)/(b − a) ∈ [1, 5] (β = 6 − α), so its maximum solves
// ψ(α) − ψ(6 − α) = (S1 − S2)/n, found by bisection.
func fitPERT(x []float64) (Dist, error) {
	n := float64(len(x))
	profile := func(a, b float64) (alpha, ll float64) {
		var s1, s2 float64
		for _, v := range x {
			s1 += math.Log(v - a)
			s2 += math.Log(b - v)
		}
		alpha = pertShape((s1 - s2) / n)
		return alpha, (alpha-1)*s1 + (5-alpha)*s2 - n*(mathext.Lbeta(alpha, 6-alpha)+5*math.Log(b-a))
	}
	a, b, alpha, err := fitEnds("pert", x, profile)
	if err != nil {
		return nil, err
	}
	return validFit("pert", PERT{Min: a, Mode: a + (alpha-1)/4*(b-a), Max: b})
}

// pertShape returns the α in [1, 5] that solves ψ(α) − ψ(6 − α) = c, the
// left side being increasing; the nearer end when c is outside its range
// (NaN gives 1). Bisection to the resolution of float64: about 60 steps.
func pertShape(c float64) float64 {
	lo, hi := 1.0, 5.0
	h := func(a float64) float64 { return mathext.Digamma(a) - mathext.Digamma(6-a) }
	if !(c > h(lo)) {
		return lo
	}
	if c >= h(hi) {
		return hi
	}
	for range 100 {
		mid := (lo + hi) / 2
		if mid == lo || mid == hi {
			break
		}
		if h(mid) < c {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// ksSorted returns the Kolmogorov–Smirnov statistic sup |F_n(x) − F(x)| of
// sorted data against cdf, with ties evaluated once per distinct value;
// O(n) CDF evaluations. It computes what disttest.KS does for unsorted
// data (which cannot be shared: disttest imports this package) except at a
// tied value, where it also takes F(x) − F_n(x−): exact for the continuous
// fitted laws, where disttest.KS skips it to stay conservative at atoms.
func ksSorted(s []float64, cdf func(float64) float64) float64 {
	n := float64(len(s))
	d := 0.0
	for i := 0; i < len(s); {
		j := i + 1
		for j < len(s) && s[j] == s[i] {
			j++
		}
		f := cdf(s[i])
		d = math.Max(d, math.Abs(float64(j)/n-f))
		d = math.Max(d, f-float64(i)/n)
		i = j
	}
	return d
}

// nelderMead minimises f from x0 by the Nelder–Mead simplex method with
// the standard coefficients (reflection 1, expansion 2, contraction ½,
// shrink ½; Lagarias et al. 1998), restarted once from its result so that
// a collapsed simplex does not stop it early. A run stops when the values
// at the simplex's vertices differ by less than 1e-10·(1+|f|) and the
// vertices by less than 1e-6 in every coordinate; not meeting that within
// 400 iterations per dimension is an error.
//
// Written here rather than taken from gonum optimize because that package
// imports stat/distmv and with it golang.org/x/tools, a module this one
// does not otherwise need; TestNelderMead checks its accuracy.
func nelderMead(name string, x0 []float64, f func([]float64) float64) ([]float64, error) {
	x, ok := simplexSearch(x0, f)
	if ok {
		x, ok = simplexSearch(x, f)
	}
	if !ok || !isFinite(f(x)) {
		return nil, &FitError{Family: name, Index: -1, Value: nan,
			Reason: "the likelihood maximisation did not converge"}
	}
	return x, nil
}

// simplexSearch is one Nelder–Mead run from the simplex x0, x0 + 0.5·e_i;
// it reports whether it met the tolerances.
func simplexSearch(x0 []float64, f func([]float64) float64) ([]float64, bool) {
	d := len(x0)
	pts := make([][]float64, d+1)
	vals := make([]float64, d+1)
	for i := range pts {
		pts[i] = slices.Clone(x0)
		if i > 0 {
			pts[i][i-1] += 0.5
		}
		vals[i] = f(pts[i])
	}
	centroid, xr, xe := make([]float64, d), make([]float64, d), make([]float64, d)
	along := func(dst []float64, t float64) { // dst = centroid + t·(centroid − worst)
		for j := range dst {
			dst[j] = centroid[j] + t*(centroid[j]-pts[d][j])
		}
	}
	for range 400 * d {
		// Order the vertices by value, best first (insertion sort; d ≤ 3).
		for i := 1; i <= d; i++ {
			for k := i; k > 0 && vals[k] < vals[k-1]; k-- {
				pts[k], pts[k-1] = pts[k-1], pts[k]
				vals[k], vals[k-1] = vals[k-1], vals[k]
			}
		}
		if simplexConverged(pts, vals) {
			return pts[0], true
		}
		for j := range centroid {
			centroid[j] = 0
			for _, p := range pts[:d] {
				centroid[j] += p[j] / float64(d)
			}
		}
		along(xr, 1)
		fr := f(xr)
		switch {
		case fr < vals[0]: // try expanding
			along(xe, 2)
			if fe := f(xe); fe < fr {
				copy(pts[d], xe)
				vals[d] = fe
			} else {
				copy(pts[d], xr)
				vals[d] = fr
			}
		case fr < vals[d-1]:
			copy(pts[d], xr)
			vals[d] = fr
		default: // contract, or else shrink towards the best vertex
			t := -0.5
			if fr < vals[d] {
				t = 0.5
			}
			along(xe, t)
			if fe := f(xe); fe < math.Min(fr, vals[d]) {
				copy(pts[d], xe)
				vals[d] = fe
				continue
			}
			for i := 1; i <= d; i++ {
				for j := range pts[i] {
					pts[i][j] = pts[0][j] + 0.5*(pts[i][j]-pts[0][j])
				}
				vals[i] = f(pts[i])
			}
		}
	}
	return pts[0], false
}

// simplexConverged reports whether the simplex (sorted, best first) has
// values within 1e-10·(1+|best|) and vertices within 1e-6 of the best.
func simplexConverged(pts [][]float64, vals []float64) bool {
	if !(vals[len(vals)-1]-vals[0] <= 1e-10*(1+math.Abs(vals[0]))) {
		return false
	}
	for _, p := range pts[1:] {
		for j, v := range p {
			if !(math.Abs(v-pts[0][j]) <= 1e-6) {
				return false
			}
		}
	}
	return true
}
