package distributions

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBernoulli(t *testing.T) {
	d := Bernoulli{P: 0.3}
	require.NoError(t, d.Validate())
	checkCDF(t, d, []refPoint{{-1, 0}, {0, 0.7}, {0.5, 0.7}, {1, 1}, {2, 1}})
	checkQuantile(t, d, []refPoint{{0, 0}, {0.5, 0}, {0.7, 0}, {0.71, 1}, {1, 1}})
	checkQuantileDomain(t, d)
	assert.Equal(t, 0.3, d.Mean())
	checkString(t, d, "bernoulli(0.3)", d)
	checkNoAlloc(t, d)
	checkDraws(t, d, 1)

	never, always := Bernoulli{0}, Bernoulli{1}
	checkQuantile(t, never, []refPoint{{0, 0}, {1, 0}})
	checkQuantile(t, always, []refPoint{{0, 1}, {1, 1}})
	checkCDF(t, always, []refPoint{{0, 0}, {1, 1}})
}

func TestBernoulliSample(t *testing.T) {
	t.Parallel()
	checkDiscreteSampling(t, Bernoulli{P: 0.3}, []float64{0, 1}, 1)
	checkDiscreteSampling(t, Bernoulli{P: 0.999}, []float64{0, 1}, 2)
	checkDiscreteSampling(t, Bernoulli{P: 0}, []float64{0}, 3)
	checkDiscreteSampling(t, Bernoulli{P: 1}, []float64{1}, 4)
}
