package forecast

import (
	"fmt"
	"math"
)

// moments summarises the values of an output over some trials: counts,
// mean, sum of squared deviations, extremes. Blocks are summarised by
// blockMoments and combined by merge in block order, which is what makes the
// mean and variance bit-identical for any number of workers.
type moments struct {
	N, Invalid int
	Mean, M2   float64
	Min, Max   float64
}

func newMoments() moments { return moments{Min: math.Inf(1), Max: math.Inf(-1)} }

// blockMoments summarises col with two passes (the mean, then the squared
// deviations from it), skipping NaN and ±Inf values.
func blockMoments(col []float64) moments {
	m := newMoments()
	sum := 0.0
	for _, v := range col {
		if !isFinite(v) {
			m.Invalid++
			continue
		}
		m.N++
		sum += v
		if v < m.Min {
			m.Min = v
		}
		if v > m.Max {
			m.Max = v
		}
	}
	if m.N == 0 {
		return m
	}
	m.Mean = sum / float64(m.N)
	if !isFinite(m.Mean) {
		// The sum of finite values overflowed: add them again scaled by a
		// power of two that brings the largest magnitude below 1 (exact
		// scaling; the usual path above is left bit-for-bit unchanged).
		_, e := math.Frexp(math.Max(-m.Min, m.Max))
		s := 0.0
		for _, v := range col {
			if isFinite(v) {
				s += math.Ldexp(v, -e)
			}
		}
		m.Mean = math.Ldexp(s/float64(m.N), e)
		if m.Min == m.Max {
			m.Mean = m.Min // identical values: no rounding to amplify
		}
	}
	for _, v := range col {
		if isFinite(v) {
			d := v - m.Mean
			m.M2 += d * d
		}
	}
	return m
}

// merge adds b to a (Chan, Golub and LeVeque's pairwise update).
func (a *moments) merge(b moments) {
	a.Invalid += b.Invalid
	if b.N == 0 {
		return
	}
	if b.Min < a.Min {
		a.Min = b.Min
	}
	if b.Max > a.Max {
		a.Max = b.Max
	}
	if a.N == 0 {
		a.N, a.Mean, a.M2 = b.N, b.Mean, b.M2
		return
	}
	n := a.N + b.N
	d := b.Mean - a.Mean
	if step := d * float64(b.N) / float64(n); isFinite(step) {
		a.Mean += step
	} else {
		// Means near ±MaxFloat64: a weighted sum of the two cannot overflow
		// (taken only where the usual update would, so results are otherwise
		// unchanged).
		a.Mean = a.Mean*(float64(a.N)/float64(n)) + b.Mean*(float64(b.N)/float64(n))
	}
	a.M2 += b.M2 + d*d*float64(a.N)*float64(b.N)/float64(n)
	a.N = n
}

// maxMomentMagnitude is a magnitude below which an output's values keep the
// sum of squared deviations of up to 10¹² trials within float64's range:
// (2·1e145)²·10¹² = 4e302 < 1.8e308.
const maxMomentMagnitude = 1e145

// checkMoments returns an error when the metric has finite values but its
// mean or variance overflowed float64 (values near ±1e154 or beyond), so
// that no statistic is silently ±Inf or NaN.
func (m *Metric) checkMoments() error {
	if m.mom.N == 0 || (isFinite(m.mom.Mean) && isFinite(m.mom.M2)) {
		return nil
	}
	return fmt.Errorf("forecast: output %q: finite values from %g to %g are too large for their variance in float64 (keep |values| below %g, e.g. by changing the output's unit)",
		m.Label(), m.mom.Min, m.mom.Max, maxMomentMagnitude)
}
