package distributions

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConstant(t *testing.T) {
	d := Constant{Value: 125}
	require.NoError(t, d.Validate())
	checkCDF(t, d, []refPoint{{124.999, 0}, {125, 1}, {1e9, 1}, {math.Inf(-1), 0}})
	checkQuantile(t, d, []refPoint{{0, 125}, {0.3, 125}, {1, 125}})
	checkQuantileDomain(t, d)
	assert.Equal(t, 125.0, d.Mean())
	assert.Equal(t, 125.0, d.Sample(newRand(1)))
	checkString(t, d, "125", d)
	checkString(t, Constant{-0.1}, "-0.1", Constant{-0.1})
	checkString(t, Constant{1e21}, "1e+21", Constant{1e21})
	checkNoAlloc(t, d)
	checkDraws(t, d, 0)
}

func TestConstantSample(t *testing.T) {
	t.Parallel()
	checkDiscreteSampling(t, Constant{Value: -3.5}, []float64{-3.5}, 1)
}
