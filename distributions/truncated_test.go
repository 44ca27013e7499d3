package distributions

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// opaque hides the type of a Dist from Truncated's closed forms, to test
// the generic quadrature path.
type opaque struct{ Dist }

func TestTruncated(t *testing.T) {
	d := Truncated{Dist: Normal{Mu: 0.2, Sigma: 0.1}, Min: 0, Max: 1}
	require.NoError(t, d.Validate())
	// testdata/reference.txt, lines "TN" (mpmath).
	checkCDF(t, d, []refPoint{{-1, 0}, {0, 0}, {0.1, 0.13906895915392568}, {0.3, 0.83765129152921667}, {1, 1}, {2, 1}})
	checkQuantile(t, d, []refPoint{
		{0, 0}, {0.05, 0.053611455428606851}, {0.5, 0.20285169265909167}, {0.95, 0.36559843567138224}, {1, 1},
	})
	checkClose(t, d.Mean(), 0.20552478626789848, 1e-12)
	checkRoundTrip(t, d, []float64{0.01, 0.2, 0.5}, 1e-9)
	checkString(t, d, "truncated(normal(0.2, 0.1), 0, 1)", d)
	checkNoAlloc(t, d)
	checkDraws(t, d, 1)

	// Means, testdata/reference.txt lines "TN2", "TLN", "TG", "TT" (mpmath
	// quad of x·pdf over the window / its mass).
	for _, tc := range []struct {
		d    Truncated
		want float64
	}{
		{Truncated{Normal{0, 1}, math.Inf(-1), 0}, -0.79788456080286536},
		{Truncated{LogNormal{0, 1}, 0.5, 3}, 1.3139902865563715},
		{Truncated{Gamma{2, 1}, 1, math.Inf(1)}, 2.5},
		{Truncated{Triangular{0, 3, 10}, 2, 8}, 4.5215686274509804},
		{Truncated{Uniform{0, 10}, 2, 20}, 6},
		{Truncated{PERT{0, 2, 10}, 1, 6}, 3.0568486856876116},
		{Truncated{Beta{2, 5}, 0.1, 0.5}, 0.27518382488241832},
		{Truncated{Gamma{0.3, 2}, 0.5, 2}, 0.84069026226663314},
		{Truncated{CI90(115, 135), 120, 200}, Truncated{LogNormal{4.8251034534008398, 0.048740704780021709}, 120, 200}.Mean()},
	} {
		require.NoError(t, tc.d.Validate())
		checkClose(t, tc.d.Mean(), tc.want, 1e-10, tc.d.String())
		// The quadrature agrees with the closed forms (less closely
		// across the kink of the triangular quantile at the mode).
		o := Truncated{opaque{tc.d.Dist}, tc.d.Min, tc.d.Max}
		tol := 1e-10
		if _, ok := tc.d.Dist.(Triangular); ok {
			tol = 1e-6
		}
		checkClose(t, o.Mean(), tc.want, tol, "quadrature "+tc.d.String())
	}
	checkClose(t, Truncated{Gamma{2, 1}, 1, math.Inf(1)}.CDF(2), 0.44818083824283652, 1e-9)

	// Atoms at Min are excluded, atoms at Max included.
	b := Truncated{Bernoulli{0.3}, 0, 1}
	require.NoError(t, b.Validate())
	assert.Equal(t, 1.0, b.Mean())
	assert.Equal(t, 1.0, b.Quantile(0.01))
	assert.Equal(t, 1.0, b.Quantile(1))
	assert.Equal(t, 1.0, b.Sample(newRand(1)))
	dd, _ := NewDiscrete([]float64{1, 2, 3, 4}, []float64{1, 1, 1, 1})
	td := Truncated{dd, 1, 3}
	checkClose(t, td.Mean(), 2.5, 1e-15)
	checkCDF(t, td, []refPoint{{1, 0}, {2, 0.5}, {3, 1}})
	checkQuantile(t, td, []refPoint{{0.1, 2}, {0.5, 2}, {0.6, 3}, {1, 3}})

	// Nested truncation and a mixture inside.
	nested := Truncated{Truncated{Normal{0, 1}, -1, 1}, 0, 5}
	checkClose(t, nested.Mean(), Truncated{Normal{0, 1}, 0, 1}.Mean(), 1e-12)
	mix := Truncated{Mixture{Components: []Dist{Normal{0, 1}, Uniform{2, 3}}, Weights: []float64{0.3, 0.7}}, 0, 2.5}
	checkClose(t, mix.Mean(), 1.8105942987262274, 1e-12) // testdata/reference.txt, "TMix"

	// Quantile(0) and Quantile(1) are the ends of the window's support.
	checkQuantile(t, Truncated{Uniform{0, 10}, 2, 20}, []refPoint{{0, 2}, {1, 10}})
	checkQuantile(t, Truncated{Normal{0, 1}, math.Inf(-1), 1}, []refPoint{{0, math.Inf(-1)}, {1, 1}})
}

func TestTruncatedSample(t *testing.T) {
	t.Parallel()
	checkContinuousSampling(t, Truncated{Dist: Normal{Mu: 0.2, Sigma: 0.1}, Min: 0, Max: 1}, 1)
	checkContinuousSampling(t, Truncated{Dist: LogNormal{Mu: 0, Sigma: 1}, Min: 0.5, Max: 3}, 2)
	checkContinuousSampling(t, Truncated{Dist: Normal{Mu: 0, Sigma: 1}, Min: math.Inf(-1), Max: -2}, 3)
	checkContinuousSampling(t, Truncated{Dist: Triangular{0, 3, 10}, Min: 2, Max: 8}, 4)
	dd, _ := NewDiscrete([]float64{1, 2, 3, 4}, []float64{1, 2, 3, 4})
	checkDiscreteSampling(t, Truncated{dd, 1, 3}, []float64{2, 3}, 5)
}
