package decide

import (
	"fmt"
	"math"
)

// checkValues validates values[c][i] and returns the number of trials n per
// choice and the number of usable trials (no NaN under any choice and, if x
// is not nil, no NaN in x[i]), which must be at least minUsed. It costs one
// pass over the values.
func checkValues(values [][]float64, x []float64, minUsed int) (n, used int, err error) {
	if len(values) == 0 {
		return 0, 0, fmt.Errorf("decide: values has no choices: want at least one")
	}
	n = len(values[0])
	if n == 0 {
		return 0, 0, fmt.Errorf("decide: values[0] has no trials: want at least one")
	}
	for c, v := range values {
		if len(v) != n {
			return 0, 0, fmt.Errorf("decide: values[%d] has %d trials, values[0] has %d: want the same trials for every choice", c, len(v), n)
		}
	}
	if x != nil && len(x) != n {
		return 0, 0, fmt.Errorf("decide: x has %d trials, values[0] has %d: want one input value per trial", len(x), n)
	}
	for i := 0; i < n; i++ {
		if x != nil {
			if math.IsNaN(x[i]) {
				continue
			}
		}
		if trialNaN(values, i) {
			continue
		}
		for c := range values {
			if math.IsInf(values[c][i], 0) {
				return 0, 0, fmt.Errorf("decide: values[%d][%d] = %v: want a finite value (or NaN to leave the trial out)", c, i, values[c][i])
			}
		}
		used++
	}
	if used < minUsed {
		return n, used, fmt.Errorf("decide: %d of %d trials are complete (the others have a NaN value): want at least %d", used, n, minUsed)
	}
	return n, used, nil
}

// trialNaN reports whether trial i is NaN under any choice.
func trialNaN(values [][]float64, i int) bool {
	for _, v := range values {
		if math.IsNaN(v[i]) {
			return true
		}
	}
	return false
}

// skip reports whether trial i is left out: NaN under any choice or, if x is
// not nil, a NaN input.
func skip(values [][]float64, x []float64, i int) bool {
	if x != nil && math.IsNaN(x[i]) {
		return true
	}
	return trialNaN(values, i)
}

// argmax returns the choice c with the largest sum[c]; ties go to the lowest
// index.
func argmax(sum []float64) int {
	best := 0
	for c := 1; c < len(sum); c++ {
		if sum[c] > sum[best] {
			best = c
		}
	}
	return best
}

// half returns the half (0 or 1) that the k-th of used complete trials
// belongs to: the first ⌊used/2⌋ form half 0. Contiguous halves, not
// alternate trials, so that paired designs (antithetic pairs, strata in
// trial order) do not make one half the mirror of the other.
func half(k, used int) int {
	if k < used/2 {
		return 0
	}
	return 1
}

// meanSE returns the mean and the standard error sd/√n of the terms
// term(i, k) for the used ≥ 2 trials i not skipped, k counting them from 0;
// a nil skipped means every trial is used.
// It makes two passes (mean, then squared deviations) so that terms with a
// small spread around a large mean lose no precision.
func meanSE(n, used int, skipped func(i int) bool, term func(i, k int) float64) (mean, se float64) {
	var s float64
	k := 0
	for i := 0; i < n; i++ {
		if skipped != nil && skipped(i) {
			continue
		}
		s += term(i, k)
		k++
	}
	mean = s / float64(used)
	var ss float64
	k = 0
	for i := 0; i < n; i++ {
		if skipped != nil && skipped(i) {
			continue
		}
		d := term(i, k) - mean
		ss += d * d
		k++
	}
	return mean, math.Sqrt(ss / float64(used-1) / float64(used))
}
