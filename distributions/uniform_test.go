package distributions

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUniform(t *testing.T) {
	d := Uniform{Min: 115, Max: 135}
	require.NoError(t, d.Validate())
	// Closed form: CDF(x) = (x−115)/20 on [115, 135].
	checkCDF(t, d, []refPoint{{100, 0}, {115, 0}, {120, 0.25}, {125, 0.5}, {134, 0.95}, {135, 1}, {140, 1}, {math.Inf(1), 1}})
	checkQuantile(t, d, []refPoint{{0, 115}, {0.25, 120}, {0.9, 133}, {1, 135}})
	checkRoundTrip(t, d, []float64{115.5, 120, 131.25}, 1e-12)
	assert.Equal(t, 125.0, d.Mean())
	checkString(t, d, "uniform(115, 135)", d)
	checkNoAlloc(t, d)
	checkDraws(t, d, 1)
}

func TestUniformSample(t *testing.T) {
	t.Parallel()
	checkContinuousSampling(t, Uniform{Min: 115, Max: 135}, 1)
	checkContinuousSampling(t, Uniform{Min: -1e-3, Max: 2e-3}, 2)
}
