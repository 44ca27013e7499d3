package forecast

import (
	"context"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcforecast/mcforecast/distributions"
	"github.com/mcforecast/mcforecast/internal/sobol"
)

func TestMethodTable(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Method
	}{
		{"", MonteCarlo}, {"montecarlo", MonteCarlo}, {"mc", MonteCarlo}, {"monte-carlo", MonteCarlo},
		{"lhs", LatinHypercube}, {"latinhypercube", LatinHypercube}, {"latin-hypercube", LatinHypercube},
		{"qmc", QuasiMonteCarlo}, {"sobol", QuasiMonteCarlo}, {"quasimontecarlo", QuasiMonteCarlo},
	} {
		got, err := ParseMethod(c.in)
		require.NoError(t, err, c.in)
		assert.Equal(t, c.want, got, c.in)
	}
	for m := range methods {
		got, err := ParseMethod(Method(m).String())
		require.NoError(t, err)
		assert.Equal(t, Method(m), got)
	}
	_, err := ParseMethod("halton")
	assert.EqualError(t, err, `forecast: method "halton", want montecarlo, lhs or qmc`)
	assert.Equal(t, "Method(3)", Method(3).String())
	assert.ErrorContains(t, Options{Method: 3}.Validate(), "Options.Method 3, want MonteCarlo, LatinHypercube or QuasiMonteCarlo")
	assert.ErrorContains(t, Options{Method: -1}.Validate(), "Options.Method -1")
}

// marginalModel echoes every input value into an output, so that each
// value's samples can be tested against its distribution: a, b, c scalar,
// s a 3-year series, and p, q a correlated pair.
func marginalModel() (*Model, map[string]distributions.Dist) {
	dists := map[string]distributions.Dist{
		"a": distributions.Uniform{Min: -1, Max: 3},
		"b": distributions.PERT{Min: 115, Mode: 120, Max: 135},
		"c": distributions.LogNormal{Mu: 0, Sigma: 0.5},
		"s": distributions.Gamma{Shape: 2, Rate: 0.5},
		"p": distributions.PERT{Min: 0, Mode: 1, Max: 4},
		"q": distributions.CI90(10, 20),
	}
	m := NewModel()
	var ins []Input
	var outs []Output
	for _, name := range []string{"a", "b", "c", "p", "q"} {
		ins = append(ins, m.Input(name, dists[name]))
		outs = append(outs, m.Output("out "+name))
	}
	s := m.Series("s", dists["s"], 3)
	so := m.OutputSeries("out s", 3)
	m.Correlate(ins[3], ins[4], 0.6)
	m.Eval(func(t *Trial) {
		for i, in := range ins {
			t.Set(outs[i], t.Value(in))
		}
		for y, v := range t.Values(s) {
			t.SetAt(so, y, v)
		}
	})
	return m, dists
}

// ksDistance returns sup |F_n(x) − F(x)| of the samples xs.
func ksDistance(xs []float64, d distributions.Dist) float64 {
	xs = slices.Clone(xs)
	slices.Sort(xs)
	n := float64(len(xs))
	dmax := 0.0
	for i, x := range xs {
		f := d.CDF(x)
		dmax = math.Max(dmax, math.Max(math.Abs(float64(i+1)/n-f), math.Abs(f-float64(i)/n)))
	}
	return dmax
}

// TestQMCMarginals checks every input value's marginal under QMC. An
// independent value takes one coordinate of a power-of-two prefix of a
// scrambled Sobol' sequence, in which each interval [k/n, (k+1)/n) holds
// exactly one point: its Kolmogorov–Smirnov distance is at most 1/n (plus
// the Inverter's error, 1e-9 relative). Correlated values are mixed by the
// copula and only pass the ordinary KS test (1.95/√n at α = 0.001).
func TestQMCMarginals(t *testing.T) {
	m, dists := marginalModel()
	const n = 1 << 14
	res := mustRun(t, m, Options{Trials: n, Seed: 5, Method: QuasiMonteCarlo})
	require.Len(t, res.Metrics(), 5+3, "five scalars and three years of s")
	for _, met := range res.Metrics() {
		name := strings.TrimPrefix(met.Name(), "out ")
		d := dists[name]
		bound := 1.0/n + 1e-7
		if name == "p" || name == "q" {
			bound = 1.95 / math.Sqrt(n)
		}
		assert.LessOrEqual(t, ksDistance(met.Samples(), d), bound, met.Label())
	}
	// The copula still achieves its rank correlation (within 4 standard
	// errors of Monte Carlo's, about (1−ρ²)/√n).
	p, q := res.Output("out p").Samples(), res.Output("out q").Samples()
	assert.InDelta(t, 0.6, spearman(p, q), 4*(1-0.36)/math.Sqrt(n))
}

// TestQMCDeterminism: the same bits for any number of workers and through
// SimulateBlocks and Merge of any split, trial counts that are not powers
// of two (or of BlockSize) included.
func TestQMCDeterminism(t *testing.T) {
	m, _ := marginalModel()
	o := Options{Trials: 20*BlockSize + 123, Seed: 11, Method: QuasiMonteCarlo, KeepInputs: true}
	o.Workers = 1
	ref := mustRun(t, m, o)
	same := func(t *testing.T, got *Result) {
		t.Helper()
		for i, rm := range ref.Metrics() {
			gm := got.Metrics()[i]
			require.Equal(t, rm.Count(), gm.Count())
			assert.Equal(t, math.Float64bits(rm.Mean()), math.Float64bits(gm.Mean()), rm.Label())
			assert.Equal(t, math.Float64bits(rm.StdDev()), math.Float64bits(gm.StdDev()), rm.Label())
			assert.Equal(t, rm.Samples(), gm.Samples(), rm.Label())
			assert.Equal(t, rm.Sensitivity(), gm.Sensitivity(), rm.Label())
		}
	}
	for _, workers := range []int{2, 3} {
		o.Workers = workers
		same(t, mustRun(t, m, o))
	}
	for _, split := range [][][2]int{{{0, 21}}, {{0, 1}, {1, 20}}, {{13, 8}, {0, 5}, {5, 8}}} {
		var parts []*Partial
		for _, r := range split {
			p, err := SimulateBlocks(context.Background(), m, o, r[0], r[1])
			require.NoError(t, err)
			parts = append(parts, p)
		}
		merged, err := Merge(m, o, parts)
		require.NoError(t, err)
		same(t, merged)
	}
	// Another seed, another scramble.
	o.Seed = 12
	other := mustRun(t, m, o)
	assert.NotEqual(t, ref.Output("out a").Mean(), other.Output("out a").Mean())
}

// TestQMCPrecisionStop: the precision rule stops a QMC run at the same
// checkpoint, with the same bits, for any number of workers.
func TestQMCPrecisionStop(t *testing.T) {
	var trials []int
	var means []uint64
	for _, workers := range []int{1, 2, 3} {
		res := mustRun(t, sumModel(), Options{Trials: 400 * BlockSize, Seed: 3, Method: QuasiMonteCarlo, Precision: 0.02, Workers: workers})
		trials = append(trials, res.Trials())
		means = append(means, math.Float64bits(res.Output("total").Mean()))
	}
	assert.Less(t, trials[0], 400*BlockSize, "the run should stop before its cap")
	assert.Equal(t, []int{trials[0], trials[0], trials[0]}, trials)
	assert.Equal(t, []uint64{means[0], means[0], means[0]}, means)
}

// TestQMCMeanError: the mean of sumModel's total (exactly 1, a smooth —
// linear — function of six inputs) is far more accurate under QMC than the
// Monte Carlo standard error σ/√n = 3/√n: the scrambled net integrates
// each coordinate's quantile with error O(1/n). Over 10 seeds the RMS error
// must be below 0.1 × Monte Carlo's expected one.
func TestQMCMeanError(t *testing.T) {
	const n = 1 << 13
	var sse float64
	const seeds = 10
	for s := 0; s < seeds; s++ {
		res := mustRun(t, sumModel(), Options{Trials: n, Seed: uint64(s), Method: QuasiMonteCarlo})
		e := res.Output("total").Mean() - 1
		sse += e * e
	}
	rmse := math.Sqrt(sse / seeds)
	assert.Less(t, rmse, 0.1*3/math.Sqrt(n))
}

func TestQMCTooManyDims(t *testing.T) {
	m := NewModel()
	s := m.Series("long", distributions.Normal{Mu: 0, Sigma: 1}, sobol.MaxDims+1)
	o := m.Output("o")
	m.Eval(func(t *Trial) { t.Set(o, t.Values(s)[0]) })
	err := Check(m, Options{Trials: BlockSize, Method: QuasiMonteCarlo})
	assert.ErrorContains(t, err, "21202 input values")
	assert.ErrorContains(t, err, "sobol.MaxDims (21201)")
	require.NoError(t, Check(m, Options{Trials: BlockSize}))
}

func TestSamplerZeroAllocs(t *testing.T) {
	correlated := sumModel()
	correlated.Correlate(correlated.inputHandle(0), correlated.inputHandle(1), 0.4)
	pert, _ := marginalModel()
	for _, m := range []*Model{sumModel(), correlated, pert} {
		for method := range methods {
			assertZeroBlockAllocs(t, m, Method(method))
		}
	}
}

// TestInverterCache: a run reuses the Inverters of an earlier run by
// distribution value; values that hold something outside package
// distributions are not cached.
func TestInverterCache(t *testing.T) {
	d := distributions.PERT{Min: 1, Mode: 2, Max: 7}
	assert.Same(t, inverterOf(d), inverterOf(distributions.PERT{Min: 1, Mode: 2, Max: 7}))
	assert.NotSame(t, inverterOf(d), inverterOf(distributions.PERT{Min: 1, Mode: 3, Max: 7}))
	assert.True(t, cacheable(reflectValue(distributions.Truncated{Dist: d, Min: 2, Max: 6})))
	assert.False(t, cacheable(reflectValue(distributions.Truncated{Dist: userDist{d}, Min: 2, Max: 6})))
	v := inverterOf(distributions.Truncated{Dist: userDist{d}, Min: 2, Max: 6})
	assert.InDelta(t, 4, v.Quantile(distributions.Truncated{Dist: d, Min: 2, Max: 6}.CDF(4)), 1e-8)
}

type userDist struct{ distributions.PERT }

func reflectValue(d distributions.Dist) reflect.Value { return reflect.ValueOf(d) }
