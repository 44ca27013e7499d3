package distributions

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mathext"
)

func TestZ95(t *testing.T) {
	assert.InEpsilon(t, z95, mathext.NormalQuantile(0.95), 1e-15)
}

func TestCI90LogNormal(t *testing.T) {
	d := CI90(115, 135)
	require.NoError(t, d.Validate())
	require.IsType(t, Interval90{}, d)
	// testdata/reference.txt, line "CI90": μ = 4.8251034534008398,
	// σ = 0.048740704780021709 (mpmath).
	ln, ok := d.(Interval90).Dist().(LogNormal)
	require.True(t, ok)
	checkClose(t, ln.Mu, 4.8251034534008398, 1e-14)
	checkClose(t, ln.Sigma, 0.048740704780021709, 1e-14)
	checkQuantile(t, d, []refPoint{
		{0.05, 115}, {0.95, 135}, {0.5, 124.59935794377112}, {0.25, 120.56974083267174},
		{0, 0}, {1, math.Inf(1)},
	})
	checkCDF(t, d, []refPoint{{115, 0.05}, {135, 0.95}, {125, 0.52625716226399897}, {0, 0}, {-5, 0}})
	checkClose(t, d.Mean(), 124.74744850441774, 1e-12)
	checkRoundTrip(t, d, []float64{100, 125, 150}, 1e-9)
	checkString(t, d, "115 to 135", d)
	checkNoAlloc(t, d)
}

func TestCI90Normal(t *testing.T) {
	d := CI90(-0.1, 0.3)
	require.NoError(t, d.Validate())
	// testdata/reference.txt, line "CI90n": μ = 0.1, σ = 0.12159136638235379.
	n, ok := d.(Interval90).Dist().(Normal)
	require.True(t, ok)
	checkClose(t, n.Sigma, 0.12159136638235379, 1e-14)
	checkQuantile(t, d, []refPoint{{0.05, -0.1}, {0.95, 0.3}, {0.25, 0.017987869662765941}, {0, math.Inf(-1)}})
	checkCDF(t, d, []refPoint{{0, 0.20541701199855205}, {-0.1, 0.05}, {0.3, 0.95}})
	checkClose(t, d.Mean(), 0.1, 1e-14)
	checkRoundTrip(t, d, []float64{-0.3, 0.05, 0.2}, 1e-9)
	checkString(t, d, "-0.1 to 0.3", d)
	checkNoAlloc(t, d)

	// 0 is not > 0: a normal.
	_, ok = CI90(0, 1).(Interval90).Dist().(Normal)
	assert.True(t, ok)
	checkString(t, CI90(0, 1), "0 to 1", CI90(0, 1))
}

func TestCI90Invalid(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		param  string
	}{
		{135, 115, "lo"}, {5, 5, "lo"}, {math.NaN(), 1, "lo"}, {0, math.Inf(1), "hi"},
		{math.Inf(-1), 0, "lo"}, {1, math.NaN(), "hi"}, {-5e-324, 5e-324, "hi"}, // σ underflows to 0
	} {
		d := CI90(tc.lo, tc.hi)
		checkParamError(t, d.Validate(), "ci90", tc.param)
		checkInvalid(t, d)
	}
}

func TestCI90Sample(t *testing.T) {
	t.Parallel()
	checkContinuousSampling(t, CI90(115, 135).(ksSampler), 1)
	checkContinuousSampling(t, CI90(-0.1, 0.3).(ksSampler), 2)
}

// TestCI90Comparable checks that Interval90 is a value: equal arguments
// give == values (issue 11.8: a hidden pointer made them differ).
func TestCI90Comparable(t *testing.T) {
	assert.True(t, CI90(115, 135) == CI90(115, 135))
	assert.False(t, CI90(115, 135) == CI90(115, 136))
	d1, err := Parse("115 to 135")
	require.NoError(t, err)
	d2, err := Parse("115 to 135")
	require.NoError(t, err)
	assert.True(t, d1 == d2)
	m := map[Dist]int{CI90(1, 2): 1}
	assert.Equal(t, 1, m[CI90(1, 2)])
}

func TestCI90Literal(t *testing.T) {
	for _, c := range [][2]float64{{115, 135}, {-0.1, 0.3}} {
		built := CI90(c[0], c[1])
		lit := Interval90{Lo: c[0], Hi: c[1]}
		for _, p := range []float64{0, 0.05, 0.5, 0.77, 1} {
			assert.Equal(t, built.Quantile(p), lit.Quantile(p))
		}
		assert.Equal(t, built.CDF(120), lit.CDF(120))
		assert.Equal(t, built.Mean(), lit.Mean())
		assert.Equal(t, draw(built, 100, 3), draw(lit, 100, 3))
		assert.Equal(t, built.String(), lit.String())
		// A modified copy does not use the stale parameters.
		mod := built.(Interval90)
		mod.Hi = 200
		assert.Equal(t, Interval90{Lo: c[0], Hi: 200}.Quantile(0.95), mod.Quantile(0.95))
		checkClose(t, mod.Quantile(0.95), 200, 1e-12)
	}
}
