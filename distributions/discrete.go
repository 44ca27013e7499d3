package distributions

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

// Discrete is a finite discrete distribution: Values[i] with probability
// Weights[i]/Σ Weights. Values may be in any order and may repeat (their
// weights add up).
//
// Values must be non-empty and finite; Weights must have the same length,
// be finite and ≥ 0, and have a positive finite sum (they need not sum to
// 1). Its String form is "discrete([v0, v1, ...], [w0, w1, ...])".
//
// A struct literal works, at a cost per call: Sample, CDF, Mean and
// Validate are O(n) (they check every parameter), Quantile O(n²), all
// without allocation. NewDiscrete checks the parameters once and
// precomputes cumulative weights, making Sample, CDF and Quantile O(log n)
// and Validate O(1); Parse builds its result with NewDiscrete. Both forms
// give the same draws from the same stream. Do not modify the slices of a
// value built by NewDiscrete.
type Discrete struct {
	Values  []float64 // the values taken; finite, non-empty
	Weights []float64 // relative weights, len(Values) of them; ≥ 0, positive finite sum

	// Set by NewDiscrete, for parameters that passed Validate.
	drawCum []float64 // cumulative Weights in the order of Values
	support []float64 // distinct values of positive weight, ascending
	cdfCum  []float64 // cumulative weight of support
}

var _ Dist = Discrete{}

// NewDiscrete returns a Discrete over copies of values and weights with
// precomputed tables (O(n log n) time, about 5n floats of memory), so that
// Sample, CDF and Quantile cost O(log n). When the parameters are invalid it
// returns the unprepared value and the error of its Validate method.
func NewDiscrete(values, weights []float64) (Discrete, error) {
	d := Discrete{Values: slices.Clone(values), Weights: slices.Clone(weights)}
	if err := d.Validate(); err != nil {
		return d, err
	}
	n := len(values)
	d.drawCum = make([]float64, n)
	var s float64
	for i, w := range d.Weights {
		s += w
		d.drawCum[i] = s
	}
	idx := make([]int, 0, n)
	for i, w := range d.Weights {
		if w > 0 {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return d.Values[idx[a]] < d.Values[idx[b]] })
	for _, i := range idx {
		v, w := d.Values[i], d.Weights[i]
		if k := len(d.support); k > 0 && d.support[k-1] == v {
			d.cdfCum[k-1] += w
			continue
		}
		d.support = append(d.support, v)
		d.cdfCum = append(d.cdfCum, w)
	}
	for k := 1; k < len(d.cdfCum); k++ {
		d.cdfCum[k] += d.cdfCum[k-1]
	}
	return d, nil
}

// prepared reports whether d holds the tables of NewDiscrete.
func (d Discrete) prepared() bool {
	return len(d.drawCum) == len(d.Values) && len(d.drawCum) > 0 && len(d.Weights) == len(d.Values)
}

// literalTotal validates d in O(n) and returns Σ Weights, or NaN.
func (d Discrete) literalTotal() float64 {
	for _, v := range d.Values {
		if !isFinite(v) {
			return nan
		}
	}
	return weightTotal(len(d.Values), d.Weights)
}

// Sample returns Values[i] with probability Weights[i]/Σ Weights, from one
// r.Float64(); no allocation. O(log n) after NewDiscrete, O(n) for a
// literal (which also checks every parameter on every call).
func (d Discrete) Sample(r *rand.Rand) float64 {
	checkRand(r)
	u := r.Float64()
	if d.prepared() {
		n := len(d.drawCum)
		t := u * d.drawCum[n-1]
		// The first i with t < drawCum[i], by binary search.
		i, j := 0, n
		for i < j {
			h := int(uint(i+j) >> 1)
			if t < d.drawCum[h] {
				j = h
			} else {
				i = h + 1
			}
		}
		if i == n {
			i = d.lastPositive()
		}
		return d.Values[i]
	}
	total := d.literalTotal()
	if math.IsNaN(total) {
		return nan
	}
	t := u * total
	var s float64
	for i, w := range d.Weights {
		s += w
		if t < s {
			return d.Values[i]
		}
	}
	return d.Values[d.lastPositive()]
}

// lastPositive returns the index of the last positive weight.
func (d Discrete) lastPositive() int {
	for i := len(d.Weights) - 1; i > 0; i-- {
		if d.Weights[i] > 0 {
			return i
		}
	}
	return 0
}

// Quantile returns the smallest value v with CDF(v) ≥ p for p in [0, 1] (the
// smallest value of positive weight at 0), NaN otherwise. O(log n) after
// NewDiscrete, O(n²) without allocation for a literal.
func (d Discrete) Quantile(p float64) float64 {
	if badProb(p) {
		return nan
	}
	if d.prepared() {
		n := len(d.cdfCum)
		total := d.cdfCum[n-1]
		i := sort.Search(n, func(i int) bool { return d.cdfCum[i]/total >= p })
		if i == n {
			i = n - 1
		}
		return d.support[i]
	}
	total := d.literalTotal()
	if math.IsNaN(total) {
		return nan
	}
	best := math.Inf(1)
	for i, v := range d.Values {
		if d.Weights[i] > 0 && v < best && d.mass(v)/total >= p {
			best = v
		}
	}
	return best
}

// mass returns the total weight of the values ≤ x, summed in order.
func (d Discrete) mass(x float64) float64 {
	var s float64
	for i, v := range d.Values {
		if v <= x {
			s += d.Weights[i]
		}
	}
	return s
}

// CDF returns the weight of the values ≤ x over the total weight. O(log n)
// after NewDiscrete, O(n) for a literal.
func (d Discrete) CDF(x float64) float64 {
	if math.IsNaN(x) {
		return nan
	}
	if d.prepared() {
		n := len(d.support)
		i := sort.Search(n, func(i int) bool { return d.support[i] > x })
		if i == 0 {
			return 0
		}
		return d.cdfCum[i-1] / d.cdfCum[n-1]
	}
	total := d.literalTotal()
	if math.IsNaN(total) {
		return nan
	}
	return d.mass(x) / total
}

// Mean returns Σ Values[i]·Weights[i] / Σ Weights; O(n).
func (d Discrete) Mean() float64 {
	total := d.literalTotal()
	if math.IsNaN(total) {
		return nan
	}
	return weightedMean(d.Values, d.Weights, total)
}

// Validate returns a *ParamError unless Values is non-empty and finite and
// Weights has the same length, is finite and ≥ 0 and has a positive finite
// sum. O(n) for a literal, O(1) after NewDiscrete (which checked them).
func (d Discrete) Validate() error {
	if d.prepared() {
		return nil
	}
	return checkWeighted("discrete", "values", d.Values, d.Weights, true)
}

// String returns "discrete([v0, v1, ...], [w0, w1, ...])".
func (d Discrete) String() string {
	b := make([]byte, 0, 16+24*(len(d.Values)+len(d.Weights)))
	b = append(b, "discrete("...)
	b = appendFloats(b, d.Values)
	b = append(b, ", "...)
	b = appendFloats(b, d.Weights)
	return string(append(b, ')'))
}
