package distributions

import "math"

// The supported parameter ranges: where this package's numerics (gonum's
// incomplete gamma and beta functions and their inverses, and the
// arithmetic of the closed forms) are accurate and every method returns
// finite values in bounded time. Validate refuses parameters outside them
// with a *ParamError that states the range; the other methods return NaN
// for them, as for any invalid value.
const (
	// minShape and maxShape bound Gamma.Shape and Beta's Alpha and Beta.
	// Below 1e-3 the inverse incomplete gamma and beta functions lose
	// their accuracy (at 1e-320 gonum's inverse does not return at all)
	// and almost all the mass rounds onto an end of the support; above
	// 1e4 the tail quantiles of gonum's inversions lose accuracy and
	// monotonicity (Beta(1, 1e5) at 1 − 2⁻⁵³, Gamma(3e5) at 1e-6).
	minShape = 1e-3
	maxShape = 1e4

	// minRate and maxRate bound Gamma.Rate, so that every quantile
	// (at most about 1.1e4/Rate) and the mean are finite.
	minRate = 1e-250
	maxRate = 1e250

	// maxLogExtent bounds the parameters of LogNormal (and of the
	// log-normal behind an Interval90): |Mu| + 15·Sigma ≤ maxLogExtent and
	// Mu + Sigma²/2 ≤ maxLogExtent, so that samples (the ziggurat's normal
	// variates stay below 15 in magnitude), the quantiles at probabilities
	// between Φ(−15) ≈ 4e-51 and 1 − 2⁻⁵³, and the mean are positive and
	// finite.
	maxLogExtent = 709

	// normalExtent is how many standard deviations from Mu a Normal's
	// quantiles reach for probabilities in (0, 1): Φ⁻¹(4.9e-324) ≈ −38.5.
	normalExtent = 40

	// minTruncatedMass is the smallest probability mass a Truncated window
	// may hold, relative to Dist.CDF(Max): below it the window holds fewer
	// than about 10⁷ representable probabilities and its quantiles and
	// samples are coarse.
	minTruncatedMass = 1e-9
)

// checkRange returns a *ParamError unless lo ≤ x ≤ hi (NaN fails).
func checkRange(dist, param string, x, lo, hi float64) error {
	if !(x >= lo && x <= hi) {
		return paramErr(dist, param, x, "must be in ["+fmtFloat(lo)+", "+fmtFloat(hi)+"]")
	}
	return nil
}

// checkWidth returns a *ParamError unless hi − lo is finite (lo and hi
// finite and ordered are checked before).
func checkWidth(dist, loName, hiName string, lo, hi float64) error {
	if math.IsInf(hi-lo, 0) {
		return paramErr(dist, hiName, hi, "must be within "+fmtFloat(math.MaxFloat64)+" of "+loName+" "+fmtFloat(lo)+" (the width must be finite)")
	}
	return nil
}

// normalOK reports whether mu and sigma are in Normal's supported range.
func normalOK(mu, sigma float64) bool {
	return isFinite(mu) && sigma > 0 && isFinite(math.Abs(mu)+normalExtent*sigma)
}

// checkNormal validates the parameters of a normal distribution.
func checkNormal(dist, muName, sigmaName string, mu, sigma float64) error {
	if err := checkFinite(dist, muName, mu); err != nil {
		return err
	}
	if err := checkPositive(dist, sigmaName, sigma); err != nil {
		return err
	}
	if !normalOK(mu, sigma) {
		return paramErr(dist, sigmaName, sigma, "must be ≤ "+fmtFloat((math.MaxFloat64-math.Abs(mu))/normalExtent)+
			" (|"+muName+"| + 40·"+sigmaName+" must be finite)")
	}
	return nil
}

// logNormalOK reports whether mu and sigma are in LogNormal's supported
// range (see maxLogExtent).
func logNormalOK(mu, sigma float64) bool {
	return sigma > 0 && math.Abs(mu)+15*sigma <= maxLogExtent && mu+sigma*sigma/2 <= maxLogExtent
}

// checkLogNormal validates the parameters of a log-normal distribution.
func checkLogNormal(dist, muName, sigmaName string, mu, sigma float64) error {
	if err := checkFinite(dist, muName, mu); err != nil {
		return err
	}
	if err := checkPositive(dist, sigmaName, sigma); err != nil {
		return err
	}
	if math.Abs(mu) > maxLogExtent {
		return checkRange(dist, muName, mu, -maxLogExtent, maxLogExtent)
	}
	if !logNormalOK(mu, sigma) {
		return paramErr(dist, sigmaName, sigma, "too large for "+muName+" "+fmtFloat(mu)+
			": |"+muName+"| + 15·"+sigmaName+" and "+muName+" + "+sigmaName+"²/2 must be ≤ 709")
	}
	return nil
}

// shapeOK reports whether x is in [minShape, maxShape].
func shapeOK(x float64) bool { return x >= minShape && x <= maxShape }
