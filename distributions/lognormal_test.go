package distributions

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLogNormal(t *testing.T) {
	d := LogNormal{Mu: 4.38, Sigma: 0.25}
	require.NoError(t, d.Validate())
	// testdata/reference.txt, lines "LN" (mpmath).
	checkCDF(t, d, []refPoint{
		{50, 0.030609667812033780}, {80, 0.50323400561234789}, {100, 0.81612095508703594},
		{0, 0}, {-1, 0}, {math.Inf(1), 1},
	})
	checkQuantile(t, d, []refPoint{
		{0.05, 52.920278043224166}, {0.5, 79.838033405084516}, {0.95, 120.44743175357377},
		{0, 0}, {1, math.Inf(1)},
	})
	checkRoundTrip(t, d, []float64{30, 60, 80, 150}, 1e-9)
	checkClose(t, d.Mean(), 82.372364633389086, 1e-12)
	checkString(t, d, "lognormal(4.38, 0.25)", d)
	checkNoAlloc(t, d)
}

func TestLogNormalSample(t *testing.T) {
	t.Parallel()
	checkContinuousSampling(t, LogNormal{Mu: 4.38, Sigma: 0.25}, 1)
	checkContinuousSampling(t, LogNormal{Mu: -2, Sigma: 1}, 2)
}
