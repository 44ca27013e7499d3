package distributions

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

// Empirical is the empirical distribution of a sample: each element of Data
// with probability 1/len(Data). Sampling from it is the bootstrap
// (resampling with replacement); its quantiles are the data's own.
//
// Data must be non-empty and finite. Its String form is
// "empirical([x0, x1, ...])".
//
// A struct literal works, at a cost per call: Sample, CDF, Mean and
// Validate check all of Data (O(n)) and Quantile sorts a copy (O(n log n)
// time, one allocation of n floats). NewEmpirical checks the data and sorts
// a copy once, making Sample, Quantile, Mean and Validate O(1) and CDF
// O(log n); Parse builds its result with NewEmpirical. Both forms give the
// same draws from the same stream. Do not modify the Data of a value built
// by NewEmpirical.
type Empirical struct {
	Data []float64 // the observations, in any order; finite, non-empty

	// Set by NewEmpirical, for data that passed Validate.
	sorted []float64 // Data sorted ascending
	mean   float64   // mean of Data
}

var _ Dist = Empirical{}

// NewEmpirical returns an Empirical over a copy of data with a sorted copy
// precomputed: O(n log n) time, 2n floats of memory. When the data are
// invalid it returns the unprepared value and the error of its Validate
// method.
func NewEmpirical(data []float64) (Empirical, error) {
	e := Empirical{Data: slices.Clone(data)}
	if err := e.Validate(); err != nil {
		return e, err
	}
	mean := e.Mean() // the literal's O(n) mean, before e is prepared
	e.sorted = slices.Clone(e.Data)
	slices.Sort(e.sorted)
	e.mean = mean
	return e, nil
}

// prepared reports whether e holds the sorted copy of NewEmpirical.
func (e Empirical) prepared() bool { return len(e.sorted) == len(e.Data) && len(e.sorted) > 0 }

// Sample returns Data[i] for i uniform in [0, len(Data)), from one
// r.Float64(); no allocation. O(1) after NewEmpirical; a literal checks all
// of Data on every call, O(n).
func (e Empirical) Sample(r *rand.Rand) float64 {
	checkRand(r)
	u := r.Float64()
	if !e.prepared() && e.Validate() != nil {
		return nan
	}
	n := len(e.Data)
	i := int(u * float64(n))
	if i >= n {
		i = n - 1
	}
	return e.Data[i]
}

// Quantile returns the smallest element x of Data such that at least a
// fraction p of Data is ≤ x (gonum's stat.Quantile with stat.Empirical on
// the sorted data), for p in [0, 1]; NaN otherwise. O(1) after
// NewEmpirical; a literal sorts a copy of Data on every call.
func (e Empirical) Quantile(p float64) float64 {
	if badProb(p) {
		return nan
	}
	s := e.sorted
	if !e.prepared() {
		if e.Validate() != nil {
			return nan
		}
		s = slices.Clone(e.Data)
		slices.Sort(s)
	}
	n := len(s)
	fn := float64(n)
	// Smallest i with (i+1)/n ≥ p, computed as CDF computes its fractions
	// so that Quantile(CDF(x)) is the largest element ≤ x.
	i := int(math.Ceil(p*fn)) - 1
	i = max(0, min(i, n-1))
	for i > 0 && float64(i)/fn >= p {
		i--
	}
	for i < n-1 && float64(i+1)/fn < p {
		i++
	}
	return s[i]
}

// CDF returns the fraction of Data that is ≤ x. O(log n) after
// NewEmpirical, O(n) for a literal.
func (e Empirical) CDF(x float64) float64 {
	if math.IsNaN(x) {
		return nan
	}
	n := len(e.Data)
	if e.prepared() {
		k := sort.Search(n, func(i int) bool { return e.sorted[i] > x })
		return float64(k) / float64(n)
	}
	if e.Validate() != nil {
		return nan
	}
	k := 0
	for _, v := range e.Data {
		if v <= x {
			k++
		}
	}
	return float64(k) / float64(n)
}

// Mean returns the mean of Data. O(1) after NewEmpirical, O(n) for a
// literal.
func (e Empirical) Mean() float64 {
	if e.prepared() {
		return e.mean
	}
	if e.Validate() != nil {
		return nan
	}
	return weightedMean(e.Data, nil, float64(len(e.Data)))
}

// Validate returns a *ParamError unless Data is non-empty and finite. O(n)
// for a literal; O(1) after NewEmpirical, which checked the data (a value
// from NewEmpirical must not have its Data modified).
func (e Empirical) Validate() error {
	if e.prepared() {
		return nil
	}
	if len(e.Data) == 0 {
		return paramErr("empirical", "len(data)", 0, "must be > 0")
	}
	for i, v := range e.Data {
		if !isFinite(v) {
			return paramErr("empirical", "data["+itoa(i)+"]", v, "must be finite")
		}
	}
	return nil
}

// String returns "empirical([x0, x1, ...])" with Data in its order.
func (e Empirical) String() string {
	b := make([]byte, 0, 12+24*len(e.Data))
	b = append(b, "empirical("...)
	b = appendFloats(b, e.Data)
	return string(append(b, ')'))
}
