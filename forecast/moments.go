package forecast

import (
	"fmt"
	"math"
	"unsafe"

	"github.com/mcforecast/mcforecast/internal/xsum"
)

// moments is the summary of an output value's finite values that a Metric
// reads: counts, extremes, and the mean and variance rounded once from the
// exact sums of an xsum.Moments.
//
// The sums are exact, so adding blocks to per-worker accumulators in any
// order, and merging those (or the partials of SimulateBlocks) in any order
// and grouping, gives the same bits: that, not an order of merges, is what
// makes means and variances bit-identical for any number of workers and any
// split of a run.
type moments struct {
	N, Invalid int
	Mean, Var  float64 // sample variance, n − 1 denominator; NaN below 2 values
	Min, Max   float64
}

// summarize reads the moments of x. Cost: one correctly rounded mean and
// variance (math/big, about 10–60 µs), so callers compute it once per
// Metric.
func summarize(x *xsum.Moments) moments {
	m := moments{N: int(x.Count()), Invalid: int(x.Invalid()), Min: math.Inf(1), Max: math.Inf(-1), Var: math.NaN()}
	if m.N == 0 {
		return m
	}
	m.Min, m.Max, m.Mean = x.Min(), x.Max(), x.Mean()
	if m.N > 1 {
		m.Var = x.Variance()
	}
	return m
}

// mergeMoments returns the merge of accs[i][k] over i.
func mergeMoments(accs [][]xsum.Moments, k int) *xsum.Moments {
	m := new(xsum.Moments)
	for _, a := range accs {
		m.Merge(&a[k])
	}
	return m
}

// maxMomentMagnitude is a magnitude below which an output's values keep
// their variance within float64's range whatever the number of trials: the
// sample variance of values in [−a, a] is at most a²·n/(n−1) ≤ 2a² =
// 2e300 < 1.8e308. (The mean of finite values, rounded once from the exact
// sum, is always finite.)
const maxMomentMagnitude = 1e150

// checkMoments returns an error when the metric has finite values but their
// variance exceeds float64's range (values spread over more than about
// ±1e154), so that no statistic is silently ±Inf.
func (m *Metric) checkMoments() error {
	if m.mom.N < 2 || isFinite(m.mom.Var) {
		return nil
	}
	return fmt.Errorf("forecast: output %q: finite values from %g to %g are too large for their variance in float64 (keep |values| below %g, e.g. by changing the output's unit)",
		m.Label(), m.mom.Min, m.mom.Max, maxMomentMagnitude)
}

// momentsBytes is the memory of one accumulator: a run holds one per
// worker and output value, and their merge.
const momentsBytes = int(unsafe.Sizeof(xsum.Moments{}))
