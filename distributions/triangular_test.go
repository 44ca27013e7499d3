package distributions

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTriangular(t *testing.T) {
	d := Triangular{Min: 0, Mode: 3, Max: 10}
	require.NoError(t, d.Validate())
	// Closed form x²/30 below the mode, 1 − (10−x)²/70 above;
	// testdata/reference.txt, lines "T".
	checkCDF(t, d, []refPoint{
		{-1, 0}, {1, 0.033333333333333333}, {2, 0.13333333333333333}, {3, 0.3},
		{5, 0.64285714285714286}, {9, 0.98571428571428571}, {10, 1}, {11, 1},
	})
	checkQuantile(t, d, []refPoint{
		{0, 0}, {0.1, 1.7320508075688773}, {0.3, 3}, {0.5, 4.0839202169003840},
		{0.9, 7.3542486889354094}, {1, 10},
	})
	checkRoundTrip(t, d, []float64{0.5, 2.9, 3.1, 9.99}, 1e-9)
	assert.InDelta(t, 13.0/3, d.Mean(), 1e-15)
	checkString(t, d, "triangular(0, 3, 10)", d)
	checkNoAlloc(t, d)
	checkDraws(t, d, 1)

	// Mode at either end of the support.
	left, right := Triangular{0, 0, 2}, Triangular{0, 2, 2}
	checkCDF(t, left, []refPoint{{0, 0}, {1, 0.75}, {2, 1}})
	checkCDF(t, right, []refPoint{{0, 0}, {1, 0.25}, {2, 1}})
	checkQuantile(t, left, []refPoint{{0, 0}, {0.75, 1}, {1, 2}})
	checkQuantile(t, right, []refPoint{{0, 0}, {0.25, 1}, {1, 2}})
}

func TestTriangularSample(t *testing.T) {
	t.Parallel()
	checkContinuousSampling(t, Triangular{Min: 0, Mode: 3, Max: 10}, 1)
	checkContinuousSampling(t, Triangular{Min: 115, Mode: 135, Max: 135}, 2)
	checkContinuousSampling(t, Triangular{Min: -1, Mode: -1, Max: 0}, 3)
}
