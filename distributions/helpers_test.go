package distributions

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"
)

// nDraws is the number of draws of the statistical tests: large enough that
// the tests below have power, small enough for -race.
const nDraws = 100_000

// ksCrit is the large-sample critical value of the Kolmogorov–Smirnov
// statistic √n·D at α = 0.001: the 0.999 quantile of the Kolmogorov
// distribution is 1.9495 (Smirnov 1948, table of K(λ); also
// Marsaglia, Tsang and Wang 2003). We use 1.95.
const ksCrit = 1.95

// seSigmas is how many standard errors the sample mean may be from Mean():
// two-sided α ≈ 6e-5 for a normal sample mean.
const seSigmas = 4

// newRand returns a PCG-backed *rand.Rand with a fixed seed.
func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)) }

// meanSampler is what a sampling test needs.
type meanSampler interface {
	Sampler
	Mean() float64
}

// ksSampler is what a Kolmogorov–Smirnov test needs.
type ksSampler interface {
	meanSampler
	CDFer
}

// draw returns n draws of d from a stream seeded with seed.
func draw(d Sampler, n int, seed uint64) []float64 {
	r := newRand(seed)
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = d.Sample(r)
	}
	return xs
}

// checkMean checks that the mean of xs is within seSigmas standard errors of
// want (exactly want when xs has no spread).
func checkMean(t *testing.T, xs []float64, want float64) {
	t.Helper()
	n := float64(len(xs))
	var s float64
	for _, x := range xs {
		s += x
	}
	mean := s / n
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	se := math.Sqrt(ss/(n-1)) / math.Sqrt(n)
	assert.LessOrEqualf(t, math.Abs(mean-want), seSigmas*se+1e-12*math.Abs(want),
		"sample mean %v, Mean() %v, standard error %v", mean, want, se)
}

// checkContinuousSampling draws nDraws values of d and checks them with a
// Kolmogorov–Smirnov test against d.CDF and a test of the mean.
func checkContinuousSampling(t *testing.T, d ksSampler, seed uint64) {
	t.Helper()
	xs := draw(d, nDraws, seed)
	for _, x := range xs {
		require.Falsef(t, math.IsNaN(x), "Sample returned NaN")
	}
	checkMean(t, xs, d.Mean())
	slices.Sort(xs)
	n := float64(len(xs))
	var dmax float64
	// Compare F with the empirical CDF just below and at each distinct value
	// (draws can tie where a density piles up near a float's resolution,
	// e.g. Beta(0.05, 0.05) rounds many draws to exactly 0 or 1).
	for j := 0; j < len(xs); {
		k := j + 1
		for k < len(xs) && xs[k] == xs[j] {
			k++
		}
		f := d.CDF(xs[j])
		below := f // F(x−) = F(x) for a continuous F
		if k > j+1 {
			below = d.CDF(math.Nextafter(xs[j], math.Inf(-1)))
		}
		dmax = max(dmax, math.Abs(f-float64(k)/n), math.Abs(below-float64(j)/n))
		j = k
	}
	assert.LessOrEqualf(t, dmax, ksCrit/math.Sqrt(n), "Kolmogorov–Smirnov D = %v", dmax)
}

// checkDiscreteSampling draws nDraws values of d, which takes only the
// values in support, and checks their counts with a chi-square test at
// α = 0.001 against the probabilities from d.CDF, and their mean.
func checkDiscreteSampling(t *testing.T, d ksSampler, support []float64, seed uint64) {
	t.Helper()
	xs := draw(d, nDraws, seed)
	checkMean(t, xs, d.Mean())
	counts := make(map[float64]int)
	for _, x := range xs {
		counts[x]++
	}
	for x := range counts {
		require.Containsf(t, support, x, "Sample returned %v, outside the support", x)
	}
	if len(support) < 2 {
		return
	}
	var chi2, prev float64
	for _, x := range support {
		p := d.CDF(x) - prev
		prev = d.CDF(x)
		e := p * float64(len(xs))
		require.Greaterf(t, e, 5.0, "expected count of %v too small for a chi-square test", x)
		o := float64(counts[x])
		chi2 += (o - e) * (o - e) / e
	}
	crit := distuv.ChiSquared{K: float64(len(support) - 1)}.Quantile(0.999)
	assert.LessOrEqualf(t, chi2, crit, "chi-square statistic %v (%d cells)", chi2, len(support))
}

// checkClose checks got against want to a relative tolerance rel (absolute
// for want == 0).
func checkClose(t *testing.T, got, want, rel float64, msgAndArgs ...any) {
	t.Helper()
	if math.IsInf(want, 0) || want == 0 {
		assert.Equal(t, want, got, msgAndArgs...)
		return
	}
	assert.InEpsilon(t, want, got, rel, msgAndArgs...)
}

// refPoint is a known value of a function: f(x) = want.
type refPoint struct{ x, want float64 }

// checkCDF checks d.CDF against reference values to 1e-9 relative.
func checkCDF(t *testing.T, d CDFer, pts []refPoint) {
	t.Helper()
	for _, pt := range pts {
		checkClose(t, d.CDF(pt.x), pt.want, 1e-9, "CDF(%v)", pt.x)
	}
}

// checkQuantile checks d.Quantile against reference values to 1e-9 relative.
func checkQuantile(t *testing.T, d Quantiler, pts []refPoint) {
	t.Helper()
	for _, pt := range pts {
		checkClose(t, d.Quantile(pt.x), pt.want, 1e-9, "Quantile(%v)", pt.x)
	}
}

// quantileCDF is what the round-trip check needs.
type quantileCDF interface {
	Quantiler
	CDFer
}

// checkRoundTrip checks that Quantile(CDF(x)) ≈ x for x in xs (inside the
// support, where the CDF is strictly increasing) and that Quantile is NaN
// outside [0, 1] and for NaN, and CDF(NaN) is NaN.
func checkRoundTrip(t *testing.T, d quantileCDF, xs []float64, rel float64) {
	t.Helper()
	for _, x := range xs {
		checkClose(t, d.Quantile(d.CDF(x)), x, rel, "Quantile(CDF(%v))", x)
	}
	checkQuantileDomain(t, d)
}

// checkQuantileDomain checks NaN results for arguments outside the domain.
func checkQuantileDomain(t *testing.T, d quantileCDF) {
	t.Helper()
	for _, p := range []float64{-1e-300, -0.5, 1 + 1e-15, 2, math.Inf(1), math.Inf(-1), math.NaN()} {
		assert.Truef(t, math.IsNaN(d.Quantile(p)), "Quantile(%v) = %v, want NaN", p, d.Quantile(p))
	}
	assert.True(t, math.IsNaN(d.CDF(math.NaN())), "CDF(NaN)")
	lo, hi := d.Quantile(0), d.Quantile(1)
	assert.LessOrEqual(t, lo, hi, "Quantile(0) ≤ Quantile(1)")
}

// checkNoAlloc checks that Sample does not allocate.
func checkNoAlloc(t *testing.T, d Sampler) {
	t.Helper()
	r := newRand(1)
	allocs := testing.AllocsPerRun(200, func() { d.Sample(r) })
	assert.Zerof(t, allocs, "Sample allocates %v times per call", allocs)
}

// checkDraws checks that Sample draws exactly k values from r: the stream
// after one Sample is the stream after k calls of r.Uint64.
func checkDraws(t *testing.T, d Sampler, k int) {
	t.Helper()
	for seed := uint64(0); seed < 20; seed++ {
		r1, r2 := newRand(seed), newRand(seed)
		d.Sample(r1)
		for range k {
			r2.Uint64()
		}
		require.Equalf(t, r2.Uint64(), r1.Uint64(), "Sample does not draw exactly %d values (seed %d)", k, seed)
	}
}

// checkInvalid checks that every method of an invalid d returns NaN (and
// that none panics) and that Validate reports ErrInvalidParameter.
func checkInvalid(t *testing.T, d Dist) {
	t.Helper()
	require.ErrorIs(t, d.Validate(), ErrInvalidParameter)
	assert.True(t, math.IsNaN(d.Sample(newRand(1))), "Sample")
	assert.True(t, math.IsNaN(d.Mean()), "Mean")
	for _, p := range []float64{0, 0.5, 1} {
		assert.Truef(t, math.IsNaN(d.Quantile(p)), "Quantile(%v)", p)
	}
	for _, x := range []float64{-1, 0, 0.5, 1e9} {
		assert.Truef(t, math.IsNaN(d.CDF(x)), "CDF(%v)", x)
	}
	_ = d.String()
}

// checkString checks d's String form and that Parse reads it back into a
// value that equals want.
func checkString(t *testing.T, d Dist, s string, want Dist) {
	t.Helper()
	assert.Equal(t, s, d.String())
	got, err := Parse(d.String())
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

// sprintf is fmt.Sprintf.
func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// isParamError reports whether err is a *ParamError that wraps
// ErrInvalidParameter.
func isParamError(err error) bool {
	var pe *ParamError
	return errors.As(err, &pe) && errors.Is(err, ErrInvalidParameter)
}
