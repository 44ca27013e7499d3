package forecast

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/mcforecast/mcforecast/distributions"
)

// TestExpectedShortfallNormal checks ExpectedShortfall(0.05) of N(0, 1)
// against its closed form −φ(z)/α = −2.06271 (z = Φ⁻¹(α)), within 5
// standard errors of the estimator: its asymptotic variance is
// [Var(X | X ≤ z) + (1 − α)(ES − z)²] / (α·n) (e.g. Brazauskas et al.,
// "Estimating conditional tail expectation with actuarial applications",
// 2008), with Var(X | X ≤ z) = 1 + z·ES − ES² for the normal.
func TestExpectedShortfallNormal(t *testing.T) {
	const alpha, n = 0.05, 200_000
	z := distuv.UnitNormal.Quantile(alpha)
	es := -distuv.UnitNormal.Prob(z) / alpha
	require.InDelta(t, -2.06271, es, 5e-6)
	condVar := 1 + z*es - es*es
	se := math.Sqrt((condVar + (1-alpha)*(es-z)*(es-z)) / (alpha * n))

	m := NewModel()
	x := m.Input("x", distributions.Normal{Mu: 0, Sigma: 1})
	y := m.Output("y")
	m.Eval(func(t *Trial) { t.Set(y, t.Value(x)) })
	exact := mustRun(t, m, Options{Trials: n, Seed: 11}).Output("y")
	stream := mustRun(t, m, Options{Trials: n, Seed: 11, Streaming: true}).Output("y")
	got := exact.ExpectedShortfall(alpha)
	assert.InDelta(t, es, got, 5*se, "exact (SE %.4f)", se)
	// The sketch estimates each value within SketchAccuracy, relative: so
	// is their mean, all of one sign.
	assert.InDelta(t, got, stream.ExpectedShortfall(alpha), SketchAccuracy*math.Abs(got))
	assert.InDelta(t, es, stream.ExpectedShortfall(alpha), 5*se+SketchAccuracy*math.Abs(es))
	// The whole distribution: the mean, exactly in exact mode.
	assert.Equal(t, exact.Mean(), exact.ExpectedShortfall(1))
	assert.InDelta(t, exact.Mean(), stream.ExpectedShortfall(1), SketchAccuracy*1.0)
}

func TestExpectedShortfallSmall(t *testing.T) {
	met := &Metric{raw: []float64{5, math.NaN(), 1, 3, 2, 4, math.Inf(-1)}, mom: moments{N: 5, Invalid: 2, Min: 1, Max: 5}}
	for _, c := range []struct{ alpha, want float64 }{
		{0.2, 1},         // k = 1
		{0.21, 1.5},      // k = 2: (1+2)/2
		{0.6, 2},         // k = 3
		{1, 3},           // all five
		{1e-300, 1},      // k = 1 at least
		{0.4, 1.5},       // k = 2
		{0.8, 10.0 / 4},  // k = 4
		{0.79, 10.0 / 4}, // ⌈3.95⌉ = 4
	} {
		assert.Equal(t, c.want, met.ExpectedShortfall(c.alpha), "alpha %g", c.alpha)
	}
	ties := &Metric{raw: []float64{7, 7, 7, 7}, mom: moments{N: 4, Min: 7, Max: 7}}
	assert.Equal(t, 7.0, ties.ExpectedShortfall(0.5))
	assert.True(t, math.IsNaN((&Metric{}).ExpectedShortfall(0.5)))
	assert.True(t, math.IsNaN((*Metric)(nil).ExpectedShortfall(0.5)))
	for _, a := range []float64{0, -0.1, 1.5, math.NaN()} {
		assert.Panics(t, func() { met.ExpectedShortfall(a) }, "alpha %g", a)
	}
	assert.PanicsWithValue(t, "forecast: ExpectedShortfall(5): alpha must be a fraction in (0, 1]; for 5 % use 0.05", func() { met.ExpectedShortfall(5) })
}

// TestWorkersBitIdentical checks every statistic's bits, in both modes, for
// 1, 2, 3 and 7 workers: the exact sums do not depend on which worker
// added which block.
func TestWorkersBitIdentical(t *testing.T) {
	for _, streaming := range []bool{false, true} {
		o := Options{Trials: 37*BlockSize + 5, Seed: 8, Streaming: streaming, Workers: 1}
		one := mustRun(t, sumModel(), o)
		for _, w := range []int{2, 3, 7} {
			o.Workers = w
			sameResult(t, one, mustRun(t, sumModel(), o))
		}
	}
}

// TestKeepAllocatesNothing checks that storing a block — copying it,
// adding it to the exact accumulators and, streaming, to the sketches —
// allocates nothing once the sketches have seen the values' range.
func TestKeepAllocatesNothing(t *testing.T) {
	for _, streaming := range []bool{false, true} {
		p, err := newPlan(sumModel(), Options{Trials: 8 * BlockSize, Streaming: streaming}.withDefaults())
		require.NoError(t, err)
		st := newStore(p, 1)
		st.grow(p.blocks)
		w := st.workers[0]
		require.NoError(t, p.simulate(w, 3))
		st.keep(w, 0, 3) // the sketches grow to the values' range
		allocs := testing.AllocsPerRun(20, func() { st.keep(w, 0, 3) })
		assert.Zero(t, allocs, "streaming %v", streaming)
	}
}

// PercentilesCI gives, from one selection, exactly what Percentiles and
// PercentileCI give from one each, in both modes.
func TestPercentilesCIOnePass(t *testing.T) {
	m := NewModel()
	x := m.Input("x", distributions.LogNormal{Mu: 0, Sigma: 1})
	y := m.Output("y")
	m.Eval(func(t *Trial) { t.Set(y, t.Value(x)) })
	ps := []float64{0, 0.05, 0.5, 0.95, 1}
	for _, streaming := range []bool{false, true} {
		res, err := Run(context.Background(), m, Options{Trials: 20_000, Seed: 3, Streaming: streaming})
		require.NoError(t, err)
		met := res.Output("y")
		vals, lo, hi := met.PercentilesCI(0.95, ps...)
		assert.Equal(t, met.Percentiles(ps...), vals)
		for i, p := range ps {
			l, h := met.PercentileCI(p, 0.95)
			assert.Equal(t, math.Float64bits(l), math.Float64bits(lo[i]), "p %v streaming %v", p, streaming)
			assert.Equal(t, math.Float64bits(h), math.Float64bits(hi[i]), "p %v streaming %v", p, streaming)
		}
	}
	assert.Panics(t, func() { (&Metric{}).PercentilesCI(0.95, 50) })
	assert.Panics(t, func() { (&Metric{}).PercentilesCI(95, 0.5) })
}
