package distributions

import (
	"math"
	"strconv"
)

// The weights of Discrete and Mixture, and the mean of their values (and
// of Empirical's data), are handled here once.

// weightTotal returns Σ weights for n items (n when weights is nil: equal
// weights), or NaN unless n > 0, len(weights) == n and every weight is
// finite and ≥ 0 with a positive finite sum. O(n), no allocation.
func weightTotal(n int, weights []float64) float64 {
	if n == 0 {
		return nan
	}
	if weights == nil {
		return float64(n)
	}
	if len(weights) != n {
		return nan
	}
	var s float64
	for _, w := range weights {
		if !(w >= 0) || math.IsInf(w, 1) {
			return nan
		}
		s += w
	}
	if !(s > 0) || math.IsInf(s, 1) {
		return nan
	}
	return s
}

// weightedMean returns Σ values[i]·weights[i] / total (weights nil: all
// 1). When that overflows although the mean itself is representable (values
// near ±MaxFloat64, or large weights), it sums values[i]/2·(weights[i]/total)
// instead and doubles the result.
func weightedMean(values, weights []float64, total float64) float64 {
	var s float64
	for i, v := range values {
		if weights == nil {
			s += v
		} else {
			s += v * weights[i]
		}
	}
	if m := s / total; isFinite(m) {
		return m
	}
	s = 0
	for i, v := range values {
		w := 1.0
		if weights != nil {
			w = weights[i]
		}
		s += v / 2 * (w / total)
	}
	return 2 * s
}

// checkWeighted validates a non-empty list (of values when checkValues, else
// of components checked by the caller) and its weights.
func checkWeighted(dist, what string, values, weights []float64, checkValues bool) error {
	n := len(values)
	if n == 0 {
		return paramErr(dist, "len("+what+")", 0, "must be > 0")
	}
	if checkValues {
		for i, v := range values {
			if !isFinite(v) {
				return paramErr(dist, what+"["+strconv.Itoa(i)+"]", v, "must be finite")
			}
		}
	}
	return checkWeights(dist, what, n, weights)
}

// checkWeights validates n weights that must be finite, ≥ 0, with a positive
// finite sum: the error form of weightTotal.
func checkWeights(dist, what string, n int, weights []float64) error {
	if len(weights) != n {
		return paramErr(dist, "len(weights)", float64(len(weights)), "must equal len("+what+") "+strconv.Itoa(n))
	}
	var s float64
	for i, w := range weights {
		if !(w >= 0) || math.IsInf(w, 1) {
			return paramErr(dist, "weights["+strconv.Itoa(i)+"]", w, "must be ≥ 0 and finite")
		}
		s += w
	}
	if !(s > 0) || math.IsInf(s, 1) {
		return paramErr(dist, "sum(weights)", s, "must be > 0 and finite")
	}
	return nil
}
