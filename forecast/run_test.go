package forecast

import (
	"context"
	"errors"
	"math"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/mcforecast/mcforecast/distributions"
)

// checkPercentiles asserts each percentile of got within 4 standard errors
// of the closed form: SE of the p-quantile = √(p(1−p)/N) / f(x_p).
func checkPercentiles(t *testing.T, got *Metric, want interface {
	Quantile(float64) float64
	Prob(float64) float64
}) {
	t.Helper()
	n := float64(got.Count())
	for _, p := range []float64{0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99} {
		x := want.Quantile(p)
		se := math.Sqrt(p*(1-p)/n) / want.Prob(x)
		assert.InDeltaf(t, x, got.Percentile(p), 4*se, "%s P%g", got.Label(), 100*p)
	}
}

func TestAnalyticSumOfNormals(t *testing.T) {
	res := mustRun(t, sumModel(), Options{Trials: 1_000_000, Seed: 11})
	require.Equal(t, 1_000_000, res.Trials())
	total := res.Output("total")
	checkPercentiles(t, total, distuv.Normal{Mu: 1, Sigma: 3})
	assert.InDelta(t, 1, total.Mean(), 4*3/1000.0)
	// SE of the sample SD of a normal ≈ σ/√(2N).
	assert.InDelta(t, 3, total.StdDev(), 4*3/math.Sqrt(2e6))
	for y, m := range res.Series("running") {
		require.Equal(t, y+1, m.Year())
		checkPercentiles(t, m, distuv.Normal{Mu: 1, Sigma: math.Sqrt(4 + float64(y+1))})
	}
}

func TestAnalyticProductOfLogNormals(t *testing.T) {
	// LN(μ1, σ1) · LN(μ2, σ2) = LN(μ1+μ2, √(σ1²+σ2²)).
	m := NewModel()
	a := m.Input("a", distributions.LogNormal{Mu: 0.5, Sigma: 0.3})
	b := m.Input("b", distributions.LogNormal{Mu: 1, Sigma: 0.4})
	o := m.Output("product")
	m.Eval(func(t *Trial) { t.Set(o, t.Value(a)*t.Value(b)) })
	res := mustRun(t, m, Options{Trials: 1_000_000, Seed: 12})
	checkPercentiles(t, res.Output("product"), distuv.LogNormal{Mu: 1.5, Sigma: 0.5})
}

func TestDeterministicAcrossWorkers(t *testing.T) {
	corr := func() *Model {
		m := sumModel()
		m.Correlate(m.inputHandle(0), m.inputHandle(1), 0.4)
		return m
	}
	cases := []struct {
		name  string
		model func() *Model
		opts  Options
	}{
		{"montecarlo", sumModel, Options{Trials: 50_000, Seed: 3, KeepInputs: true}},
		{"lhs+correlation", corr, Options{Trials: 50_000, Seed: 3, Method: LatinHypercube, KeepInputs: true}},
		{"streaming", corr, Options{Trials: 50_000, Seed: 3, Streaming: true}},
		{"precision", sumModel, Options{Trials: 400_000, Seed: 3, Precision: 0.05}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var ref *Result
			for _, w := range []int{1, 2, 3, 8, runtime.GOMAXPROCS(0)} {
				o := c.opts
				o.Workers = w
				res := mustRun(t, c.model(), o)
				if ref == nil {
					ref = res
					continue
				}
				require.Equal(t, ref.Trials(), res.Trials(), "workers %d", w)
				for i, m := range res.Metrics() {
					r := ref.Metrics()[i]
					require.Equal(t, r.Samples(), m.Samples(), "%s: workers %d", m.Label(), w)
					require.Equal(t, math.Float64bits(r.Mean()), math.Float64bits(m.Mean()), "%s mean: workers %d", m.Label(), w)
					require.Equal(t, math.Float64bits(r.StdDev()), math.Float64bits(m.StdDev()), "%s sd: workers %d", m.Label(), w)
					require.Equal(t, r.Percentiles(0.05, 0.5, 0.95), m.Percentiles(0.05, 0.5, 0.95), "%s: workers %d", m.Label(), w)
					require.Equal(t, r.Sensitivity(), m.Sensitivity(), "%s: workers %d", m.Label(), w)
				}
			}
		})
	}
}

func TestSeedsDiffer(t *testing.T) {
	a := mustRun(t, sumModel(), Options{Trials: 10_000, Seed: 1})
	b := mustRun(t, sumModel(), Options{Trials: 10_000, Seed: 2})
	assert.NotEqual(t, a.Output("total").Mean(), b.Output("total").Mean())
}

func TestPercentileCICoverage(t *testing.T) {
	// Over 400 independent runs of N = 1000 standard normals, the 95 %
	// interval of P95 should cover the true value about 95 % of the time;
	// the binomial SD of the coverage is √(.95·.05/400) ≈ 1.1 %, so
	// [90 %, 99 %] is more than 3.5 SD either side.
	m := NewModel()
	x := m.Input("x", distributions.Normal{Mu: 0, Sigma: 1})
	o := m.Output("y")
	m.Eval(func(t *Trial) { t.Set(o, t.Value(x)) })
	truth := distuv.UnitNormal.Quantile(0.95)
	const runs = 400
	covered := 0
	for s := 0; s < runs; s++ {
		res := mustRun(t, m, Options{Trials: 1000, Seed: uint64(1000 + s), Workers: 1})
		lo, hi := res.Output("y").PercentileCI(0.95, 0.95)
		if lo <= truth && truth <= hi {
			covered++
		}
	}
	c := float64(covered) / runs
	t.Logf("coverage of the 95%% CI of P95: %.3f", c)
	assert.GreaterOrEqual(t, c, 0.90)
	assert.LessOrEqual(t, c, 0.99)
}

// slowModel sleeps in every 1000th trial so that a run lasts long enough to
// be cancelled.
func slowModel() *Model {
	m := NewModel()
	x := m.Input("x", distributions.Normal{Mu: 0, Sigma: 1})
	o := m.Output("y")
	m.Eval(func(t *Trial) {
		if t.Index()%1000 == 0 {
			time.Sleep(time.Millisecond)
		}
		t.Set(o, t.Value(x))
	})
	return m
}

func TestCancellation(t *testing.T) {
	t.Run("before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := Run(ctx, slowModel(), Options{Trials: 1 << 30, Streaming: true})
		require.ErrorIs(t, err, context.Canceled)
	})
	t.Run("during", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		var once atomic.Bool
		start := time.Now()
		_, err := Run(ctx, slowModel(), Options{Trials: 1 << 30, Streaming: true, Progress: func(done, total int) {
			if done > 0 && once.CompareAndSwap(false, true) {
				cancel()
			}
		}})
		require.ErrorIs(t, err, context.Canceled)
		assert.Contains(t, err.Error(), "run stopped after")
		assert.Less(t, time.Since(start), 10*time.Second)
	})
	t.Run("deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		_, err := Run(ctx, slowModel(), Options{Trials: 1 << 30, Streaming: true})
		require.ErrorIs(t, err, context.DeadlineExceeded)
	})
}

func TestPanicBecomesError(t *testing.T) {
	m := NewModel()
	x := m.Input("x", distributions.Uniform{Min: 0, Max: 1})
	o := m.Output("y")
	m.Eval(func(t *Trial) {
		if t.Index() == 5000 {
			panic("boom")
		}
		t.Set(o, t.Value(x))
	})
	_, err := Run(context.Background(), m, Options{Trials: 20_000, Workers: 2})
	var te *TrialError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 5000, te.Trial)
	assert.Contains(t, err.Error(), "trial 5000: boom")

	// SetAt outside the series is a panic, hence an error too.
	m2 := NewModel()
	m2.Input("x", distributions.Constant{Value: 1})
	s := m2.OutputSeries("s", 2)
	m2.Eval(func(t *Trial) { t.SetAt(s, 2, 1) })
	_, err = Run(context.Background(), m2, Options{Trials: 10})
	require.ErrorAs(t, err, &te)
	assert.Contains(t, err.Error(), "year index 2 outside [0, 2)")
}

func TestNaNAccounting(t *testing.T) {
	m := NewModel()
	x := m.Input("x", distributions.Uniform{Min: 0, Max: 1})
	o := m.Output("y")
	unset := m.Output("unset")
	m.Eval(func(t *Trial) {
		switch t.Index() % 10 {
		case 0:
			t.Set(o, math.NaN())
		case 1:
			t.Set(o, math.Inf(1))
		case 2:
			t.Set(o, math.Inf(-1))
		default:
			t.Set(o, t.Value(x))
		}
		_ = unset
	})
	for _, streaming := range []bool{false, true} {
		res := mustRun(t, m, Options{Trials: 10_000, Seed: 1, Streaming: streaming})
		y := res.Output("y")
		assert.Equal(t, 3000, y.Invalid())
		assert.Equal(t, 7000, y.Count())
		assert.Equal(t, res.Trials(), y.Count()+y.Invalid())
		assert.False(t, math.IsNaN(y.Mean()) || math.IsInf(y.Max(), 0) || math.IsInf(y.Min(), 0))
		assert.True(t, y.Max() <= 1 && y.Min() >= 0)
		assert.False(t, math.IsNaN(y.Percentile(0.99)))
		u := res.Output("unset")
		assert.Equal(t, 10_000, u.Invalid())
		assert.True(t, math.IsNaN(u.Mean()) && math.IsNaN(u.Percentile(0.5)))
		lo, hi := u.PercentileCI(0.5, 0.95)
		assert.True(t, math.IsNaN(lo) && math.IsNaN(hi))
	}
}

func TestInvalidModels(t *testing.T) {
	out := func(m *Model) {
		o := m.Output("o")
		m.Eval(func(t *Trial) { t.Set(o, 1) })
	}
	cases := []struct {
		name  string
		build func() *Model
		opts  Options
		want  string
	}{
		{"invalid dist", func() *Model {
			m := NewModel()
			m.Input("capex", distributions.Uniform{Min: 135, Max: 115})
			out(m)
			return m
		}, Options{}, `input "capex": uniform: min 135`},
		{"nil dist", func() *Model { m := NewModel(); m.Input("x", nil); out(m); return m }, Options{}, `input "x": no distribution`},
		{"empty name", func() *Model { m := NewModel(); m.Input("", distributions.Constant{Value: 1}); out(m); return m }, Options{}, "empty name"},
		{"duplicate", func() *Model {
			m := NewModel()
			m.Input("o", distributions.Constant{Value: 1})
			out(m)
			return m
		}, Options{}, `output "o": name already declared`},
		{"series length", func() *Model {
			m := NewModel()
			m.Series("g", distributions.Constant{Value: 1}, 0)
			out(m)
			return m
		}, Options{}, `input "g": series length 0`},
		{"output series length", func() *Model {
			m := NewModel()
			m.OutputSeries("s", -1)
			out(m)
			return m
		}, Options{}, `output "s": series length -1`},
		{"no outputs", func() *Model {
			m := NewModel()
			m.Input("x", distributions.Constant{Value: 1})
			m.Eval(func(*Trial) {})
			return m
		}, Options{}, "no outputs"},
		{"no eval", func() *Model { m := NewModel(); m.Output("o"); return m }, Options{}, "no Eval"},
		{"self correlation", func() *Model {
			m := NewModel()
			a := m.Input("a", distributions.Normal{Mu: 0, Sigma: 1})
			m.Correlate(a, a, 0.5)
			out(m)
			return m
		}, Options{}, `correlate "a" with itself`},
		{"rho > 1", func() *Model {
			m := NewModel()
			a := m.Input("a", distributions.Normal{Mu: 0, Sigma: 1})
			b := m.Input("b", distributions.Normal{Mu: 0, Sigma: 1})
			m.Correlate(a, b, 1.5)
			out(m)
			return m
		}, Options{}, "rho 1.5, want a value in [-1, 1]"},
		{"rho NaN", func() *Model {
			m := NewModel()
			a := m.Input("a", distributions.Normal{Mu: 0, Sigma: 1})
			b := m.Input("b", distributions.Normal{Mu: 0, Sigma: 1})
			m.Correlate(a, b, math.NaN())
			out(m)
			return m
		}, Options{}, "rho NaN"},
		{"conflicting rho", func() *Model {
			m := NewModel()
			a := m.Input("a", distributions.Normal{Mu: 0, Sigma: 1})
			b := m.Input("b", distributions.Normal{Mu: 0, Sigma: 1})
			m.Correlate(a, b, 0.5)
			m.Correlate(b, a, 0.6)
			out(m)
			return m
		}, Options{}, "conflicts with the earlier 0.5"},
		{"not PSD", nonPSD, Options{}, `"a", "b", "c" are inconsistent`},
		{"negative trials", sumModel, Options{Trials: -1}, "Options.Trials -1"},
		{"negative workers", sumModel, Options{Workers: -2}, "Options.Workers -2"},
		{"NaN precision", sumModel, Options{Precision: math.NaN()}, "Options.Precision NaN"},
		{"bad method", sumModel, Options{Method: 7}, "Options.Method 7"},
		{"keep inputs streaming", sumModel, Options{KeepInputs: true, Streaming: true}, "KeepInputs"},
		{"too much memory", sumModel, Options{Trials: MaxTrials}, "set Options.Streaming"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Run(context.Background(), c.build(), c.opts)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			assert.Equal(t, err.Error(), Check(c.build(), c.opts).Error(), "Check reports what Run would")
		})
	}
	require.NoError(t, Check(sumModel(), Options{}))
	_, err := Run(context.Background(), nil, Options{})
	require.Error(t, err)
}

func nonPSD() *Model {
	m := NewModel()
	a := m.Input("a", distributions.Normal{Mu: 0, Sigma: 1})
	b := m.Input("b", distributions.Normal{Mu: 0, Sigma: 1})
	c := m.Input("c", distributions.Normal{Mu: 0, Sigma: 1})
	m.Correlate(a, b, 0.9)
	m.Correlate(b, c, 0.9)
	m.Correlate(a, c, -0.9)
	o := m.Output("o")
	m.Eval(func(t *Trial) { t.Set(o, t.Value(a)+t.Value(b)+t.Value(c)) })
	return m
}

func TestStreamingWithinSketchAccuracy(t *testing.T) {
	m := sumModel()
	exact := mustRun(t, m, Options{Trials: 200_000, Seed: 5})
	sk := mustRun(t, m, Options{Trials: 200_000, Seed: 5, Streaming: true})
	assert.Nil(t, sk.Output("total").Samples())
	for i, e := range exact.Metrics() {
		s := sk.Metrics()[i]
		assert.Equal(t, e.Count(), s.Count())
		// Both modes summarise the same block columns and merge them in block
		// order: the moments are the same bits.
		assert.Equal(t, math.Float64bits(e.Mean()), math.Float64bits(s.Mean()), e.Label())
		assert.Equal(t, math.Float64bits(e.StdDev()), math.Float64bits(s.StdDev()), e.Label())
		assert.Equal(t, e.Min(), s.Min())
		assert.Equal(t, e.Max(), s.Max())
		for _, p := range []float64{0.01, 0.05, 0.5, 0.95, 0.99} {
			// The sketch returns the order statistic of rank ⌊p(n−1)⌋ to a
			// relative SketchAccuracy; the exact value interpolates towards
			// the next order statistic, at most one gap away.
			n := e.Count()
			lo, hi, _ := quantileRanks(p, n)
			gap := e.orderStats([]int{hi})[0] - e.orderStats([]int{lo})[0]
			x := e.Percentile(p)
			assert.InDeltaf(t, x, s.Percentile(p), SketchAccuracy*math.Abs(x)+gap+1e-12, "%s P%g", e.Label(), 100*p)
		}
		assert.InDelta(t, e.ProbBelow(1), s.ProbBelow(1), 0.01)
	}
}

func TestProgress(t *testing.T) {
	var calls, last atomic.Int64
	var concurrent atomic.Int32
	_, err := Run(context.Background(), sumModel(), Options{Trials: 300_000, Progress: func(done, total int) {
		if concurrent.Add(1) != 1 {
			t.Error("Progress called concurrently")
		}
		defer concurrent.Add(-1)
		calls.Add(1)
		last.Store(int64(done))
		if total != 300_000 {
			t.Errorf("total %d", total)
		}
	}})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, calls.Load(), int64(1))
	assert.Equal(t, int64(300_000), last.Load())
}

func TestResultAccessors(t *testing.T) {
	res := mustRun(t, sumModel(), Options{Trials: 5000, Seed: 1})
	assert.Equal(t, []string{"total", "running"}, res.Outputs())
	assert.Len(t, res.Metrics(), 6)
	assert.True(t, res.IsSeries("running"))
	_, err := res.Metric("nope")
	require.ErrorContains(t, err, `no output "nope"`)
	_, err = res.Metric("running")
	require.ErrorContains(t, err, "is a series")
	var nilMetric *Metric = res.Output("nope")
	assert.True(t, math.IsNaN(nilMetric.Percentile(0.5)))
	assert.Nil(t, nilMetric.Samples())
	assert.Equal(t, 5000, res.Options().Trials)
	assert.Equal(t, runtime.GOMAXPROCS(0), res.Options().Workers)
	tot := res.Output("total")
	assert.PanicsWithValue(t, "forecast: Percentile(1.5): p must be a fraction in [0, 1]; for the 1.5th percentile use 0.015", func() { tot.Percentile(1.5) })
	assert.PanicsWithValue(t, "forecast: Percentile(50): p must be a fraction in [0, 1]; for the 50th percentile use 0.5", func() { tot.Percentile(50) })
	assert.Equal(t, tot.Min(), tot.Percentile(0))
	assert.Equal(t, tot.Max(), tot.Percentile(1))
	h := tot.Histogram(10)
	sum := 0
	for _, c := range h.Counts {
		sum += c
	}
	assert.Equal(t, 5000, sum)
	assert.InDelta(t, 1, tot.ProbBelow(tot.Percentile(0.5))+tot.ProbAbove(tot.Percentile(0.5)), 2.0/5000)
	assert.Equal(t, "running [3]", res.Series("running")[2].Label())
	assert.Positive(t, res.Elapsed())
}

func TestHistSelectMatchesSort(t *testing.T) {
	r := newTestRand(9)
	gens := map[string]func() float64{
		"normal":    r.NormFloat64,
		"lognormal": func() float64 { return math.Exp(3 * r.NormFloat64()) },
		"pareto":    func() float64 { return 1 / (r.Float64() + 1e-300) }, // a few huge values
		"discrete":  func() float64 { return float64(r.IntN(3)) },
		"tiny":      func() float64 { return 1 + 1e-15*float64(r.IntN(7)) }, // range near float precision
	}
	for name, g := range gens {
		for _, n := range []int{1, 2, 3, 17, 1000, 20_011} {
			a := make([]float64, n)
			for i := range a {
				a[i] = g()
			}
			if n > 100 {
				a[17] = 1e300 // an outlier squeezes the bulk into one bucket
				a[18] = math.NaN()
				a[19] = math.Inf(-1) // invalid values are skipped
			}
			var finite []float64
			for _, v := range a {
				if isFinite(v) {
					finite = append(finite, v)
				}
			}
			sorted := append([]float64(nil), finite...)
			sortFloats(sorted)
			ks := uniqueSorted([]int{0, len(finite) / 20, len(finite) / 2, len(finite) - len(finite)/20 - 1, len(finite) - 1})
			got := histSelect(a, sorted[0], sorted[len(sorted)-1], ks)
			for i, k := range ks {
				require.Equal(t, sorted[k], got[i], "%s n=%d rank %d", name, n, k)
			}
		}
	}
}

func TestZeroAllocPerTrial(t *testing.T) {
	correlated := sumModel()
	correlated.Correlate(correlated.inputHandle(0), correlated.inputHandle(1), 0.4)
	for _, m := range []*Model{sumModel(), correlated} {
		for _, method := range []Method{MonteCarlo, LatinHypercube} {
			p, err := newPlan(m, Options{Trials: 100 * BlockSize, Method: method}.withDefaults())
			require.NoError(t, err)
			w := p.newWorker()
			allocs := testing.AllocsPerRun(20, func() {
				if err := p.simulate(w, 3); err != nil {
					t.Fatal(err)
				}
			})
			assert.Zero(t, allocs, "allocations per block (%v, correlated %v)", method, len(m.corrs) > 0)
		}
	}
}

func TestErrorsWrapContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Run(ctx, sumModel(), Options{Trials: 1_000_000})
	assert.True(t, errors.Is(err, context.Canceled))
}

func TestStreamingPanicReportsTrial(t *testing.T) {
	// In streaming mode a worker may wait for an older block; when the
	// worker of that block panics, the run must end with its TrialError,
	// not hang and not report the waiting worker's abort.
	m := NewModel()
	x := m.Input("x", distributions.Uniform{Min: 0, Max: 1})
	o := m.Output("y")
	m.Eval(func(t *Trial) {
		if t.Index() == 3*BlockSize {
			time.Sleep(20 * time.Millisecond) // let the other workers run ahead
			panic("late boom")
		}
		t.Set(o, t.Value(x))
	})
	for i := 0; i < 5; i++ {
		_, err := Run(context.Background(), m, Options{Trials: 400 * BlockSize, Workers: 4, Streaming: true})
		var te *TrialError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, 3*BlockSize, te.Trial)
	}
}
