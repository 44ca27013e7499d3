package distributions

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPERT(t *testing.T) {
	d := PERT{Min: 115, Mode: 125, Max: 135} // Beta(3, 3) on [115, 135]
	require.NoError(t, d.Validate())
	// testdata/reference.txt, lines "PERT cdf/q 115 125 135" (mpmath betainc).
	checkCDF(t, d, []refPoint{
		{110, 0}, {118, 0.026611875}, {125, 0.5}, {130, 0.896484375}, {135, 1}, {200, 1},
	})
	checkQuantile(t, d, []refPoint{
		{0, 115}, {0.05, 118.78510754875542}, {0.5, 125}, {0.95, 131.21489245124458}, {1, 135},
	})
	checkRoundTrip(t, d, []float64{116, 120, 125.5, 134}, 1e-9)
	assert.InDelta(t, 125.0, d.Mean(), 1e-12)
	checkString(t, d, "pert(115, 125, 135)", d)
	checkNoAlloc(t, d)

	skew := PERT{Min: 0, Mode: 2, Max: 10} // Beta(1.8, 4.2) on [0, 10]
	// testdata/reference.txt, lines "PERT cdf/q 0 2 10".
	checkCDF(t, skew, []refPoint{{1, 0.11852804233280925}, {2, 0.33158186178551874}, {5, 0.85792997743038102}})
	checkQuantile(t, skew, []refPoint{{0.05, 0.58977387611817243}, {0.5, 2.7667225939251884}, {0.95, 6.2127672401619032}})
	assert.InDelta(t, 3.0, skew.Mean(), 1e-15) // (0 + 4·2 + 10)/6
	checkRoundTrip(t, skew, []float64{0.1, 3, 9.5}, 1e-9)
}

func TestPERTSample(t *testing.T) {
	t.Parallel()
	checkContinuousSampling(t, PERT{Min: 115, Mode: 125, Max: 135}, 1)
	checkContinuousSampling(t, PERT{Min: 0, Mode: 2, Max: 10}, 2)
	checkContinuousSampling(t, PERT{Min: 0, Mode: 0, Max: 1}, 3)
}
