package forecast

import "math"

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
	a.Mean += d * float64(b.N) / float64(n)
	a.M2 += b.M2 + d*d*float64(a.N)*float64(b.N)/float64(n)
	a.N = n
}
