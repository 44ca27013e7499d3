package distributions

import (
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat"
)

func TestEmpirical(t *testing.T) {
	data := []float64{5, 1, 3, 3, 2, 3, 2}
	lit := Empirical{Data: data}
	prep, err := NewEmpirical(data)
	require.NoError(t, err)
	sorted := slices.Sorted(slices.Values(data)) // 1 2 2 3 3 3 5
	for name, d := range map[string]Empirical{"literal": lit, "NewEmpirical": prep} {
		t.Run(name, func(t *testing.T) {
			require.NoError(t, d.Validate())
			checkCDF(t, d, []refPoint{{0, 0}, {1, 1.0 / 7}, {2, 3.0 / 7}, {2.5, 3.0 / 7}, {3, 6.0 / 7}, {4.9, 6.0 / 7}, {5, 1}})
			// The quantiles are gonum's empirical quantiles of the data.
			for i := 0; i <= 1000; i++ {
				p := float64(i) / 1000
				require.Equalf(t, stat.Quantile(p, stat.Empirical, sorted, nil), d.Quantile(p), "Quantile(%v)", p)
			}
			for _, x := range []float64{1, 2, 3, 5} {
				assert.Equal(t, x, d.Quantile(d.CDF(x)))
			}
			checkQuantileDomain(t, d)
			checkClose(t, d.Mean(), 19.0/7, 1e-15)
			checkNoAlloc(t, d)
			checkDraws(t, d, 1)
			assert.Equal(t, "empirical([5, 1, 3, 3, 2, 3, 2])", d.String())
		})
	}
	checkString(t, lit, lit.String(), prep)
	assert.Equal(t, draw(lit, 1000, 7), draw(prep, 1000, 7))

	// Quantile(CDF(x)) is the largest datum ≤ x even where k/n·n is not k.
	big := make([]float64, 49)
	for i := range big {
		big[i] = float64(i)
	}
	e, err := NewEmpirical(big)
	require.NoError(t, err)
	for _, x := range big {
		require.Equal(t, x, e.Quantile(e.CDF(x)))
		require.Equal(t, x, Empirical{Data: big}.Quantile(Empirical{Data: big}.CDF(x)))
	}

	// NewEmpirical copies its argument.
	in := []float64{1, 2}
	c, err := NewEmpirical(in)
	require.NoError(t, err)
	in[0] = math.NaN()
	assert.Equal(t, 1.5, c.Mean())
	_, err = NewEmpirical(nil)
	checkParamError(t, err, "empirical", "len(data)")
}

func TestEmpiricalSample(t *testing.T) {
	t.Parallel()
	data := []float64{5, 1, 3, 3, 2, 3, 2}
	prep, err := NewEmpirical(data)
	require.NoError(t, err)
	checkDiscreteSampling(t, Empirical{Data: data}, []float64{1, 2, 3, 5}, 1)
	checkDiscreteSampling(t, prep, []float64{1, 2, 3, 5}, 2)
}
