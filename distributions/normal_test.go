package distributions

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNormal(t *testing.T) {
	d := Normal{Mu: 1, Sigma: 2}
	require.NoError(t, d.Validate())
	// testdata/reference.txt, lines "N cdf" (mpmath ncdf).
	checkCDF(t, d, []refPoint{
		{-1, 0.15865525393145705}, {0.5, 0.40129367431707628}, {1, 0.5},
		{3, 0.84134474606854295}, {5, 0.97724986805182079}, {-6, 2.3262907903552504e-4},
		{math.Inf(-1), 0}, {math.Inf(1), 1},
	})
	// testdata/reference.txt, lines "N q" (mpmath, 1 + 2·√2·erfinv(2p−1)).
	checkQuantile(t, d, []refPoint{
		{0.001, -5.1804646123356271}, {0.05, -2.2897072539029454}, {0.25, -0.34897950039216349},
		{0.5, 1}, {0.9, 3.5631031310892009}, {0.999, 7.1804646123356271},
		{0, math.Inf(-1)}, {1, math.Inf(1)},
	})
	checkRoundTrip(t, d, []float64{-6, -1, 0.5, 2.5, 7}, 1e-9)
	assert.Equal(t, 1.0, d.Mean())
	checkString(t, d, "normal(1, 2)", d)
	checkString(t, Normal{0.18, 0.06}, "normal(0.18, 0.06)", Normal{0.18, 0.06})
	checkNoAlloc(t, d)
}

func TestNormalSample(t *testing.T) {
	t.Parallel()
	checkContinuousSampling(t, Normal{Mu: 0.18, Sigma: 0.06}, 1)
	checkContinuousSampling(t, Normal{Mu: -1e6, Sigma: 3e5}, 2)
}
