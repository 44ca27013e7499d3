package forecast

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"sync"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/mcforecast/mcforecast/internal/sketch"
	"github.com/mcforecast/mcforecast/internal/xsum"
)

// Metric holds the values of one output (or one year of a series output)
// over the trials of a run, and the statistics of its finite values.
//
// A trial whose value is NaN or ±Inf is counted by Invalid and excluded from
// every statistic: Count() + Invalid() == Result.Trials().
//
// A Metric is safe for concurrent use. Its methods are nil-safe: on a nil
// *Metric (Result.Output of an unknown name) they return NaN, 0 or nil, so
// that res.Output("x").Percentile(0.5) never panics.
type Metric struct {
	name string
	year int // 1-based year of a series output, 0 for a scalar output
	mom  moments

	raw    []float64 // every trial's value in trial order, NaN and ±Inf kept (exact mode)
	sketch *sketch.Sketch

	res *Result // for sensitivities

	sensMu   sync.Mutex
	sensDone bool
	sens     []Sensitivity

	byInputMu   sync.Mutex // SensitivityByInput's cache; taken before sensMu
	byInputDone bool
	byInput     []Sensitivity
}

// Name returns the output's name.
func (m *Metric) Name() string {
	if m == nil {
		return ""
	}
	return m.name
}

// Year returns the 1-based year of a series output's metric, 0 for a scalar
// output.
func (m *Metric) Year() int {
	if m == nil {
		return 0
	}
	return m.year
}

// Label returns the name, followed by " [year]" for a year of a series.
func (m *Metric) Label() string {
	if m == nil {
		return ""
	}
	if m.year > 0 {
		return m.name + " [" + strconv.Itoa(m.year) + "]"
	}
	return m.name
}

// Count returns the number of trials with a finite value.
func (m *Metric) Count() int {
	if m == nil {
		return 0
	}
	return m.mom.N
}

// Invalid returns the number of trials whose value was NaN or ±Inf
// (including an output the model did not set).
func (m *Metric) Invalid() int {
	if m == nil {
		return 0
	}
	return m.mom.Invalid
}

// Mean returns the mean of the finite values (NaN when there are none):
// their exact sum divided by their count, rounded once to the nearest
// float64, so the same bits whatever the number of workers or the split of
// the run.
func (m *Metric) Mean() float64 {
	if m.Count() == 0 {
		return math.NaN()
	}
	return m.mom.Mean
}

// StdDev returns the sample standard deviation (n − 1 denominator) of the
// finite values; NaN with fewer than two. It is the square root of the
// variance computed exactly from the sums of the values and their squares
// and rounded once, so no cancellation, whatever the values' offset.
func (m *Metric) StdDev() float64 {
	if m.Count() < 2 {
		return math.NaN()
	}
	return math.Sqrt(m.mom.Var)
}

// StdErr returns the standard error of the mean, StdDev/√Count.
func (m *Metric) StdErr() float64 {
	return m.StdDev() / math.Sqrt(float64(m.Count()))
}

// Min returns the smallest finite value (NaN when there is none).
func (m *Metric) Min() float64 {
	if m.Count() == 0 {
		return math.NaN()
	}
	return m.mom.Min
}

// Max returns the largest finite value (NaN when there is none).
func (m *Metric) Max() float64 {
	if m.Count() == 0 {
		return math.NaN()
	}
	return m.mom.Max
}

// Streaming reports whether the metric holds a sketch instead of values.
func (m *Metric) Streaming() bool { return m != nil && m.sketch != nil }

// orderStats returns the values of the given 0-based ranks of the sorted
// finite values (exact mode), or their sketch estimates (streaming).
func (m *Metric) orderStats(ranks []int) []float64 {
	out := make([]float64, len(ranks))
	n := m.mom.N
	if m.sketch != nil {
		rs := make([]uint64, len(ranks))
		for i, r := range ranks {
			rs[i] = uint64(min(max(r, 0), n-1))
		}
		m.sketch.ValuesAtRanks(out, rs) // clamped to [Min, Max]
		return out
	}
	ks := slices.Clone(ranks)
	slices.Sort(ks)
	ks = slices.Compact(ks)
	vals := histSelect(m.raw, m.mom.Min, m.mom.Max, ks)
	for i, r := range ranks {
		j, _ := slices.BinarySearch(ks, r)
		out[i] = vals[j]
	}
	return out
}

// interpolate returns a + frac·(b−a), a when frac is 0, without overflow
// when b − a exceeds float64's range.
func interpolate(a, b, frac float64) float64 {
	if frac == 0 {
		return a
	}
	if d := b - a; isFinite(d) {
		return a + frac*d
	}
	return a*(1-frac) + b*frac
}

// Percentile returns the p-quantile of the finite values, p a fraction in
// [0, 1] (0.95 for P95), interpolated linearly between order statistics as
// numpy.percentile does by default. NaN when there are no values.
// It panics when p is outside [0, 1] or NaN — Percentile(50) is a percent
// where a fraction is meant, a programming error rather than a value to
// propagate. Cost: two passes over the stored values (histogram selection:
// no sort, no reordering, no copy of the values).
func (m *Metric) Percentile(p float64) float64 {
	checkFraction("Percentile", p)
	return m.Percentiles(p)[0]
}

// checkFraction panics unless p is in [0, 1], suggesting the fraction
// that was probably meant.
func checkFraction(method string, p float64) {
	if p >= 0 && p <= 1 {
		return
	}
	hint := ""
	if p > 1 && p <= 100 {
		hint = fmt.Sprintf("; for the %gth percentile use %g", p, p/100)
	}
	panic(fmt.Sprintf("forecast: %s(%g): p must be a fraction in [0, 1]%s", method, p, hint))
}

// Percentiles returns the p-quantiles for every p in ps with one selection:
// two passes over the values whatever len(ps) is. Like Percentile, it
// panics for a p outside [0, 1].
func (m *Metric) Percentiles(ps ...float64) []float64 {
	for _, p := range ps {
		checkFraction("Percentiles", p)
	}
	out := make([]float64, len(ps))
	n := m.Count()
	if n == 0 {
		for i := range out {
			out[i] = math.NaN()
		}
		return out
	}
	ranks := make([]int, 0, 2*len(ps))
	for _, p := range ps {
		lo, hi, _ := quantileRanks(p, n)
		ranks = append(ranks, lo, hi)
	}
	vals := m.orderStats(ranks)
	for i, p := range ps {
		_, _, frac := quantileRanks(p, n)
		out[i] = interpolate(vals[2*i], vals[2*i+1], frac)
	}
	return out
}

// PercentilesCI returns the ps-quantiles (as Percentiles) and, for each, the
// bounds of its distribution-free confidence interval at level (as
// PercentileCI), from one selection pass over the values instead of one
// per call: what a report of several percentiles with their intervals
// needs. Each p must be a fraction in [0, 1] and level in (0, 1); otherwise
// it panics, as Percentiles and PercentileCI do. Cost: O(n) in exact mode
// for all of them together; one walk of the buckets in streaming mode.
func (m *Metric) PercentilesCI(level float64, ps ...float64) (vals, lo, hi []float64) {
	for _, p := range ps {
		checkFraction("PercentilesCI", p)
	}
	if !(level > 0 && level < 1) {
		panic(fmt.Sprintf("forecast: PercentilesCI(%g, …): level must be a fraction in (0, 1), e.g. 0.95 for 95 %%", level))
	}
	vals, lo, hi = make([]float64, len(ps)), make([]float64, len(ps)), make([]float64, len(ps))
	n := m.Count()
	if n == 0 {
		for i := range ps {
			vals[i], lo[i], hi[i] = math.NaN(), math.NaN(), math.NaN()
		}
		return vals, lo, hi
	}
	ranks := make([]int, 0, 4*len(ps))
	for _, p := range ps {
		a, b, _ := quantileRanks(p, n)
		ranks = append(ranks, a, b)
		if p > 0 && p < 1 {
			ca, cb := ciRanks(p, level, n)
			ranks = append(ranks, ca, cb)
		} else {
			ranks = append(ranks, 0, 0)
		}
	}
	os := m.orderStats(ranks)
	for i, p := range ps {
		_, _, frac := quantileRanks(p, n)
		vals[i] = interpolate(os[4*i], os[4*i+1], frac)
		if p > 0 && p < 1 {
			lo[i], hi[i] = m.widen(os[4*i+2], os[4*i+3])
		} else {
			lo[i], hi[i] = math.NaN(), math.NaN()
		}
	}
	return vals, lo, hi
}

// PercentileCI returns a distribution-free confidence interval at the given
// level (e.g. 0.95) for the p-quantile: the order statistics whose ranks
// bracket n·p by z·√(n·p·(1−p)), the normal approximation to the binomial
// count of values below the true quantile (e.g. Conover, Practical
// Nonparametric Statistics, 3rd ed., §3.2). It assumes nothing about the
// distribution; it is accurate when n·p·(1−p) is larger than about 10.
// In streaming mode the bounds are also widened by SketchAccuracy (within
// Min and Max). NaN, NaN for p = 0 or 1 or no values. It panics for p
// outside [0, 1] or a level outside (0, 1) (95 % is 0.95), as Percentile
// does.
func (m *Metric) PercentileCI(p, level float64) (lo, hi float64) {
	checkFraction("PercentileCI", p)
	if !(level > 0 && level < 1) {
		panic(fmt.Sprintf("forecast: PercentileCI(%g, %g): level must be a fraction in (0, 1), e.g. 0.95 for 95 %%", p, level))
	}
	n := m.Count()
	if n == 0 || !(p > 0 && p < 1) {
		return math.NaN(), math.NaN()
	}
	jlo, jhi := ciRanks(p, level, n)
	v := m.orderStats([]int{jlo, jhi})
	return m.widen(v[0], v[1])
}

// ExpectedShortfall returns the mean of the values at or below the
// alpha-quantile, alpha a fraction in (0, 1] (0.05 for the worst 5 %): the
// lower-tail conditional value at risk (CVaR, expected shortfall). For a
// cost, where the bad tail is the upper one, negate the output.
//
// Convention: with n finite values and k = ⌈alpha·n⌉, it is the mean of the
// k smallest values (ties at the k-th smallest counted as often as needed
// to make k), so ExpectedShortfall(1) is Mean(). In exact mode that mean is
// computed from the exact sum of those k values and rounded once; cost: one
// selection (two passes over the values) and one more pass. In streaming
// mode the k smallest values are read from the sketch's buckets in
// increasing order, each bucket's values at its representative (clamped
// to [Min, Max]): each value within SketchAccuracy of itself, relative,
// so the result is within SketchAccuracy times the mean magnitude of those
// values (SketchAccuracy·|ES| when they share a sign); cost: one walk of
// the buckets.
// NaN when there are no values. It panics for alpha outside (0, 1] or NaN,
// as Percentile does for a p outside [0, 1].
func (m *Metric) ExpectedShortfall(alpha float64) float64 {
	if !(alpha > 0 && alpha <= 1) {
		hint := ""
		if alpha > 1 && alpha <= 100 {
			hint = fmt.Sprintf("; for %g %% use %g", alpha, alpha/100)
		}
		panic(fmt.Sprintf("forecast: ExpectedShortfall(%g): alpha must be a fraction in (0, 1]%s", alpha, hint))
	}
	n := m.Count()
	if n == 0 {
		return math.NaN()
	}
	k := min(max(int(math.Ceil(alpha*float64(n))), 1), n)
	if m.sketch != nil {
		// Weights that sum to one: no overflow near ±MaxFloat64.
		es, left := 0.0, uint64(k)
		for v, c := range m.sketch.Buckets() {
			take := min(c, left)
			es += v * (float64(take) / float64(k))
			if left -= take; left == 0 {
				break
			}
		}
		return es
	}
	t := m.orderStats([]int{k - 1})[0] // the k-th smallest value
	var sum xsum.Moments
	c := 0
	for _, v := range m.raw {
		if v < t && isFinite(v) {
			sum.Add(v)
			c++
		}
	}
	for ; c < k; c++ { // the k-th smallest and its ties
		sum.Add(t)
	}
	return sum.Mean()
}

// widen returns the bounds lo, hi of a percentile interval, widened by
// SketchAccuracy in streaming mode but never beyond the observed range
// (order statistics of the values lie within it; the widening could
// overflow).
func (m *Metric) widen(lo, hi float64) (float64, float64) {
	if m.sketch != nil {
		lo = math.Max(lo-SketchAccuracy*math.Abs(lo), m.mom.Min)
		hi = math.Min(hi+SketchAccuracy*math.Abs(hi), m.mom.Max)
	}
	return lo, hi
}

// ciRanks returns the 0-based ranks of the order statistics bounding the
// level-confidence interval of the p-quantile of n values.
func ciRanks(p, level float64, n int) (lo, hi int) {
	z := distuv.UnitNormal.Quantile(0.5 + level/2)
	fn := float64(n)
	half := z * math.Sqrt(fn*p*(1-p))
	lo = int(math.Floor(fn*p-half)) - 1 // 1-based rank ⌊np − h⌋ → 0-based
	hi = int(math.Ceil(fn*p+half)) - 1
	if lo < 0 {
		lo = 0
	}
	if hi > n-1 {
		hi = n - 1
	}
	if hi < lo {
		hi = lo
	}
	return lo, hi
}

// ProbBelow returns the fraction of finite values strictly below x. O(n) in
// exact mode; at bucket resolution in streaming mode.
func (m *Metric) ProbBelow(x float64) float64 {
	n := m.Count()
	if n == 0 || math.IsNaN(x) {
		return math.NaN()
	}
	if m.sketch != nil {
		return float64(m.sketch.Below(x)) / float64(n)
	}
	c := 0
	for _, v := range m.raw {
		if v < x && isFinite(v) {
			c++
		}
	}
	return float64(c) / float64(n)
}

// ProbAbove returns the fraction of finite values strictly above x.
func (m *Metric) ProbAbove(x float64) float64 {
	n := m.Count()
	if n == 0 || math.IsNaN(x) {
		return math.NaN()
	}
	if m.sketch != nil {
		return float64(m.sketch.Above(x)) / float64(n)
	}
	c := 0
	for _, v := range m.raw {
		if v > x && isFinite(v) {
			c++
		}
	}
	return float64(c) / float64(n)
}

// Histogram counts the finite values in equal-width bins between Min and
// Max.
type Histogram struct {
	// Edges has len(Counts)+1 ascending bin edges; bin i is
	// [Edges[i], Edges[i+1]), the last bin also holds Edges[len(Counts)].
	Edges []float64
	// Counts holds the number of values in each bin.
	Counts []int
}

// MaxHistogramBins is the largest number of bins Metric.Histogram accepts.
const MaxHistogramBins = 1 << 20

// Histogram returns the histogram of the finite values in bins equal-width
// bins from Min to Max (one bin when all values are equal). O(n); at bucket
// resolution in streaming mode. Nil for bins < 1 or no values. It panics
// when bins exceeds MaxHistogramBins (a programming error: a chart never
// needs a million bins).
func (m *Metric) Histogram(bins int) *Histogram {
	if bins > MaxHistogramBins {
		panic(fmt.Sprintf("forecast: Histogram(%d): bins must be in [1, %d]", bins, MaxHistogramBins))
	}
	n := m.Count()
	if n == 0 || bins < 1 {
		return nil
	}
	lo, hi := m.mom.Min, m.mom.Max
	if !(hi > lo) {
		return &Histogram{Edges: []float64{lo, hi}, Counts: []int{n}}
	}
	// Work in units scaled by s so that hi − lo cannot overflow (s is a
	// power of two: exact, and 1 for every range below MaxFloat64).
	s := 1.0
	if !isFinite(hi - lo) {
		s = 0.25
	}
	slo := lo * s
	w := (hi*s - slo) / float64(bins)
	h := &Histogram{Edges: make([]float64, bins+1), Counts: make([]int, bins)}
	for i := range h.Edges {
		h.Edges[i] = (slo + float64(i)*w) / s
	}
	h.Edges[bins] = hi
	add := func(v float64, c int) {
		i := int((v*s - slo) / w)
		if i >= bins {
			i = bins - 1
		}
		if i < 0 {
			i = 0
		}
		h.Counts[i] += c
	}
	if m.sketch != nil {
		for v, c := range m.sketch.Buckets() { // representatives within [lo, hi]
			add(v, int(c))
		}
		return h
	}
	for _, v := range m.raw {
		if isFinite(v) {
			add(v, 1)
		}
	}
	return h
}

// Samples returns a copy of the finite values in trial order (invalid
// trials left out), nil in streaming mode. It allocates 8 bytes per value.
func (m *Metric) Samples() []float64 {
	if m == nil || m.sketch != nil {
		return nil
	}
	s := make([]float64, 0, m.mom.N)
	for _, v := range m.raw {
		if isFinite(v) {
			s = append(s, v)
		}
	}
	return s
}

// Values returns a copy of every trial's value in trial order, NaN or ±Inf
// for invalid trials (len == Result.Trials()), nil in streaming mode: what
// joint analyses of several outputs, or of inputs and outputs, need.
func (m *Metric) Values() []float64 {
	if m == nil || m.sketch != nil {
		return nil
	}
	return slices.Clone(m.raw)
}
