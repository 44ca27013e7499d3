package forecast

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/mcforecast/mcforecast/distributions"
)

// firstOrderOf runs m for trials trials and returns the FirstOrder entries
// of output "y" by label.
func firstOrderOf(t *testing.T, m *Model, opts Options) map[string]FirstOrder {
	t.Helper()
	res, err := Run(context.Background(), m, opts)
	require.NoError(t, err)
	fo, err := res.Output("y").FirstOrder()
	require.NoError(t, err)
	byLabel := map[string]FirstOrder{}
	for i, f := range fo {
		if i > 0 {
			assert.GreaterOrEqual(t, fo[i-1].Value, f.Value, "sorted largest first")
		}
		byLabel[f.Label()] = f
	}
	return byLabel
}

// TestFirstOrderIndependent checks η² against the closed-form first-order
// Sobol' indices of independent additive models (for which η² is the
// first-order index), within 4.5 standard errors, at the 2¹⁶ trials of the
// sensitivity sample. The binning bias (about 1/B² = 1/65 536 of each
// index for these smooth, bounded dependences) is far below the errors.
func TestFirstOrderIndependent(t *testing.T) {
	uni := distributions.Uniform{Min: 0, Max: 1}
	tests := []struct {
		name string
		eval func(a, b, c float64) float64
		want map[string]float64
	}{
		// Var(a) = 1/12, Var(2b) = 4/12.
		{"linear", func(a, b, _ float64) float64 { return a + 2*b }, map[string]float64{"a": 0.2, "b": 0.8, "c": 0}},
		// Var(sin 2πa) = 1/2, Var(b) = 1/12: a non-monotone effect that a
		// rank correlation misses (Spearman ≈ −0.75·… of a fraction only).
		{"sine", func(a, b, _ float64) float64 { return math.Sin(2*math.Pi*a) + b },
			map[string]float64{"a": 0.5 / (0.5 + 1.0/12), "b": (1.0 / 12) / (0.5 + 1.0/12), "c": 0}},
		// a product is not additive: y = (a−½)(b−½) + c has first-order
		// indices 0, 0 and Var(c)/Var(y) = (1/12)/(1/144 + 1/12).
		{"interaction", func(a, b, c float64) float64 { return (a-0.5)*(b-0.5) + c },
			map[string]float64{"a": 0, "b": 0, "c": (1.0 / 12) / (1.0/144 + 1.0/12)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := NewModel()
			a, b, c := m.Input("a", uni), m.Input("b", uni), m.Input("c", uni)
			y := m.Output("y")
			m.Eval(func(tr *Trial) { tr.Set(y, tc.eval(tr.Value(a), tr.Value(b), tr.Value(c))) })
			got := firstOrderOf(t, m, Options{Trials: 1 << 16, Seed: 7, Workers: 2})
			require.Len(t, got, 3)
			sum := 0.0
			for name, want := range tc.want {
				f := got[name]
				assert.Equal(t, 1<<16, f.Trials)
				assert.Equal(t, 256, f.Bins)
				assert.InDelta(t, want, f.Value, 4.5*f.StdErr, "%s: η² %.5f ± %.5f, want %.5f", name, f.Value, f.StdErr, want)
				assert.Less(t, f.StdErr, 0.01, name)
				sum += f.Value
			}
			if tc.name != "interaction" {
				assert.InDelta(t, 1, sum, 0.02, "an additive model's first-order indices sum to 1")
			}
		})
	}
}

// TestFirstOrderCorrelated checks η² under dependence: y = a with a and b
// standard normal and Spearman-correlated at 0.6 through the Gaussian
// copula, so E[y | b] = r·b with Pearson r = 2 sin(π·0.6/6) and η²_b = r²
// (b explains r² of y's variance through a, though y never reads b). For a,
// η² is 1 less what binning loses: Σ over the B equal-probability bins of
// p·Var(a | bin) (truncated normal variances), computed here in closed
// form.
func TestFirstOrderCorrelated(t *testing.T) {
	m := NewModel()
	nrm := distributions.Normal{Mu: 0, Sigma: 1}
	a, b := m.Input("a", nrm), m.Input("b", nrm)
	m.Input("c", nrm) // independent of both: η² = 0
	m.Correlate(a, b, 0.6)
	y := m.Output("y")
	m.Eval(func(tr *Trial) { tr.Set(y, tr.Value(a)) })
	got := firstOrderOf(t, m, Options{Trials: 1 << 16, Seed: 3})

	r := 2 * math.Sin(math.Pi*0.6/6)
	fb := got["b"]
	assert.InDelta(t, r*r, fb.Value, 4.5*fb.StdErr, "b: η² %.5f ± %.5f, want r² = %.5f", fb.Value, fb.StdErr, r*r)
	fc := got["c"]
	assert.InDelta(t, 0, fc.Value, 4.5*fc.StdErr, "c: η² %.5f ± %.5f", fc.Value, fc.StdErr)

	// Binning loss for a: within-bin variance of N(0,1) over B
	// equal-probability bins [z_{k}, z_{k+1}], z_k = Φ⁻¹(k/B):
	// Var = 1 − (z₁φ(z₁) − z₀φ(z₀))/p − ((φ(z₀) − φ(z₁))/p)² for p = 1/B.
	fa := got["a"]
	bins := fa.Bins
	std := distuv.UnitNormal
	loss := 0.0
	for k := 0; k < bins; k++ {
		p := 1 / float64(bins)
		z0, z1 := std.Quantile(float64(k)*p), std.Quantile(float64(k+1)*p)
		zp := func(z float64) float64 {
			if math.IsInf(z, 0) {
				return 0
			}
			return z * std.Prob(z)
		}
		mu := (std.Prob(z0) - std.Prob(z1)) / p
		loss += p * (1 - (zp(z1)-zp(z0))/p - mu*mu)
	}
	assert.InDelta(t, 1-loss, fa.Value, 4.5*fa.StdErr+0.2*loss, "a: η² %.6f ± %.6f, want 1 − binning loss %.6f", fa.Value, fa.StdErr, loss)
}

// TestFirstOrderDiscrete checks that tied values share a bin: a Bernoulli
// input gives two bins and η² = 9p(1−p) / (9p(1−p) + 1/12) for
// y = 3e + u.
func TestFirstOrderDiscrete(t *testing.T) {
	m := NewModel()
	e := m.Input("e", distributions.Bernoulli{P: 0.3})
	u := m.Input("u", distributions.Uniform{Min: 0, Max: 1})
	y := m.Output("y")
	m.Eval(func(tr *Trial) { tr.Set(y, 3*tr.Value(e)+tr.Value(u)) })
	got := firstOrderOf(t, m, Options{Trials: 1 << 15, Seed: 9})
	fe := got["e"]
	assert.Equal(t, 2, fe.Bins)
	v := 9 * 0.3 * 0.7
	want := v / (v + 1.0/12)
	assert.InDelta(t, want, fe.Value, 4.5*fe.StdErr, "e: η² %.5f ± %.5f, want %.5f", fe.Value, fe.StdErr, want)
}

// TestFirstOrderStdErr checks the delta-method standard error against the
// spread of the estimates over 40 seeds at 4 096 trials: the ratio of the
// observed standard deviation to the mean reported StdErr lies within
// ±35 % (the standard deviation of 40 draws is itself within about ±11 %
// per standard error, so ±35 % is more than 3 of them).
func TestFirstOrderStdErr(t *testing.T) {
	if testing.Short() {
		t.Skip("40 runs")
	}
	uni := distributions.Uniform{Min: 0, Max: 1}
	m := NewModel()
	a, b := m.Input("a", uni), m.Input("b", uni)
	m.Input("c", uni) // no effect: the standard error is the noise term's
	y := m.Output("y")
	m.Eval(func(tr *Trial) { tr.Set(y, math.Sin(2*math.Pi*tr.Value(a))+tr.Value(b)) })
	const seeds = 40
	for _, name := range []string{"a", "b", "c"} {
		var vals []float64
		meanSE := 0.0
		for s := uint64(0); s < seeds; s++ {
			f := firstOrderOf(t, m, Options{Trials: 4096, Seed: 100 + s})[name]
			vals = append(vals, f.Value)
			meanSE += f.StdErr / seeds
		}
		sd := stat.StdDev(vals, nil)
		t.Logf("%s: sd over %d seeds %.5f, mean StdErr %.5f: ratio %.2f", name, seeds, sd, meanSE, sd/meanSE)
		assert.InDelta(t, 1, sd/meanSE, 0.35, "%s: observed sd %.5f, mean StdErr %.5f", name, sd, meanSE)
	}
}

// TestFirstOrderModes checks that streaming and exact runs, and any number
// of workers, give the same entries (the same sensitivity sample), and
// that KeepInputs uses every trial.
func TestFirstOrderModes(t *testing.T) {
	uni := distributions.Uniform{Min: 0, Max: 1}
	m := NewModel()
	a := m.Input("a", uni)
	s := m.Series("s", uni, 3)
	y := m.Output("y")
	m.Eval(func(tr *Trial) { tr.Set(y, tr.Value(a)+tr.Values(s)[1]) })
	base := Options{Trials: 1 << 17, Seed: 5, Workers: 1}
	want := firstOrderOf(t, m, base)
	require.Len(t, want, 4)
	assert.Equal(t, 2, want["s [2]"].Year)
	assert.Equal(t, SensitivitySample, want["a"].Trials)
	for _, o := range []Options{{Streaming: true}, {Workers: 3}} {
		o.Trials, o.Seed = base.Trials, base.Seed
		o.Workers = max(o.Workers, 1)
		assert.Equal(t, want, firstOrderOf(t, m, o))
	}
	keep := firstOrderOf(t, m, Options{Trials: 1 << 17, Seed: 5, KeepInputs: true})
	assert.Equal(t, 1<<17, keep["a"].Trials)
	assert.InDelta(t, want["a"].Value, keep["a"].Value, 4.5*want["a"].StdErr)
}

// TestFirstOrderErrors checks the refusals: too few trials, a constant
// output, a nil Metric and a cancelled context.
func TestFirstOrderErrors(t *testing.T) {
	uni := distributions.Uniform{Min: 0, Max: 1}
	m := NewModel()
	a := m.Input("a", uni)
	y, k := m.Output("y"), m.Output("k")
	m.Eval(func(tr *Trial) { tr.Set(y, tr.Value(a)); tr.Set(k, 1) })

	res, err := Run(context.Background(), m, Options{Trials: 7})
	require.NoError(t, err)
	_, err = res.Output("y").FirstOrder()
	assert.ErrorContains(t, err, "7 valid trials, want at least 8")

	res, err = Run(context.Background(), m, Options{Trials: 1000})
	require.NoError(t, err)
	_, err = res.Output("k").FirstOrder()
	assert.ErrorContains(t, err, "does not vary")
	_, err = res.Output("nope").FirstOrder()
	assert.ErrorContains(t, err, "no sensitivity data")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err = Run(context.Background(), m, Options{Trials: 1000})
	require.NoError(t, err)
	_, err = res.Output("y").FirstOrderContext(ctx)
	assert.ErrorIs(t, err, context.Canceled)
}

// TestCorrelationRatioNoAllocs checks that the per-input pass allocates
// nothing once its scratch exists.
func TestCorrelationRatioNoAllocs(t *testing.T) {
	const n = 1000
	y, rx := make([]float64, n), make([]float64, n)
	for i := range y {
		y[i], rx[i] = float64(i%17), float64(i+1)
	}
	sc := &etaScratch{bin: make([]int32, n), sum: make([]float64, 31), cnt: make([]int, 31)}
	allocs := testing.AllocsPerRun(10, func() {
		correlationRatio(y, 8, 1000, rx, 31, sc)
	})
	assert.Zero(t, allocs)
}

// TestFirstOrderInvalidTrials checks that trials with a NaN output are
// left out, the inputs' values taken from the same trials: y = a where
// b ≥ 0.2, NaN elsewhere, so η²_a = 1 less binning (a uniform's loss
// 1/B² of its variance), η²_b = 0, from about 80 % of the trials.
func TestFirstOrderInvalidTrials(t *testing.T) {
	uni := distributions.Uniform{Min: 0, Max: 1}
	m := NewModel()
	a, b := m.Input("a", uni), m.Input("b", uni)
	y := m.Output("y")
	m.Eval(func(tr *Trial) {
		if tr.Value(b) >= 0.2 {
			tr.Set(y, tr.Value(a))
		}
	})
	res, err := Run(context.Background(), m, Options{Trials: 1 << 15, Seed: 11})
	require.NoError(t, err)
	met := res.Output("y")
	fo, err := met.FirstOrder()
	require.NoError(t, err)
	require.Len(t, fo, 2)
	assert.Equal(t, "a", fo[0].Input)
	assert.Equal(t, met.Count(), fo[0].Trials)
	assert.InDelta(t, 0.8*(1<<15), float64(fo[0].Trials), 4*math.Sqrt(0.16*(1<<15)))
	bins := float64(fo[0].Bins)
	// The empirical bins' widths vary a little around 1/B: allow the loss
	// itself twice more.
	assert.InDelta(t, 1-1/(bins*bins), fo[0].Value, 4.5*fo[0].StdErr+2/(bins*bins))
	assert.InDelta(t, 0, fo[1].Value, 4.5*fo[1].StdErr)
}
