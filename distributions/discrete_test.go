package distributions

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDiscrete(t *testing.T) {
	lit := Discrete{Values: []float64{3, 1, 2, 3}, Weights: []float64{2, 3, 5, 1}}
	prep, err := NewDiscrete(lit.Values, lit.Weights)
	require.NoError(t, err)
	for name, d := range map[string]Discrete{"literal": lit, "NewDiscrete": prep} {
		t.Run(name, func(t *testing.T) {
			require.NoError(t, d.Validate())
			// Weights 3/11 on 1, 5/11 on 2, 3/11 on 3 (exact fractions).
			checkCDF(t, d, []refPoint{{0, 0}, {1, 3.0 / 11}, {1.5, 3.0 / 11}, {2, 8.0 / 11}, {2.99, 8.0 / 11}, {3, 1}, {9, 1}})
			checkQuantile(t, d, []refPoint{
				{0, 1}, {3.0 / 11, 1}, {0.3, 2}, {8.0 / 11, 2}, {0.73, 3}, {1, 3},
			})
			for _, x := range []float64{1, 2, 3} {
				assert.Equal(t, x, d.Quantile(d.CDF(x)))
			}
			assert.Equal(t, 2.0, d.Quantile(d.CDF(2.5)))
			checkQuantileDomain(t, d)
			checkClose(t, d.Mean(), 2, 1e-15) // (3·2 + 1·3 + 2·5 + 3·1)/11 = 22/11
			checkNoAlloc(t, d)
			checkDraws(t, d, 1)
			assert.Equal(t, "discrete([3, 1, 2, 3], [2, 3, 5, 1])", d.String())
		})
	}
	checkString(t, lit, lit.String(), prep)

	// The two forms draw the same values from the same stream.
	assert.Equal(t, draw(lit, 1000, 7), draw(prep, 1000, 7))

	// A zero weight is never drawn.
	z, err := NewDiscrete([]float64{1, 5, 2}, []float64{1, 0, 1})
	require.NoError(t, err)
	assert.Equal(t, 2.0, z.Quantile(1))
	assert.Equal(t, 2.0, Discrete{Values: z.Values, Weights: z.Weights}.Quantile(1))
	assert.NotContains(t, draw(z, 1000, 1), 5.0)

	// The constructor copies its arguments and reports invalid ones.
	v := []float64{1, 2}
	c, err := NewDiscrete(v, []float64{1, 1})
	require.NoError(t, err)
	v[0] = math.NaN()
	assert.Equal(t, 1.0, c.Quantile(0))
	_, err = NewDiscrete([]float64{1, 2}, []float64{1})
	checkParamError(t, err, "discrete", "len(weights)")
}

func TestDiscreteSample(t *testing.T) {
	t.Parallel()
	lit := Discrete{Values: []float64{3, 1, 2, 3}, Weights: []float64{2, 3, 5, 1}}
	prep, err := NewDiscrete(lit.Values, lit.Weights)
	require.NoError(t, err)
	checkDiscreteSampling(t, lit, []float64{1, 2, 3}, 1)
	checkDiscreteSampling(t, prep, []float64{1, 2, 3}, 2)
	many := Discrete{}
	for i := range 50 {
		many.Values = append(many.Values, float64(i))
		many.Weights = append(many.Weights, float64(1+i%3))
	}
	checkDiscreteSampling(t, many, many.Values, 3)
}
