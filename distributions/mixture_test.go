package distributions

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMixture(t *testing.T) {
	d := Mixture{Components: []Dist{Normal{0, 1}, Uniform{2, 3}}, Weights: []float64{0.3, 0.7}}
	require.NoError(t, d.Validate())
	// testdata/reference.txt, lines "Mix" (mpmath).
	checkCDF(t, d, []refPoint{{0, 0.15}, {2.5, 0.64813710040226716}, {math.Inf(-1), 0}, {math.Inf(1), 1}})
	checkQuantile(t, d, []refPoint{
		{0.1, -0.43072729929545749}, {0.5, 2.2904278274135405}, {0.9, 2.8580562389410723},
		{0, math.Inf(-1)}, {1, math.Inf(1)},
	})
	checkRoundTrip(t, d, []float64{-1, 1, 2.2, 2.9}, 1e-12)
	checkClose(t, d.Mean(), 1.75, 1e-15)
	checkString(t, d, "mixture([normal(0, 1), uniform(2, 3)], [0.3, 0.7])", d)
	checkNoAlloc(t, d)

	// Nil weights are equal weights.
	eq := Mixture{Components: []Dist{Constant{1}, Constant{2}, Constant{4}}}
	require.NoError(t, eq.Validate())
	checkClose(t, eq.Mean(), 7.0/3, 1e-15)
	checkQuantile(t, eq, []refPoint{{0, 1}, {0.3, 1}, {0.5, 2}, {0.9, 4}, {1, 4}})
	checkString(t, eq, "mixture([1, 2, 4])", eq)

	// A zero weight excludes its component.
	z := Mixture{Components: []Dist{Constant{1}, Constant{100}}, Weights: []float64{1, 0}}
	assert.Equal(t, 1.0, z.Quantile(1))
	assert.Equal(t, 1.0, z.Mean())
	assert.NotContains(t, draw(z, 1000, 1), 100.0)
}

func TestFloatKey(t *testing.T) {
	xs := []float64{math.Inf(-1), -math.MaxFloat64, -1, -math.SmallestNonzeroFloat64, 0, math.SmallestNonzeroFloat64, 1, math.MaxFloat64, math.Inf(1)}
	for i, x := range xs {
		assert.Equal(t, x, keyFloat(floatKey(x)))
		if i > 0 {
			assert.Less(t, floatKey(xs[i-1]), floatKey(x))
		}
	}
	assert.Equal(t, floatKey(0), floatKey(math.Copysign(0, -1)))
}

func TestMixtureSample(t *testing.T) {
	t.Parallel()
	checkContinuousSampling(t, Mixture{Components: []Dist{Normal{0, 1}, Uniform{2, 3}}, Weights: []float64{0.3, 0.7}}, 1)
	checkContinuousSampling(t, Mixture{Components: []Dist{CI90(115, 135), PERT{100, 110, 150}, Truncated{Normal{120, 10}, 110, 200}}}, 2)
	checkDiscreteSampling(t, Mixture{Components: []Dist{Constant{1}, Bernoulli{0.5}}, Weights: []float64{1, 3}}, []float64{0, 1}, 3)
}

// TestMixtureQuantileAcrossZero is the regression test for a bisection whose
// bracket spans zero with magnitudes near 2: kb − ka overflowed int64 and
// Quantile returned the upper component quantile (found by disttest).
func TestMixtureQuantileAcrossZero(t *testing.T) {
	m := Mixture{Components: []Dist{Normal{Mu: 0, Sigma: 1}, Uniform{Min: 2, Max: 3}}, Weights: []float64{0.3, 0.7}}
	for _, p := range []float64{0.001, 0.022, 0.023, 0.1, 0.29, 0.31, 0.9} {
		q := m.Quantile(p)
		assert.InDelta(t, p, m.CDF(q), 1e-12, "CDF(Quantile(%v)) with Quantile %v", p, q)
	}
	// Below 0.3 the quantile is the normal component's at p/0.3.
	assert.InDelta(t, Normal{Mu: 0, Sigma: 1}.Quantile(0.022/0.3), m.Quantile(0.022), 1e-12)
}
