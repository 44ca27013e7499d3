package distributions

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBeta(t *testing.T) {
	// testdata/reference.txt, lines "Beta cdf/q" (mpmath betainc, regularized).
	for _, tc := range []struct {
		d    Beta
		cdf  []refPoint
		q    []refPoint
		mean float64
	}{
		{
			Beta{2, 5},
			[]refPoint{{0.05, 0.032773828125}, {0.2, 0.34464}, {0.5, 0.890625}, {0.9, 0.999945}},
			[]refPoint{{0.05, 0.062849891708354380}, {0.5, 0.26444998329565996}, {0.95, 0.58180340925202591}},
			2.0 / 7,
		},
		{
			Beta{0.5, 0.5}, // the arcsine distribution, CDF (2/π)·asin(√x)
			[]refPoint{{0.05, 0.14356629312870627}, {0.2, 0.29516723530086655}, {0.5, 0.5}, {0.9, 0.79516723530086655}},
			[]refPoint{{0.05, 0.0061558297024311369}, {0.5, 0.5}, {0.95, 0.99384417029756886}},
			0.5,
		},
		{
			Beta{0.3, 4},
			[]refPoint{{0.05, 0.64693404999300287}, {0.2, 0.88935805582830957}, {0.5, 0.98886652678894448}, {0.9, 0.99998692252861492}},
			[]refPoint{{0.05, 8.7726179027516552e-6}, {0.5, 0.019778314565049346}, {0.95, 0.31190627857309031}},
			0.3 / 4.3,
		},
	} {
		t.Run(tc.d.String(), func(t *testing.T) {
			require.NoError(t, tc.d.Validate())
			checkCDF(t, tc.d, append(tc.cdf, refPoint{0, 0}, refPoint{-1, 0}, refPoint{1, 1}, refPoint{2, 1}))
			checkQuantile(t, tc.d, append(tc.q, refPoint{0, 0}, refPoint{1, 1}))
			checkRoundTrip(t, tc.d, []float64{0.01, 0.3, 0.7}, 1e-9)
			checkClose(t, tc.d.Mean(), tc.mean, 1e-15)
			checkString(t, tc.d, tc.d.String(), tc.d)
			checkNoAlloc(t, tc.d)
		})
	}
	assert.Equal(t, "beta(2, 5)", Beta{2, 5}.String())
}

func TestBetaSample(t *testing.T) {
	t.Parallel()
	for i, d := range []Beta{{2, 5}, {0.5, 0.5}, {0.3, 4}, {0.05, 0.05}, {60, 90}} {
		t.Run(d.String(), func(t *testing.T) { checkContinuousSampling(t, d, uint64(i)) })
	}
}
