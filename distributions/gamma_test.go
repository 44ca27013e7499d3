package distributions

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGamma(t *testing.T) {
	// testdata/reference.txt, lines "Gamma cdf/q" (mpmath gammainc,
	// regularized; the CDF of Gamma(k, rate) at x is P(k, rate·x)).
	for _, tc := range []struct {
		d   Gamma
		cdf []refPoint
		q   []refPoint
	}{
		{
			Gamma{2, 0.5},
			[]refPoint{{0.1, 0.0012091042742502905}, {1, 0.090204010431049865}, {4, 0.59399415029016192}, {10, 0.95957231800548720}},
			[]refPoint{{0.05, 0.71072302139732410}, {0.5, 3.3566939800333213}, {0.95, 9.4877290367811568}},
		},
		{
			Gamma{0.3, 2},
			[]refPoint{{0.1, 0.65750672426972172}, {1, 0.97797401917285298}, {4, 0.99997576072630326}, {10, 0.99999999991811555}},
			[]refPoint{{0.05, 1.6055173498614812e-5}, {0.5, 0.036565567933475951}, {0.95, 0.68617497205044366}},
		},
		{
			Gamma{9, 3},
			[]refPoint{{0.1, 4.1421975361901249e-11}, {1, 0.0038029920616759570}, {4, 0.84497221823253709}, {10, 0.99999795392409573}},
			[]refPoint{{0.05, 1.5650758467814971}, {0.5, 2.8896503947901241}, {0.95, 4.8115499050654392}},
		},
	} {
		t.Run(tc.d.String(), func(t *testing.T) {
			require.NoError(t, tc.d.Validate())
			checkCDF(t, tc.d, append(tc.cdf, refPoint{0, 0}, refPoint{-1, 0}, refPoint{math.Inf(1), 1}))
			checkQuantile(t, tc.d, append(tc.q, refPoint{0, 0}, refPoint{1, math.Inf(1)}))
			checkRoundTrip(t, tc.d, []float64{0.05, 0.5, 3}, 1e-9)
			assert.Equal(t, tc.d.Shape/tc.d.Rate, tc.d.Mean())
			checkString(t, tc.d, tc.d.String(), tc.d)
			checkNoAlloc(t, tc.d)
		})
	}
	assert.Equal(t, "gamma(2, 0.5)", Gamma{2, 0.5}.String())
}

func TestGammaLowerTail(t *testing.T) {
	// testdata/reference.txt, lines "Gamma lowq" (mpmath, bisection on
	// log x).
	for _, tc := range []struct {
		d Gamma
		q []refPoint
	}{
		{Gamma{2, 0.5}, []refPoint{{1e-10, 2.8284404581659482e-5}, {0.001, 0.090804035538979114}, {0.2, 1.6487766180659692}}},
		{Gamma{0.3, 2}, []refPoint{{1e-10, 1.6182201133017803e-34}, {0.001, 3.4863495483916751e-11}, {0.2, 0.0016351697623424730}}},
		{Gamma{50, 1}, []refPoint{{1e-10, 17.199911954562409}, {0.001, 30.958969603468312}, {0.2, 43.972667961375506}}},
		{Gamma{0.01, 1}, []refPoint{{1e-10, 0}, {0.001, 5.6607381470618812e-301}, {0.2, 7.1758381098578289e-71}}},
	} {
		checkQuantile(t, tc.d, tc.q)
		for _, pt := range tc.q {
			assert.Zero(t, testing.AllocsPerRun(10, func() { tc.d.Quantile(pt.x) }), "Quantile allocates")
		}
	}
}

func TestGammaSample(t *testing.T) {
	t.Parallel()
	for i, d := range []Gamma{{2, 0.5}, {0.3, 2}, {1, 1}, {0.05, 1}, {400, 20}} {
		t.Run(d.String(), func(t *testing.T) { checkContinuousSampling(t, d, uint64(i)) })
	}
}
